import Testing
import TrilliumCore
import TrilliumLog
import TrilliumServices

/// Replay holds a log as the bytes it verified. A long log's two halves are
/// read at once; what replay shows must be the file exactly as the reader
/// reads it, and a file that comes back shorter than it said must not leave
/// a hole in those bytes.
@Suite("A replayed log is the file as verified")
struct ReplayLogTests {
    /// A log above the size read in two halves (a megabyte).
    static func longLog(in directory: TemporaryDirectory) throws -> String {
        let path = try #require(try SampleGenerator(sessionCount: 1, seed: 31, minimumRecords: 3_500)
            .write(into: DataDirectory(path: directory.path)).first)
        #expect(readBytes(path).count > 1 << 20, "the log is long enough to be read in halves")
        return path
    }

    static func expectSameAsTheReader(_ log: ReplayLog, _ path: String) throws {
        var lines: [RecordLine] = []
        let verification = try LogReader.read(path: path) { lines.append($0) }
        #expect(log.verification == verification)
        #expect(log.count == lines.count)
        for (index, line) in lines.enumerated() {
            guard log.record(at: index) == line.record, log.digest(at: index) == line.digest else {
                Issue.record("record \(index + 1) differs from the reader's")
                return
            }
        }
        #expect(log.records(in: 0..<log.count) == lines.map(\.record), "decoded on both cores, the same records")
    }

    @Test func aLongLogReadInHalvesIsTheFileAsTheReaderReadsIt() throws {
        let directory = TemporaryDirectory()
        let path = try Self.longLog(in: directory)
        let log = try ReplayLog(path: path)
        #expect(log.verification.status.isValid)
        try Self.expectSameAsTheReader(log, path)
    }

    @Test func aLogThatComesBackShorterThanItSaidIsReadAgainWhole() throws {
        let directory = TemporaryDirectory()
        let path = try Self.longLog(in: directory)
        let size = readBytes(path).count
        // The second half finds the file ending three quarters of the way through.
        let files = FaultyFileOperations()
        files.failing = []
        files.positionedReadsEndAt = size * 3 / 4
        let log = try ReplayLog(path: path, files: files)
        #expect(log.verification.status.isValid, "read again in one piece, the log is whole")
        #expect(log.verification.validLength == size)
        try Self.expectSameAsTheReader(log, path)
    }

    /// Found by a hostile walk: a log cut and written again while replay
    /// read it (as resume cuts a torn tail and writes on) gave zeroed pages
    /// in a read of full length, and replay called a sound log corrupt.
    @Test func aLogThatChangedWhileItWasReadAndLooksCorruptIsReadAgain() throws {
        let directory = TemporaryDirectory()
        let path = try Self.longLog(in: directory)
        let files = FaultyFileOperations()
        files.failing = []
        files.zeroesOnceFrom = readBytes(path).count / 2
        let log = try ReplayLog(path: path, files: files)
        #expect(files.zeroesOnceFrom == nil, "the second half was read as zeroes once")
        #expect(log.verification.status.isValid, "read again, the log is whole")
        try Self.expectSameAsTheReader(log, path)
    }
}
