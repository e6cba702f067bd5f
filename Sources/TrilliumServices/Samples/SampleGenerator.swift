import TrilliumCore
import TrilliumIdentity
import TrilliumLog
import TrilliumSettings

/// Writes realistic sessions into a data directory through the real state
/// machine and writer: patients who return for a series, cartridge lots
/// shared across sessions, overrides, notes, adverse events, corrections,
/// aborted sessions. The same seed gives the same files, byte for byte.
public struct SampleGenerator {
    public var sessionCount: Int
    public var seed: UInt64
    /// Each log holds at least this many records (padding with notes), for benchmarks.
    public var minimumRecords: Int
    public var treatmentProtocol: TreatmentProtocol
    public var protocolText: String
    /// Syncs each record as the app does; false writes benchmark inputs quickly.
    public var isDurable: Bool
    /// Writes the sample clinic's staff (`SampleStaff`) and runs every session
    /// as a signed-in operator: overrides authorised by the director, sign-offs
    /// signed, most sessions co-signed. Off, sessions are as before accounts.
    public var withStaff: Bool

    public init(sessionCount: Int, seed: UInt64, minimumRecords: Int = 0,
                treatmentProtocol: TreatmentProtocol = ProtocolFile.defaultProtocol(),
                protocolText: String = DefaultProtocol.text, isDurable: Bool = true, withStaff: Bool = false) {
        self.withStaff = withStaff
        self.sessionCount = sessionCount
        self.seed = seed
        self.minimumRecords = minimumRecords
        self.treatmentProtocol = treatmentProtocol
        self.protocolText = protocolText
        self.isDurable = isDurable
    }

    /// A planned session before it is written.
    struct Visit {
        var start: Int64
        var patient: String
        var operatorName: String
        var lot: Cartridge
        var zones: [ZoneID]
    }

    static let operators = ["A. Moreau", "J. Okafor", "S. Lindqvist", "R. Tanaka"]
    static let devices = [DeviceIdentity(model: "SkinPen Precision", serial: "SP-204117"),
                          DeviceIdentity(model: "Dermapen 4", serial: "DP4-88120")]
    /// 2026-01-05T08:00:00Z: the first generated session day.
    static let firstDay: Int64 = Int64(CivilDate.days(year: 2026, month: 1, day: 5)) * 86_400_000 + 8 * 3_600_000

    /// Writes the sessions; returns their file paths, oldest first. `observe`
    /// hears of each record as the recorder commits it, with the state after it.
    public func write(into directory: DataDirectory,
                      observe: ((_ path: String, SessionRecord, SessionState) -> Void)? = nil) throws(StoreError) -> [String] {
        var random = SeededRandom(seed: seed)
        var paths: [String] = []
        let files = POSIXFileOperations(syncs: isDurable)
        let key = withStaff ? try SampleStaff.install(in: directory, seed: seed, at: Self.firstDay - 7 * 86_400_000, files: files) : nil
        for (index, visit) in plan(&random).enumerated() {
            let clock = ManualClock(wallMilliseconds: visit.start, bootID: "sample-boot-\(seed)-\(index / 7)")
            let store = SessionStore(
                directory: directory, clock: clock, ids: SeededRecordIDs(seed: random.next()), files: files,
                appVersion: "trillium-sample")
            var script = SessionScript(random: SeededRandom(seed: random.next()), clock: clock,
                                       treatmentProtocol: treatmentProtocol, minimumRecords: minimumRecords,
                                       abortPhase: index % 8 == 5 ? (index / 8) % 4 : nil)
            let member = SampleStaff.operators.first { $0.name == visit.operatorName }
            if let key, let member {
                script.signing = SessionScript.Signing(key: SessionSigning(key: key), signer: SampleStaff.account(member),
                                                       director: SampleStaff.account(SampleStaff.director))
            }
            let intake = Intake(
                patientReference: visit.patient, operatorName: visit.operatorName, workstation: "room-\(index % 3 + 1)",
                device: Self.devices[index % Self.devices.count], cartridge: visit.lot, plannedZones: visit.zones,
                isTraining: random.chance(4), operatorID: key == nil ? nil : member?.id)
            let recorder = try store.open(intake, treatmentProtocol: treatmentProtocol, protocolText: protocolText)
            defer { recorder.close() }
            if let observe {
                // session.opened was committed inside open(): report it, then every record after it.
                let path = recorder.path
                if let opened = recorder.recentRecords.last { observe(path, opened, recorder.state) }
                recorder.didCommit = { observe(path, $0, $1) }
            }
            try script.run(recorder)
            paths.append(recorder.path)
        }
        return paths
    }

