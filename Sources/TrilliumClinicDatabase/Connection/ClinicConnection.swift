import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO

/// One connection to the clinic's database. Commands open one, do their
/// work and close it; the app's copier keeps one while the server answers.
public final class ClinicConnection: Sendable {
    public let address: DatabaseAddress
    let connection: PostgresConnection
    /// PostgresNIO logs through swift-log; Trillium keeps nothing of it
    /// (a statement's parameters are patients' records).
    static let logger = Logger(label: "trillium.clinic-database", factory: { _ in SwiftLogNoOpLogHandler() })

    /// The longest a statement may take before the connection is given up as dead.
    let statementLimit: Duration

    private init(address: DatabaseAddress, connection: PostgresConnection, statementLimit: Duration) {
        self.address = address
        self.connection = connection
        self.statementLimit = statementLimit
    }

    /// Connects and authenticates, within `timeout` seconds. A command may wait
    /// long on one statement (a big COPY); the app's copier wants to know soon.
    public static func open(_ address: DatabaseAddress, timeout: Int64 = 10,
                            statementLimit: Duration = .seconds(120)) async throws(ClinicDatabaseError) -> ClinicConnection {
        do {
            var configuration = try configuration(for: address)
            configuration.options.connectTimeout = .seconds(timeout)
            let connection = try await PostgresConnection.connect(
                configuration: configuration, id: Int.random(in: 1...Int.max), logger: logger)
            return ClinicConnection(address: address, connection: connection, statementLimit: statementLimit)
        } catch {
            throw ClinicDatabaseError.from(error, address: address)
        }
    }

    public func close() async {
        try? await connection.close()
    }

    /// Runs a statement, mapping the server's refusal into the adapter's error.
    @discardableResult
    func run(_ query: PostgresQuery) async throws(ClinicDatabaseError) -> [PostgresRow] {
        try requireOpen()
        let (connection, address) = (self.connection, self.address)
        return try await answer(within: statementLimit, from: address) { () throws(ClinicDatabaseError) in
            do {
                var rows: [PostgresRow] = []
                for try await row in try await connection.query(query, logger: Self.logger) { rows.append(row) }
                return rows
            } catch {
                throw ClinicDatabaseError.from(error, address: address)
            }
        }
    }

    /// Refuses to use a connection the server has closed. PostgresNIO hands a
    /// statement to a closed channel without a promise for the write, and its
    /// answer never comes: the copier would wait for ever instead of reconnecting.
    func requireOpen() throws(ClinicDatabaseError) {
        if connection.isClosed { throw .unreachable(address, "the server closed the connection") }
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    func transaction<T>(_ body: () async throws(ClinicDatabaseError) -> T) async throws(ClinicDatabaseError) -> T {
        try await run("BEGIN")
        do {
            let result = try await body()
            try await run("COMMIT")
            return result
        } catch {
            _ = try? await run("ROLLBACK")
            throw error
        }
    }

    private static func configuration(for address: DatabaseAddress) throws -> PostgresConnection.Configuration {
        if let socket = address.socketPath {
            return PostgresConnection.Configuration(
                unixSocketPath: socket, username: address.user, password: address.password, database: address.database)
        }
        guard case let .tcp(host, port) = address.endpoint else { preconditionFailure("a socket was handled above") }
        let tls: PostgresConnection.Configuration.TLS
        switch address.tlsMode {
        case .disable:
            tls = .disable
        case .allow, .prefer:
            var settings = TLSConfiguration.makeClientConfiguration()
            settings.certificateVerification = .none
            tls = .prefer(try NIOSSLContext(configuration: settings))
        case .require, .verifyCA, .verifyFull:
            var settings = TLSConfiguration.makeClientConfiguration()
            // As libpq: require encrypts without checking the certificate unless a root is given.
            switch address.tlsMode {
            case .verifyFull: settings.certificateVerification = .fullVerification
            case .verifyCA: settings.certificateVerification = .noHostnameVerification
            default: settings.certificateVerification = address.rootCertificatePath == nil ? .none : .noHostnameVerification
            }
            if let root = address.rootCertificatePath {
                settings.trustRoots = .file(root)
            }
            tls = .require(try NIOSSLContext(configuration: settings))
        }
        return PostgresConnection.Configuration(
            host: host, port: port, username: address.user, password: address.password, database: address.database, tls: tls)
    }
}
