#if canImport(Glibc)
import Glibc
#endif
import TrilliumCore

/// Where sessions live: one log file per session, plus a copy of every
/// protocol a session used (by digest), so a log can be read years later
/// against the exact protocol it followed.
public struct DataDirectory: Sendable, Equatable {
    public static let logExtension = ".tlog"
    public var path: String

    public init(path: String) {
        self.path = path
    }

    /// `--data-dir`, else `TRILLIUM_DATA`, else `$XDG_DATA_HOME/trillium`, else `~/.local/share/trillium`.
    public static func resolve(explicit: String?, environment: [String: String]) -> DataDirectory {
        if let explicit, !explicit.isEmpty { return DataDirectory(path: explicit) }
        if let fromEnvironment = environment["TRILLIUM_DATA"], !fromEnvironment.isEmpty {
            return DataDirectory(path: fromEnvironment)
        }
        if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") { return DataDirectory(path: xdg + "/trillium") }
        let home = environment["HOME"] ?? "."
        return DataDirectory(path: home + "/.local/share/trillium")
    }

    public var protocolsPath: String { path + "/protocols" }

    /// Creates the directory (and its parents) owner-only, 0700.
    public func prepare() throws(FileError) {
        try Self.makeDirectory(path)
        try Self.makeDirectory(protocolsPath)
    }

    private static func makeDirectory(_ path: String) throws(FileError) {
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o700) != 0 && errno != EEXIST {
                throw FileError(operation: "mkdir", path: prefix, code: errno)
            }
        }
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw FileError(operation: "mkdir", path: path, code: ENOTDIR)
        }
    }

    /// A new session's file name: its UTC start time first, so `ls` sorts by start.
    public static func fileName(startedAt wallMilliseconds: Int64, sessionID: String) -> String {
        let stamp = RFC3339.format(wallMilliseconds: wallMilliseconds)
            .replacingColons()
        let shortID = sessionID.lowercased().filter { $0.isHexDigit }.prefix(8)
        return "\(stamp)_\(shortID)\(logExtension)"
    }

    public func sessionPath(startedAt wallMilliseconds: Int64, sessionID: String) -> String {
        path + "/" + Self.fileName(startedAt: wallMilliseconds, sessionID: sessionID)
    }

    /// Every session log here, oldest first.
    public func sessionFiles() throws(FileError) -> [String] {
        try Self.logFiles(in: path)
    }

    /// The session logs in a directory, sorted by name (and so by start time).
    public static func logFiles(in directory: String) throws(FileError) -> [String] {
        guard let handle = opendir(directory) else { throw FileError(operation: "opendir", path: directory, code: errno) }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name.hasSuffix(logExtension), !name.hasPrefix(".") { names.append(name) }
        }
        return names.sorted().map { directory + "/" + $0 }
    }

    public func protocolPath(digest: String) -> String {
        protocolsPath + "/" + digest + ".toml"
    }
}

extension String {
    /// File names avoid ':' (awkward on other file systems and in scp paths).
    fileprivate func replacingColons() -> String {
        String(map { $0 == ":" ? "-" : $0 })
    }
}
