#if canImport(Glibc)
import Glibc
#endif
import TrilliumCore

/// How a session's log ended, when every line checks out.
public enum SessionCondition: String, Sendable, Equatable {
    case signed
    case aborted
    case open
}

/// Where and why a log stops being trustworthy.
public struct LogDefect: Sendable, Equatable, CustomStringConvertible {
    /// 1-based line number.
    public var line: Int
    /// The seq that line should have held.
    public var seq: Int
    /// Byte offset of the line's first byte.
    public var offset: Int
    public var check: LogCheck
    public var detail: String

    public var description: String {
        "line \(line) (seq \(seq)) at byte \(offset): \(check.rawValue) check failed: \(detail)"
    }
}

public enum LogStatus: Sendable, Equatable {
    case valid(SessionCondition)
    /// Only the last line fails: an interrupted write, never acknowledged.
    case tornTail(LogDefect)
    /// A line before the last fails: never repaired automatically.
    case corrupt(LogDefect)

    public var isValid: Bool {
        if case .valid = self { return true }
        return false
    }
}

/// What reading a whole log established.
public struct LogVerification: Sendable, Equatable {
    public var path: String
    public var status: LogStatus
    /// Records that passed every check (all of them when valid).
    public var validRecords: Int
    /// The digest of the last valid line: the log's head.
    public var headDigest: String
    /// Byte length of the valid prefix.
    public var validLength: Int
    public var fileLength: Int
    public var opening: SessionOpening?
    /// The opening with the corrections made to it (patient, lot…), as far
    /// as they are well formed; the state machine checks them fully.
    public var correctedOpening: SessionOpening?
    public var firstStamp: EventStamp?
    public var lastStamp: EventStamp?
    /// The phase reached, as far as the record types tell (no protocol needed).
    public var lastPhaseMarker: SessionPhase

    /// One line for `trillium verify`.
    public var summary: String {
        switch status {
        case let .valid(condition):
            return "valid (\(condition.rawValue)), \(validRecords) records, head \(headDigest)"
        case let .tornTail(defect):
            return "torn tail: \(defect); \(validRecords) valid records before it"
        case let .corrupt(defect):
            return "corrupt: \(defect)"
        }
    }
}

public enum LogReadError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(FileError)

    public var description: String {
        switch self {
        case let .unreadable(error): "cannot read: \(error)"
        }
    }
}

/// Reads and verifies a session log in one streaming pass.
public enum LogReader {
    /// Verifies `path`, handing each valid record to `onRecord` in order. On a
    /// defect, reading stops there: what follows a broken line is not trusted.
    /// Anything but a regular file is refused without blocking (a FIFO, a
    /// device, a directory).
    public static func read(
        path: String, files: FileOperations = POSIXFileOperations(), onRecord: (RecordLine) -> Void = { _ in }
    ) throws(LogReadError) -> LogVerification {
        do {
            let (fd, status) = try files.openForReading(path)
            defer { files.close(fd) }
            return try read(fd: fd, path: path, fileLength: status.size, files: files, onRecord: onRecord)
        } catch {
            throw .unreadable(error)
        }
    }

    /// The session's opening, from the first line alone (checked as record 1):
    /// enough to tell whose session a file is without reading all of it.
    public static func opening(path: String, files: FileOperations = POSIXFileOperations()) -> SessionOpening? {
        guard let (fd, _) = try? files.openForReading(path) else { return nil }
        defer { files.close(fd) }
        var scanner = LineScanner(fd: fd, path: path, files: files, chunkSize: 64 << 10)
        guard let line = try? scanner.next(), line.isTerminated,
              let parsed = try? RecordLineParser.parse(line.bytes, expectedSeq: 1, previousDigest: Digest.genesis),
              case let .opened(opening) = parsed.record.event
        else { return nil }
        return opening
    }

