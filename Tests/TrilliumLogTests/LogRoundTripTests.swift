import Testing
import TrilliumCore
import TrilliumLog
import TrilliumServices
import TrilliumSettings

@Suite("Writing and reading back")
struct LogRoundTripTests {
    @Test func whatIsWrittenIsReadBackRecordForRecord() throws {
        let directory = TemporaryDirectory()
        let (path, recorder) = try SampleLogs.shortSession(in: directory)
        recorder.close()
        var read: [RecordLine] = []
        let verification = try LogReader.read(path: path) { read.append($0) }
        #expect(verification.status == .valid(.open))
        #expect(verification.validRecords == 4)
        #expect(read.map(\.record.seq) == [1, 2, 3, 4])
        #expect(read[3].record.event == .noteAdded(text: "Old scar on the shin only", addendumReason: nil))
        #expect(read[0].previousDigest == Digest.genesis)
        for (earlier, later) in zip(read, read.dropFirst()) {
            #expect(later.previousDigest == earlier.digest, "each line names the digest of the one before")
        }
        #expect(verification.headDigest == read[3].digest)
        #expect(verification.validLength == readBytes(path).count)
        #expect(read.flatMap(\.bytes) == readBytes(path), "framing is exact: JSON SP DIGEST LF")
    }

    @Test func aCompleteSessionVerifiesAsSignedAndFoldsToTheSameState() throws {
        let directory = TemporaryDirectory()
        let path = try SampleLogs.completeSession(in: directory)
        let store = SessionStore(directory: DataDirectory(path: directory.path), appVersion: "test")
        let loaded = try store.load(path: path)
        #expect(loaded.verification.status == .valid(.signed) || loaded.verification.status == .valid(.aborted))
        let state = try #require(loaded.state)
        #expect(state.lastSeq == loaded.verification.validRecords)
        #expect(state.phase == .signed || state.phase == .aborted)
    }

    @Test func filesAndDirectoriesAreOwnerOnly() throws {
        let directory = TemporaryDirectory()
        let data = directory.path + "/nested/data"
        let paths = try SampleGenerator(sessionCount: 2, seed: 3).write(into: DataDirectory(path: data))
        #expect(permissions(data) == 0o700)
        for path in paths { #expect(permissions(path) == 0o600) }
        let names = paths.map { $0.split(separator: "/").last.map(String.init)! }
        #expect(names == names.sorted(), "names sort by start time")
        #expect(names.allSatisfy { $0.hasPrefix("2026-") && $0.hasSuffix(".tlog") })
    }

    @Test func theSameSeedWritesTheSameBytes() throws {
        let a = TemporaryDirectory()
        let b = TemporaryDirectory()
        let first = try SampleGenerator(sessionCount: 6, seed: 42).write(into: DataDirectory(path: a.path))
        let second = try SampleGenerator(sessionCount: 6, seed: 42).write(into: DataDirectory(path: b.path))
        #expect(first.map { readBytes($0) } == second.map { readBytes($0) })
        let other = try SampleGenerator(sessionCount: 6, seed: 43).write(into: DataDirectory(path: TemporaryDirectory().path))
        #expect(other.map { readBytes($0) } != first.map { readBytes($0) })
    }

    @Test func minimumRecordsPadsEveryLog() throws {
        let directory = TemporaryDirectory()
        let paths = try SampleGenerator(sessionCount: 3, seed: 9, minimumRecords: 400).write(into: DataDirectory(path: directory.path))
        for path in paths {
            #expect(try LogReader.verify(path: path).validRecords >= 400)
        }
    }
}
