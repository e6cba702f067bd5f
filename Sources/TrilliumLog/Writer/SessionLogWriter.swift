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
    /// The record, written, would not read back (a field outside its
    /// schema's domain, such as a name over its limit); nothing was written.
    case unreadable(LineDefect)

    /// The record itself was refused, nothing was written, and the writer
    /// goes on: the session is not read-only for it.
    public var isRefusalOfTheRecord: Bool {
        switch self {
        case .recordTooLong, .unreadable, .outOfSequence: true
        default: false
        }
    }

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
        case let .unreadable(defect):
            return "the record would not read back (\(defect.detail)); nothing was saved"
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
    public internal(set) var failure: FileError?
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

    /// The suffix of a log being created: not `.tlog`, so no reader lists it.
    public static let creationSuffix = ".creating"

    /// Creates a new session file holding `first`, durably. The file appears
    /// under its name only with its first record in it: the record is written
    /// and synced under a temporary name, which is then renamed (never over an
    /// existing file) and the directory synced. A crash at any point leaves
    /// either no log or a log of one whole record, never an empty one. Never
    /// through a symlink; the lock is held from the start.
    public static func create(
        path: String, first: SessionRecord, files: FileOperations = POSIXFileOperations()
    ) throws(LogWriteError) -> SessionLogWriter {
        if files.exists(path) { throw .alreadyExists(path: path) }
        let temporary = path + creationSuffix
        let fd: Int32
        do {
            fd = try files.open(temporary, flags: O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_APPEND, mode: 0o600)
        } catch {
            throw .failed(error, lastSavedSeq: 0)
        }
        let writer = SessionLogWriter(path: path, fd: fd, files: files, lastSeq: 0, headDigest: Digest.genesis, length: 0)
        let line = RecordLine(record: first, previousDigest: Digest.genesis)
        do throws(LogWriteError) {
            try readsBack(line)
        } catch {
            writer.close()
            try? files.remove(temporary)
            throw error
        }
        do {
            try files.lockExclusively(fd, path: temporary)
            try writer.write(line)
            try files.rename(temporary, to: path, replacing: false)
        } catch {
            writer.close()
            try? files.remove(temporary)
            if error.code == EEXIST { throw .alreadyExists(path: path) }
            throw .failed(error, lastSavedSeq: 0)
        }
        do {
            try files.syncDirectory(directoryPath(of: path))
        } catch {
            // The record is in the file but its name may not survive a power cut: stop here.
            writer.failure = error
            throw .failed(error, lastSavedSeq: 0)
        }
        return writer
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
        try Self.readsBack(line)
        do {
            try write(line)
        } catch {
            failure = error
            throw .failed(error, lastSavedSeq: lastSeq)
        }
        return line
    }

    /// Never write what every reader would refuse: a line too long, or a
    /// record outside its schema (the staff log once took a name over its
    /// limit, said "Added", and its next reader cut the account off as a
    /// torn tail). Checked as a reader checks it: by the canonical scanner,
    /// which costs a few microseconds, and by the parser where the scanner
    /// leaves the record to it.
    private static func readsBack(_ line: RecordLine) throws(LogWriteError) {
        guard line.json.count + 65 <= LineScanner.maximumLineLength else { throw .recordTooLong(bytes: line.json.count + 65) }
        guard !CanonicalRecordScanner.accepts(json: line.json, seq: line.record.seq, previousDigest: line.previousDigest) else { return }
        do {
            _ = try RecordLineParser.parse(line.bytes.dropLast(), expectedSeq: line.record.seq, previousDigest: line.previousDigest)
        } catch {
            throw .unreadable(error)
        }
    }

    private func write(_ line: RecordLine) throws(FileError) {
        let bytes = line.bytes
        try files.writeAll(fd, bytes, path: path)
        try files.dataSync(fd, path: path)
        lastSeq = line.record.seq
        headDigest = line.digest
        length += bytes.count
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
