import TrilliumCore
import TrilliumIdentity
import TrilliumLog

/// Why a person was not let in, in the words they read.
public enum AuthenticationError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownUser(String)
    case disabled(String)
    case wrongPIN(String, remaining: Int)
    case locked(String, untilWallMilliseconds: Int64)
    case roleNotHeld(String, StaffRole)
    case store(StaffStoreError)

    public var description: String {
        switch self {
        case let .unknownUser(id): "No account \"\(id)\"."
        case let .disabled(id): "The account \"\(id)\" is disabled."
        case let .wrongPIN(id, remaining):
            remaining > 0 ? "Wrong PIN for \"\(id)\": \(remaining) more wrong and the account is locked for \(AccessLedger.lockMinutes) minutes."
                : "Wrong PIN for \"\(id)\": the account is locked for \(AccessLedger.lockMinutes) minutes."
        case let .locked(id, until): "The account \"\(id)\" is locked after \(AccessLedger.failuresBeforeLock) wrong PINs, until \(Times.minute(EventStamp(wallMilliseconds: until, monotonicNanoseconds: 0, bootID: ""))) UTC."
        case let .roleNotHeld(id, role):
            "\"\(id)\" is not \(role == .admin ? "an" : "a") \(role.label.lowercased())."
        case let .store(error): error.description
        }
    }

    /// How the access log records it.
    var failure: SignInFailure {
        switch self {
        case .unknownUser: .unknownUser
        case .disabled: .disabled
        case .wrongPIN: .wrongPIN
        case .locked: .locked
        case .roleNotHeld: .notPermitted
        case .store: .unknownUser
        }
    }
}

/// The clinic's staff as this data directory knows them: accounts from
/// `users.tlog`, sign-ins and locks in `access.tlog`. Every change and every
/// attempt to prove who one is goes through here.
public final class StaffDirectory {
    public let directory: DataDirectory
    public let clock: SessionClock
    private let staffLog: ChainedLog
    private let accessLog: ChainedLog
    /// PBKDF2 rounds for new hashes: the minimum, unless a test asks for more.
    private let rounds: Int
    private let files: FileOperations

    public init(directory: DataDirectory, clock: SessionClock = SystemClock(), ids: RecordIDSource = RandomRecordIDs(),
                files: FileOperations = POSIXFileOperations(), workstation: String, appVersion: String,
                rounds: Int = PINHasher.rounds) {
        self.directory = directory
        self.clock = clock
        self.rounds = rounds
        self.files = files
        staffLog = ChainedLog(path: directory.staffLogPath, family: .staff, clock: clock, ids: ids, files: files,
                              workstation: workstation, appVersion: appVersion)
        accessLog = ChainedLog(path: directory.accessLogPath, family: .access, clock: clock, ids: ids, files: files,
                               workstation: workstation, appVersion: appVersion)
    }

    /// The accounts, as the staff log makes them.
    public func roster() throws(StaffStoreError) -> StaffRoster {
        try Self.fold(try staffLog.records())
    }

    /// Whether anyone must sign in here: true where accounts exist, and
    /// where the staff log cannot be read (nobody gets in unproven).
    public var hasAccounts: Bool {
        (try? roster().isEmpty == false) ?? true
    }

    private static func fold(_ records: [SessionRecord]) throws(StaffStoreError) -> StaffRoster {
        do {
            return try StaffRoster.fold(records)
        } catch {
            throw .unreadable(path: DataDirectory.staffLogName, reason: "record does not follow: \(error)")
        }
    }

    // MARK: Changes to accounts

    /// The first administrator; refused once any account exists.
    public func createFirstAdministrator(id: String, name: String, pin: String) throws(StaffStoreError) {
        try requireUsable(id: id, name: name, pin: pin)
        let hash = PINHasher.hash(pin, rounds: rounds)
        try staffLog.append(by: id) { (records) throws(StaffStoreError) in
            let roster = try Self.fold(records)
            guard roster.isEmpty else { throw .refused(.invalid("Accounts already exist: the first administrator was made; use users add --as ADMIN.")) }
            return try Self.checked([.userAdded(StaffAddition(user: StaffID(id), name: name, roles: [.admin], pinHash: hash))], by: id, on: roster)
        }
        // A workstation with accounts signs its sessions, and its key seals
        // the session index (`IndexSeal`): made now, with the first account,
        // not at the first sign-off, so that the index is trusted from the
        // start. Made only once the account is recorded, so that a refused
        // first account writes nothing. A key that cannot be made here is
        // made, or its loss said, at the first sign-off; until then no index
        // is trusted and every log is read.
        _ = try? WorkstationKey.loadOrCreate(in: directory, files: files)
    }

    /// A change made by `administrator`, whose PIN is checked first.
    public func change(as administrator: String, pin: String, _ event: SessionEvent) throws(AuthenticationError) {
        let account = try authenticate(administrator, pin: pin, requiring: .admin)
        do {
            try staffLog.append(by: account.id.rawValue) { (records) throws(StaffStoreError) in
                try Self.checked([event], by: account.id.rawValue, on: try Self.fold(records))
            }
        } catch {
            throw .store(error)
        }
    }

    /// Adds an account (by an administrator).
    public func add(id: String, name: String, roles: [StaffRole], newPIN: String, as administrator: String, pin: String) throws(AuthenticationError) {
        do {
            try requireUsable(id: id, name: name, pin: newPIN)
        } catch {
            throw .store(error)
        }
        try change(as: administrator, pin: pin, .userAdded(StaffAddition(user: StaffID(id), name: name, roles: roles.sorted(),
                                                                         pinHash: PINHasher.hash(newPIN, rounds: rounds))))
    }

