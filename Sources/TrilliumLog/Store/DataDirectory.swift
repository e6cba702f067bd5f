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
        // By bytes, as `ls` sorts in the C locale: the order is the name's, whatever the locale or Unicode says.
        sortedByBytes(try files.directoryEntries(directory)
            .filter { $0.utf8.first != UInt8(ascii: ".") && $0.utf8.suffix(logExtension.utf8.count).elementsEqual(logExtension.utf8)
                && $0 != staffLogName && $0 != accessLogName })
    }

    /// Names sorted byte by byte. A clinic's ten years are 25,000 names to
    /// sort at every start: compared a byte at a time through their views
    /// they took 25 ms, and sorting the strings themselves spends most of its
    /// time counting references, so their bytes are laid end to end and an
    /// order of indexes is sorted (names are unique: no stability needed).
    static func sortedByBytes(_ names: [String]) -> [String] {
        var bytes: [UInt8] = []
        var bounds: [Range<Int>] = []
        bounds.reserveCapacity(names.count)
        for name in names {
            let start = bytes.count
            bytes += name.utf8
            bounds.append(start..<bytes.count)
        }
        var order = Array(names.indices)
        bytes.withUnsafeBufferPointer { all in
            order.sort { byteOrder(UnsafeBufferPointer(rebasing: all[bounds[$0]]), UnsafeBufferPointer(rebasing: all[bounds[$1]])) < 0 }
        }
        return order.map { names[$0] }
    }

    /// Negative, zero or positive as `bytes` sort before, as, or after `name`'s bytes.
    public static func byteOrder(_ bytes: UnsafeBufferPointer<UInt8>, _ name: String) -> Int32 {
        if let order = name.utf8.withContiguousStorageIfAvailable({ byteOrder(bytes, $0) }) { return order }
        return Array(name.utf8).withUnsafeBufferPointer { byteOrder(bytes, $0) }
    }

    /// Negative, zero or positive as `first` sorts before, as, or after `second`, byte by byte.
    public static func byteOrder(_ first: UnsafeBufferPointer<UInt8>, _ second: UnsafeBufferPointer<UInt8>) -> Int32 {
        let common = min(first.count, second.count)
        // Eight bytes at a time, read big-endian so that integer order is byte order:
        // names that share a date differ only past it, and a call to memcmp per pair cost more than the comparing.
        var offset = 0
        if let a = first.baseAddress, let b = second.baseAddress {
            while offset + 8 <= common {
                let x = UInt64(bigEndian: UnsafeRawPointer(a + offset).loadUnaligned(as: UInt64.self))
                let y = UInt64(bigEndian: UnsafeRawPointer(b + offset).loadUnaligned(as: UInt64.self))
                if x != y { return x < y ? -1 : 1 }
                offset += 8
            }
        }
        while offset < common {
            if first[offset] != second[offset] { return first[offset] < second[offset] ? -1 : 1 }
            offset += 1
        }
        return first.count < second.count ? -1 : first.count == second.count ? 0 : 1
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
