/// Where the clinic's database is and how to reach it, from a `postgres://`
/// URL as libpq reads one: `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE?sslmode=MODE`,
/// or a Unix socket's folder as `?host=/path` (or an empty host: the default folder).
///
/// The password never leaves this value except to the server: `description`
/// names everything else, so an address can be printed in any message.
public struct DatabaseAddress: Sendable, Equatable, CustomStringConvertible {
    public enum Endpoint: Sendable, Equatable {
        case tcp(host: String, port: Int)
        /// The folder holding the socket; PostgreSQL names it `.s.PGSQL.PORT`.
        case unixSocket(folder: String, port: Int)
    }

    /// libpq's `sslmode`, as far as a client can hold a server to it.
    public enum TLSMode: String, Sendable, Equatable, CaseIterable {
        case disable, allow, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    public var endpoint: Endpoint
    public var user: String
    public var database: String
    public var tlsMode: TLSMode
    /// A PEM file of the certificate authorities to trust (`sslrootcert`), for verify-ca and verify-full.
    public var rootCertificatePath: String?
    /// From the URL; else `PGPASSWORD` or the password file fill it in (`withPassword`).
    public var password: String?

    public static let defaultSocketFolder = "/var/run/postgresql"

    public var socketPath: String? {
        guard case let .unixSocket(folder, port) = endpoint else { return nil }
        return folder + "/.s.PGSQL.\(port)"
    }

    public var port: Int {
        switch endpoint {
        case let .tcp(_, port), let .unixSocket(_, port): port
        }
    }

    /// The host as a password file names it: `localhost` for a socket, as libpq matches it.
    public var hostForPasswordFile: String {
        switch endpoint {
        case let .tcp(host, _): host
        case .unixSocket: "localhost"
        }
    }

    /// Everything but the password.
    public var description: String {
        let place = switch endpoint {
        case let .tcp(host, port): "\(host.contains(":") ? "[\(host)]" : host):\(port)"
        case let .unixSocket(folder, port): "socket \(folder) port \(port)"
        }
        return "database \(database) as \(user) at \(place)"
    }

    public init(endpoint: Endpoint, user: String, database: String, tlsMode: TLSMode = .prefer,
                rootCertificatePath: String? = nil, password: String? = nil) {
        self.endpoint = endpoint
        self.user = user
        self.database = database
        self.tlsMode = tlsMode
        self.rootCertificatePath = rootCertificatePath
        self.password = password
    }

