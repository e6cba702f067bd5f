#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Synchronization
import TrilliumCore

/// A verified log held as its bytes, for replay: each record is decoded
/// when it is shown or folded, not held decoded (a record of strings is
/// about 400 bytes, a line about 380, and a log's bytes are one array).
/// The file is read once and the verdict is the reader's over exactly
/// those bytes (`MemoryFile`), so the records shown are the ones verified.
public final class ReplayLog: RecordSource, Sendable {
    public let path: String
    public let verification: LogVerification
    /// The file as it was read: its valid lines, LF included, and whatever followed them.
    private let bytes: [UInt8]
    /// Where each valid line starts, and the end of the last.
    private let lineStarts: [Int]
    /// The records decoded last, by index: the timeline and the screen ask for the same few on every frame.
    private let recent = Mutex<[Int: SessionRecord]>([:])
    private static let recentLimit = 2048

    /// The largest log replay holds: about 2.8 million records. A larger file
    /// (or one that only claims to be, sparse) is refused before anything is
    /// read; `verify` and `report` read any size as a stream.
    public static let sizeLimit = 1 << 30

    /// Reads and verifies the log at `path`; its valid lines are what replay shows.
    public init(path: String, files: FileOperations = POSIXFileOperations()) throws(LogReadError) {
        var attempt = 1
        var whole: [UInt8]
        var verification: LogVerification
        while true {
            let isSteady: Bool
            do {
                (whole, isSteady) = try Self.readOnBothCores(path, files: files)
            } catch {
                throw .unreadable(error)
            }
            // Small blocks: the bytes are already in memory, and each round of blocks is copied once more.
            verification = try LogReader.verify(path: path, files: MemoryFile(path: path, bytes: whole), blockSize: 1 << 20)
            // A file cut and written again while it was read (as resume cuts a
            // torn tail and goes on writing) may give bytes it never held at
            // once, zeroed pages among them: a log found at fault that changed
            // under the read is read again, three times at most, before its verdict stands.
            if verification.status.isValid || isSteady || attempt == 3 { break }
            attempt += 1
        }
        // Kept whole, not cut to the valid lines: a cut would copy them all (the file's bytes are still shared here).
        self.path = path
        self.verification = verification
        self.bytes = whole
        self.lineStarts = Self.lineStarts(in: whole, validLength: verification.validLength, lines: verification.validRecords)
    }

    /// Where each of the valid lines starts, and the end of the last. A
    /// long log's two halves are searched at once (each line feed is in one
    /// of them): one core took 8 ms of a 100,000-record replay's opening.
    private static func lineStarts(in bytes: [UInt8], validLength: Int, lines: Int) -> [Int] {
        let halves = halves(of: validLength)
        var found = [[Int]](repeating: [], count: halves.count)
        bytes.withUnsafeBytes { all in
            guard let start = all.baseAddress else { return }
            found.withUnsafeMutableBufferPointer { results in
                // Read only, and each half writes its own slot.
                nonisolated(unsafe) let results = results, base = start
                DispatchQueue.concurrentPerform(iterations: halves.count) { half in
                    var starts: [Int] = []
                    starts.reserveCapacity(lines / halves.count + 1)
                    var offset = halves[half].lowerBound
                    let end = halves[half].upperBound
                    while offset < end, let lineFeed = memchr(base + offset, 0x0A, end - offset) {
                        offset = base.distance(to: UnsafeRawPointer(lineFeed)) + 1
                        starts.append(offset)
                    }
                    results[half] = starts
                }
            }
        }
        var starts = [0]
        starts.reserveCapacity(lines + 1)
        for half in found { starts += half }
        return starts
    }

