#if canImport(Glibc)
import Glibc
#endif
import TrilliumCore

/// How a session's log ended, when every line checks out.
public enum SessionCondition: String, Sendable, Equatable, CaseIterable {
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

/// A sign-off without an electronic signature: its record and who made it.
public struct UnsignedSignOff: Sendable, Equatable {
    public var seq: Int
    public var by: String
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
    /// Which kind of log it is, from its first record (a session's until one is read).
    public var family: LogFamily = .session
    /// Every electronic signature in the log, with the bytes it signs: for
    /// the caller to check against the keys it trusts (the reader holds none).
    public var signatures: [SignatureClaim] = []
    /// A sign-off without a signature in a session opened by a signed-in
    /// account: a log rewritten to drop the signature.
    public var unsignedSignOffSeq: Int? {
        opening?.operatorID != nil ? unsignedSignOff?.seq : nil
    }
    /// Who made a sign-off that carries no signature, in any session: a
    /// reader that knows the data directory's accounts can tell a signed-in
    /// account's sign-off stripped of its signature from a sign-off written
    /// before there were accounts, even where the opening's account was removed too.
    public var unsignedSignOff: UnsignedSignOff?
    /// The lots of the anesthetic and products, as recorded and as any
    /// correction states them, each once: what the session index keeps so
    /// that a recall of any consumable finds the session.
    public var consumableLots: [String] = []

    /// One line for `trillium verify`.
    public var summary: String {
        if case let .valid(condition) = status {
            let kind = family == .session ? condition.rawValue : "\(family.rawValue) log"
            return "valid (\(kind)), \(validRecords) records, head \(headDigest)"
        }
        return Self.summary(of: status, validRecords: validRecords)
    }

