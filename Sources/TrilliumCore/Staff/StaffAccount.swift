/// The id a person signs in with: what every record's `by` holds once
/// sessions are attributed. Its own type, so a typed name can never be
/// passed where a proven identity is meant; the log stores the plain string.
public typealias StaffID = Identifier<StaffAccount>

/// What a person may do at the workstation. A person may hold several.
public enum StaffRole: String, Sendable, Equatable, CaseIterable, Comparable {
    /// Runs sessions.
    case `operator`
    /// The medical director: authorises overrides of relative contraindications, co-signs.
    case director
    /// Manages the staff accounts.
    case admin

    public var label: String {
        switch self {
        case .operator: "Operator"
        case .director: "Medical director"
        case .admin: "Administrator"
        }
    }

    public static func < (lhs: StaffRole, rhs: StaffRole) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// One person's account as the staff log has made it. Accounts are never
/// deleted, only disabled, so the ids in old records keep their meaning.
public struct StaffAccount: Sendable, Equatable {
    public var id: StaffID
    public var name: String
    public var roles: Set<StaffRole>
    /// The salted slow hash of the PIN, in `PINHash`'s text form; never the PIN.
    public var pinHash: String
    public var isDisabled = false
    /// Who made each change, and when: the account's history.
    public var addedBy: String
    public var addedSeq: Int

    public init(id: StaffID, name: String, roles: Set<StaffRole>, pinHash: String, addedBy: String, addedSeq: Int) {
        self.id = id
        self.name = name
        self.roles = roles
        self.pinHash = pinHash
        self.addedBy = addedBy
        self.addedSeq = addedSeq
    }

    public func holds(_ role: StaffRole) -> Bool { !isDisabled && roles.contains(role) }

    /// "Jo Bloggs (jo)": how a report names the person behind an id.
    public var displayName: String { "\(name) (\(id.rawValue))" }

    /// The roles as the log and the list print them: in the order of `StaffRole.allCases`.
    public var sortedRoles: [StaffRole] { roles.sorted() }
}

/// The least a PIN or passphrase may be: six characters.
public enum PINRule {
    public static let minimumLength = 6
    public static let maximumLength = 128

    /// Why `pin` cannot be used, or nil when it can.
    public static func problem(with pin: String) -> String? {
        if pin.count < minimumLength { return "a PIN must have at least \(minimumLength) characters" }
        if pin.count > maximumLength { return "a PIN may have at most \(maximumLength) characters" }
        if pin.hasControlCharacter {
            return "a PIN must not contain control characters"
        }
        return nil
    }
}