    /// Patients come back every 4–6 weeks for a series of six, then once a
    /// year; new patients arrive throughout, about seven sessions a day in
    /// all (three rooms), so 25,000 sessions span ten years as a clinic's
    /// would. A lot is bought each month and so shared by that month's sessions.
    private func plan(_ random: inout SeededRandom) -> [Visit] {
        let patientCount = max(1, sessionCount / 3)
        let patients = (0..<patientCount).map { index in
            "P-\(String(1000 + index * 37 + Int(random.next() % 30)))"
        }
        let seriesLength = 6
        let spanDays = Int64(sessionCount / 7)
        var visits: [Visit] = []
        var visitCounts = [Int](repeating: 0, count: patientCount)
        var nextVisit: [Int64] = patients.indices.map { index in
            Self.firstDay + (Int64(index) * spanDays / Int64(patientCount) + Int64(random.next() % 28)) * 86_400_000
        }
        let zoneSets: [[ZoneID]] = [
            ["forehead", "cheek_left", "cheek_right", "chin"],
            ["forehead", "glabella", "cheek_left", "cheek_right", "nose", "upper_lip", "chin"],
            ["cheek_left", "cheek_right", "acne_scars"],
            ["neck", "jawline_left", "jawline_right"],
            ["periorbital_left", "periorbital_right", "temple_left", "temple_right"],
        ].map { $0.filter { treatmentProtocol.zone($0) != nil } }.filter { !$0.isEmpty }
        let fallbackZones = [treatmentProtocol.zones[0].id]
        let patientZones = patients.map { _ in zoneSets.isEmpty ? fallbackZones : zoneSets[Int(random.next() % UInt64(zoneSets.count))] }
        while visits.count < sessionCount {
            // The patient due soonest comes in next, so sessions are made in time order.
            let patientIndex = nextVisit.indices.min { nextVisit[$0] < nextVisit[$1] } ?? 0
            let start = nextVisit[patientIndex] + Int64(random.next() % 480) * 60_000
            let month = CivilDate.date(days: CivilDate.daysSinceEpoch(wallMilliseconds: start))
            let monthText = (month.month < 10 ? "0" : "") + String(month.month)
            let lot = Cartridge(lot: "CL-\(month.year % 100)\(monthText)-\(String(4100 + month.month * 7))",
                                expiry: "\(month.year + 1)-\(monthText)")
            visits.append(Visit(start: start, patient: patients[patientIndex],
                                operatorName: Self.operators[Int(random.next() % UInt64(Self.operators.count))],
                                lot: lot, zones: patientZones[patientIndex]))
            let weeks = Int64(4 + random.next() % 3)
            visitCounts[patientIndex] += 1
            let interval = visitCounts[patientIndex] < seriesLength ? weeks * 7 : 365
            nextVisit[patientIndex] = start - start % 86_400_000 + interval * 86_400_000 + 8 * 3_600_000
        }
        return visits
    }
}

/// One session played through: the clinical steps in order, with the
/// variations a real treatment room sees.
struct SessionScript {
    var random: SeededRandom
    let clock: ManualClock
    let treatmentProtocol: TreatmentProtocol
    let minimumRecords: Int
    /// One session in eight is aborted, at a phase that varies, so every
    /// sample set holds aborted sessions whatever the seed.
    let abortPhase: Int?
    /// In a clinic with staff: who signs, and the director who authorises and reviews.
    var signing: Signing?

    struct Signing {
        var key: SessionSigning
        var signer: StaffAccount
        var director: StaffAccount
    }

    init(random: SeededRandom, clock: ManualClock, treatmentProtocol: TreatmentProtocol, minimumRecords: Int, abortPhase: Int?) {
        self.random = random
        self.clock = clock
        self.treatmentProtocol = treatmentProtocol
        self.minimumRecords = minimumRecords
        self.abortPhase = abortPhase
    }

