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

    /// Creates the directory (and its parents) owner-only, 0700, and checks
    /// the one that holds records: it must be a real directory that nobody
    /// else can write to (a session log there could otherwise be replaced or
    /// a symbolic link planted for the writer), and `protocols/` must not be
    /// a symbolic link (a protocol kept there must stay where it was put).
    public func prepare(files: FileOperations = POSIXFileOperations()) throws(FileError) {
        try Self.makeDirectory(path, files: files)
        try Self.requirePrivate(path, files: files)
        try Self.makeDirectory(protocolsPath, files: files)
        try Self.requirePrivate(protocolsPath, files: files)
    }

    private static func makeDirectory(_ path: String, files: FileOperations) throws(FileError) {
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/" + component
            do {
                try files.makeDirectory(prefix, mode: 0o700)
            } catch where error.code == EEXIST {
                continue
            }
        }
    }

    private static func requirePrivate(_ path: String, files: FileOperations) throws(FileError) {
        let status = try files.linkStatus(path)
        guard status.kind == .directory else {
            throw FileError(operation: "open", path: path, code: ENOTDIR,
                            reason: "\(status.kind.rawValue), not a directory: Trillium writes only into a real directory")
        }
        guard status.permissions & 0o022 == 0 else {
            let mode = String(status.permissions, radix: 8)
            throw FileError(operation: "open", path: path, code: EPERM,
                            reason: "mode \(mode) lets others write to it; make it private with: chmod 700 '\(path)'")
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
    public func sessionFiles(files: FileOperations = POSIXFileOperations()) throws(FileError) -> [String] {
        try Self.logFiles(in: path, files: files)
    }

    /// The session logs in a directory, sorted by name (and so by start time).
    /// Names are taken as bytes: one that is not UTF-8 is still listed.
    public static func logFiles(in directory: String, files: FileOperations = POSIXFileOperations()) throws(FileError) -> [String] {
        // By bytes, as `ls` sorts in the C locale: the order is the name's, whatever the locale or Unicode says.
        try files.directoryEntries(directory)
            .filter { $0.utf8.first != UInt8(ascii: ".") && $0.utf8.reversed().starts(with: logExtension.utf8.reversed()) }
            .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            .map { directory + "/" + $0 }
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
