#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import NIOPosix
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
    /// Trillium's tables without the record of their version: changed outside Trillium, never migrated over.
    case schemaUnrecorded
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
        case .schemaUnrecorded:
            "the clinic's database holds Trillium's tables but no record of their schema version (trillium_schema was emptied "
                + "or dropped outside Trillium): nothing was changed; restore trillium_schema, or the database, from its backup"
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
            return .unreachable(address, reason(for: error))
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
        case .serverClosedConnection, .uncleanShutdown:
            // At the first statement, most often not a PostgreSQL server (or one refusing this client); later, a connection lost.
            let cause = error.underlying.map { ": " + reason(for: $0) } ?? " (is it PostgreSQL, and does it take this client?)"
            return .unreachable(address, "the server closed the connection" + cause)
        default:
            return .unreachable(address, error.underlying.map { reason(for: $0) } ?? error.code.description)
        }
    }

    /// Why a connection could not be made, in words: NIO's own descriptions
    /// name its types (`SingleConnectionFailure(target: …)`), which tell an
    /// administrator nothing they can act on.
    static func reason(for error: any Error) -> String {
        switch error {
        case let error as NIOConnectionError:
            if let first = error.connectionErrors.first { return reason(for: first.error) }
            if error.dnsAError != nil || error.dnsAAAAError != nil { return "the host name could not be resolved" }
            return "the host name gave no address to connect to"
        case let error as IOError:
            return reason(forErrno: error.errnoCode)
        case let ChannelError.connectTimeout(limit):
            return "no answer within " + (limit.nanoseconds >= 1_000_000_000 ? "\(limit.nanoseconds / 1_000_000_000) s"
                                                                              : "\(limit.nanoseconds / 1_000_000) ms")
        case let error as PSQLError:
            return error.underlying.map { reason(for: $0) } ?? error.code.description
        default:
            return String(describing: error)
        }
    }

    private static func reason(forErrno code: CInt) -> String {
        switch code {
        case ECONNREFUSED: "nothing is listening there (connection refused): is the server running, on that port?"
        case ENOENT: "no server socket in that folder: is the server running, with its socket there?"
        case EACCES: "this account may not open the server's socket"
        case ETIMEDOUT: "no answer in time"
        case EHOSTUNREACH, ENETUNREACH: "no route to the host"
        default: String(cString: strerror(code))
        }
    }
}
