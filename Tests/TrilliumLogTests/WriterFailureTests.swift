#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import TrilliumCore
import TrilliumLog
import TrilliumServices
import TrilliumSettings

@Suite("The writer acknowledges nothing after a failure")
struct WriterFailureTests {
    static func store(_ directory: TemporaryDirectory, files: FileOperations) -> SessionStore {
        SessionStore(directory: DataDirectory(path: directory.path), clock: ManualClock(wallMilliseconds: 1_767_600_000_000),
                     ids: SeededRecordIDs(seed: 1), files: files, appVersion: "test")
    }

    static let answers: [SessionEvent] = ProtocolFile.defaultProtocol().screening.map {
        .screeningAnswered(question: $0.id, answer: false)
    }

    /// Fails the n-th write or sync, once or for good, and checks what the
    /// recorder acknowledged against what the file holds.
    @Test(arguments: [(EIO, true), (EIO, false), (ENOSPC, true), (ENOSPC, false)])
    func failureAtEveryCall(code: Int32, persistent: Bool) throws {
        for callAfterOpening in 1...20 {
            let directory = TemporaryDirectory()
            let files = FaultyFileOperations()
            let recorder = try Self.store(directory, files: files).open(
                SampleLogs.intake, treatmentProtocol: ProtocolFile.defaultProtocol(), protocolText: DefaultProtocol.text)
            let failAt = files.calls + callAfterOpening
            files.failAt = failAt
            files.code = code
            files.persistent = persistent
            var acknowledged = 1
            var failed = false
            for event in Self.answers {
                do {
                    try recorder.record(event)
                    #expect(!failed, "acknowledged after a failure (fail at \(failAt))")
                    acknowledged += 1
                } catch {
                    if case .notSaved = error {} else { Issue.record("unexpected \(error)") }
                    failed = true
                }
            }
            #expect(failed)
            #expect(recorder.isReadOnly)
            #expect(recorder.state.lastSeq == acknowledged, "the state holds only what was saved")
            #expect(recorder.lastSavedSeq == acknowledged)
            // The writer never retried: exactly one failed call.
            #expect(files.failures == 1)
            recorder.close()
            // Whatever reached the disk, every acknowledged record is there and intact.
            let verification = try LogReader.verify(path: recorder.path)
            #expect(verification.validRecords >= acknowledged)
            #expect(verification.validRecords <= acknowledged + 1, "at most the unacknowledged record itself")
        }
    }

    @Test func shortWritesStillWriteWholeRecords() throws {
        let directory = TemporaryDirectory()
        let files = FaultyFileOperations()
        files.shortWrites = true
        let recorder = try Self.store(directory, files: files).open(
            SampleLogs.intake, treatmentProtocol: ProtocolFile.defaultProtocol(), protocolText: DefaultProtocol.text)
        for event in Self.answers { try recorder.record(event) }
        recorder.close()
        #expect(try LogReader.verify(path: recorder.path).status == .valid(.open))
        #expect(try LogReader.verify(path: recorder.path).validRecords == Self.answers.count + 1)
    }

