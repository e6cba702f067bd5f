/// What the workstation's access log says about each account: failed PINs
/// since the last success, and locks. Folded from the log at every start, so
/// a lock outlives a restart of the app.
public struct AccessLedger: Sendable, Equatable {
    /// Five wrong PINs in a row lock the account…
    public static let failuresBeforeLock = 5
    /// …for five minutes.
    public static let lockMinutes = 5

    public struct Standing: Sendable, Equatable {
        public var consecutiveFailures = 0
        /// Wall time (ms) until which sign-in is refused.
        public var lockedUntil: Int64?

        public init(consecutiveFailures: Int = 0, lockedUntil: Int64? = nil) {
            self.consecutiveFailures = consecutiveFailures
            self.lockedUntil = lockedUntil
        }
    }

    public private(set) var standings: [String: Standing] = [:]
    public private(set) var lastSeq = 0
    public private(set) var isOpened = false
    /// Who is signed in, as the log last said (nil after a sign-out).
    public private(set) var signedIn: String?

    public init() {}

    public static func fold<Records: Sequence>(_ records: Records) -> AccessLedger where Records.Element == SessionRecord {
        var ledger = AccessLedger()
        for record in records { ledger.apply(record) }
        return ledger
    }

    public func standing(of user: String) -> Standing { standings[user] ?? Standing() }

    /// The wall time until which `user` is locked out at `now`, or nil.
    public func lockedUntil(_ user: String, at now: Int64) -> Int64? {
        guard let until = standing(of: user).lockedUntil, until > now else { return nil }
        return until
    }

    /// The failures in a row a wrong PIN now would make: a lock that has run out starts the count again.
    public func failuresAfterOneMore(_ user: String, at now: Int64) -> Int {
        let standing = standing(of: user)
        if let until = standing.lockedUntil, until <= now { return 1 }
        return standing.consecutiveFailures + 1
    }

    /// Whether a failure now is the one that locks the account.
    public func failureLocks(_ user: String, at now: Int64) -> Bool {
        failuresAfterOneMore(user, at: now) >= Self.failuresBeforeLock
    }

    /// Access records are the workstation's account of itself: never refused,
    /// only counted (a record that makes no sense to the ledger changes nothing).
    public mutating func apply(_ record: SessionRecord) {
        lastSeq = record.seq
        let now = record.stamp.wallMilliseconds
        switch record.event {
        case .accessOpened:
            isOpened = true
        case let .signedIn(user), let .screenUnlocked(user):
            standings[user.rawValue] = Standing()
            signedIn = user.rawValue
        case let .signedOut(user):
            if signedIn == user.rawValue { signedIn = nil }
        case let .signInFailed(user, reason):
            guard reason == .wrongPIN else { break }
            var standing = standing(of: user)
            // A lock that has run out starts the count again.
            if let until = standing.lockedUntil, until <= now {
                standing = Standing()
            }
            standing.consecutiveFailures += 1
            standings[user] = standing
        case let .accountLocked(user, minutes):
            standings[user.rawValue, default: Standing()].lockedUntil = now + Int64(minutes) * 60_000
        default:
            break
        }
    }
}

/// Why a sign-in was refused, as the access log records it.
public enum SignInFailure: String, Sendable, Equatable, CaseIterable {
    case unknownUser = "unknown_user"
    case disabled
    case wrongPIN = "wrong_pin"
    case locked
    case notPermitted = "not_permitted"

    public var label: String {
        switch self {
        case .unknownUser: "No such account"
        case .disabled: "Account disabled"
        case .wrongPIN: "Wrong PIN"
        case .locked: "Account locked"
        case .notPermitted: "Role not held"
        }
    }
}
