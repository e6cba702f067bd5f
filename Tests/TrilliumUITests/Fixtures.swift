import Foundation
import TrilliumCore
import TrilliumServices
import TrilliumSettings
import TrilliumUI

/// Sessions at every screen, built by folding records with a clock the test
/// moves: no terminal, no files.
struct SessionFixture {
    var state: SessionState
    var stamp: EventStamp
    var records: [SessionRecord] = []
    /// Who records: a typed name, or a staff id when the session is opened by a signed-in account.
    var by = "Dr. Ana Silva"

    /// 2026-03-02 09:00:00 UTC.
    static let start: Int64 = 1_772_442_000_000
    static let treatmentProtocol = ProtocolFile.defaultProtocol()

    init() {
        state = SessionState(treatmentProtocol: Self.treatmentProtocol)
        stamp = EventStamp(wallMilliseconds: Self.start, monotonicNanoseconds: 50_000_000_000, bootID: "fixture-boot")
    }

    mutating func advance(seconds: Int64) {
        stamp.wallMilliseconds += seconds * 1000
        stamp.monotonicNanoseconds += UInt64(seconds) * 1_000_000_000
    }

    mutating func apply(_ event: SessionEvent) {
        let record = SessionRecord(seq: state.lastSeq + 1, id: "r\(state.lastSeq + 1)", stamp: stamp, by: by, event: event)
        do {
            try state.apply(record)
        } catch {
            fatalError("fixture record refused: \(error)")
        }
        records.append(record)
        advance(seconds: 20)
    }

    var snapshot: SessionSnapshot {
        SessionSnapshot(state: state, path: "/var/lib/trillium/2026-03-02T09-00-00.000Z_5e551011.tlog",
                        lastSavedSeq: state.lastSeq, headDigest: String(repeating: "ab", count: 32),
                        recentRecords: Array(records.suffix(50)))
    }

    /// A session just opened, its consultation recorded: the screening questions next.
    static func opened() -> SessionFixture {
        var f = awaitingConsultation()
        f.apply(.consultationRecorded(consultation))
        return f
    }

    /// A session just opened: the consultation comes first. With an
    /// operator id, opened by a signed-in account, whose id signs each record.
    static func awaitingConsultation(operatorID: StaffID? = nil) -> SessionFixture {
        var f = SessionFixture()
        if let operatorID { f.by = operatorID.rawValue }
        f.apply(.opened(SessionOpening(
            sessionID: "5e551011-0000-4000-8000-000000000001", patientReference: "P-3001", operatorName: "Dr. Ana Silva",
            workstation: "room-1", device: DeviceIdentity(model: "SkinPen Precision", serial: "SP-204117", profile: "skinpen"),
            cartridge: Cartridge(lot: "CL-2603-11", expiry: "2027-05"), protocolReference: ProtocolReference(treatmentProtocol),
            plannedZones: ["forehead", "cheek_left", "cheek_right", "chin"], appVersion: "test", isTraining: false,
            operatorID: operatorID)))
        return f
    }

    static let consultation = Consultation(skinType: .three, concerns: ["acne_scars", "texture"],
                                           goals: "Less visible scarring, smoother texture", ageConfirmed: true, minimumAge: 22)

    /// 40 g of lidocaine 4% over 300 cm², applied in the clinic.
    static let dose = AnestheticDose(amount: 12_000, area: 300, zones: ["forehead", "cheek_left", "cheek_right", "chin"],
                                     lot: "AN-2603-L4", expiry: "2027-02", appliedBy: "Dr. Ana Silva", setting: .clinic)

    static func at(_ phase: SessionPhase) -> SessionFixture {
        var f = opened()
        let p = treatmentProtocol
        if phase == .screening {
            f.apply(.screeningAnswered(question: "isotretinoin", answer: false))
            f.apply(.screeningAnswered(question: "keloid", answer: true))
            f.apply(.screeningAnswered(question: "cold_sore_history", answer: true))
            return f
        }
        for q in p.screening { f.apply(.screeningAnswered(question: q.id, answer: false)) }
        f.apply(.screeningCompleted)
        if phase == .preparation {
            f.apply(.preparationConfirmed(item: "consent"))
            f.apply(.preparationConfirmed(item: "photos"))
            return f
        }
        for item in p.preparation { f.apply(.preparationConfirmed(item: item.id)) }
        f.apply(.preparationCompleted)
        if phase == .anesthesia { return f }
        f.apply(.anestheticApplied(agent: "lidocaine_4", occluded: true, dose: dose))
        f.advance(seconds: 32 * 60)
        f.apply(.anestheticRemoved(try! f.state.anestheticRemoval(at: f.stamp, earlyRemovalReason: nil)))
        f.apply(.antisepsisConfirmed(item: "alcohol"))
        f.apply(.treatmentStarted)
        if phase == .treatment {
            f.apply(.depthSet(zone: "forehead", depth: Depth(micrometres: 500), reason: nil))
            for direction: DirectionID in ["horizontal", "vertical", "diagonal_up"] {
                f.apply(.passRecorded(zone: "forehead", direction: direction, depth: Depth(micrometres: 500)))
            }
            f.apply(.endpointReached(zone: "forehead", endpoint: "erythema"))
            f.apply(.zoneCompleted(zone: "forehead"))
            f.apply(.depthSet(zone: "cheek_left", depth: Depth(micrometres: 1000), reason: nil))
            f.apply(.passRecorded(zone: "cheek_left", direction: "horizontal", depth: Depth(micrometres: 1000)))
            f.apply(.zoneSkipped(zone: "chin", reason: "Active irritation on the chin"))
            return f
        }
        for zone: ZoneID in ["forehead", "cheek_left", "cheek_right", "chin"] {
            let depth = p.zone(zone)!.defaultDepth
            f.apply(.depthSet(zone: zone, depth: depth, reason: nil))
            f.apply(.passRecorded(zone: zone, direction: "horizontal", depth: depth))
            f.apply(.endpointReached(zone: zone, endpoint: "erythema"))
            f.apply(.zoneCompleted(zone: zone))
        }
        f.apply(.treatmentCompleted)
        if phase == .aftercare {
            for item in p.aftercare.prefix(3) { f.apply(.aftercareConfirmed(item: item.id)) }
            return f
        }
        for item in p.aftercare { f.apply(.aftercareConfirmed(item: item.id)) }
        f.apply(.signed(SignOff(attestation: "I, Dr. Ana Silva, confirm this record of the session is complete and accurate.")))
        return f
    }

    /// A model showing this session, at `now`.
    func model(size: Size = Size(width: 80, height: 24), glyphs: GlyphSet = .unicode, now: EventStamp? = nil) -> AppModel {
        var model = AppModel(size: size, glyphs: glyphs, now: now ?? stamp, treatmentProtocol: Self.treatmentProtocol)
        (model, _) = AppUpdate.update(model, .sessionReady(snapshot, previousDepths: [
            "cheek_left": PreviousDepth(depth: Depth(micrometres: 1000), date: "2026-01-26"),
        ]))
        model.notice = nil
        return model
    }
}

extension AppModel {
    /// Sends keys one by one, returning every effect asked for.
    mutating func type(_ keys: [Key]) -> [Effect] {
        var effects: [Effect] = []
        for key in keys {
            let (next, more) = AppUpdate.update(self, .key(key))
            self = next
            effects += more
        }
        return effects
    }

    mutating func send(_ message: AppMessage) -> [Effect] {
        let (next, effects) = AppUpdate.update(self, message)
        self = next
        return effects
    }
}

func keys(_ text: String) -> [Key] {
    text.map { Key.character($0) }
}
