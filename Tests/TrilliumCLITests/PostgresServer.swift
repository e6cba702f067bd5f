import Foundation
import Testing

/// A real PostgreSQL server for the tests, started by them: `initdb` into a
/// temporary folder and `pg_ctl start` listening only on a Unix socket in
/// that folder. PostgreSQL refuses to run as root, so as root (CI) it runs
/// as the `postgres` user that Debian's package creates. One server serves
/// the whole test run (each test makes its own database) and is stopped at exit.
final class PostgresServer: @unchecked Sendable {
    let folder: String
    let binaries: String
    /// Its TCP port on 127.0.0.1, where only TLS is accepted (the socket's name carries it too).
    let port = Int.random(in: 20_000...60_000)
    private let asPostgres: Bool
    private var counter = 0
    private let lock = NSLock()

    /// The running server, or why there is none. Where `TRILLIUM_REQUIRE_POSTGRES`
    /// is set (`.ci/run` sets it) a server that cannot start fails the tests instead of skipping them.
    static let shared: Result<PostgresServer, ServerUnavailable> = {
        do {
            let server = try PostgresServer()
            atexit { if case let .success(server) = PostgresServer.shared { server.stop() } }
            return .success(server)
        } catch let error as ServerUnavailable {
            return .failure(error)
        } catch {
            return .failure(ServerUnavailable(reason: "\(error)"))
        }
    }()

    struct ServerUnavailable: Error, CustomStringConvertible {
        var reason: String
        var description: String { "PostgreSQL cannot be started here: \(reason)" }
    }

    /// Whether the database tests run; their trait says why when they do not.
    static var isAvailable: Bool {
        if case .success = shared { return true }
        return ProcessInfo.processInfo.environment["TRILLIUM_REQUIRE_POSTGRES"] != nil
    }

    /// The server, or a test failure saying why (only where the tests were not skipped: under TRILLIUM_REQUIRE_POSTGRES).
    static func running() throws -> PostgresServer {
        try shared.get()
    }

    private init() throws {
        guard let binaries = Self.findBinaries() else {
            throw ServerUnavailable(reason: "no initdb in /usr/lib/postgresql/*/bin (install Debian's postgresql package)")
        }
        self.binaries = binaries
        asPostgres = getuid() == 0
        if asPostgres, getpwnam("postgres") == nil {
            throw ServerUnavailable(reason: "running as root, and there is no postgres user to run the server as")
        }
        folder = try Self.shell("mktemp -d /tmp/trillium-pg.XXXXXX").trimmingCharacters(in: .whitespacesAndNewlines)
        if asPostgres { try Self.shell("chown postgres: '\(folder)'") }
        try Self.shell("chmod 700 '\(folder)'")
        try run("initdb", "-D '\(folder)/data' --auth=trust -U postgres --no-sync -E UTF8 --locale=C.UTF-8")
        // One role that must give its password, for the tests of a refused one; over TCP, TLS or nothing.
        try appendToFile("\(folder)/data/pg_hba.conf", prepend: """
            local all needs_password scram-sha-256
            hostssl all all 127.0.0.1/32 trust
            hostnossl all all 127.0.0.1/32 reject

            """)
        // A certificate of its own for TLS, for localhost, that the tests trust by its file.
        try asServerUser("cd '\(folder)' && openssl req -x509 -nodes -newkey rsa:2048 -days 2 -subj /CN=localhost -addext subjectAltName=DNS:localhost -keyout server.key -out server.crt 2>/dev/null && chmod 600 server.key")
        try start()
        try psql("CREATE ROLE needs_password LOGIN PASSWORD 'right-password'", database: "postgres")
    }

    func start() throws {
        try run("pg_ctl", "-D '\(folder)/data' -l '\(folder)/server.log' -w -t 60 -o \"-k '\(folder)' -p \(port) -c listen_addresses=127.0.0.1 -c fsync=off -c ssl=on -c ssl_cert_file='\(folder)/server.crt' -c ssl_key_file='\(folder)/server.key'\" start")
    }

    func stop() {
        _ = try? run("pg_ctl", "-D '\(folder)/data' -m fast -w stop")
    }

    /// A URL for a new, empty database of its own.
    func newDatabase(user: String = "postgres") throws -> String {
        let name: String = lock.withLock {
            counter += 1
            return "trillium_test_\(getpid())_\(counter)"
        }
        try psql("CREATE DATABASE \(name)", database: "postgres")
        return url(database: name, user: user)
    }

    func url(database: String, user: String = "postgres") -> String {
        "postgres://\(user)@/\(database)?host=\(folder)&port=\(port)"
    }

    /// Runs SQL with psql (unaligned, tuples only) and returns what it printed.
    @discardableResult
    func psql(_ sql: String, database: String) throws -> String {
        // A client needs no runuser: it connects through the socket as the postgres role.
        try Self.shell("'\(binaries)/psql' -h '\(folder)' -p \(port) -U postgres -d \(database) -v ON_ERROR_STOP=1 -At -c \(Self.quoted(sql))")
    }

    /// The database's name in one of this server's URLs.
    static func databaseName(of url: String) -> String {
        String(url.components(separatedBy: "@/")[1].split(separator: "?").first!)
    }

    @discardableResult
    private func run(_ binary: String, _ arguments: String) throws -> String {
        try asServerUser("'\(binaries)/\(binary)' \(arguments)")
    }

    /// A shell command as the user the server runs as.
    @discardableResult
    private func asServerUser(_ command: String) throws -> String {
        try Self.shell(asPostgres ? "cd /tmp && runuser -u postgres -- sh -c \(Self.quoted(command))" : command)
    }

    /// Written in place, so the file keeps its owner.
    private func appendToFile(_ path: String, prepend text: String) throws {
        let old = try String(contentsOfFile: path, encoding: .utf8)
        try (text + old).write(toFile: path, atomically: false, encoding: .utf8)
    }

    private static func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    private static func findBinaries() -> String? {
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).compactMap(Int.init).sorted()
        return versions.reversed().map { "\(root)/\($0)/bin" }.first { FileManager.default.isExecutableFile(atPath: $0 + "/initdb") }
    }

    /// Runs a shell command and returns its standard output. Spawned and
    /// reaped by hand: Foundation's Process never saw `pg_ctl start` end
    /// (the server it leaves behind is a daemon), and waited for ever.
    @discardableResult
    static func shell(_ command: String) throws -> String {
        let output = NSTemporaryDirectory() + "trillium-pg-shell-\(UUID().uuidString)"
        defer { unlink(output); unlink(output + ".err") }
        let line = "(\(command)) </dev/null >'\(output)' 2>'\(output).err'"
        var pid: pid_t = 0
        let words: [String] = ["/bin/sh", "-c", line]
        var arguments: [UnsafeMutablePointer<CChar>?] = words.map { word in strdup(word) }
        arguments.append(nil)
        defer { arguments.forEach { free($0) } }
        guard posix_spawn(&pid, "/bin/sh", nil, nil, arguments, environ) == 0 else {
            throw ServerUnavailable(reason: "cannot start /bin/sh")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        let printed = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        guard status == 0 else {
            let error = (try? String(contentsOfFile: output + ".err", encoding: .utf8)) ?? ""
            throw ServerUnavailable(reason: "`\(command)` failed: \(error)")
        }
        return printed
    }
}
