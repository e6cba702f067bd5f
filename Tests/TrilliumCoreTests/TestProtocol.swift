import Testing
import TrilliumCore

/// A small protocol built in code, so the core's tests need no file and no TOML.
enum TestProtocol {
    static let make = TreatmentProtocol(
        id: "test", version: "1", title: "Test protocol", digest: String(repeating: "a", count: 64),
        devices: [.single(DeviceLimits(depthStep: Depth(micrometres: 250), maximumDepth: Depth(micrometres: 2500),
                             evaluatedMaximumDepth: Depth(micrometres: 1500)))],
        zones: [
            Zone(id: "forehead", name: "Forehead", minimumDepth: Depth(micrometres: 250),
                 maximumDepth: Depth(micrometres: 500), defaultDepth: Depth(micrometres: 500)),
            Zone(id: "cheek", name: "Cheek", minimumDepth: Depth(micrometres: 500),
                 maximumDepth: Depth(micrometres: 1500), defaultDepth: Depth(micrometres: 1000)),
            Zone(id: "scars", name: "Acne scars", minimumDepth: Depth(micrometres: 1000),
                 maximumDepth: Depth(micrometres: 2000), defaultDepth: Depth(micrometres: 1500)),
        ],
        targetPasses: 3,
        directions: [PassDirection(id: "horizontal", name: "Horizontal", symbol: "↔", asciiSymbol: "-"),
                     PassDirection(id: "vertical", name: "Vertical", symbol: "↕", asciiSymbol: "|")],
        endpoints: [ClinicalEndpoint(id: "erythema", name: "Erythema")],
        anesthesia: AnesthesiaRules(allowsNone: true, agents: [
            AnestheticAgent(id: "lido", name: "Lidocaine 4%", minimumDwell: 30 * 60_000, maximumDwell: 60 * 60_000, occlusion: .optional),
            AnestheticAgent(id: "emla", name: "EMLA", minimumDwell: 60 * 60_000, maximumDwell: 120 * 60_000, occlusion: .required),
            AnestheticAgent(id: "blt", name: "BLT", minimumDwell: 20 * 60_000, maximumDwell: 30 * 60_000, occlusion: .never),
        ]),
        screening: [
            ScreeningQuestion(id: "pregnancy", text: "Pregnant or breastfeeding?", rule: .relative),
            ScreeningQuestion(id: "keloid", text: "Keloid scarring?", rule: .relative),
            ScreeningQuestion(id: "cold_sores", text: "History of cold sores?", rule: .requiresProphylaxis,
                              prophylaxis: "Antiviral prophylaxis taken"),
        ],
        preparation: [ChecklistItem(id: "consent", text: "Consent signed"), ChecklistItem(id: "photos", text: "Photos taken")],
        antisepsis: [ChecklistItem(id: "alcohol", text: "Antisepsis with 70% alcohol")],
        aftercare: [ChecklistItem(id: "instructions", text: "Instructions given"), ChecklistItem(id: "spf", text: "SPF daily")],
        followUp: FollowUp(minimumWeeks: 4, maximumWeeks: 6, seriesMinimum: 3, seriesMaximum: 6))
}

/// Drives a `SessionState` record by record with a clock the test moves.
struct Driver {
    var state = SessionState(treatmentProtocol: TestProtocol.make)
    var stamp = EventStamp(wallMilliseconds: 1_767_600_000_000, monotonicNanoseconds: 10_000_000_000, bootID: "boot-a")
    /// Every record applied, in order: the log this session would have written.
    var records: [SessionRecord] = []

    /// 2026-01-05 08:00 UTC.
    static let start: Int64 = 1_767_600_000_000

    func record(_ event: SessionEvent, by: String = "A. Moreau") -> SessionRecord {
        SessionRecord(seq: state.lastSeq + 1, id: "id-\(state.lastSeq + 1)", stamp: stamp, by: by, event: event)
    }

    mutating func apply(_ event: SessionEvent) throws(SessionError) {
        let made = record(event)
        try state.apply(made)
        records.append(made)
    }

    /// Applies `event` expecting a refusal; returns the error and checks the state did not change.
    mutating func refusal(_ event: SessionEvent) -> SessionError? {
        let before = state
        let candidate = record(event)
        var validateError: SessionError?
        do { try state.validate(candidate) } catch { validateError = error }
        do {
            try state.apply(candidate)
            return nil
        } catch {
            #expect(state == before, "a refused record changed the state")
            #expect(validateError == error, "validate and apply disagree")
            return error
        }
    }

    mutating func advance(minutes: Int64) {
        stamp.wallMilliseconds += minutes * 60_000
        stamp.monotonicNanoseconds += UInt64(minutes) * 60_000_000_000
    }

    static func opening(zones: [ZoneID] = ["forehead", "cheek"], expiry: String = "2027-03",
                        patient: String = "P-1001") -> SessionOpening {
        SessionOpening(
            sessionID: "s-1", patientReference: patient, operatorName: "A. Moreau", workstation: "room-1",
            device: DeviceIdentity(model: "SkinPen", serial: "SP-1"), cartridge: Cartridge(lot: "L-1", expiry: expiry),
            protocolReference: ProtocolReference(TestProtocol.make), plannedZones: zones, appVersion: "test",
            isTraining: false)
    }

    /// A driver whose session has reached `phase` by the shortest legal path.
    static func at(_ phase: SessionPhase) throws -> Driver {
        var d = Driver()
        if phase == .intake { return d }
        try d.apply(.opened(opening()))
        if phase == .screening { return d }
        for q in TestProtocol.make.screening { try d.apply(.screeningAnswered(question: q.id, answer: false)) }
        try d.apply(.screeningCompleted)
        if phase == .preparation { return d }
        for item in TestProtocol.make.preparation { try d.apply(.preparationConfirmed(item: item.id)) }
        try d.apply(.preparationCompleted)
        if phase == .anesthesia { return d }
        try d.apply(.anestheticApplied(agent: "lido", occluded: false))
        d.advance(minutes: 35)
        try d.apply(.anestheticRemoved(try d.state.anestheticRemoval(at: d.stamp, earlyRemovalReason: nil)))
        try d.apply(.antisepsisConfirmed(item: "alcohol"))
        try d.apply(.treatmentStarted)
        if phase == .treatment { return d }
        for zone: ZoneID in ["forehead", "cheek"] {
            let depth = TestProtocol.make.zone(zone)!.defaultDepth
            try d.apply(.depthSet(zone: zone, depth: depth, reason: nil))
            try d.apply(.passRecorded(zone: zone, direction: "horizontal", depth: depth))
            try d.apply(.endpointReached(zone: zone, endpoint: "erythema"))
            try d.apply(.zoneCompleted(zone: zone))
        }
        try d.apply(.treatmentCompleted)
        if phase == .aftercare { return d }
        for item in TestProtocol.make.aftercare { try d.apply(.aftercareConfirmed(item: item.id)) }
        try d.apply(.signed(SignOff(attestation: "Complete and accurate.")))
        if phase == .signed { return d }
        precondition(phase == .aborted)
        d = try Driver.at(.screening)
        try d.apply(.aborted(reason: "Patient withdrew consent"))
        return d
    }
}

/// Minutes as the core counts time.
func minutes(_ count: Int64) -> Milliseconds { count * 60_000 }
