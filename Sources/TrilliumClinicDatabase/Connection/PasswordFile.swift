/// A `~/.pgpass`-style file: `host:port:database:user:password` a line,
/// `*` matching anything, `\:` and `\\` escaping, `#` starting a comment.
/// As libpq does, the first line that matches wins, and a file that others
/// may read is ignored (a password there is no secret).
public struct PasswordFile: Sendable, Equatable {
    struct Entry: Sendable, Equatable {
        var fields: [String]
    }

    var entries: [Entry]

    public init(text: String) {
        entries = text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).compactMap { line in
            guard !line.hasPrefix("#") else { return nil }
            let fields = Self.fields(of: line)
            return fields.count == 5 ? Entry(fields: fields) : nil
        }
    }

    public func password(host: String, port: Int, database: String, user: String) -> String? {
        let wanted = [host, String(port), database, user]
        return entries.first { entry in
            zip(entry.fields.prefix(4), wanted).allSatisfy { $0 == "*" || $0 == $1 }
        }?.fields[4]
    }

    private static func fields(of line: Substring) -> [String] {
        var fields: [String] = []
        var current = ""
        var escaping = false
        for character in line {
            if escaping {
                current.append(character)
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else if character == ":" && fields.count < 4 {
                fields.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        fields.append(current)
        return fields
    }
}

import TrilliumLog

extension PasswordFile {
    /// `PGPASSFILE`, else `~/.pgpass`; nil when there is none, it cannot be
    /// read, or group or others may read it. libpq ignores such a file too,
    /// and says so: `warn` is told why, so that a password that is not used
    /// is not a mystery ("password authentication failed").
    public static func load(environment: [String: String], files: FileOperations = POSIXFileOperations(),
                            warn: (String) -> Void = { _ in }) -> PasswordFile? {
        let path: String
        if let explicit = environment["PGPASSFILE"], !explicit.isEmpty {
            path = explicit
        } else if let home = environment["HOME"], !home.isEmpty {
            path = home + "/.pgpass"
        } else {
            return nil
        }
        guard let (fd, status) = try? files.openForReading(path) else { return nil }
        files.close(fd)
        guard status.kind == .regular else {
            warn("the password file \(path) is not a regular file: it is not used")
            return nil
        }
        guard status.permissions & 0o077 == 0 else {
            warn("the password file \(path) may be read by others: it is not used (chmod 600 it)")
            return nil
        }
        guard let bytes = try? files.readWholeFile(path, limit: 1 << 20), let text = String(validating: bytes, as: UTF8.self) else {
            warn("the password file \(path) could not be read as UTF-8 text: it is not used")
            return nil
        }
        return PasswordFile(text: text)
    }
}
