import Foundation
import Testing
import TrilliumCore
import TrilliumLog
import TrilliumServices
import TrilliumSettings

/// A loaded session's notes stay in its log and are read back by offset
/// (issue 10: a million-record fold stays flat). What is read back must be
/// exactly what a fold that held them has, and a correction of a note is
/// checked against the note read back.
@Suite("Notes read back from the log")
struct NoteArchiveTests {
    /// The fold that holds every note, as the live recorder and replay make it.
    static func heldFold(_ path: String, _ treatmentProtocol: TreatmentProtocol) throws -> SessionState {
        var state = SessionState(treatmentProtocol: treatmentProtocol)
        var records: [SessionRecord] = []
        _ = try LogReader.read(path: path) { records.append($0.record) }
        for record in records { try state.apply(record) }
        return state
    }

    @Test func notesReadBackAreTheNotesAFoldHolds() throws {
        let directory = TemporaryDirectory()
        let paths = try SampleGenerator(sessionCount: 12, seed: 21, minimumRecords: 140).write(into: DataDirectory(path: directory.path))
        let store = SessionStore(directory: DataDirectory(path: directory.path), appVersion: "test")
        var notesCompared = 0
        for path in paths {
            let loaded = try #require(try store.load(path: path).state)
            let held = try Self.heldFold(path, loaded.treatmentProtocol)
            #expect(loaded.noteCount == held.noteCount)
            notesCompared += held.noteCount
            #expect(loaded.notes == held.notes)
            for note in held.notes {
                #expect(loaded.note(seq: note.seq) == note)
                #expect(loaded.currentEvent(seq: note.seq) == held.currentEvent(seq: note.seq))
            }
            #expect(loaded.note(seq: 1) == nil, "the opening is not a note")
        }
        #expect(notesCompared > 50)
    }

    @Test func aCorrectionOfANoteIsCheckedAgainstTheNoteReadBack() throws {
        let directory = TemporaryDirectory()
        let (path, recorder) = try SampleLogs.shortSession(in: directory)
        let noteSeq = recorder.state.lastSeq
        try recorder.record(.recordCorrected(Correction(seq: noteSeq, field: "text", oldValue: "Old scar on the shin only",
                                                        newValue: "Old scar on the left shin only", reason: "side omitted")))
        recorder.close()
        let store = SessionStore(directory: DataDirectory(path: directory.path), appVersion: "test")
        let loaded = try store.load(path: path)
        #expect(loaded.refusal == nil)
        let state = try #require(loaded.state)
        #expect(state.note(seq: noteSeq)?.text == "Old scar on the left shin only")
        let report = TextReportRenderer.render(SessionReport(session: loaded, state: state))
        #expect(report.contains("Old scar on the left shin only"))
        #expect(report.contains("first recorded as \"Old scar on the shin only\""))

        // The same log, recrafted so that the correction states another old text: refused at that record.
        var lines: [RecordLine] = []
        _ = try LogReader.read(path: path) { lines.append($0) }
        var previous = Digest.genesis
        var crafted: [UInt8] = []
        for line in lines {
            var record = line.record
            if case var .recordCorrected(correction) = record.event {
                correction.oldValue = "Something never written"
                record.event = .recordCorrected(correction)
            }
            let framed = RecordLine(record: record, previousDigest: previous)
            crafted += framed.bytes
            previous = framed.digest
        }
        let craftedPath = directory.file("2026-01-05T08-00-00.000Z_0000aaaa.tlog")
        writeBytes(crafted, to: craftedPath)
        let refused = try store.load(path: craftedPath)
        #expect(refused.verification.status == .valid(.open))
        #expect(refused.refusal?.seq == noteSeq + 1)
    }

    @Test func aNoteThatNoLongerReadsBackIsSaidInTheReport() throws {
        let directory = TemporaryDirectory()
        let (path, recorder) = try SampleLogs.shortSession(in: directory)
        try recorder.record(.noteAdded(text: "Patient comfortable", addendumReason: nil))
        recorder.close()
        let store = SessionStore(directory: DataDirectory(path: directory.path), appVersion: "test")
        let loaded = try store.load(path: path)
        let state = try #require(loaded.state)
        #expect(state.notes.map(\.text) == ["Old scar on the shin only", "Patient comfortable"])
        // The log is cut after it was read: its last note is gone from the file.
        let bytes = readBytes(path)
        let lastLine = bytes.dropLast().lastIndex(of: 0x0A)! + 1
        writeBytes(Array(bytes[..<lastLine]), to: path)
        #expect(state.notes.map(\.text) == ["Old scar on the shin only"])
        let report = TextReportRenderer.render(SessionReport(session: loaded, state: state))
        #expect(report.contains("1 of 2 notes could not be read back from the log"))
    }
}
