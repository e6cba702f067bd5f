import PostgresNIO

/// Why the clinic's database could not be used: one error for the whole
/// adapter, each case with the words a clinic's administrator acts on.
/// Commands exit 2 on any of them; the app carries on offline.
public enum ClinicDatabaseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Nothing answers there, or the connection broke.
    case unreachable(DatabaseAddress, String)
    /// The server refused who we said we are.
    case refused(DatabaseAddress, String)
    /// No Trillium schema, or an older one than this Trillium writes.
    case schemaTooOld(found: Int, wanted: Int)
    /// A schema written by a newer Trillium: never written to by this one.
    case schemaTooNew(found: Int, wanted: Int)
    /// The server refused a statement.
    case failed(String)
    /// A file on this workstation that the copy reads or the clinic-wide views write.
    case localFile(String)

    public var description: String {
        switch self {
        case let .unreachable(address, reason):
            "the clinic's \(address) cannot be reached: \(reason)"
        case let .refused(address, reason):
            "the clinic's \(address) refused the connection: \(reason)"
        case let .schemaTooOld(found, wanted) where found == 0:
            "the clinic's database has no Trillium schema (this Trillium writes version \(wanted)): run trillium db migrate --database URL"
        case let .schemaTooOld(found, wanted):
            "the clinic's database has Trillium schema version \(found), older than this Trillium's \(wanted): run trillium db migrate --database URL"
        case let .schemaTooNew(found, wanted):
            "the clinic's database has Trillium schema version \(found), newer than this Trillium's \(wanted): update Trillium on this workstation"
        case let .failed(reason):
            "the clinic's database refused a statement: \(reason)"
        case let .localFile(reason):
            reason
        }
    }

    /// What a PostgresNIO error means here, in words without the password.
    static func from(_ error: any Error, address: DatabaseAddress) -> ClinicDatabaseError {
        if let error = error as? ClinicDatabaseError { return error }
        guard let error = error as? PSQLError else {
            return .unreachable(address, String(describing: error))
        }
        if let info = error.serverInfo {
            let message = info[.message] ?? "an error without a message"
            let state = info[.sqlState] ?? ""
            // Class 28: invalid authorization; 3D000: no such database.
            if state.hasPrefix("28") || state == "3D000" { return .refused(address, message) }
            if state.hasPrefix("08") || state.hasPrefix("57P") { return .unreachable(address, message) }
            return .failed(message + (info[.detail].map { " (\($0))" } ?? ""))
        }
        switch error.code {
        case .authMechanismRequiresPassword:
            return .refused(address, "the server asks for a password: give it in the URL, PGPASSWORD or ~/.pgpass")
        case .sslUnsupported:
            return .refused(address, "the server does not offer TLS, which sslmode \(address.tlsMode.rawValue) requires")
        case .unsupportedAuthMechanism:
            return .refused(address, "the server asks for an authentication method PostgresNIO does not support")
        case .saslError:
            return .refused(address, "the password was not accepted")
        default:
            let underlying = error.underlying.map { String(describing: $0) } ?? error.code.description
            return .unreachable(address, underlying)
        }
    }
}
