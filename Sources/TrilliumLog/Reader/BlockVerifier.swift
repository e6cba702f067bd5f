#if canImport(Glibc)
import Glibc
#endif
import Dispatch

/// Checks the ordinary lines of a long log on both of the workstation's
/// cores. The file is cut into fixed blocks; a line belongs to the block it
/// starts in, and each block is read (pread) and checked on its own thread:
/// framing, digest and the canonical scan, its first line's `prev` taken
/// from the 64 bytes before it. Nothing in a line's own checks depends on
/// the lines before it except that digest, which is in the file.
///
/// What does depend on order (seq, the seal, a correction of the opening) is
/// left to the caller, which walks the lines in order. Each block stops at
/// the first line it cannot vouch for; the caller hands that line to the
/// sequential reader, which says exactly what is wrong, or reads it the slow
/// way, and then comes back here.
///
/// Unchecked Sendable: the two threads share the descriptor, on which pread
/// is safe to call at once (it never moves the file offset), and the file
/// operations, which hold no state for a read; each writes only its own
/// slot of the results.
struct BlockVerifier: @unchecked Sendable {
    /// One line a block vouched for.
    struct Line {
        /// Offsets of its first byte and of the byte after its LF.
        var start: Int
        var end: Int
        var seq: Int
        /// The record type's place in `EventKind.allCases`.
        var kind: UInt8
        /// A `record.corrected` (it may correct the opening or a lot) or a
        /// record naming a consumable's lot (gathered for recall): the caller reads it itself.
        var isReadInOrder: Bool
    }

    struct Block {
        var lines: [Line] = []
        /// The offset of the first line the block could not vouch for; nil
        /// when every line that starts in it was checked.
        var stop: Int?
    }

    let fd: Int32
    let path: String
    let files: FileOperations
    let fileLength: Int
    let blockSize: Int
    private let scratch: Scratch

    init(fd: Int32, path: String, files: FileOperations, fileLength: Int, blockSize: Int) {
        self.fd = fd
        self.path = path
        self.files = files
        self.fileLength = fileLength
        self.blockSize = blockSize
        scratch = Scratch(size: 65 + blockSize + LineScanner.maximumLineLength + 1)
    }

    /// Blocks checked in one round, shared out between the cores as each
    /// finishes one: uneven blocks even out.
    static let blocksPerRound = 4
    /// The first quarter block of a log (1 MB) is read line by line: it
    /// holds the session's clinical steps, the records the parser reads
    /// (the consultation, the dose, the products), and a block that stops
    /// at one throws away the rest of its round: five stops in the first
    /// megabyte of a 380 MB log cost a quarter more time to verify it.
    var leadIn: Int { blockSize / 4 }
    /// Read past a block's end at first: enough for its last line to finish, most times.
    private static let overhang = 4096

    /// One buffer for each block of a round, for the whole verify: a block
    /// is read into the same memory every time.
    private final class Scratch {
        let buffers: [UnsafeMutableBufferPointer<UInt8>]

        init(size: Int) {
            buffers = (0..<BlockVerifier.blocksPerRound).map { _ in UnsafeMutableBufferPointer<UInt8>.allocate(capacity: size) }
        }

        deinit {
            buffers.forEach { $0.deallocate() }
        }
    }

    /// The lines of a round's consecutive blocks from `offset`. When
    /// `offset` is known to start a line, `previousDigest` is the digest of
    /// the line before it; else the first block begins at the first line after it.
    func checkRound(from offset: Int, previousDigest: [UInt8]?) -> [Block] {
        var blocks = [Block](repeating: Block(), count: Self.blocksPerRound)
        blocks.withUnsafeMutableBufferPointer { results in
            let slots = Slots(results: results)
            DispatchQueue.concurrentPerform(iterations: Self.blocksPerRound) { index in
                let start = offset + index * blockSize
                slots.results[index] = check(from: start, knownLineStart: index == 0 ? previousDigest : nil,
                                             into: scratch.buffers[index])
            }
        }
        return blocks
    }

    /// Where the threads put their blocks, one slot each.
    private struct Slots: @unchecked Sendable {
        let results: UnsafeMutableBufferPointer<Block>
    }

    /// Reads into `buffer` from `offset` in the file until `buffer` holds
    /// `limit` bytes or the file ends; returns how many it holds.
    private func fill(_ buffer: UnsafeMutableBufferPointer<UInt8>, from count: Int, to limit: Int, fileOffset: Int) -> Int {
        var count = count
        while count < limit {
            let space = UnsafeMutableRawBufferPointer(UnsafeMutableBufferPointer(rebasing: buffer[count..<limit]))
            guard let read = try? files.read(fd, into: space, at: fileOffset + count, path: path), read > 0 else { break }
            count += read
        }
        return count
    }

    /// The lines starting in [start, start + blockSize). `knownLineStart`
    /// holds the previous digest when `start` is known to begin a line.
    private func check(from start: Int, knownLineStart previousDigest: [UInt8]?, into buffer: UnsafeMutableBufferPointer<UInt8>) -> Block {
        guard start < fileLength else { return Block() }
        // From 65 bytes before (the previous line's digest and LF), so the
        // first line's `prev` can be checked, to a little past the end.
        let readStart = previousDigest == nil ? start - 65 : start
        let readLimit = min(fileLength, start + blockSize + LineScanner.maximumLineLength + 1) - readStart
        var count = fill(buffer, from: 0, to: min(readLimit, start + blockSize + Self.overhang - readStart), fileOffset: readStart)
        let base = buffer.baseAddress!
        /// The next LF from `index`, reading on (up to the longest line) when the read so far ends first.
        func lineFeed(from index: Int) -> Int? {
            while true {
                let searchLength = min(count, index + LineScanner.maximumLineLength + 1) - index
                if searchLength > 0, let found = memchr(base + index, 0x0A, searchLength) {
                    return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                }
                guard count < readLimit, count < index + LineScanner.maximumLineLength + 1 else { return nil }
                count = fill(buffer, from: count, to: min(readLimit, count + Self.overhang), fileOffset: readStart)
            }
        }
        var scanner = CanonicalRecordScanner(keepingValues: false)
        var block = Block()
        block.lines.reserveCapacity(blockSize / 256)
        let end = start + blockSize - readStart
        // The first line starting at or after `start`.
        var lineStart = start - readStart
        if previousDigest == nil, base[lineStart - 1] != 0x0A {
            guard let found = lineFeed(from: lineStart) else { return block }
            lineStart = found + 1
        }
        var previousStart = lineStart - 65
        while lineStart < end, lineStart < count {
            guard let lineEnd = lineFeed(from: lineStart) else {
                block.stop = readStart + lineStart
                return block
            }
            let line = UnsafeBufferPointer(start: base + lineStart, count: lineEnd - lineStart)
            let scan: CanonicalRecordScanner.Scan? = if previousStart < 0, let previousDigest {
                previousDigest.withUnsafeBufferPointer { scanner.scanLine(line, expectedSeq: nil, previousDigest: $0) }
            } else {
                scanner.scanLine(line, expectedSeq: nil, previousDigest: UnsafeBufferPointer(start: base + previousStart, count: 64))
            }
            guard let scan, scan.seq > 1 else {
                block.stop = readStart + lineStart
                return block
            }
            block.lines.append(Line(start: readStart + lineStart, end: readStart + lineEnd + 1, seq: scan.seq,
                                    kind: UInt8(scan.ordinal), isReadInOrder: scan.kind == .recordCorrected || scan.consumableLot != nil))
            previousStart = lineEnd - 64
            lineStart = lineEnd + 1
        }
        return block
    }
}
