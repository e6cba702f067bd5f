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

    /// The staff accounts' log and the workstation's access log: framed
    /// and chained like a session's, but no session, so never listed as one.
    public static let staffLogName = "users.tlog"
    public static let accessLogName = "access.tlog"
    public var staffLogPath: String { path + "/" + Self.staffLogName }
    public var accessLogPath: String { path + "/" + Self.accessLogName }
    /// The workstation's signing key, and the public keys of the clinic's other workstations.
    public var keysPath: String { path + "/keys" }
    /// Photos and consent forms, each kept under its SHA-256.
    public var attachmentsPath: String { path + "/attachments" }

    public func attachmentPath(digest: String) -> String { attachmentsPath + "/" + digest }
    public var trustedKeysPath: String { keysPath + "/trusted" }
    /// The workstation's private signing key, in `keys/`.
    public static let workstationPrivateKeyName = "workstation.key"
    public var workstationPrivateKeyPath: String { keysPath + "/" + Self.workstationPrivateKeyName }

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

    /// The attachments folder, made owner-only on first use.
    public func prepareAttachments(files: FileOperations = POSIXFileOperations()) throws(FileError) {
        try prepare(files: files)
        try Self.makeDirectory(attachmentsPath, files: files)
        try Self.requirePrivate(attachmentsPath, files: files)
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
        try logNames(in: directory, files: files).map { directory + "/" + $0 }
    }

    /// The names of the session logs in a directory, sorted as `logFiles` sorts them.
    public static func logNames(in directory: String, files: FileOperations = POSIXFileOperations()) throws(FileError) -> [String] {
        try logNameTable(in: directory, files: files).strings
    }

    /// The names of the session logs in a directory, as bytes, sorted by
    /// them, as `ls` sorts in the C locale: the order is the name's, whatever
    /// the locale or Unicode says.
    static func logNameTable(in directory: String, files: FileOperations) throws(FileError) -> DirectoryNames {
        let suffix = Array(logExtension.utf8), staffLog = Array(staffLogName.utf8), accessLog = Array(accessLogName.utf8)
        return try files.directoryNames(directory).filter { name in
            name.first != UInt8(ascii: ".") && name.count >= suffix.count && name.suffix(suffix.count).elementsEqual(suffix)
                && !name.elementsEqual(staffLog) && !name.elementsEqual(accessLog)
        }.sortedByBytes()
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
