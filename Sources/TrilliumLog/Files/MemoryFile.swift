#if canImport(Glibc)
import Glibc
#endif

/// One file's bytes, held in memory and served through the file-operations
/// seam: replay reads a log once and verifies exactly the bytes it then
/// shows, so nothing that changes the file afterwards can come between the
/// verdict and the records. Reading is all it does; every other call is
/// refused with EROFS.
final class MemoryFile: FileOperations, @unchecked Sendable {
    // @unchecked: `bytes` never changes after init, and reads copy out of it.
    let path: String
    let bytes: [UInt8]
    private static let descriptor: Int32 = 1 << 30

    init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
    }

    private func refuse(_ operation: String, _ path: String) -> FileError {
        FileError(operation: operation, path: path, code: EROFS, reason: "a log held in memory is only read")
    }

    func open(_ path: String, flags: Int32, mode: mode_t) throws(FileError) -> Int32 {
        guard path == self.path, flags & (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC) == 0 else { throw refuse("open", path) }
        return Self.descriptor
    }

    func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int, path: String) throws(FileError) -> Int {
        guard fd == Self.descriptor, offset >= 0 else { throw FileError(operation: "read", path: path, code: EBADF) }
        guard offset < bytes.count else { return 0 }
        let count = min(buffer.count, bytes.count - offset)
        bytes.withUnsafeBytes { source in
            buffer.baseAddress!.copyMemory(from: source.baseAddress! + offset, byteCount: count)
        }
        return count
    }

    func status(_ fd: Int32, path: String) throws(FileError) -> FileStatus {
        FileStatus(kind: .regular, size: bytes.count, linkCount: 1, permissions: 0o400)
    }

    func linkStatus(_ path: String) throws(FileError) -> FileStatus {
        guard path == self.path else { throw FileError(operation: "lstat", path: path, code: ENOENT) }
        return FileStatus(kind: .regular, size: bytes.count, linkCount: 1, permissions: 0o400)
    }

    func close(_ fd: Int32) {}

    // Only reading at an offset is served: the readers use nothing else.
    func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, path: String) throws(FileError) -> Int { throw refuse("read", path) }
    func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws(FileError) -> Int { throw refuse("write", path) }
    func dataSync(_ fd: Int32, path: String) throws(FileError) { throw refuse("fdatasync", path) }
    func sync(_ fd: Int32, path: String) throws(FileError) { throw refuse("fsync", path) }
    func lockExclusively(_ fd: Int32, path: String) throws(FileError) { throw refuse("flock", path) }
    func truncate(_ fd: Int32, length: Int, path: String) throws(FileError) { throw refuse("ftruncate", path) }
    func makeDirectory(_ path: String, mode: mode_t) throws(FileError) { throw refuse("mkdir", path) }
    func rename(_ source: String, to destination: String, replacing: Bool) throws(FileError) { throw refuse("rename", source) }
    func remove(_ path: String) throws(FileError) { throw refuse("unlink", path) }
    func directoryNames(_ path: String) throws(FileError) -> DirectoryNames { throw refuse("opendir", path) }
}