    mutating func run(_ recorder: SessionRecorder) throws(StoreError) {
        do {
            try play(recorder)
        } catch {
            switch error {
            case let .refused(refusal): throw .refused(refusal)
            case let .notSaved(failure): throw .notSaved(failure)
            }
        }
    }

    private mutating func play(_ r: SessionRecorder) throws(RecordingError) {
        let p = treatmentProtocol
        let abortAt = abortPhase
        try Self.screen(r, &random, p, clock, director: signing?.director.id)
        if abortAt == 0 { return try abort(r, "Patient disclosed a contraindication on questioning") }
        try Self.prepare(r, &random, p, clock)
        if abortAt == 1 { return try abort(r, "Patient withdrew consent") }
        try Self.anesthetize(r, &random, p, clock)
        if abortAt == 2 { return try abort(r, "Patient felt faint; session stopped") }
        try Self.treat(r, &random, p, clock)
        try pad(r, leavingRoomFor: p.aftercare.count + 1)
        if abortAt == 3 { return try abort(r, "Device fault; cartridge replaced and session rebooked") }
        try Self.aftercare(r, &random, p, clock, signing: signing)
        if let signing, random.chance(70) {
            // The director reviews most sessions within a day or two.
            clock.advance(milliseconds: Int64(1 + random.next() % 2) * 86_400_000)
            try signing.key.cosign(r, by: signing.director)
        }
        if random.chance(20) {
            clock.advance(milliseconds: 3 * 3_600_000)
            try r.record(.noteAdded(text: "Patient called: mild redness as expected, reassured.",
                                    addendumReason: "Follow-up call after the session"))
        }
    }

    private func abort(_ recorder: SessionRecorder, _ reason: String) throws(RecordingError) {
        try pad(recorder, leavingRoomFor: 1)
        clock.advance(milliseconds: 60_000)
        try recorder.record(.aborted(reason: reason))
    }

    /// Notes until the log holds `minimumRecords` (leaving room for the closing records).
    private func pad(_ recorder: SessionRecorder, leavingRoomFor closingRecords: Int) throws(RecordingError) {
        let observations = ["Skin response even across the zone.", "Patient comfortable, no pain reported.",
                            "Glide serum reapplied.", "Mild erythema as expected."]
        var index = 0
        while recorder.state.lastSeq + closingRecords < minimumRecords {
            clock.advance(milliseconds: 1000)
            try recorder.record(.noteAdded(text: observations[index % observations.count] + " (\(index + 1))", addendumReason: nil))
            index += 1
        }
    }

    static func screen(_ r: SessionRecorder, _ random: inout SeededRandom, _ p: TreatmentProtocol, _ clock: ManualClock,
                       director: StaffID?) throws(RecordingError) {
        for question in p.screening {
            clock.advance(milliseconds: 8_000)
            // An absolute contraindication ends a session before it starts: samples are of sessions that took place.
            let yes = question.rule == .absolute ? false : question.rule == .requiresProphylaxis ? random.chance(25) : random.chance(2)
            try r.record(.screeningAnswered(question: question.id, answer: yes))
            if yes && question.rule.blocksOnYes {
                clock.advance(milliseconds: 30_000)
                try r.record(.screeningOverridden(question: question.id,
                                                  reason: "Reviewed with the medical director: not active in the treatment area",
                                                  authorisedBy: director))
            }
            if yes && question.rule == .requiresProphylaxis {
                try r.record(.prophylaxisConfirmed(question: question.id))
            }
        }
        try r.record(.screeningCompleted)
    }

    static func prepare(_ r: SessionRecorder, _ random: inout SeededRandom, _ p: TreatmentProtocol, _ clock: ManualClock) throws(RecordingError) {
        for item in p.preparation {
            clock.advance(milliseconds: 45_000)
            try r.record(.preparationConfirmed(item: item.id))
        }
        try r.record(.preparationCompleted)
    }

