#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed system call: which, on what, and errno.
public struct FileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var operation: String
    public var path: String
    public var code: Int32

    public init(operation: String, path: String, code: Int32) {
        self.operation = operation
        self.path = path
        self.code = code
    }

    public var description: String {
        "\(operation) \(path): \(String(cString: strerror(code)))"
    }
}

/// The seam under the writer and recovery: every file operation they make.
/// Tests put a fault-injecting implementation here (failures at any call,
/// short writes) to prove that nothing is acknowledged after a failure.
public protocol FileOperations: AnyObject {
    func open(_ path: String, flags: Int32, mode: mode_t) throws(FileError) -> Int32
    /// Writes at most `bytes.count` bytes; returns how many were written.
    func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws(FileError) -> Int
    func dataSync(_ fd: Int32, path: String) throws(FileError)
    func sync(_ fd: Int32, path: String) throws(FileError)
    func lockExclusively(_ fd: Int32, path: String) throws(FileError)
    func truncate(_ fd: Int32, length: Int, path: String) throws(FileError)
    func close(_ fd: Int32)
}

/// The real thing: plain POSIX calls, retrying only EINTR (never a failed sync).
public final class POSIXFileOperations: FileOperations {
    public init() {}

    public func open(_ path: String, flags: Int32, mode: mode_t) throws(FileError) -> Int32 {
        while true {
            let fd = Glibc.open(path, flags | O_CLOEXEC, mode)
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

    public func dataSync(_ fd: Int32, path: String) throws(FileError) {
        if fdatasync(fd) != 0 { throw FileError(operation: "fdatasync", path: path, code: errno) }
    }

    public func sync(_ fd: Int32, path: String) throws(FileError) {
        if fsync(fd) != 0 { throw FileError(operation: "fsync", path: path, code: errno) }
    }

    public func lockExclusively(_ fd: Int32, path: String) throws(FileError) {
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            if errno != EINTR { throw FileError(operation: "lock", path: path, code: errno) }
        }
    }

    public func truncate(_ fd: Int32, length: Int, path: String) throws(FileError) {
        if ftruncate(fd, off_t(length)) != 0 { throw FileError(operation: "ftruncate", path: path, code: errno) }
    }

    public func close(_ fd: Int32) {
        _ = Glibc.close(fd)
    }
}

extension FileOperations {
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

    /// fsyncs a directory so that a file created in it survives power loss.
    public func syncDirectory(_ directory: String) throws(FileError) {
        let fd = try open(directory, flags: O_RDONLY | O_DIRECTORY, mode: 0)
        defer { close(fd) }
        try sync(fd, path: directory)
    }
}
