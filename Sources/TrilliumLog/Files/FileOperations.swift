import CFileSupport
import TrilliumCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed system call or a refused file: which operation, on what, and why.
public struct FileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var operation: String
    public var path: String
    public var code: Int32
    /// Said instead of errno's text where Trillium itself refused the file.
    public var reason: String?

    public init(operation: String, path: String, code: Int32, reason: String? = nil) {
        self.operation = operation
        self.path = path
        self.code = code
        self.reason = reason
    }

    public var description: String {
        "\(operation) \(VisibleText.field(path)): \(reason ?? String(cString: strerror(code)))"
    }
}

/// What `fstat` and `lstat` say of a file, as far as Trillium asks.
public struct FileStatus: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        case regular = "a regular file"
        case directory = "a directory"
        case symbolicLink = "a symbolic link"
        case fifo = "a FIFO"
        case characterDevice = "a character device"
        case blockDevice = "a block device"
        case socket = "a socket"
        case unknown = "not a regular file"
    }

    public var kind: Kind
    public var size: Int
    public var linkCount: Int
    /// The permission bits (rwx for owner, group and others).
    public var permissions: UInt32
    /// Device and inode: which file this is, whatever its name.
    public var device: UInt64 = 0
    public var inode: UInt64 = 0
    /// Last change of its content, in nanoseconds since 1970.
    public var modifiedNanoseconds: Int64 = 0
    /// Last change of its content or its inode (permissions, links, a rename),
    /// in nanoseconds since 1970: set by the kernel, which `touch` cannot set back.
    public var changedNanoseconds: Int64 = 0

    public init(kind: Kind, size: Int, linkCount: Int, permissions: UInt32) {
        self.kind = kind
        self.size = size
        self.linkCount = linkCount
        self.permissions = permissions
    }

    init(_ info: stat) {
        let kind: Kind = switch info.st_mode & S_IFMT {
        case S_IFREG: .regular
        case S_IFDIR: .directory
        case S_IFLNK: .symbolicLink
        case S_IFIFO: .fifo
        case S_IFCHR: .characterDevice
        case S_IFBLK: .blockDevice
        case S_IFSOCK: .socket
        default: .unknown
        }
        self.init(kind: kind, size: Int(info.st_size), linkCount: Int(info.st_nlink), permissions: UInt32(info.st_mode & 0o7777))
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        modifiedNanoseconds = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        changedNanoseconds = Int64(info.st_ctim.tv_sec) * 1_000_000_000 + Int64(info.st_ctim.tv_nsec)
    }
}

/// The seam under everything that touches a file: the writer, recovery, the
/// readers, the data directory and the protocols kept in it. Tests put a
/// fault-injecting implementation here (failures at any call, short writes)
/// to prove that nothing is acknowledged after a failure and that no reader
/// traps on what a file system can return.
public protocol FileOperations: AnyObject {
    func open(_ path: String, flags: Int32, mode: mode_t) throws(FileError) -> Int32
    /// Writes at most `bytes.count` bytes; returns how many were written.
    func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws(FileError) -> Int
    /// Reads at most `buffer.count` bytes at the file offset; 0 at the end.
    func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, path: String) throws(FileError) -> Int
    /// Reads at most `buffer.count` bytes at `offset`, leaving the file offset alone.
    func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int, path: String) throws(FileError) -> Int
    func status(_ fd: Int32, path: String) throws(FileError) -> FileStatus
    /// The status of `path` itself, not of what a symbolic link points to.
    func linkStatus(_ path: String) throws(FileError) -> FileStatus
    /// The status of each of `names` in `directory`, as `linkStatus` gives
    /// it; nil where there is none. The listing asks for every log's at every start.
    func linkStatuses(of names: DirectoryNames, in positions: Range<Int>, inDirectory directory: String) -> [FileStatus?]
    func dataSync(_ fd: Int32, path: String) throws(FileError)
    func sync(_ fd: Int32, path: String) throws(FileError)
    func lockExclusively(_ fd: Int32, path: String) throws(FileError)
    func truncate(_ fd: Int32, length: Int, path: String) throws(FileError)
    func makeDirectory(_ path: String, mode: mode_t) throws(FileError)
    /// Renames `source`; with `replacing` false an existing `destination` fails with EEXIST.
    func rename(_ source: String, to destination: String, replacing: Bool) throws(FileError)
    func remove(_ path: String) throws(FileError)
    /// The names in a directory (not "." or ".."), exact bytes carried by `PlatformPath`, in the directory's order.
    func directoryNames(_ path: String) throws(FileError) -> DirectoryNames
    func close(_ fd: Int32)
}

/// The real thing: plain POSIX calls, retrying only EINTR (never a failed sync).
public final class POSIXFileOperations: FileOperations {
    /// False only to write benchmark inputs quickly (`trillium sample
    /// --no-sync`): then nothing written is durable until the kernel says so.
    private let syncs: Bool