    static func read(
        fd: Int32, path: String, fileLength: Int, files: FileOperations, onRecord: (RecordLine) -> Void
    ) throws(FileError) -> LogVerification {
        var scanner = LineScanner(fd: fd, path: path, files: files)
        var result = LogVerification(
            path: path, status: .valid(.open), validRecords: 0, headDigest: Digest.genesis,
            validLength: 0, fileLength: fileLength, opening: nil, correctedOpening: nil, firstStamp: nil, lastStamp: nil,
            lastPhaseMarker: .intake)
        var condition = SessionCondition.open
        var lineNumber = 0
        while let line = try scanner.next() {
            lineNumber += 1
            let seq = result.validRecords + 1
            func defect(_ check: LogCheck, _ detail: String) -> LogDefect {
                LogDefect(line: lineNumber, seq: seq, offset: line.offset, check: check, detail: detail)
            }
            var found: LogDefect?
            if line.isTooLong {
                found = defect(.framing, "the line is longer than \(LineScanner.maximumLineLength) bytes")
            } else if !line.isTerminated {
                found = defect(.lineFeed, "the last \(line.bytes.count) bytes have no line feed")
            } else {
                do {
                    let parsed = try RecordLineParser.parse(line.bytes, expectedSeq: seq, previousDigest: result.headDigest)
                    if seq == 1, case .opened = parsed.record.event {} else if seq == 1 {
                        found = defect(.schema, "the first record is not session.opened")
                    } else if case .opened = parsed.record.event {
                        found = defect(.schema, "session.opened after the first record")
                    } else if condition != .open, !parsed.record.event.kind.isAddendum {
                        // Sealed by session.signed or session.aborted: only addenda may follow.
                        found = defect(.schema, "\(parsed.record.event.kind.rawValue) after the session was \(condition.rawValue)")
                    }
                    if found == nil {
                        accept(parsed, into: &result, condition: &condition)
                        result.validLength = line.offset + line.bytes.count + 1
                        onRecord(parsed)
                        continue
                    }
                } catch {
                    found = defect(error.check, error.detail)
                }
            }
            guard let found else { continue }
            let moreFollows = line.isTerminated ? try scanner.hasMoreBytes() : false
            // The writer never writes a line longer than the maximum, so even
            // as the last line one is not an interrupted write: it is corrupt.
            let isTornTail = !moreFollows && !line.isTooLong
            result.status = isTornTail ? .tornTail(found) : .corrupt(found)
            return result
        }
        if lineNumber == 0 {
            let empty = LogDefect(line: 1, seq: 1, offset: 0, check: .lineFeed, detail: "the file is empty: no record was saved")
            result.status = .tornTail(empty)
            return result
        }
        result.status = .valid(condition)
        return result
    }

    private static func accept(_ line: RecordLine, into result: inout LogVerification, condition: inout SessionCondition) {
        let record = line.record
        result.validRecords = record.seq
        result.headDigest = line.digest
        if result.firstStamp == nil { result.firstStamp = record.stamp }
        result.lastStamp = record.stamp
        switch record.event {
        case let .opened(opening):
            result.opening = opening
            result.correctedOpening = opening
            result.lastPhaseMarker = .screening
        case let .recordCorrected(correction) where correction.seq == 1:
            if let opening = result.correctedOpening, let field = RecordSchema.of(.opened).field(correction.field), field.isCorrectable,
               case let .opened(corrected)? = try? EventData.replacing(field, with: correction.newValue, in: .opened(opening)) {
                result.correctedOpening = corrected
            }
        case .screeningCompleted: result.lastPhaseMarker = .preparation
        case .preparationCompleted: result.lastPhaseMarker = .anesthesia
        case .treatmentStarted: result.lastPhaseMarker = .treatment
        case .treatmentCompleted: result.lastPhaseMarker = .aftercare
        case .signed:
            result.lastPhaseMarker = .signed
            condition = .signed
        case .aborted:
            result.lastPhaseMarker = .aborted
            condition = .aborted
        default: break
        }
    }
}
