import Foundation
import Testing
import TrilliumCore
import TrilliumLog
import TrilliumServices
import TrilliumSettings

/// Corrections are followed by recall, history, listings and reports, with
/// the original shown beside the corrected value (issue 9, defect 3).
@Suite("Corrections followed on the command line")
struct CorrectionRecallTests {
    /// A session opened under lot LTO-77 and patient P-2O01, both corrected after screening began.
    static func correctedSession() throws -> String {
        let data = Command.temporaryDirectory()
        let store = SessionStore(directory: DataDirectory(path: data), clock: ManualClock(wallMilliseconds: 1_767_600_000_000),
                                 ids: SeededRecordIDs(seed: 3), appVersion: "test")
        let intake = Intake(patientReference: "P-2O01", operatorName: "J. Okafor", workstation: "room-2",
                            device: DeviceIdentity(model: "SkinPen Precision", serial: "SP-9", profile: "skinpen"),
                            cartridge: Cartridge(lot: "LTO-77", expiry: "2027-06"), plannedZones: ["forehead"], isTraining: false)
        let recorder = try store.open(intake, treatmentProtocol: ProtocolFile.defaultProtocol(), protocolText: DefaultProtocol.text)
        try recorder.record(.screeningAnswered(question: "pregnancy", answer: false))
        try recorder.record(.adverseEventReported(AdverseEvent(description: "Flushing", severity: .moderate, actionTaken: "Cool pack")))
        try recorder.record(.recordCorrected(Correction(seq: 1, field: "cartridge.lot", oldValue: "LTO-77", newValue: "LOT-77",
                                                        reason: "Letters transposed when typing the label")))
        try recorder.record(.recordCorrected(Correction(seq: 1, field: "patient_ref", oldValue: "P-2O01", newValue: "P-2001",
                                                        reason: "Letter O typed for zero")))
        try recorder.record(.recordCorrected(Correction(seq: 3, field: "severity", oldValue: "moderate", newValue: "mild",
                                                        reason: "Reassessed by the director")))
        recorder.close()
        return data
    }

    @Test func lotsFindsTheSessionUnderItsCorrectedLotAndSaysWhereItWasFirst() throws {
        let data = try Self.correctedSession()
        defer { try? FileManager.default.removeItem(atPath: data) }
        // Before the fix, LOT-77 found nothing and LTO-77 still found it.
        let corrected = try Command.run(["lots", "LOT-77", "--data-dir", data])
        #expect(corrected.status == 0, "\(corrected.error)")
        #expect(corrected.output.contains("1 session(s)"))
        #expect(corrected.output.contains("LOT-77 (first recorded as LTO-77)"), "\(corrected.output)")
        // Any case: labels are typed both ways.
        #expect(try Command.run(["lots", "lot-77", "--data-dir", data]).output.contains("1 session(s)"))
        // The old value still finds it, marked as corrected away.
        #expect(try Command.run(["lots", "LTO-77", "--data-dir", data]).output.contains("corrected to LOT-77 (recorded as LTO-77)"))
        #expect(try Command.run(["lots", "NONE-1", "--data-dir", data]).output.contains("0 session(s)"))
    }

    @Test func historyAndSessionsFollowTheCorrectedPatient() throws {
        let data = try Self.correctedSession()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let history = try Command.run(["history", "P-2001", "--data-dir", data])
        #expect(history.output.contains("1 session(s)"), "\(history.output)")
        #expect(history.output.contains("patient reference corrected from P-2O01 to P-2001"))
        let sessions = try Command.run(["sessions", "--data-dir", data])
        #expect(sessions.output.contains("P-2001 (was P-2O01)"), "\(sessions.output)")
    }

    @Test func theReportShowsEachCorrectedValueOnItsOwnLineWithTheOriginal() throws {
        let data = try Self.correctedSession()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let log = try DataDirectory.logFiles(in: data)[0]
        let report = try Command.run(["report", log, "--data-dir", data])
        #expect(report.status == 0, "\(report.error)")
        let lines = report.output.split(separator: "\n").map(String.init)
        let cartridge = try #require(lines.first { $0.hasPrefix("Cartridge:") })
        #expect(cartridge.contains("lot LOT-77 [corrected by #4; first recorded as \"LTO-77\"]"), "\(cartridge)")
        let patient = try #require(lines.first { $0.hasPrefix("Patient reference:") })
        #expect(patient.contains("P-2001 [corrected by #5; first recorded as \"P-2O01\"]"), "\(patient)")
        #expect(!patient.contains("LOT"), "the lot's correction is not on the patient's line")
        let adverse = try #require(lines.first { $0.contains("Flushing") })
        #expect(adverse.contains("Severity: Mild [corrected by #6; first recorded as \"moderate\"]"), "\(adverse)")
        #expect(report.output.contains("Field: Cartridge or roller lot"))
    }

    @Test func trainingSessionsAreLeftOutOfRecallAndHistoryUnlessAskedFor() throws {
        let data = Command.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let store = SessionStore(directory: DataDirectory(path: data), clock: ManualClock(wallMilliseconds: 1_767_600_000_000),
                                 ids: SeededRecordIDs(seed: 4), appVersion: "test")
        let text = ProtocolFile.trainingText(of: DefaultProtocol.text)
        let training = try ProtocolFile.parse(text, file: "training")
        #expect(training.title.contains("TRAINING"))
        #expect(training.anesthesia.agents[0].minimumDwell == 30_000, "30 minutes last 30 seconds")
        let intake = Intake(patientReference: "P-TRAIN", operatorName: "New Hire", workstation: "room-1",
                            device: DeviceIdentity(model: "SkinPen Precision", serial: "SP-1", profile: "skinpen"),
                            cartridge: Cartridge(lot: "LOT-T1", expiry: "2027-06"), plannedZones: ["forehead"], isTraining: true)
        let recorder = try store.open(intake, treatmentProtocol: training, protocolText: text)
        recorder.close()
        #expect(try Command.run(["lots", "LOT-T1", "--data-dir", data]).output.contains("0 session(s)"))
        #expect(try Command.run(["lots", "LOT-T1", "--include-training", "--data-dir", data]).output.contains("1 session(s)"))
        #expect(try Command.run(["history", "P-TRAIN", "--data-dir", data]).output.contains("No sessions"))
        #expect(try Command.run(["history", "P-TRAIN", "--include-training", "--data-dir", data]).output.contains("1 session(s)"))
        // The training protocol is kept by digest like any other, so the log reads years later.
        let report = try Command.run(["report", try DataDirectory.logFiles(in: data)[0], "--data-dir", data])
        #expect(report.status == 0, "\(report.error)")
        #expect(report.output.contains("[TRAINING]"))
    }
}
