import Foundation
import Testing
import TrilliumCore
import TrilliumLog
import TrilliumServices
import TrilliumSettings

/// The clinical record through the real recorder and the files: recall by
/// every kind of consumable, attachments kept by digest and checked by the
/// reports, and the record laid out field by field.
@Suite("The clinical record in reports, recall and attachments")
struct ClinicalRecordServiceTests {
    /// 2026-01-05 09:00 UTC.
    static let start: Int64 = Int64(CivilDate.days(year: 2026, month: 1, day: 5)) * 86_400_000 + 9 * 3_600_000
    /// The smallest PNG a browser draws: one grey pixel.
    static let png: [UInt8] = [
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x00, 0x00, 0x00, 0x3A, 0x7E, 0x9B, 0x55, 0x00, 0x00, 0x00, 0x0A, 0x49, 0x44, 0x41,
        0x54, 0x78, 0x01, 0x63, 0x68, 0x00, 0x00, 0x00, 0x82, 0x00, 0x81, 0x4C, 0x17, 0xD7, 0xDF, 0x00, 0x00, 0x00, 0x00, 0x49,
        0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ]

    /// One whole session under the embedded protocol: a pen or the roller, the
    /// consultation, before-photos, a dose from `anestheticLot`, a product from
    /// `productLot` on both zones, signed. Returns its log's path.
    @discardableResult
    static func session(_ directory: DataDirectory, at wall: Int64, patient: String, roller: Bool, lot: String,
                        anestheticLot: String, productLot: String, photo: [UInt8]? = nil, seed: UInt64) throws -> String {
        let p = ProtocolFile.defaultProtocol()
        let clock = ManualClock(wallMilliseconds: wall)
        let store = SessionStore(directory: directory, clock: clock, ids: SeededRecordIDs(seed: seed), appVersion: "test")
        let device = roller
            ? DeviceIdentity(model: "Dermaroller", serial: "DR-1", profile: "dermaroller", needleLength: Depth(micrometres: 500))
            : DeviceIdentity(model: "SkinPen Precision", serial: "SP-1", profile: "skinpen")
        let zones: [ZoneID] = ["forehead", "periorbital_left"]
        let r = try store.open(Intake(patientReference: patient, operatorName: "A. Moreau", workstation: "room-1", device: device,
                                      cartridge: Cartridge(lot: lot, expiry: "2028-01"), plannedZones: zones, isTraining: false),
                               treatmentProtocol: p, protocolText: DefaultProtocol.text)
        defer { r.close() }
        try r.record(.consultationRecorded(Consultation(skinType: .four, concerns: ["acne_scars", "texture"],
                                                        goals: "Smoother forehead before the summer", ageConfirmed: true,
                                                        minimumAge: roller ? 18 : 22)))
        for q in p.screening { try r.record(.screeningAnswered(question: q.id, answer: false)) }
        try r.record(.screeningCompleted)
        if let photo {
            let kept = try AttachmentStore(directory: directory).keep(bytes: photo, name: "\(patient)-before.png", kind: .photo)
            try r.record(.attachmentAdded(kept))
        }
        for item in p.preparation {
            let named = item.attachmentKind.map { r.state.attachments(of: $0).map(\.attachment.digest) } ?? []
            try r.record(.preparationConfirmed(item: item.id, attachments: named))
        }
        try r.record(.preparationCompleted)
        try r.record(.anestheticApplied(agent: "lidocaine_4", occluded: false, dose: AnestheticDose(
            amount: 6_500, area: 90, zones: zones, lot: anestheticLot, expiry: "2027-06", appliedBy: "A. Moreau", setting: .clinic)))
        clock.advance(milliseconds: 31 * 60_000)
        try r.removeAnesthetic(earlyRemovalReason: nil)
        for item in p.antisepsis { try r.record(.antisepsisConfirmed(item: item.id)) }
        try r.record(.treatmentStarted)
        let needle = r.state.rollerNeedleLength
        for zone in zones {
            let depth = needle ?? Depth(micrometres: 250)
            try r.record(.depthSet(zone: zone, depth: depth, reason: p.zone(zone)!.allows(depth) ? nil : "Roller length"))
            if let statement = p.zone(zone)?.confirmation { try r.record(.zoneConfirmed(zone: zone, statement: statement)) }
            try r.record(.productApplied(ProductApplication(product: "ha_glide", name: "Hyaluronic acid glide serum (sterile)", zone: zone,
                                                            lot: productLot, expiry: "2027-12")))
            try r.record(.passRecorded(zone: zone, direction: "horizontal", depth: depth))
            try r.record(.endpointReached(zone: zone, endpoint: "erythema"))
            try r.record(.zoneCompleted(zone: zone))
        }
        try r.record(.treatmentCompleted)
        for item in p.aftercare { try r.record(.aftercareConfirmed(item: item.id)) }
        try r.record(.signed(SignOff(attestation: "Complete and accurate.")))
        return r.path
    }