    public init(syncs: Bool = true) {
        self.syncs = syncs
    }

    public func open(_ path: String, flags: Int32, mode: mode_t) throws(FileError) -> Int32 {
        while true {
            let fd = PlatformPath.withCString(path) { Glibc.open($0, flags | O_CLOEXEC, mode) }
            if fd >= 0 { return fd }
            if errno != EINTR { throw FileError(operation: "open", path: path, code: errno) }
        }
    }

    public func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws(FileError) -> Int {
        while true {
            let written = Glibc.write(fd, bytes.baseAddress, bytes.count)
            if written >= 0 { return written }
            if errno != EINTR { throw FileError(operation: "write", path: path, code: errno) }
        }
    }

    public func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, path: String) throws(FileError) -> Int {
        while true {
            let count = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if count >= 0 { return count }
            if errno != EINTR { throw FileError(operation: "read", path: path, code: errno) }
        }
    }

    public func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int, path: String) throws(FileError) -> Int {
        while true {
            let count = pread(fd, buffer.baseAddress, buffer.count, off_t(offset))
            if count >= 0 { return count }
            if errno != EINTR { throw FileError(operation: "pread", path: path, code: errno) }
        }
    }

    public func status(_ fd: Int32, path: String) throws(FileError) -> FileStatus {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw FileError(operation: "stat", path: path, code: errno) }
        return FileStatus(info)
    }

    public func linkStatus(_ path: String) throws(FileError) -> FileStatus {
        var info = stat()
        guard PlatformPath.withCString(path, { lstat($0, &info) }) == 0 else {
            throw FileError(operation: "stat", path: path, code: errno)
        }
        return FileStatus(info)
    }

    /// Each name is looked up from the directory, opened once, rather than
    /// walking the directory's whole path again for every one of a clinic's
    /// 25,000 logs.
    public func linkStatuses(of names: DirectoryNames, in positions: Range<Int>, inDirectory directory: String) -> [FileStatus?] {
        let directoryFD = PlatformPath.withCString(directory) { Glibc.open($0, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        guard directoryFD >= 0 else { return positions.map { try? linkStatus(directory + "/" + names[$0]) } }
        defer { _ = Glibc.close(directoryFD) }
        var statuses = [FileStatus?](repeating: nil, count: positions.count)
        names.withEachCString(in: positions) { position, name in
            var info = stat()
            if fstatat(directoryFD, name, &info, AT_SYMLINK_NOFOLLOW) == 0 { statuses[position - positions.lowerBound] = FileStatus(info) }
        }
        return statuses
    }

    public func dataSync(_ fd: Int32, path: String) throws(FileError) {
        if syncs, fdatasync(fd) != 0 { throw FileError(operation: "fdatasync", path: path, code: errno) }
    }

    public func sync(_ fd: Int32, path: String) throws(FileError) {
        if syncs, fsync(fd) != 0 { throw FileError(operation: "fsync", path: path, code: errno) }
    }

    public func lockExclusively(_ fd: Int32, path: String) throws(FileError) {
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            if errno != EINTR { throw FileError(operation: "lock", path: path, code: errno) }
        }
    }

    public func truncate(_ fd: Int32, length: Int, path: String) throws(FileError) {
        if ftruncate(fd, off_t(length)) != 0 { throw FileError(operation: "ftruncate", path: path, code: errno) }
    }

    public func makeDirectory(_ path: String, mode: mode_t) throws(FileError) {
        if PlatformPath.withCString(path, { mkdir($0, mode) }) != 0 {
            throw FileError(operation: "mkdir", path: path, code: errno)
        }
    }

    public func rename(_ source: String, to destination: String, replacing: Bool) throws(FileError) {
        let result = PlatformPath.withCString(source) { from in
            PlatformPath.withCString(destination) { to in
                replacing ? Glibc.rename(from, to) : trillium_rename_noreplace(from, to)
            }
        }
        if result != 0 { throw FileError(operation: "rename", path: destination, code: errno) }
    }

    public func remove(_ path: String) throws(FileError) {
        if PlatformPath.withCString(path, { unlink($0) }) != 0 {
            throw FileError(operation: "unlink", path: path, code: errno)
        }
    }

    public func directoryNames(_ path: String) throws(FileError) -> DirectoryNames {
        guard let handle = PlatformPath.withCString(path, { opendir($0) }) else {
            throw FileError(operation: "opendir", path: path, code: errno)
        }
        defer { closedir(handle) }
        var names = DirectoryNames()
        let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!
        let nameCapacity = MemoryLayout<dirent>.size - nameOffset
        while let entry = readdir(handle) {
            // Read in place: a copy of the 256-byte name field for each of a clinic's 25,000 logs costs a start.
            let raw = UnsafeRawPointer(entry) + nameOffset
            let name = UnsafeRawBufferPointer(start: raw, count: strnlen(raw.assumingMemoryBound(to: CChar.self), nameCapacity))
            if !name.elementsEqual([0x2E]) && !name.elementsEqual([0x2E, 0x2E]) { names.append(exactBytes: name) }
        }
        return names
    }

    public func close(_ fd: Int32) {
        _ = Glibc.close(fd)
    }
}