    @Test func aRefusedRecordIsNeverWritten() throws {
        let directory = TemporaryDirectory()
        let (path, recorder) = try SampleLogs.shortSession(in: directory)
        let before = readBytes(path)
        #expect(throws: RecordingError.refused(.notAllowedInPhase(.treatmentStarted, .screening))) {
            try recorder.record(.treatmentStarted)
        }
        #expect(readBytes(path) == before)
        #expect(!recorder.isReadOnly)
    }

    /// What every reader would refuse is never written: a field outside its
    /// schema (here a note over its limit) would be read as a torn tail and
    /// cut off, with whatever followed it. Nor is a first record that would
    /// not read back: no file is made.
    @Test func aRecordThatWouldNotReadBackIsNeverWritten() throws {
        let directory = TemporaryDirectory()
        let (path, recorder) = try SampleLogs.shortSession(in: directory)
        let before = readBytes(path)
        let stamp = EventStamp(wallMilliseconds: 1_767_600_100_000, monotonicNanoseconds: 900_000_000_000, bootID: "boot")
        let tooLong = SessionRecord(seq: recorder.lastSavedSeq + 1, id: "x", stamp: stamp, by: "J. Okafor",
                                    event: .noteAdded(text: String(repeating: "n", count: RecordSchema.Limit.note + 1), addendumReason: nil))
        do {
            try recorder.writer.append(tooLong)
            Issue.record("a note over its limit was written")
        } catch {
            guard case let .unreadable(defect) = error else { Issue.record("\(error)"); return }
            #expect(defect.detail.contains("at most \(RecordSchema.Limit.note)"), "\(defect)")
        }
        #expect(readBytes(path) == before)
        // Through the recorder, the same: refused, nothing written, the session not read-only.
        #expect(throws: RecordingError.self) {
            try recorder.record(.noteAdded(text: String(repeating: "n", count: RecordSchema.Limit.note + 1), addendumReason: nil))
        }
        #expect(readBytes(path) == before)
        #expect(!recorder.isReadOnly)
        // The writer is not stopped by a refusal: the next good record is written.
        var fits = tooLong
        fits.event = .noteAdded(text: String(repeating: "n", count: RecordSchema.Limit.note), addendumReason: nil)
        try recorder.writer.append(fits)
        #expect(try LogReader.verify(path: path).validRecords == fits.seq)

        let opening = SessionOpening(sessionID: "s", patientReference: String(repeating: "P", count: RecordSchema.Limit.patientReference + 1),
                                     operatorName: "J. Okafor", workstation: "room-2", device: SampleLogs.intake.device,
                                     cartridge: SampleLogs.intake.cartridge,
                                     protocolReference: ProtocolReference(ProtocolFile.defaultProtocol()), plannedZones: ["forehead"],
                                     appVersion: "test", isTraining: false)
        let first = directory.file("first.tlog")
        #expect(throws: LogWriteError.self) {
            try SessionLogWriter.create(path: first, first: SessionRecord(seq: 1, id: "o", stamp: stamp, by: "J. Okafor", event: .opened(opening)))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix("first") }.isEmpty)
    }

    @Test func aSecondInstanceIsRefused() throws {
        let directory = TemporaryDirectory()
        let (path, recorder) = try SampleLogs.shortSession(in: directory)
        #expect(throws: ResumeError.lockedByAnotherInstance(path: path)) {
            _ = try LogRecovery.resume(path: path)
        }
        recorder.close()
        let resumed = try LogRecovery.resume(path: path)
        #expect(resumed.writer.lastSeq == 4)
    }

    @Test func anExistingFileOrASymlinkIsNeverOpenedForCreation() throws {
        let directory = TemporaryDirectory()
        let (path, recorder) = try SampleLogs.shortSession(in: directory)
        recorder.close()
        var first: SessionRecord?
        _ = try LogReader.read(path: path) { if first == nil { first = $0.record } }
        let opening = try #require(first)
        #expect(throws: LogWriteError.alreadyExists(path: path)) { _ = try SessionLogWriter.create(path: path, first: opening) }
        let link = directory.file("link.tlog")
        symlink(directory.file("elsewhere"), link)
        #expect(throws: LogWriteError.self) { _ = try SessionLogWriter.create(path: link, first: opening) }
        #expect(readBytes(directory.file("elsewhere")).isEmpty)
        // A planted symlink at the temporary name is not followed either.
        let planted = directory.file("planted.tlog")
        symlink(directory.file("target"), planted + SessionLogWriter.creationSuffix)
        #expect(throws: LogWriteError.self) { _ = try SessionLogWriter.create(path: planted, first: opening) }
        #expect(!FileManager.default.fileExists(atPath: directory.file("target")))
    }

    /// A log appears under its name only with its first record in it: a
    /// failure (or a crash) while creating it leaves no empty log behind,
    /// which verify would report as torn for ever.
    @Test func aFailedCreationLeavesNoLogAndNoTemporaryFile() throws {
        for operation in [FaultyFileOperations.Operation.write, .dataSync, .rename, .lock] {
            let directory = TemporaryDirectory()
            let files = FaultyFileOperations()
            files.failing = [operation]
            files.failAt = 1
            let store = SessionStore(directory: DataDirectory(path: directory.path), files: files, appVersion: "test")
            #expect(throws: StoreError.self) {
                _ = try store.open(SampleLogs.intake, treatmentProtocol: ProtocolFile.defaultProtocol(), protocolText: DefaultProtocol.text)
            }
            let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0 != "protocols" }
            #expect(names.isEmpty, "\(operation): \(names)")
        }
        // And a created log holds its opening at once.
        let directory = TemporaryDirectory()
        let (path, recorder) = try SampleLogs.shortSession(in: directory)
        recorder.close()
        #expect(try LogReader.verify(path: path).validRecords == 4)
    }
}
