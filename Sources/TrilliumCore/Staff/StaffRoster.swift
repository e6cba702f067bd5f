/// Why the staff log refused a change. Each case is the sentence an
/// administrator reads.
public enum StaffError: Error, Sendable, Equatable, CustomStringConvertible {
    case notOpened
    case alreadyOpened
    case outOfSequence(expected: Int, got: Int)
    case notAStaffRecord(EventKind)
    case duplicateID(StaffID)
    case unknownUser(String)
    case disabled(StaffID)
    case notAnAdministrator(String)
    case firstAccountMustBeAdministrator
    case noRoles
    case lastAdministrator(StaffID)
    case invalid(String)

    public var description: String {
        switch self {
        case .notOpened: "The staff log has not been opened."
        case .alreadyOpened: "The staff log is already open."
        case let .outOfSequence(expected, got): "Record \(got) arrived where record \(expected) was due."
        case let .notAStaffRecord(kind): "\(kind.rawValue) does not belong in the staff log."
        case let .duplicateID(id): "An account \"\(id)\" already exists (accounts are never deleted, so an id is never reused)."
        case let .unknownUser(id): "No account \"\(id)\"."
        case let .disabled(id): "The account \"\(id)\" is disabled."
        case let .notAnAdministrator(id): "\"\(id)\" is not an administrator: only an administrator changes accounts."
        case .firstAccountMustBeAdministrator: "The first account must be an administrator's, added by that person."
        case .noRoles: "An account needs at least one role."
        case let .lastAdministrator(id): "\"\(id)\" is the last administrator: add another administrator first."
        case let .invalid(problem): problem
        }
    }
}

/// The staff accounts: exactly what folding the staff log's records gives.
/// Every change is checked here, so a staff log another tool wrote is held
/// to the same rules as the one `trillium users` writes.
public struct StaffRoster: Sendable, Equatable {
    public private(set) var accounts: [StaffID: StaffAccount] = [:]
    /// Ids in the order they were added: how `users list` prints them.
    public private(set) var order: [StaffID] = []
    public private(set) var lastSeq = 0
    public private(set) var isOpened = false
    /// When the first account was added: from then on every session opened
    /// here is opened by a signed-in account and signed with its PIN.
    public private(set) var accountsBegan: EventStamp?

    public init() {}

    /// The roster of a whole staff log.
    public static func fold<Records: Sequence>(_ records: Records) throws(StaffError) -> StaffRoster
    where Records.Element == SessionRecord {
        var roster = StaffRoster()
        for record in records { try roster.apply(record) }
        return roster
    }

    public func account(_ id: String) -> StaffAccount? { accounts[StaffID(id)] }

    public var isEmpty: Bool { accounts.isEmpty }

    /// The enabled account `id`, or why there is none.
    public func activeAccount(_ id: String) throws(StaffError) -> StaffAccount {
        guard let account = account(id) else { throw .unknownUser(id) }
        guard !account.isDisabled else { throw .disabled(account.id) }
        return account
    }

    /// Whether `record` would be accepted, without changing anything.
    public func validate(_ record: SessionRecord) throws(StaffError) {
        var trial = self
        try trial.apply(record)
    }

    public mutating func apply(_ record: SessionRecord) throws(StaffError) {
        guard record.seq == lastSeq + 1 else { throw .outOfSequence(expected: lastSeq + 1, got: record.seq) }
        switch record.event {
        case .staffOpened:
            guard !isOpened else { throw .alreadyOpened }
            isOpened = true
        case let .userAdded(added):
            guard isOpened else { throw .notOpened }
            guard accounts[added.user] == nil else { throw .duplicateID(added.user) }
            guard !added.roles.isEmpty else { throw .noRoles }
            if accounts.isEmpty {
                guard added.roles.contains(.admin), record.by == added.user.rawValue else { throw .firstAccountMustBeAdministrator }
            } else {
                try requireAdministrator(record.by)
            }
            try requireName(added.name)
            accounts[added.user] = StaffAccount(id: added.user, name: added.name, roles: Set(added.roles), pinHash: added.pinHash,
                                                addedBy: record.by, addedSeq: record.seq)
            if accountsBegan == nil { accountsBegan = record.stamp }
            order.append(added.user)
        case let .userPINChanged(user, pinHash):
            guard isOpened else { throw .notOpened }
            let account = try activeAccount(user.rawValue)
            // One's own PIN, or an administrator resetting someone's.
            if record.by != user.rawValue { try requireAdministrator(record.by) }
            accounts[account.id]?.pinHash = pinHash
        case let .userRolesChanged(user, roles):
            guard isOpened else { throw .notOpened }
            try requireAdministrator(record.by)
            let account = try activeAccount(user.rawValue)
            guard !roles.isEmpty else { throw .noRoles }
            if account.roles.contains(.admin) && !roles.contains(.admin) { try requireAnotherAdministrator(than: account.id) }
            accounts[account.id]?.roles = Set(roles)
        case let .userDisabled(user, reason):
            guard isOpened else { throw .notOpened }
            try requireAdministrator(record.by)
            let account = try activeAccount(user.rawValue)
            if reason.allSatisfy(\.isWhitespace) { throw .invalid("A reason is required to disable an account.") }
            if account.roles.contains(.admin) { try requireAnotherAdministrator(than: account.id) }
            accounts[account.id]?.isDisabled = true
        case .logRepaired:
            guard isOpened else { throw .notOpened }
        default:
            throw .notAStaffRecord(record.event.kind)
        }
        lastSeq = record.seq
    }

    private func requireAdministrator(_ id: String) throws(StaffError) {
        let account = try activeAccount(id)
        guard account.roles.contains(.admin) else { throw .notAnAdministrator(id) }
    }

    private func requireAnotherAdministrator(than id: StaffID) throws(StaffError) {
        guard accounts.values.contains(where: { $0.id != id && $0.holds(.admin) }) else { throw .lastAdministrator(id) }
    }

    private func requireName(_ name: String) throws(StaffError) {
        if name.allSatisfy(\.isWhitespace) { throw .invalid("A name is required.") }
        if name.hasControlCharacter {
            throw .invalid("A name must not contain control characters.")
        }
    }
}