    /// Reads a URL; `defaultUser` stands in for a URL without one (libpq takes the login name).
    public init(url: String, defaultUser: String) throws(DatabaseAddressError) {
        let schemes = ["postgres://", "postgresql://"]
        guard let scheme = schemes.first(where: { url.hasPrefix($0) }) else {
            throw .invalid("it does not start with postgres:// or postgresql://")
        }
        guard !url.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw .invalid("it holds a control character")
        }
        var rest = Substring(url.dropFirst(scheme.count))
        var query = Substring("")
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        var path = Substring("")
        if let slash = rest.firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }
        var credentials: Substring?
        if let at = rest.lastIndex(of: "@") {
            credentials = rest[..<at]
            rest = rest[rest.index(after: at)...]
        }
        var user: String?
        var password: String?
        if let credentials {
            if let colon = credentials.firstIndex(of: ":") {
                user = try Self.decoded(credentials[..<colon], "the user")
                password = try Self.decoded(credentials[credentials.index(after: colon)...], "the password")
            } else {
                user = try Self.decoded(credentials, "the user")
            }
        }
        var host = ""
        var port = 5432
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw .invalid("an IPv6 address without its closing ]") }
            host = String(rest[rest.index(after: rest.startIndex)..<close])
            rest = rest[rest.index(after: close)...]
            if rest.hasPrefix(":") { port = try Self.port(rest.dropFirst()) } else if !rest.isEmpty { throw .invalid("text after the IPv6 address") }
        } else if let colon = rest.lastIndex(of: ":") {
            host = try Self.decoded(rest[..<colon], "the host")
            port = try Self.port(rest[rest.index(after: colon)...])
        } else {
            host = try Self.decoded(rest, "the host")
        }
        var database = try Self.decoded(path, "the database name")
        var tlsMode = TLSMode.prefer
        var rootCertificate: String?
        for pair in query.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = String(parts[0])
            let value = try Self.decoded(parts.count > 1 ? parts[1] : "", "the \(key) parameter")
            switch key {
            case "sslmode":
                guard let mode = TLSMode(rawValue: value) else {
                    throw .invalid("sslmode \(value) is not one of \(TLSMode.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                tlsMode = mode
            case "sslrootcert": rootCertificate = value
            case "host": host = value
            case "port": port = try Self.port(Substring(value))
            case "user": user = value
            case "dbname": if !value.isEmpty { database = value }
            case "password":
                // libpq accepts it; said here so that a URL in a script is not mistaken for one without a password.
                password = value
            case "connect_timeout", "application_name": break
            default: throw .invalid("the parameter \(key) is not one Trillium understands (sslmode, sslrootcert, host, port, user, dbname)")
            }
        }
        let resolvedUser = user.flatMap { $0.isEmpty ? nil : $0 } ?? defaultUser
        guard !resolvedUser.isEmpty else { throw .invalid("it names no user") }
        self.user = resolvedUser
        self.database = database.isEmpty ? resolvedUser : database
        self.password = password
        self.tlsMode = tlsMode
        self.rootCertificatePath = rootCertificate
        if host.isEmpty {
            endpoint = .unixSocket(folder: Self.defaultSocketFolder, port: port)
        } else if host.hasPrefix("/") {
            endpoint = .unixSocket(folder: host, port: port)
        } else {
            endpoint = .tcp(host: host, port: port)
        }
        if case .unixSocket = endpoint, tlsMode == .require || tlsMode == .verifyCA || tlsMode == .verifyFull {
            throw .invalid("sslmode \(tlsMode.rawValue) cannot be met over a Unix socket (no TLS there)")
        }
    }

    /// The address with its password filled in from `PGPASSWORD`, else the password file, when the URL had none.
    public func withPassword(environment: [String: String], passwordFile: PasswordFile?) -> DatabaseAddress {
        guard password == nil else { return self }
        var address = self
        if let fromEnvironment = environment["PGPASSWORD"], !fromEnvironment.isEmpty {
            address.password = fromEnvironment
        } else if let file = passwordFile {
            address.password = file.password(host: hostForPasswordFile, port: port, database: database, user: user)
        }
        return address
    }

    private static func port(_ text: Substring) throws(DatabaseAddressError) -> Int {
        guard let port = Int(text), (1...65535).contains(port) else { throw .invalid("the port \(text) is not a number from 1 to 65535") }
        return port
    }

    /// Percent-decoding, refusing a malformed escape or bytes that are not UTF-8.
    private static func decoded(_ text: Substring, _ what: String) throws(DatabaseAddressError) -> String {
        var bytes: [UInt8] = []
        var index = text.utf8.startIndex
        let utf8 = text.utf8
        while index < utf8.endIndex {
            let byte = utf8[index]
            if byte == UInt8(ascii: "%") {
                let first = utf8.index(after: index)
                guard first < utf8.endIndex, utf8.index(after: first) < utf8.endIndex,
                      let high = hexValue(utf8[first]), let low = hexValue(utf8[utf8.index(after: first)]) else {
                    throw .invalid("\(what) has a % that is not followed by two hex digits")
                }
                bytes.append(high << 4 | low)
                index = utf8.index(index, offsetBy: 3)
            } else {
                bytes.append(byte)
                index = utf8.index(after: index)
            }
        }
        guard let decoded = String(validating: bytes, as: UTF8.self),
              !decoded.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw .invalid("\(what) is not UTF-8 text without control characters")
        }
        return decoded
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

public enum DatabaseAddressError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalid(String)

    /// Never quotes the URL: it may hold a password.
    public var description: String {
        switch self {
        case let .invalid(reason): "the database URL is not one Trillium can use: \(reason)"
        }
    }
}
