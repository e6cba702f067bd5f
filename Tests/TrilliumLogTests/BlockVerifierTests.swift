import Testing
import TrilliumCore
import TrilliumLog
import TrilliumServices

/// Verifying on two cores must say exactly what verifying line by line says,
/// for every log: the blocks only vouch for lines, the order is checked once.
@Suite("Verifying in blocks agrees with verifying line by line")
struct BlockVerifierTests {
    /// Small blocks, so that a log of a few hundred lines crosses many of
    /// them and every hand-over (a block's stop, the slow first record, a
    /// correction of the opening) happens.
    static let smallBlocks = 300
    /// Larger than any log here: never handed to the blocks.
    static let lineByLine = 1 << 30

    static func agree(_ path: String, _ context: String) throws {
        let inBlocks = try LogReader.verify(path: path, blockSize: smallBlocks)
        let sequential = try LogReader.verify(path: path, blockSize: lineByLine)
        #expect(inBlocks == sequential, "\(context)")
    }

    @Test func sampleLogsVerifyTheSameEitherWay() throws {
        let directory = TemporaryDirectory()
        let paths = try SampleGenerator(sessionCount: 12, seed: 3, minimumRecords: 150).write(into: DataDirectory(path: directory.path))
        var sessionsWithLots = 0
        for path in paths {
            try Self.agree(path, path)
            let verification = try LogReader.verify(path: path, blockSize: Self.smallBlocks)
            #expect(verification.status.isValid)
            #expect(verification.validRecords >= 150)
            #expect(verification.lastStamp != nil)
            // The lots of the products and the anesthetic, as the parser reads every line: lines that name
            // one are read in order, never only vouched for by a block, or a recall would not find the session.
            var lots: [String] = []
            var previous = Digest.genesis
            for (index, line) in readBytes(path).split(separator: 0x0A).enumerated() {
                let parsed = try RecordLineParser.parse(line, expectedSeq: index + 1, previousDigest: previous)
                previous = parsed.digest
                switch parsed.record.event {
                case let .productApplied(application): lots.append(application.lot)
                case let .anestheticApplied(_, _, dose?): lots.append(dose.lot)
                default: continue
                }
            }
            if !lots.isEmpty { sessionsWithLots += 1 }
            #expect(Set(verification.consumableLots) == Set(lots), "\(path)")
        }
        #expect(sessionsWithLots > paths.count / 2)
    }

    @Test func changedAndTruncatedLogsGetTheSameVerdict() throws {
        let directory = TemporaryDirectory()
        let paths = try SampleGenerator(sessionCount: 2, seed: 11, minimumRecords: 80).write(into: DataDirectory(path: directory.path))
        let probe = directory.file("probe.tlog")
        for path in paths {
            let original = readBytes(path)
            for position in stride(from: 0, to: original.count, by: 37) {
                var changed = original
                changed[position] ^= 0x04
                writeBytes(changed, to: probe)
                try Self.agree(probe, "byte \(position) changed")
                writeBytes(Array(original[0..<position]), to: probe)
                try Self.agree(probe, "cut at \(position)")
            }
            // A stray line feed, a line too long, a sealed log with a record after it.
            var extra = original
            extra.insert(0x0A, at: original.count / 2)
            writeBytes(extra, to: probe)
            try Self.agree(probe, "line feed inserted")
            writeBytes(Array(original[0..<(original.count / 3)]) + [UInt8](repeating: 0x41, count: 70_000) + [0x0A]
                       + Array(original[(original.count / 3)...]), to: probe)
            try Self.agree(probe, "long line")
        }
    }
}