    /// What is wrong with a log that is not valid, in `summary`'s words.
    public static func summary(of status: LogStatus, validRecords: Int) -> String {
        switch status {
        case let .valid(condition): "valid (\(condition.rawValue)), \(validRecords) records"
        case let .tornTail(defect): "torn tail: \(defect); \(validRecords) valid records before it"
        case let .corrupt(defect): "corrupt: \(defect)"
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
        path: String, files: FileOperations = POSIXFileOperations(), onRecord: (RecordLine) -> Void
    ) throws(LogReadError) -> LogVerification {
        try withoutActuallyEscaping(onRecord) { (onRecord) throws(LogReadError) in
            try read(path: path, files: files, delivering: .lines(onRecord))
        }
    }

    /// As `read`, handing on each valid record with the length of its line
    /// (LF excluded) and nothing else: for a fold that keeps nothing of the
    /// lines, no line's bytes or digests are copied out.
    public static func readRecords(
        path: String, files: FileOperations = POSIXFileOperations(), onRecord: (SessionRecord, _ lineLength: Int) -> Void
    ) throws(LogReadError) -> LogVerification {
        try withoutActuallyEscaping(onRecord) { (onRecord) throws(LogReadError) in
            try read(path: path, files: files, delivering: .records(onRecord))
        }
    }

    /// What a read hands on of each valid line.
    private enum Delivery {
        case lines((RecordLine) -> Void)
        case records((SessionRecord, Int) -> Void)
    }

    /// Verifies `path` without building its records: every check `read`
    /// makes (framing, digest, chain, schema, order), at close to the speed
    /// of the hash. What `trillium verify` and the session index use.
    ///
    /// A long log is checked a round of blocks at a time, shared between
    /// the cores (`BlockVerifier`); `blockSize` is theirs (tests make it
    /// small to exercise the hand-overs on small logs).
    public static func verify(
        path: String, files: FileOperations = POSIXFileOperations(), blockSize: Int = 4 << 20
    ) throws(LogReadError) -> LogVerification {
        try read(path: path, files: files, delivering: nil, blockSize: max(blockSize, 256))
    }

    private static func read(
        path: String, files: FileOperations, delivering onRecord: Delivery?, blockSize: Int? = nil
    ) throws(LogReadError) -> LogVerification {
        do {
            let (fd, status) = try files.openForReading(path)
            defer { files.close(fd) }
            var reading = Reading(path: path, fileLength: status.size, onRecord: onRecord)
            let blocks = blockSize.map { BlockVerifier(fd: fd, path: path, files: files, fileLength: status.size, blockSize: $0) }
            return try reading.run(fd: fd, files: files, blocks: blocks)
        } catch {
            throw .unreadable(error)
        }
    }

    /// One pass over a log's lines. Each line is hashed and checked by the
    /// canonical scanner, which allocates nothing; the parser, exact and
    /// slower, reads the first record, the few lines the scanner leaves to
    /// it, and every line that fails, so that a defect is always described
    /// by the same checks in the same words.
    private struct Reading {
        let onRecord: Delivery?
        var result: LogVerification
        var condition = SessionCondition.open
        var canonical: CanonicalRecordScanner
        /// The head's 64 hex digits, kept as bytes: the next line's `prev`.
        var head = Array(Digest.genesis.utf8)
        /// The last line the scanner accepted, and what it found: its stamp
        /// is built once at the end, not for every line.
        var lastScanned: (json: [UInt8], scan: CanonicalRecordScanner.Scan)?

        init(path: String, fileLength: Int, onRecord: Delivery?) {
            self.onRecord = onRecord
            canonical = CanonicalRecordScanner(keepingValues: onRecord != nil)
            result = LogVerification(
                path: path, status: .valid(.open), validRecords: 0, headDigest: Digest.genesis,
                validLength: 0, fileLength: fileLength, opening: nil, correctedOpening: nil, firstStamp: nil, lastStamp: nil,
                lastPhaseMarker: .intake)
        }

        /// Reads the log in order, line by line, handing runs of ordinary
        /// lines to `blocks` (when given) while a round of blocks remains.
        mutating func run(fd: Int32, files: FileOperations, blocks: BlockVerifier?) throws(FileError) -> LogVerification {
            var offset = 0
            while true {
                // A session's log is tens of kilobytes: its chunk is as big as
                // the file (and a byte to see its end), not a megabyte zeroed
                // for every log a recall reads.
                let chunkSize = min(1 << 20, max(4096, result.fileLength - offset + 1))
                var scanner = LineScanner(fd: fd, path: result.path, files: files, chunkSize: chunkSize, startingAt: offset)
                var handOver = false
                while let line = try scanner.next() {
                    if let found = defect(in: line) {
                        let moreFollows = line.isTerminated ? try scanner.hasMoreBytes() : false
                        // The writer never writes a line longer than the maximum, so even
                        // as the last line one is not an interrupted write: it is corrupt.
                        let isTornTail = !moreFollows && !line.isTooLong
                        result.status = isTornTail ? .tornTail(found) : .corrupt(found)
                        return finished()
                    }
                    result.validLength = line.offset + line.bytes.count + 1
                    if let blocks, result.validLength >= blocks.leadIn,
                       blocks.fileLength - result.validLength >= BlockVerifier.blocksPerRound * blocks.blockSize {
                        handOver = true
                        break
                    }
                }
                guard handOver, let blocks else { break }
                offset = try check(blocks, from: result.validLength)
            }
            if result.validRecords == 0 {
                let empty = LogDefect(line: 1, seq: 1, offset: 0, check: .lineFeed, detail: "the file is empty: no record was saved")
                result.status = .tornTail(empty)
                return finished()
            }
            result.status = .valid(condition)
            return finished()
        }

        /// What is wrong with a line read in order, or nil once it is accepted.
        private mutating func defect(in line: LineScanner.Line) -> LogDefect? {
            let seq = result.validRecords + 1
            // Records and lines are one to one up to the first defect.
            func defect(_ check: LogCheck, _ detail: String) -> LogDefect {
                LogDefect(line: seq, seq: seq, offset: line.offset, check: check, detail: detail)
            }
            if line.isTooLong { return defect(.framing, "the line is longer than \(LineScanner.maximumLineLength) bytes") }
            if !line.isTerminated { return defect(.lineFeed, "the last \(line.bytes.count) bytes have no line feed") }
            return take(line.bytes, seq: seq).map { defect($0.check, $0.detail) }
        }

        /// Accepts the lines the blocks vouch for, in order, as long as they
        /// follow: the next seq, nothing but addenda after the seal. Returns
        /// where the reader goes on line by line.
        private mutating func check(_ blocks: BlockVerifier, from start: Int) throws(FileError) -> Int {
            var offset = start
            var knownStart: [UInt8]? = head
            var last: BlockVerifier.Line?
            defer { if let last { adopt(last, blocks: blocks) } }
            while offset < blocks.fileLength {
                for block in blocks.checkRound(from: offset, previousDigest: knownStart) {
                    for line in block.lines {
                        let kind = CanonicalRecordScanner.kinds[Int(line.kind)]
                        guard line.seq == result.validRecords + 1, !line.isReadInOrder,
                              condition == .open || kind.isAddendum, belongs(kind) else { return line.start }
                        result.validRecords = line.seq
                        result.validLength = line.end
                        mark(kind)
                        last = line
                    }
                    if let stop = block.stop { return stop }
                }
                offset += BlockVerifier.blocksPerRound * blocks.blockSize
                knownStart = nil
            }
            return blocks.fileLength
        }

        /// Makes the last line the blocks accepted the head: its digest for
        /// the next `prev`, its stamp for the verification.
        private mutating func adopt(_ line: BlockVerifier.Line, blocks: BlockVerifier) {
            // From the previous line's digest (the 65 bytes before) to this line's LF.
            var bytes = [UInt8](repeating: 0, count: line.end - line.start + 65)
            let filled = bytes.withUnsafeMutableBytes { buffer in
                (try? blocks.files.read(blocks.fd, into: buffer, at: line.start - 65, path: blocks.path)) ?? 0
            }
            guard filled == bytes.count else { return }
            let whole = bytes[65..<(bytes.count - 1)]
            head.replaceSubrange(0..<64, with: whole.suffix(64))
            let scan = bytes.withUnsafeBufferPointer { all in
                canonical.scanLine(UnsafeBufferPointer(rebasing: all[65..<(all.count - 1)]), expectedSeq: line.seq,
                                   previousDigest: UnsafeBufferPointer(rebasing: all[0..<64]))
            }
            if let scan { lastScanned = (Array(whole.dropLast(65)), scan) }
        }

        private mutating func finished() -> LogVerification {
            if let (json, scan) = lastScanned {
                json.withUnsafeBufferPointer { bytes in
                    result.lastStamp = canonical.stamp(scan, in: bytes)
                }
            }
            result.headDigest = String(decoding: head, as: UTF8.self)
            return result
        }

        /// Checks one terminated line as record `seq`; nil when it is accepted.
        private mutating func take(_ line: ArraySlice<UInt8>, seq: Int) -> LineDefect? {
            // The first record is the parser's: it holds the opening, read in full.
            let fast: CanonicalRecordScanner.Scan? = seq == 1 ? nil : line.withUnsafeBufferPointer { bytes in
                head.withUnsafeBufferPointer { previous in
                    canonical.scanLine(bytes, expectedSeq: seq, previousDigest: previous)
                }
            }
            // Corrections are the parser's: one may correct the opening or a consumable's lot.
            guard let fast, fast.kind != .recordCorrected else { return takeParsed(line, seq: seq) }
            if let sealed = sealedDefect(fast.kind) { return sealed }
            if !belongs(fast.kind) { return takeParsed(line, seq: seq) }
            var record: SessionRecord?
            if onRecord != nil {
                record = line.withUnsafeBufferPointer { bytes in
                    canonical.record(fast, seq: seq, in: UnsafeBufferPointer(rebasing: bytes[..<(bytes.count - 65)]))
                }
                // The scanner vouched for the line; a record it cannot build is the parser's to read.
                guard record != nil else { return takeParsed(line, seq: seq) }
            }
            let json = line.dropLast(65)
            let previous: String
            if case .lines = onRecord { previous = String(decoding: head, as: UTF8.self) } else { previous = "" }
            head.replaceSubrange(0..<64, with: line.suffix(64))
            if lastScanned == nil {
                lastScanned = (Array(json), fast)
            } else {
                lastScanned!.json.replaceSubrange(lastScanned!.json.indices, with: json)
                lastScanned!.scan = fast
            }
            result.validRecords = seq
            mark(fast.kind)
            if let lot = fast.consumableLot {
                json.withUnsafeBufferPointer { result.noteConsumableLot(CanonicalRecordScanner.text(lot, in: $0)) }
            }
            if let record, case let .records(deliver)? = onRecord { deliver(record, line.count) }
            if let record, case let .lines(deliver)? = onRecord {
                deliver(RecordLine(record: record, previousDigest: previous, json: Array(json),
                                    digest: String(decoding: head, as: UTF8.self)))
            }
            return nil
        }

        /// The parser's verdict on a line, and the record it read.
        private mutating func takeParsed(_ line: ArraySlice<UInt8>, seq: Int) -> LineDefect? {
            let parsed: RecordLine
            do {
                parsed = try RecordLineParser.parse(line, expectedSeq: seq, previousDigest: String(decoding: head, as: UTF8.self))
            } catch {
                return error
            }
            let kind = parsed.record.event.kind
            if seq == 1 {
                guard kind.isOpening, let family = kind.family else {
                    return LineDefect(check: .schema, detail: "the first record is not session.opened (nor staff.opened or access.opened)")
                }
                result.family = family
            } else if kind.isOpening {
                return LineDefect(check: .schema, detail: "\(kind.rawValue) after the first record")
            } else if !belongs(kind) {
                return LineDefect(check: .schema, detail: "\(kind.rawValue) does not belong in a \(result.family.rawValue) log")
            } else if let sealed = sealedDefect(kind) {
                return sealed
            }
            head.replaceSubrange(0..<64, with: parsed.digest.utf8)
            lastScanned = nil
            LogReader.accept(parsed, into: &result)
            mark(parsed.record.event.kind)
            switch onRecord {
            case let .lines(deliver)?: deliver(parsed)
            case let .records(deliver)?: deliver(parsed.record, line.count)
            case nil: break
            }
            return nil
        }

        /// Whether a record of `kind` belongs in this log: a session's steps
        /// in a session log, staff changes in the staff log, and so on.
        private func belongs(_ kind: EventKind) -> Bool {
            kind.family == nil || kind.family == result.family
        }

        /// Sealed by session.signed or session.aborted: only addenda may follow.
        private func sealedDefect(_ kind: EventKind) -> LineDefect? {
            guard condition != .open, !kind.isAddendum else { return nil }
            return LineDefect(check: .schema, detail: "\(kind.rawValue) after the session was \(condition.rawValue)")
        }

        /// The phase and condition a record of `kind` marks.
        private mutating func mark(_ kind: EventKind) {
            switch kind {
            case .opened: result.lastPhaseMarker = .screening
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

    /// What a record read by the parser adds to the verification.
    fileprivate static func accept(_ line: RecordLine, into result: inout LogVerification) {
        let record = line.record
        result.validRecords = record.seq
        if result.firstStamp == nil { result.firstStamp = record.stamp }
        result.lastStamp = record.stamp
        if let claim = SignatureClaim(line) { result.signatures.append(claim) }
        if case let .signed(signOff) = record.event, signOff.signature == nil {
            result.unsignedSignOff = UnsignedSignOff(seq: record.seq, by: record.by)
        }
        switch record.event {
        case let .opened(opening):
            result.opening = opening
            result.correctedOpening = opening
        case let .recordCorrected(correction) where correction.seq == 1:
            if let opening = result.correctedOpening, let field = RecordSchema.of(.opened).field(correction.field), field.isCorrectable,
               case let .opened(corrected)? = try? EventData.replacing(field, with: correction.newValue, in: .opened(opening)) {
                result.correctedOpening = corrected
            }
        case let .recordCorrected(correction) where correction.field == "lot":
            result.noteConsumableLot(correction.newValue)
        case let .anestheticApplied(_, _, dose?):
            result.noteConsumableLot(dose.lot)
        case let .productApplied(application):
            result.noteConsumableLot(application.lot)
        default: break
        }
    }
}

extension LogVerification {
    mutating func noteConsumableLot(_ lot: String) {
        if !consumableLots.contains(lot) { consumableLots.append(lot) }
    }
}

/// A signature as a log states it: who claims to have signed what. Whether
/// it holds is for `SignatureCheck`, with the keys the reader of the log trusts.
public struct SignatureClaim: Sendable, Equatable {
    public var seq: Int
    public var kind: EventKind
    public var signature: ElectronicSignature
    /// The exact bytes the signature must be over (`ElectronicSignature.message`).
    public var message: [UInt8]

    /// The claim a signed record makes, or nil when it makes none.
    public init?(_ line: RecordLine) {
        let record = line.record
        let attestation: String
        switch record.event {
        case let .signed(signOff):
            guard let signature = signOff.signature else { return nil }
            self.signature = signature
            attestation = signOff.attestation
        case let .cosigned(signature):
            self.signature = signature
            attestation = ""
        default:
            return nil
        }
        seq = record.seq
        kind = record.event.kind
        message = ElectronicSignature.message(
            previousDigest: line.previousDigest, at: RFC3339.format(wallMilliseconds: record.stamp.wallMilliseconds),
            signer: signature.signer, role: signature.role, meaning: signature.meaning, attestation: attestation)
    }
}