    /// One's own PIN, proven by the current one.
    public func changePIN(of id: String, current: String, new: String) throws(AuthenticationError) {
        let account = try authenticate(id, pin: current)
        if let problem = PINRule.problem(with: new) { throw .store(.refused(.invalid("The new PIN: \(problem)."))) }
        let hash = PINHasher.hash(new, rounds: rounds)
        do {
            try staffLog.append(by: account.id.rawValue) { (records) throws(StaffStoreError) in
                try Self.checked([.userPINChanged(user: account.id, pinHash: hash)], by: account.id.rawValue, on: try Self.fold(records))
            }
        } catch {
            throw .store(error)
        }
    }

    private static func checked(_ events: [SessionEvent], by person: String, on roster: StaffRoster) throws(StaffStoreError) -> [SessionEvent] {
        var trial = roster
        for event in events {
            // The stamp and id are the writer's; the roster's rules do not read them.
            let record = SessionRecord(seq: trial.lastSeq + 1, id: "", stamp: EventStamp(wallMilliseconds: 0, monotonicNanoseconds: 0, bootID: ""),
                                       by: person, event: event)
            do {
                try trial.apply(record)
            } catch {
                throw .refused(error)
            }
        }
        return events
    }

    private func requireUsable(id: String, name: String, pin: String) throws(StaffStoreError) {
        guard FieldDomain.isStaffID(id) else {
            throw .refused(.invalid("An account id is 1 to \(RecordSchema.Limit.staffID) characters of a-z, 0-9, _ and -: \"\(VisibleText.field(id))\" is not."))
        }
        // The name as the schema's user.added holds it: refused here, before any PIN is hashed, not by the writer.
        guard !name.allSatisfy(\.isWhitespace) else { throw .refused(.invalid("The person's name is needed.")) }
        if let field = RecordSchema.of(.userAdded).field("name"), let problem = FieldDomain.problem(with: name, for: field.kind) {
            throw .refused(.invalid("The name: \(problem)."))
        }
        if let problem = PINRule.problem(with: pin) { throw .refused(.invalid("The PIN: \(problem).")) }
    }

    // MARK: Proving who one is

    /// The account `id` if `pin` is its PIN and it may sign in now (enabled,
    /// not locked, holding `role` when one is asked for). Every attempt is
    /// recorded in the access log; the fifth wrong PIN in a row locks the
    /// account for five minutes.
    @discardableResult
    public func authenticate(_ id: String, pin: String, requiring role: StaffRole? = nil,
                             recording success: ((StaffID) -> SessionEvent)? = nil) throws(AuthenticationError) -> StaffAccount {
        let roster: StaffRoster
        do {
            roster = try self.roster()
        } catch {
            throw .store(error)
        }
        let typed = String(id.prefix(RecordSchema.Limit.staffID))
        var outcome: Result<StaffAccount, AuthenticationError> = .failure(.unknownUser(typed))
        do {
            // Decided under the access log's lock, from the records it holds: two attempts at
            // once cannot both count the same four failures and miss the lock between them.
            // What was typed is recorded only where it names an account: anything else may be a PIN typed
            // into the wrong field (PINs are never logged), so an unknown account is recorded as "".
            let account = roster.account(typed)?.id.rawValue
            try accessLog.append(by: account ?? "unknown") { (records) throws(StaffStoreError) in
                let ledger = AccessLedger.fold(records)
                outcome = Self.outcome(typed, pin: pin, role: role, roster: roster, ledger: ledger, at: clock.now().wallMilliseconds)
                switch outcome {
                case let .success(account):
                    return success.map { [$0(account.id)] } ?? []
                case let .failure(error):
                    // A lock follows the fifth wrong PIN.
                    var events: [SessionEvent] = [.signInFailed(user: account ?? "", reason: error.failure)]
                    if case let .wrongPIN(_, remaining) = error, remaining == 0, let account = roster.account(typed) {
                        events.append(.accountLocked(user: account.id, minutes: AccessLedger.lockMinutes))
                    }
                    return events
                }
            }
        } catch {
            throw .store(error)
        }
        return try outcome.get()
    }

    /// Whether `pin` lets `typed` in now, and if not why.
    private static func outcome(_ typed: String, pin: String, role: StaffRole?, roster: StaffRoster, ledger: AccessLedger,
                                at now: Int64) -> Result<StaffAccount, AuthenticationError> {
        if let until = ledger.lockedUntil(typed, at: now) { return .failure(.locked(typed, untilWallMilliseconds: until)) }
        guard let account = roster.account(typed) else { return .failure(.unknownUser(typed)) }
        if account.isDisabled { return .failure(.disabled(typed)) }
        guard PINHasher.matches(pin, hashText: account.pinHash) else {
            let remaining = AccessLedger.failuresBeforeLock - ledger.failuresAfterOneMore(typed, at: now)
            return .failure(.wrongPIN(typed, remaining: max(0, remaining)))
        }
        if let role, !account.holds(role) { return .failure(.roleNotHeld(typed, role)) }
        return .success(account)
    }

    /// Records a workstation event for a person already signed in (sign-out, screen lock).
    public func recordAccess(_ event: SessionEvent, by id: StaffID) throws(StaffStoreError) {
        try accessLog.append(by: id.rawValue) { _ in [event] }
    }
}
