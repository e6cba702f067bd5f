#if canImport(Glibc)
import Glibc
#endif
import TrilliumCore

public enum ResumeError: Error, Sendable, Equatable, CustomStringConvertible {
    case lockedByAnotherInstance(path: String)
    case unreadable(FileError)
    /// A line before the last fails: the file is left exactly as it is.
    case corrupt(LogDefect)
    /// No record was ever saved: there is no session to resume.
    case empty(path: String)
    case repairFailed(FileError)

    public var description: String {
        switch self {
        case let .lockedByAnotherInstance(path):
            return "\(path) is open in another Trillium: close that one first."
        case let .unreadable(error):
            return "cannot read the log: \(error)"
        case let .corrupt(defect):
            return "the log is corrupt (\(defect)); it was not modified and cannot be resumed"
        case let .empty(path):
            return "\(path) holds no saved record: there is nothing to resume"
        case let .repairFailed(error):
            return "repairing the torn tail failed: \(error)"
        }
    }
}

/// A session log reopened for appending, after recovery.
public struct ResumedLog {
    public var writer: SessionLogWriter
    public var verification: LogVerification
    /// What recovery cut off, when the log had a torn tail: the caller records
    /// it as `log.repaired` before anything else.
    public var repair: LogRepair?
}

/// Reopens a session log after a crash. A torn tail (only the last line
/// fails) was never acknowledged: it is copied to a backup beside the log,
/// the log is truncated to its last valid line and synced. Anything worse is
/// refused and the file left untouched for a person to examine.
public enum LogRecovery {
    public static func resume(
        path: String, files: FileOperations = POSIXFileOperations(), onRecord: (RecordLine) -> Void = { _ in }
    ) throws(ResumeError) -> ResumedLog {
        let fd: Int32
        do {
            fd = try files.open(path, flags: O_RDWR | O_APPEND | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY, mode: 0)
        } catch {
            throw .unreadable(error)
        }
        do {
            try requireSoleRegularFile(fd, path: path, files: files)
            try files.lockExclusively(fd, path: path)
        } catch {
            files.close(fd)
            if error.code == EWOULDBLOCK || error.code == EAGAIN { throw .lockedByAnotherInstance(path: path) }
            throw .unreadable(error)
        }
        var handedOver = false
        defer { if !handedOver { files.close(fd) } }

        var records: [RecordLine] = []
        let verification: LogVerification
        do {
            // Hand records over only once the file is known not to be corrupt.
            verification = try LogReader.read(path: path, files: files) { records.append($0) }
        } catch {
            switch error {
            case let .unreadable(fileError): throw .unreadable(fileError)
            }
        }
        var repair: LogRepair?
        switch verification.status {
        case .valid:
            break
        case let .corrupt(defect):
            throw .corrupt(defect)
        case .tornTail:
            guard verification.validRecords > 0 else { throw .empty(path: path) }
            repair = try cutTornTail(fd: fd, path: path, verification: verification, files: files)
        }
        records.forEach(onRecord)
        handedOver = true
        let writer = SessionLogWriter.reopen(
            path: path, fd: fd, files: files, lastSeq: verification.validRecords,
            headDigest: verification.headDigest, length: verification.validLength)
        return ResumedLog(writer: writer, verification: verification, repair: repair)
    }

    /// Only a regular file with one name is appended to: through a second
    /// hard link, a truncation and new records would change a file that
    /// lives elsewhere under another name.
    private static func requireSoleRegularFile(_ fd: Int32, path: String, files: FileOperations) throws(FileError) {
        let status = try files.status(fd, path: path)
        guard status.kind == .regular else {
            throw FileError(operation: "open", path: path, code: EINVAL, reason: "\(status.kind.rawValue), not a regular file")
        }
        guard status.linkCount == 1 else {
            throw FileError(operation: "open", path: path, code: EMLINK,
                            reason: "the log has \(status.linkCount) hard links; Trillium appends only to a log with one name")
        }
    }

    private static func cutTornTail(
        fd: Int32, path: String, verification: LogVerification, files: FileOperations
    ) throws(ResumeError) -> LogRepair {
        let start = verification.validLength
        let count = verification.fileLength - start
        var tail = [UInt8](repeating: 0, count: count)
        let attempt: Result<Int, FileError> = tail.withUnsafeMutableBytes { buffer in
            Result { () throws(FileError) -> Int in try files.read(fd, into: buffer, at: start, path: path) }
        }
        let readCount: Int
        do {
            readCount = try attempt.get()
        } catch {
            throw .repairFailed(error)
        }
        guard readCount == count else {
            throw .repairFailed(FileError(operation: "pread", path: path, code: EIO, reason: "the file changed while it was repaired"))
        }
        let backupPath = try writeBackup(tail, of: path, offset: start, files: files)
        do {
            try files.truncate(fd, length: start, path: path)
            try files.dataSync(fd, path: path)
        } catch {
            throw .repairFailed(error)
        }
        let backupName = SessionLogWriter.fileName(of: backupPath)
        return LogRepair(droppedBytes: count, truncatedAt: start, backupFile: backupName)
    }

    /// Saves the dropped bytes durably (0600, new file, directory synced) before the log is cut.
    private static func writeBackup(
        _ bytes: [UInt8], of path: String, offset: Int, files: FileOperations
    ) throws(ResumeError) -> String {
        var attempt = 0
        while true {
            let candidate = "\(path).torn-at-\(offset)" + (attempt == 0 ? "" : "-\(attempt)")
            let fd: Int32
            do {
                fd = try files.open(candidate, flags: O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode: 0o600)
            } catch {
                if error.code == EEXIST, attempt < 1000 {
                    attempt += 1
                    continue
                }
                throw .repairFailed(error)
            }
            defer { files.close(fd) }
            do {
                try files.writeAll(fd, bytes, path: candidate)
                try files.dataSync(fd, path: candidate)
                try files.syncDirectory(SessionLogWriter.directoryPath(of: candidate))
            } catch {
                // A disk that filled up must not leave an empty or partial
                // backup behind: the log itself is still untouched.
                try? files.remove(candidate)
                throw .repairFailed(error)
            }
            return candidate
        }
    }
}
