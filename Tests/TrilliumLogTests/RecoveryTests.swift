import Foundation
import Testing
import TrilliumCore
import TrilliumLog
import TrilliumServices

@Suite("Recovery after a crash")
struct RecoveryTests {
    @Test func aTornTailIsBackedUpCutAndRecorded() throws {
        let directory = TemporaryDirectory()
        let (path, recorder) = try SampleLogs.shortSession(in: directory)
        recorder.close()
        let intact = readBytes(path)
        let torn = Array("{\"seq\":5,\"prev\":\"ab".utf8)
        writeBytes(intact + torn, to: path)
        guard case .tornTail = try LogReader.verify(path: path).status else {
            Issue.record("not a torn tail")
            return
        }
        let store = SessionStore(directory: DataDirectory(path: directory.path), clock: ManualClock(wallMilliseconds: 1_767_600_100_000),
                                 ids: SeededRecordIDs(seed: 2), appVersion: "test")
        let resumed = try store.resume(path: path)
        let backup = path + ".torn-at-\(intact.count)"
        #expect(readBytes(backup) == torn, "the dropped bytes are kept beside the log")
        #expect(permissions(backup) == 0o600)
        #expect(Array(readBytes(path).prefix(intact.count)) == intact, "nothing acknowledged was touched")
        let last = resumed.state.repairs.last
        #expect(last?.repair == LogRepair(droppedBytes: torn.count, truncatedAt: intact.count, backupFile: (backup as NSString).lastPathComponent))
        #expect(resumed.state.lastSeq == 5)
        #expect(resumed.state.phase == .screening, "the session carries on where it was")
        try resumed.record(.screeningAnswered(question: "pregnancy", answer: false))
        resumed.close()
        #expect(try LogReader.verify(path: path).status == .valid(.open))
        #expect(try LogReader.verify(path: path).validRecords == 6)
    }

    @Test func aCorruptLogIsNeverModified() throws {
        let directory = TemporaryDirectory()
        let (path, recorder) = try SampleLogs.shortSession(in: directory)
        recorder.close()
        var bytes = readBytes(path)
        bytes[40] ^= 0x01
        writeBytes(bytes, to: path)
        let store = SessionStore(directory: DataDirectory(path: directory.path), appVersion: "test")
        #expect(throws: StoreError.self) { _ = try store.resume(path: path) }
        do {
            _ = try store.resume(path: path)
        } catch {
            guard case let .resume(.corrupt(defect)) = error else {
                Issue.record("expected a corrupt refusal, got \(error)")
                return
            }
            #expect(defect.line == 1)
        }
        #expect(readBytes(path) == bytes)
        let siblings = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(!siblings.contains { $0.contains("torn") })
    }

    @Test func anEmptyLogHasNothingToResume() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("2026-01-05T08-00-00.000Z_00000000.tlog")
        writeBytes([], to: path)
        #expect(throws: ResumeError.empty(path: path)) { _ = try LogRecovery.resume(path: path) }
    }

    @Test func aResumedSessionFoldsToTheStateItHadBeforeTheCrash() throws {
        let directory = TemporaryDirectory()
        let (path, recorder) = try SampleLogs.shortSession(in: directory)
        let before = recorder.state
        recorder.close()
        let store = SessionStore(directory: DataDirectory(path: directory.path), appVersion: "test")
        let resumed = try store.resume(path: path)
        #expect(resumed.state == before)
        #expect(resumed.operatorName == "J. Okafor")
    }
}