    static func anesthetize(_ r: SessionRecorder, _ random: inout SeededRandom, _ p: TreatmentProtocol, _ clock: ManualClock) throws(RecordingError) {
        if p.anesthesia.allowsNone && random.chance(5) {
            try r.record(.anestheticDeclined(reason: "Patient declined topical anesthetic"))
        } else {
            let agent = p.anesthesia.agents[Int(random.next() % UInt64(p.anesthesia.agents.count))]
            let occluded = agent.occlusion == .required || (agent.occlusion == .optional && random.chance(50))
            try r.record(.anestheticApplied(agent: agent.id, occluded: occluded))
            if random.chance(6) {
                clock.advance(milliseconds: agent.minimumDwell * 2 / 3)
                try r.removeAnesthetic(earlyRemovalReason: "Patient reported adequate numbness; medical director agreed")
            } else {
                let span = max(1, (agent.maximumDwell - agent.minimumDwell) / 60_000)
                let extra = random.chance(5) ? agent.maximumDwell - agent.minimumDwell + 120_000 : Int64(random.next() % UInt64(span)) * 60_000
                clock.advance(milliseconds: agent.minimumDwell + extra)
                try r.removeAnesthetic(earlyRemovalReason: nil)
            }
        }
        for item in p.antisepsis {
            clock.advance(milliseconds: 90_000)
            try r.record(.antisepsisConfirmed(item: item.id))
        }
        try r.record(.treatmentStarted)
    }

    static func treat(_ r: SessionRecorder, _ random: inout SeededRandom, _ p: TreatmentProtocol, _ clock: ManualClock) throws(RecordingError) {
        for zone in r.state.plannedZones {
            clock.advance(milliseconds: 20_000)
            if random.chance(7) {
                try r.record(.zoneSkipped(zone: zone.id, reason: "Active irritation in this zone today"))
                continue
            }
            var depth = zone.defaultDepth
            if random.chance(30), zone.maximumDepth > zone.defaultDepth {
                depth = Depth(micrometres: zone.defaultDepth.micrometres + p.device.depthStep.micrometres)
            }
            try r.record(.depthSet(zone: zone.id, depth: depth, reason: nil))
            let passes = p.targetPasses + (random.chance(15) ? 1 : 0)
            for pass in 0..<passes {
                clock.advance(milliseconds: 40_000 + Int64(random.next() % 30_000))
                let direction = p.directions[pass % p.directions.count]
                try r.record(.passRecorded(zone: zone.id, direction: direction.id, depth: depth))
            }
            let endpoint = depth.micrometres >= 1000 ? p.endpoints.last! : p.endpoints[0]
            try r.record(.endpointReached(zone: zone.id, endpoint: endpoint.id))
            try r.record(.zoneCompleted(zone: zone.id))
            if random.chance(8) {
                try r.record(.noteAdded(text: "Pinpoint bleeding settled with sterile gauze.", addendumReason: nil))
            }
        }
        if random.chance(5) {
            try r.record(.adverseEventReported(AdverseEvent(
                description: "Vasovagal light-headedness", severity: .mild,
                actionTaken: "Reclined, water given, recovered within 5 minutes")))
        }
        if random.chance(15), let firstPass = r.state.plannedZones.lazy.compactMap({ r.state.progress(of: $0.id).passes.first }).first {
            let newDirection = p.directions.first { $0.id != firstPass.direction }?.id ?? firstPass.direction
            try r.record(.recordCorrected(Correction(
                seq: firstPass.seq, field: "direction", oldValue: firstPass.direction.rawValue, newValue: newDirection.rawValue,
                reason: "Wrong direction key pressed; corrected on review")))
        }
        try r.record(.treatmentCompleted)
    }

    static func aftercare(_ r: SessionRecorder, _ random: inout SeededRandom, _ p: TreatmentProtocol, _ clock: ManualClock,
                          signing: Signing?) throws(RecordingError) {
        for item in p.aftercare {
            clock.advance(milliseconds: 15_000)
            try r.record(.aftercareConfirmed(item: item.id))
        }
        clock.advance(milliseconds: 30_000)
        if let signing {
            try signing.key.signOff(r, by: signing.signer, attestation: SessionSigning.attestation(by: signing.signer))
        } else {
            try r.record(.signed(SignOff(attestation: "I confirm this record is complete and accurate.")))
        }
    }
}