    /// The file as it is when opened, a long one's two halves read at once:
    /// filling fresh memory is most of the cost of reading a long log (the
    /// kernel gives and clears each page as it is first written), and each
    /// core takes half. A file that grows meanwhile is read as it was at the
    /// open (the writer only appends); one that comes back shorter than it
    /// said is read again from the start, in one piece, as it now is.
    /// `isSteady`: the file's size and times were the same after the read as
    /// at the open, so the bytes are what it held.
    private static func readOnBothCores(_ path: String, files: FileOperations) throws(FileError) -> (bytes: [UInt8], isSteady: Bool) {
        let (fd, status) = try files.openForReading(path)
        defer { files.close(fd) }
        guard status.size <= sizeLimit else {
            throw FileError(operation: "read", path: path, code: EFBIG, reason: "larger than \(sizeLimit) bytes")
        }
        let size = status.size
        let halves = halves(of: size)
        let filled = Mutex([Bool](repeating: true, count: halves.count))
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            adviseHugePages(UnsafeMutableRawBufferPointer(buffer))
            nonisolated(unsafe) let whole = buffer
            // A read at an offset (pread) holds no state and never moves the file's offset: both may call at once.
            nonisolated(unsafe) let files = files
            DispatchQueue.concurrentPerform(iterations: halves.count) { half in
                var offset = halves[half].lowerBound
                while offset < halves[half].upperBound {
                    let room = UnsafeMutableRawBufferPointer(UnsafeMutableBufferPointer(rebasing: whole[offset..<halves[half].upperBound]))
                    guard let read = try? files.read(fd, into: room, at: offset, path: path), read > 0 else { break }
                    offset += read
                }
                if offset < halves[half].upperBound { filled.withLock { $0[half] = false } }
            }
            // Bytes need no initializing: a half that came back short is dropped below, the whole read again.
            initialized = size
        }
        guard filled.withLock({ !$0.contains(false) }) else { return (try files.readWholeFile(path, limit: sizeLimit), false) }
        // The same test the session index makes of a log: its size, times, inode and device.
        let isSteady = (try? files.status(fd, path: path)).map { LogIndex.Identity($0) == LogIndex.Identity(status) } ?? false
        return (bytes, isSteady)
    }

    /// A long log's bytes cut in two for the two cores (a megabyte or more), else whole.
    private static func halves(of length: Int) -> [Range<Int>] {
        length >= 1 << 20 ? [0..<(length / 2), (length / 2)..<length] : [0..<length]
    }

    public var count: Int { lineStarts.count - 1 }

    /// The hex digits of line `index`'s digest: the last 64 bytes before its LF.
    private func digestDigits(_ index: Int) -> Range<Int> {
        (lineStarts[index + 1] - 65)..<(lineStarts[index + 1] - 1)
    }

    /// The digest of line `index`, as the log writes it.
    public func digest(at index: Int) -> String {
        String(decoding: bytes[digestDigits(index)], as: UTF8.self)
    }

    public var digests: LineDigests { LineDigests(self) }

    public func record(at index: Int) -> SessionRecord {
        if let known = recent.withLock({ $0[index] }) { return known }
        var scanner = CanonicalRecordScanner()
        let record = decode(index, with: &scanner)
        recent.withLock { recent in
            if recent.count >= Self.recentLimit { recent.removeAll(keepingCapacity: true) }
            recent[index] = record
        }
        return record
    }

    /// A run of records decoded on both cores, none of them kept: a jump
    /// folds the records after its checkpoint.
    public func records(in indexes: Range<Int>) -> [SessionRecord] {
        records(in: indexes, while: {})
    }

    /// A run decoded while `meanwhile` (the fold of the run before) runs:
    /// one core starts on the run while the other runs `meanwhile`, then
    /// both take what is left, 32 records at a time, so that neither waits
    /// however the fold and the decoding compare. A short run is decoded
    /// after `meanwhile`, on this thread: a second core would cost more than it saves.
    public func records(in indexes: Range<Int>, while meanwhile: () -> Void) -> [SessionRecord] {
        let workers = indexes.count >= 256 ? 2 : 1
        let chunk = 32
        let chunks = (indexes.count + chunk - 1) / chunk
        let taken = Atomic<Int>(0)
        return [SessionRecord](unsafeUninitializedCapacity: indexes.count) { buffer, initialized in
            nonisolated(unsafe) let slots = buffer
            // Run once, by the first worker, before this returns: it does not outlive the call.
            nonisolated(unsafe) let meanwhile = meanwhile
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                if worker == 0 { meanwhile() }
                var scanner = CanonicalRecordScanner()
                while true {
                    let next = taken.add(1, ordering: .relaxed).oldValue
                    guard next < chunks else { break }
                    for offset in (next * chunk)..<min(indexes.count, (next + 1) * chunk) {
                        (slots.baseAddress! + offset).initialize(to: decode(indexes.lowerBound + offset, with: &scanner))
                    }
                }
            }
            initialized = indexes.count
        }
    }

    /// The record of line `index`, read as the verifying read read it: by
    /// the canonical scanner, else the exact parser.
    private func decode(_ index: Int, with scanner: inout CanonicalRecordScanner) -> SessionRecord {
        let start = lineStarts[index], end = lineStarts[index + 1] - 1
        if index > 0 {
            let previous = digestDigits(index - 1)
            let fast = bytes.withUnsafeBufferPointer { all -> SessionRecord? in
                // The line's digest was checked when the file was verified: the JSON is scanned without hashing it again.
                let json = UnsafeBufferPointer(rebasing: all[start..<(end - 65)])
                guard let scan = scanner.scan(json, expectedSeq: index + 1, previousDigest: UnsafeBufferPointer(rebasing: all[previous])),
                      scan.correctedSeq != 1 else { return nil }
                return scanner.record(scan, seq: index + 1, in: json)
            }
            if let fast { return fast }
        }
        let previous = index == 0 ? Digest.genesis : String(decoding: bytes[digestDigits(index - 1)], as: UTF8.self)
        do {
            return try RecordLineParser.parse(bytes[start..<end], expectedSeq: index + 1, previousDigest: previous).record
        } catch {
            // These bytes were verified line by line when they were read, and nothing has changed them since.
            preconditionFailure("line \(index + 1) of \(path) verified once and not the second time: \(error)")
        }
    }
}
