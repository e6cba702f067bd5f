#if canImport(Glibc)
import Glibc
#endif
import TrilliumCore

/// Why the writer refused or stopped.
public enum LogWriteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Another Trillium holds this session's lock.
    case lockedByAnotherInstance(path: String)
    case alreadyExists(path: String)
    /// A write or sync failed: this record and every later one are not saved.
    case failed(FileError, lastSavedSeq: Int)
    /// The writer stopped after an earlier failure and acknowledges nothing more.
    case stopped(FileError, lastSavedSeq: Int)
    case outOfSequence(expected: Int, got: Int)
    /// The record would take a line longer than any reader accepts; nothing was written.
    case recordTooLong(bytes: Int)

    public var description: String {
        switch self {
        case let .lockedByAnotherInstance(path):
            return "\(path) is open in another Trillium: close that one first."
        case let .alreadyExists(path):
            return "\(path) already exists."
        case let .failed(error, last), let .stopped(error, last):
            return "Saving failed (\(error)). The log is intact up to record \(last); nothing after it was saved."
        case let .outOfSequence(expected, got):
            return "record \(got) was given where \(expected) was due"
        case let .recordTooLong(bytes):
            return "the record would take \(bytes) bytes, more than the \(LineScanner.maximumLineLength) a line may hold; nothing was saved"
        }
    }
}

/// Appends records to one session file, durably: each record is one write
/// loop then fdatasync, and `append` returns only after the sync returned.
/// Any failure stops the writer for good: a failed fsync is never retried,
/// because Linux may have dropped the unsynced pages and a later "success"
/// would prove nothing.
public final class SessionLogWriter {
    public let path: String
    public private(set) var lastSeq: Int
    public private(set) var headDigest: String
    /// Bytes in the file as far as this writer knows (end of the last saved line).
    public private(set) var length: Int
    public private(set) var failure: FileError?
    private let files: FileOperations
    private var fd: Int32

    private init(path: String, fd: Int32, files: FileOperations, lastSeq: Int, headDigest: String, length: Int) {
        self.path = path
        self.fd = fd
        self.files = files
        self.lastSeq = lastSeq
        self.headDigest = headDigest
        self.length = length
    }

    deinit {
        if fd >= 0 { files.close(fd) }
    }

    public var isStopped: Bool { failure != nil }

    /// Creates a new session file (never an existing one, never through a
    /// symlink), takes its lock, and fsyncs its directory.
    public static func create(
        path: String, files: FileOperations = POSIXFileOperations()
    ) throws(LogWriteError) -> SessionLogWriter {
        let fd: Int32
        do {
            fd = try files.open(path, flags: O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_APPEND, mode: 0o600)
        } catch {
            if error.code == EEXIST { throw .alreadyExists(path: path) }
            throw .failed(error, lastSavedSeq: 0)
        }
        do {
            try files.lockExclusively(fd, path: path)
            try files.syncDirectory(Self.directoryPath(of: path))
        } catch {
            files.close(fd)
            throw .failed(error, lastSavedSeq: 0)
        }
        return SessionLogWriter(path: path, fd: fd, files: files, lastSeq: 0, headDigest: Digest.genesis, length: 0)
    }

    /// Opens an existing session file for appending and takes its lock. The
    /// caller supplies the head it verified (see `LogRecovery.resume`).
    static func reopen(
        path: String, fd: Int32, files: FileOperations, lastSeq: Int, headDigest: String, length: Int
    ) -> SessionLogWriter {
        SessionLogWriter(path: path, fd: fd, files: files, lastSeq: lastSeq, headDigest: headDigest, length: length)
    }

    /// Frames, writes and syncs one record. Returns only once it is durable.
    @discardableResult
    public func append(_ record: SessionRecord) throws(LogWriteError) -> RecordLine {
        if let failure { throw .stopped(failure, lastSavedSeq: lastSeq) }
        guard record.seq == lastSeq + 1 else { throw .outOfSequence(expected: lastSeq + 1, got: record.seq) }
        let line = RecordLine(record: record, previousDigest: headDigest)
        let bytes = line.bytes
        // Never write what every reader would refuse as too long.
        guard bytes.count - 1 <= LineScanner.maximumLineLength else { throw .recordTooLong(bytes: bytes.count - 1) }
        do {
            try files.writeAll(fd, bytes, path: path)
            try files.dataSync(fd, path: path)
        } catch {
            failure = error
            throw .failed(error, lastSavedSeq: lastSeq)
        }
        lastSeq = record.seq
        headDigest = line.digest
        length += bytes.count
        return line
    }

    /// Releases the lock and the file.
    public func close() {
        if fd >= 0 {
            files.close(fd)
            fd = -1
        }
    }

    /// The last component of a path: a log's name beside its backups.
    public static func fileName(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    public static func directoryPath(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let directory = String(path[..<slash])
        return directory.isEmpty ? "/" : directory
    }
}
