import Foundation
import Testing
import TrilliumCore
import TrilliumLog
import TrilliumServices
import TrilliumSettings

@Suite("Patient history and lot recall")
struct HistoryAndLotTests {
    static let day: Int64 = 86_400_000
    /// 2026-01-05 09:00 UTC.
    static let start: Int64 = Int64(CivilDate.days(year: 2026, month: 1, day: 5)) * 86_400_000 + 9 * 3_600_000

    /// A whole session through the real recorder: signed, or aborted when `abort` is set.
    static func session(_ directory: DataDirectory, at wall: Int64, patient: String, lot: String, depth: Int = 500,
                        abort: Bool = false, seed: UInt64) throws {
        let p = ProtocolFile.defaultProtocol()
        let clock = ManualClock(wallMilliseconds: wall)
        let store = SessionStore(directory: directory, clock: clock, ids: SeededRecordIDs(seed: seed), appVersion: "test")
        let r = try store.open(Intake(patientReference: patient, operatorName: "A. Moreau", workstation: "room-1",
                                      device: DeviceIdentity(model: "SkinPen Precision", serial: "SP-1", profile: "skinpen"), cartridge: Cartridge(lot: lot, expiry: "2028-01"),
                                      plannedZones: ["forehead"], isTraining: false),
                               treatmentProtocol: p, protocolText: DefaultProtocol.text)
        defer { r.close() }
        try r.record(.consultationRecorded(Consultation(skinType: .two, concerns: ["texture"], goals: "Smoother skin", ageConfirmed: true, minimumAge: 22)))
        for q in p.screening { try r.record(.screeningAnswered(question: q.id, answer: false)) }
        try r.record(.screeningCompleted)
        if abort { try r.record(.aborted(reason: "Patient withdrew consent")); return }
        for item in p.preparation { try r.record(.preparationConfirmed(item: item.id)) }
        try r.record(.preparationCompleted)
        try r.record(.anestheticDeclined(reason: "Declined"))
        for item in p.antisepsis { try r.record(.antisepsisConfirmed(item: item.id)) }
        try r.record(.treatmentStarted)
        try r.record(.depthSet(zone: "forehead", depth: Depth(micrometres: depth), reason: nil))
        try r.record(.passRecorded(zone: "forehead", direction: "horizontal", depth: Depth(micrometres: depth)))
        try r.record(.endpointReached(zone: "forehead", endpoint: "erythema"))
        try r.record(.zoneCompleted(zone: "forehead"))
        try r.record(.treatmentCompleted)
        for item in p.aftercare { try r.record(.aftercareConfirmed(item: item.id)) }
        try r.record(.signed(SignOff(attestation: "Complete and accurate.")))
    }

    static func directory() throws -> (DataDirectory, SessionStore) {
        let directory = DataDirectory(path: NSTemporaryDirectory() + "trillium-history-\(UUID().uuidString)")
        try session(directory, at: start, patient: "P-A", lot: "L-1", depth: 250, seed: 1)
        try session(directory, at: start + 35 * day, patient: "P-A", lot: "L-2", seed: 2)
        try session(directory, at: start + 40 * day, patient: "P-B", lot: "L-1", seed: 3)
        try session(directory, at: start + 45 * day, patient: "P-A", lot: "L-2", abort: true, seed: 4)
        try session(directory, at: start + 55 * day, patient: "P-A", lot: "L-1", seed: 5)
        // A damaged file must be named, not silently left out.
        let broken = directory.path + "/2026-03-30T09-00-00.000Z_deadbeef.tlog"
        _ = FileManager.default.createFile(atPath: broken, contents: Data("{\"seq\":1} 00\n{\"seq\":2} 00\n".utf8))
        return (directory, SessionStore(directory: directory, appVersion: "test"))
    }

    @Test func aPatientsHistoryShowsIntervalsSeriesAndTheNextDueDate() throws {
        let (directory, store) = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory.path) }
        let text = PatientHistory.render(try SessionIndex(store: store, patient: "P-A"), patient: "P-A")
        #expect(text.contains("Patient P-A: 4 session(s), 3 treatment(s) in the series"))
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("2026-01-05") && $0.contains("#1") && $0.contains("Forehead 0.25") })
        #expect(lines.contains { $0.hasPrefix("2026-02-09") && $0.contains("#2") && $0.contains("35 d (in window)") })
        #expect(lines.contains { $0.hasPrefix("2026-02-19") && $0.contains("aborted") })
        #expect(lines.contains { $0.hasPrefix("2026-03-01") && $0.contains("#3") && $0.contains("20 d (early)") })
        #expect(text.contains("Next session between 2026-03-29 and 2026-04-12 (series 3 of 3–6); if the series ends here, maintenance on 2026-09-01 (every 6 months)."))
        #expect(text.contains("2026-03-30T09-00-00.000Z_deadbeef.tlog"), "the unreadable file is named")
    }

    @Test func aLotRecallListsEverySessionThatUsedIt() throws {
        let (directory, store) = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory.path) }
        let text = LotRecall.render(try SessionIndex(store: store, lot: "L-1"), lot: "L-1")
        #expect(text.contains("Lot L-1: 3 session(s), 2 patient(s)"))
        let rows = text.split(separator: "\n").filter { $0.hasPrefix("2026-") }
        #expect(rows.map { String($0.prefix(18)) } == ["2026-01-05  P-A   ", "2026-02-14  P-B   ", "2026-03-01  P-A   "])
        #expect(LotRecall.render(try SessionIndex(store: store, lot: "L-9"), lot: "L-9").contains("Lot L-9: 0 session(s), 0 patient(s)"))
    }
}