    static func clinic() throws -> (DataDirectory, SessionStore, [String]) {
        let directory = DataDirectory(path: NSTemporaryDirectory() + "trillium-clinical-\(UUID().uuidString)")
        let day: Int64 = 86_400_000
        let paths = [
            try session(directory, at: start, patient: "P-1", roller: false, lot: "CL-1", anestheticLot: "AN-1", productLot: "HA-1",
                        photo: png, seed: 1),
            try session(directory, at: start + 30 * day, patient: "P-2", roller: true, lot: "RL-1", anestheticLot: "AN-1", productLot: "HA-2",
                        seed: 2),
            try session(directory, at: start + 31 * day, patient: "P-3", roller: false, lot: "CL-2", anestheticLot: "AN-2", productLot: "HA-1",
                        seed: 3),
        ]
        return (directory, SessionStore(directory: directory, appVersion: "test"), paths)
    }

    static func recall(_ store: SessionStore, _ lot: String) throws -> [String] {
        LotRecall.render(try SessionIndex(store: store, lot: lot), lot: lot).split(separator: "\n").map(String.init)
    }

    /// The sample clinic's consultations name the previous session as the app
    /// does: the patient's last treatment, signed and not training (an aborted
    /// or practice visit treated no one), and give a reason only for an early return.
    @Test func aSampleConsultationsPreviousSessionIsTheLastTreatment() throws {
        let root = NSTemporaryDirectory() + "trillium-previous-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let directory = DataDirectory(path: root)
        let store = SessionStore(directory: directory, appVersion: "test")
        let sessions = try SampleGenerator(sessionCount: 120, seed: 3).write(into: directory).map { try store.load(path: $0).state }
        let minimumDays = ProtocolFile.defaultProtocol().followUp.minimumWeeks * 7
        var lastTreated: [String: Int] = [:]
        var named = 0, early = 0
        for case let state? in sessions {
            let patient = try #require(state.opening?.patientReference)
            let day = CivilDate.daysSinceEpoch(wallMilliseconds: try #require(state.openedAt).wallMilliseconds)
            if let consultation = state.consultation?.consultation {
                #expect(consultation.previousSession == lastTreated[patient].map { CivilDate.text(days: $0) }, "\(patient) on day \(day)")
                let isEarly = lastTreated[patient].map { day - $0 < minimumDays } ?? false
                #expect((consultation.earlyReturnReason != nil) == isEarly, "\(patient) on day \(day)")
                named += consultation.previousSession == nil ? 0 : 1
                early += isEarly ? 1 : 0
            }
            if state.phase == .signed, state.opening?.isTraining == false { lastTreated[patient] = day }
        }
        #expect(named > 10 && early > 0, "the samples hold returns, early ones among them")
    }

    @Test func lotsFindsEveryKindOfConsumable() throws {
        let (directory, store, _) = try Self.clinic()
        defer { try? FileManager.default.removeItem(atPath: directory.path) }
        let cartridge = try Self.recall(store, "CL-1")
        #expect(cartridge.first == "Lot CL-1: 1 session(s), 1 patient(s)")
        #expect(cartridge.contains { $0.contains("P-1") && $0.hasSuffix("cartridge CL-1") })
        let roller = try Self.recall(store, "rl-1")
        #expect(roller.contains { $0.contains("P-2") && $0.hasSuffix("roller RL-1") }, "\(roller)")
        let anesthetic = try Self.recall(store, "AN-1")
        #expect(anesthetic.first == "Lot AN-1: 2 session(s), 2 patient(s)")
        #expect(anesthetic.filter { $0.contains("anesthetic Lidocaine 4% AN-1") }.count == 2)
        let product = try Self.recall(store, "HA-1")
        #expect(product.first == "Lot HA-1: 2 session(s), 2 patient(s)")
        #expect(product.contains { $0.contains("P-3")
                && $0.hasSuffix("product Hyaluronic acid glide serum (sterile) HA-1 on Forehead, Periorbital (left)") })
        #expect(try Self.recall(store, "HA-9").first == "Lot HA-9: 0 session(s), 0 patient(s)")
    }

    @Test func aCorrectedAnestheticLotIsFoundUnderBothValues() throws {
        let (directory, store, paths) = try Self.clinic()
        defer { try? FileManager.default.removeItem(atPath: directory.path) }
        let recorder = try store.resume(path: paths[2])
        let seq = try #require(recorder.state.anesthetic?.appliedSeq)
        try recorder.record(.recordCorrected(Correction(seq: seq, field: "lot", oldValue: "AN-2", newValue: "AN-3", reason: "Label misread")),
                            by: "A. Moreau")
        recorder.close()
        #expect(try Self.recall(store, "AN-3").contains { $0.hasSuffix("anesthetic Lidocaine 4% AN-3 (first recorded as AN-2)") })
        #expect(try Self.recall(store, "AN-2").contains { $0.hasSuffix("anesthetic Lidocaine 4% corrected to AN-3 (recorded as AN-2)") })
    }

    @Test func anAttachmentChangedOrRemovedIsReportedNeverAccepted() throws {
        let (directory, store, paths) = try Self.clinic()
        defer { try? FileManager.default.removeItem(atPath: directory.path) }
        let loaded = try store.load(path: paths[0])
        let state = try #require(loaded.state)
        let shelf = AttachmentStore(directory: directory)
        let attachment = try #require(state.attachments.first).attachment
        #expect(attachment.digest == Digest.hex(of: Self.png) && attachment.size == Self.png.count)
        #expect(state.preparationAttachments["photos"] == [attachment.digest])
        func report() -> String { TextReportRenderer.render(SessionReport(session: loaded, state: state, attachments: shelf)) }
        #expect(report().contains("present, SHA-256 matches"))
        let html = HTMLReportRenderer.render(session: loaded, state: state, attachments: shelf)
        #expect(html.contains("<img alt=\"P-1-before.png\" src=\"data:image/png;base64,iVBORw0KGgo"))

        let file = directory.attachmentPath(digest: attachment.digest)
        try Data([0x89, 0x50, 0x4E, 0x47, 0x00]).write(to: URL(fileURLWithPath: file))
        #expect(shelf.status(of: attachment.digest) == .changed(actualDigest: Digest.hex(of: [0x89, 0x50, 0x4E, 0x47, 0x00])))
        #expect(report().contains("CHANGED since it was attached"))
        #expect(report().contains("attachment P-1-before.png: CHANGED"), "listed under the warnings for review")
        #expect(!HTMLReportRenderer.render(session: loaded, state: state, attachments: shelf).contains("<img"), "a changed photo is never shown")

        try FileManager.default.removeItem(atPath: file)
        #expect(shelf.status(of: attachment.digest) == .missing)
        #expect(report().contains("MISSING from attachments/"))
        let json = JSONReportRenderer.render(session: loaded, state: state, attachments: shelf)
        #expect(json.contains("\"file_now\":\"MISSING from attachments/\""))
    }

    @Test func theReportLaysOutTheClinicalRecord() throws {
        let (directory, store, paths) = try Self.clinic()
        defer { try? FileManager.default.removeItem(atPath: directory.path) }
        let loaded = try store.load(path: paths[1])
        let state = try #require(loaded.state)
        let text = TextReportRenderer.render(SessionReport(session: loaded, state: state))
        for expected in [
            "Dermaroller (roller), serial DR-1, needles 0.50 mm", "Roller:            lot RL-1",
            "Fitzpatrick skin type: IV", "Acne scars, Texture", "Smoother forehead before the summer", "confirmed 18 or over",
            "6.5 g (maximum 40 g)", "90 cm² (maximum 400 cm²); Forehead, Periorbital (left)", "AN-1, expiry 2027-06",
            "A. Moreau, in the clinic", "confirmed (#", "Outside the orbital rim, never on the eyelids",
            "Products into the channels", "HA-2",
        ] {
            #expect(text.contains(expected), "\(expected)")
        }
        let json = JSONReportRenderer.render(session: loaded, state: state)
        #expect(json.contains("\"amount_mg\":6500") && json.contains("\"area_cm2\":90") && json.contains("\"setting\":\"clinic\""))
        #expect(json.contains("\"skin_type\":\"IV\""))
        #expect(json.contains("\"needle_um\":500"))
    }

    @Test func historyGivesTheMaintenanceDateAfterACompletedSeries() throws {
        let directory = DataDirectory(path: NSTemporaryDirectory() + "trillium-maintenance-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(atPath: directory.path) }
        for visit in 0..<3 {
            try Self.session(directory, at: Self.start + Int64(visit) * 35 * 86_400_000, patient: "P-9", roller: false, lot: "CL-\(visit)",
                             anestheticLot: "AN-\(visit)", productLot: "HA-\(visit)", seed: UInt64(10 + visit))
        }
        let store = SessionStore(directory: directory, appVersion: "test")
        let text = PatientHistory.render(try SessionIndex(store: store, patient: "P-9"), patient: "P-9")
        // The third of a series of 3–6 on 2026-03-16: the series may end here, and maintenance is six months on.
        #expect(text.contains("if the series ends here, maintenance on 2026-09-16 (every 6 months)."), "\(text)")
        #expect(text.contains("SkinPen Precision, type IV, Lidocaine 4% 6.5 g"))
    }
}