extension FileOperations {
    /// One `linkStatus` a name: what a file system under test answers for each.
    public func linkStatuses(of names: DirectoryNames, in positions: Range<Int>, inDirectory directory: String) -> [FileStatus?] {
        positions.map { try? linkStatus(directory + "/" + names[$0]) }
    }

    /// The names in a directory as strings, in the directory's order.
    public func directoryEntries(_ path: String) throws(FileError) -> [String] {
        try directoryNames(path).strings
    }

    /// Writes all of `bytes`, looping on short writes.
    public func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(FileError) {
        var offset = 0
        while offset < bytes.count {
            let attempt: Result<Int, FileError> = bytes.withUnsafeBytes { buffer in
                Result { () throws(FileError) -> Int in
                    try write(fd, UnsafeRawBufferPointer(rebasing: buffer[offset...]), path: path)
                }
            }
            let written = try attempt.get()
            if written == 0 { throw FileError(operation: "write", path: path, code: EIO) }
            offset += written
        }
    }

    /// Puts `bytes` at `path` whole or not at all: written beside it,
    /// synced, renamed over it, the directory synced. A reader sees the old
    /// file or the new one, never a part.
    public func replaceDurably(_ path: String, with bytes: [UInt8], mode: mode_t = 0o600) throws(FileError) {
        let temporary = path + ".tmp-\(getpid())"
        try? remove(temporary)
        do {
            let fd = try open(temporary, flags: O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode: mode)
            defer { close(fd) }
            try writeAll(fd, bytes, path: temporary)
            try dataSync(fd, path: temporary)
            try rename(temporary, to: path, replacing: true)
        } catch {
            try? remove(temporary)
            throw error
        }
        try syncDirectory(SessionLogWriter.directoryPath(of: path))
    }

    /// fsyncs a directory so that a file created in it survives power loss.
    public func syncDirectory(_ directory: String) throws(FileError) {
        let fd = try open(directory, flags: O_RDONLY | O_DIRECTORY, mode: 0)
        defer { close(fd) }
        try sync(fd, path: directory)
    }

    /// Opens a file to read without ever blocking: a FIFO named like a log
    /// would otherwise hang `open` until a writer came, and a device could
    /// be read for ever. Anything but a regular file is refused by name.
    public func openForReading(_ path: String) throws(FileError) -> (fd: Int32, status: FileStatus) {
        let fd = try open(path, flags: O_RDONLY | O_NONBLOCK | O_NOCTTY, mode: 0)
        do throws(FileError) {
            let status = try status(fd, path: path)
            guard status.kind == .regular else {
                throw FileError(operation: "open", path: path, code: EINVAL, reason: "\(status.kind.rawValue), not a regular file")
            }
            return (fd, status)
        } catch {
            close(fd)
            throw error
        }
    }

    /// A whole regular file of at most `limit` bytes (a protocol, a theme):
    /// a larger one is refused without being held in memory.
    public func readWholeFile(_ path: String, limit: Int) throws(FileError) -> [UInt8] {
        let (fd, status) = try openForReading(path)
        defer { close(fd) }
        guard status.size <= limit else {
            throw FileError(operation: "read", path: path, code: EFBIG, reason: "larger than \(limit) bytes")
        }
        // Room for what the file holds and one byte more, to see it grow past the limit;
        // filled by read(2) alone (an index of 25,000 sessions is 14 MB, read at every start).
        let room = min(limit, status.size) + 1
        var failure: FileError?
        let bytes = [UInt8](unsafeUninitializedCapacity: room) { buffer, initialized in
            adviseHugePages(UnsafeMutableRawBufferPointer(buffer))
            var count = 0
            while count < room {
                do throws(FileError) {
                    let n = try read(fd, into: UnsafeMutableRawBufferPointer(UnsafeMutableBufferPointer(rebasing: buffer[count...])), path: path)
                    if n == 0 { break }
                    count += n
                } catch {
                    failure = error
                    break
                }
            }
            initialized = count
        }
        if let failure { throw failure }
        guard bytes.count <= limit else {
            throw FileError(operation: "read", path: path, code: EFBIG, reason: "larger than \(limit) bytes")
        }
        return bytes
    }

    /// Whether `path` exists (as itself: a dangling symbolic link exists).
    public func exists(_ path: String) -> Bool {
        (try? linkStatus(path)) != nil
    }
}
