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
    /// Keeps before-photos and a consent form with most sessions, in `attachments/`.
    public var withAttachments: Bool

    public init(sessionCount: Int, seed: UInt64, minimumRecords: Int = 0,
                treatmentProtocol: TreatmentProtocol = ProtocolFile.defaultProtocol(),
                protocolText: String = DefaultProtocol.text, isDurable: Bool = true, withStaff: Bool = false,
                withAttachments: Bool = true) {
        self.withStaff = withStaff
        self.withAttachments = withAttachments
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
        /// The patient's visit before this one, if any.
        var previousStart: Int64?
        /// Why the patient is back sooner than the protocol's interval, when they are.
        var earlyReturnReason: String?
    }

    static let operators = ["A. Moreau", "J. Okafor", "S. Lindqvist", "R. Tanaka"]
    /// Serials of the sample clinic's devices, by protocol profile; a protocol without profiles gets the first two as typed models.
    static let serials: [DeviceProfileID: String] = ["skinpen": "SP-204117", "dermapen4": "DP4-88120", "dermaroller": "DR-5502"]
    static let typedDevices = [DeviceIdentity(model: "SkinPen Precision", serial: "SP-204117"),
                               DeviceIdentity(model: "Dermapen 4", serial: "DP4-88120")]
    /// The roller's needle length: one roller a session, 0.5 mm for the face.
    static let rollerNeedle = Depth(micrometres: 500)

    /// The device of the `index`th session, and its consumable's lot (a roller is its own consumable).
    func device(forSession index: Int, lot: Cartridge) -> (DeviceIdentity, Cartridge) {
        let p = treatmentProtocol
        guard p.hasDeviceProfiles else { return (Self.typedDevices[index % Self.typedDevices.count], lot) }
        // Most sessions by pen, one in five by roller.
        let profile = p.devices[index % 5 == 4 ? p.devices.count - 1 : index % max(1, p.devices.count - 1)]
        let serial = Self.serials[profile.id] ?? "SN-\(profile.id)"
        guard profile.kind == .roller else { return (DeviceIdentity(model: profile.model, serial: serial, profile: profile.id), lot) }
        let needle = max(profile.limits.depthStep, min(profile.limits.maximumDepth, Self.rollerNeedle))
        return (DeviceIdentity(model: profile.model, serial: serial, profile: profile.id, needleLength: needle),
                Cartridge(lot: "R" + lot.lot.dropFirst(), expiry: lot.expiry))
    }
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
        // Each patient's last treatment: a signed session that was not training, as the app and history count it.
        var lastTreatment: [String: Int64] = [:]
        for (index, planned) in plan(&random).enumerated() {
            let visit = consulted(planned, lastTreatment: lastTreatment[planned.patient])
            let clock = ManualClock(wallMilliseconds: visit.start, bootID: "sample-boot-\(seed)-\(index / 7)")
            let store = SessionStore(
                directory: directory, clock: clock, ids: SeededRecordIDs(seed: random.next()), files: files,
                appVersion: "trillium-sample")
            var script = SessionScript(random: SeededRandom(seed: random.next()), clock: clock,
                                       treatmentProtocol: treatmentProtocol, minimumRecords: minimumRecords,
                                       abortPhase: index % 8 == 5 ? (index / 8) % 4 : nil)
            script.visit = visit
            if withAttachments { script.attachments = AttachmentStore(directory: directory, files: files) }
            let member = SampleStaff.operators.first { $0.name == visit.operatorName }
            if let key, let member {
                script.signing = SessionScript.Signing(key: SessionSigning(key: key), signer: SampleStaff.account(member),
                                                       director: SampleStaff.account(SampleStaff.director))
            }
            let (device, consumable) = self.device(forSession: index, lot: visit.lot)
            let intake = Intake(
                patientReference: visit.patient, operatorName: visit.operatorName, workstation: "room-\(index % 3 + 1)",
                device: device, cartridge: consumable, plannedZones: visit.zones,
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
            if recorder.state.phase == .signed && !intake.isTraining { lastTreatment[visit.patient] = visit.start }
            paths.append(recorder.path)
        }
        return paths
    }

    /// The visit as its consultation sees it: the previous session is the
    /// patient's last treatment (a training or aborted visit treated no one),
    /// and a reason for coming back early is given only when it is early.
    private func consulted(_ visit: Visit, lastTreatment: Int64?) -> Visit {
        var visit = visit
        visit.previousStart = lastTreatment
        let days = lastTreatment.map {
            CivilDate.daysSinceEpoch(wallMilliseconds: visit.start) - CivilDate.daysSinceEpoch(wallMilliseconds: $0)
        }
        if days.map({ $0 >= treatmentProtocol.followUp.minimumWeeks * 7 }) ?? true { visit.earlyReturnReason = nil }
        return visit
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
        var lastVisit = [Int64?](repeating: nil, count: patientCount)
        var earlyReasons = [String?](repeating: nil, count: patientCount)
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
                                lot: lot, zones: patientZones[patientIndex], previousStart: lastVisit[patientIndex],
                                earlyReturnReason: earlyReasons[patientIndex]))
            lastVisit[patientIndex] = start
            // One return in twenty comes a week early, for a reason the director accepts.
            let early = random.chance(5)
            earlyReasons[patientIndex] = early ? "Patient travelling for six weeks; medical director agreed to three weeks" : nil
            let weeks = early ? 3 : Int64(4 + random.next() % 3)
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
    /// The visit played, for the consultation's previous session.
    var visit: SampleGenerator.Visit?
    /// Where before-photos and consent forms are kept; nil writes none.
    var attachments: AttachmentStore?

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
        try consult(r)
        try Self.screen(r, &random, p, clock, director: signing?.director.id)
        if abortAt == 0 { return try abort(r, "Patient disclosed a contraindication on questioning") }
        try attach(r)
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

    static let goals = [
        "Softer acne scarring on both cheeks before a wedding in spring",
        "Smoother texture and smaller pores; would like makeup to sit better",
        "Fewer fine lines around the eyes without fillers",
        "More even tone after summer; wants a natural look",
    ]

    /// The consultation: skin type, concerns, goals in the patient's words, age.
    private mutating func consult(_ r: SessionRecorder) throws(RecordingError) {
        guard let rules = treatmentProtocol.consultation else { return }
        clock.advance(milliseconds: 120_000)
        // A patient's skin and concerns stay theirs from session to session.
        let patient = r.state.opening?.patientReference.utf8.reduce(0) { $0 &* 31 &+ Int($1) } ?? 0
        let types = FitzpatrickType.allCases
        let concerns = rules.concerns.isEmpty ? [] : [rules.concerns[(patient & Int.max) % rules.concerns.count].id]
        let previous = visit?.previousStart.map { CivilDate.text(days: CivilDate.daysSinceEpoch(wallMilliseconds: $0)) }
        try r.record(.consultationRecorded(Consultation(
            skinType: types[(patient & Int.max) / 7 % 5], concerns: concerns, goals: Self.goals[(patient & Int.max) / 3 % Self.goals.count],
            ageConfirmed: true, minimumAge: rules.minimumAge(with: r.state.device), previousSession: previous,
            earlyReturnReason: visit?.earlyReturnReason)))
    }

    /// Before-photos and the signed consent, kept by digest, for most sessions.
    private mutating func attach(_ r: SessionRecorder) throws(RecordingError) {
        guard let attachments, random.chance(60), let patient = r.state.opening?.patientReference else { return }
        let day = Times.date(clock.now())
        let files: [(String, AttachmentKind, [UInt8])] = (1...3).map { view in
            ("\(patient)-\(day)-before-\(view).png", .photo, SamplePhoto.png(seed: random.next(), width: 24, height: 32))
        } + [("\(patient)-\(day)-consent.txt", .consent, Array("Consent to microneedling, signed by \(patient) on \(day).\n".utf8))]
        for (name, kind, bytes) in files {
            clock.advance(milliseconds: 10_000)
            guard let attachment = try? attachments.keep(bytes: bytes, name: name, kind: kind) else { continue }
            try r.record(.attachmentAdded(attachment))
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
            // The photo and consent items name the files attached for them.
            let named = item.attachmentKind.map { r.state.attachments(of: $0).map(\.attachment.digest) } ?? []
            try r.record(.preparationConfirmed(item: item.id, attachments: named))
        }
        try r.record(.preparationCompleted)
    }

    static func anesthetize(_ r: SessionRecorder, _ random: inout SeededRandom, _ p: TreatmentProtocol, _ clock: ManualClock) throws(RecordingError) {
        if p.anesthesia.allowsNone && random.chance(5) {
            try r.record(.anestheticDeclined(reason: "Patient declined topical anesthetic"))
        } else {
            // Never an agent the screening ruled out; without one left, none.
            let state = r.state
            let allowed = p.anesthesia.agents.filter { agent in !agent.excludedBy.contains { state.screening[$0]?.answer == true } }
            guard !allowed.isEmpty else {
                try r.record(.anestheticDeclined(reason: "Every topical anesthetic ruled out by the screening answers"))
                return try antisepsis(r, p, clock)
            }
            let agent = allowed[Int(random.next() % UInt64(allowed.count))]
            let occluded = agent.occlusion == .required || (agent.occlusion == .optional && random.chance(50))
            // One patient in ten with lidocaine 4% puts it on at home, 40 minutes before coming in.
            let atHome = !agent.isCompounded && agent.occlusion != .never && agent.maximumDwell >= 45 * 60_000 && random.chance(10)
            let minutesAgo = atHome ? Int(min(40, agent.maximumDwell / 60_000 - 5)) : nil
            let dose = p.anesthesia.recordsDose ? sampleDose(agent, state: state, random: &random, minutesAgo: minutesAgo, by: r.operatorName) : nil
            try r.record(.anestheticApplied(agent: agent.id, occluded: occluded, dose: dose))
            let alreadyOn = Int64(minutesAgo ?? 0) * 60_000
            if random.chance(6) && alreadyOn < agent.minimumDwell * 2 / 3 {
                clock.advance(milliseconds: agent.minimumDwell * 2 / 3 - alreadyOn)
                try r.removeAnesthetic(earlyRemovalReason: "Patient reported adequate numbness; medical director agreed")
            } else {
                let span = max(1, (agent.maximumDwell - agent.minimumDwell) / 60_000)
                let extra = random.chance(5) ? agent.maximumDwell - agent.minimumDwell + 120_000 : Int64(random.next() % UInt64(span)) * 60_000
                clock.advance(milliseconds: max(60_000, agent.minimumDwell + extra - alreadyOn))
                try r.removeAnesthetic(earlyRemovalReason: nil)
            }
        }
        try antisepsis(r, p, clock)
    }

    /// A dose within the agent's limits: about 2 g per 10 cm² over the planned zones' share of the face.
    static func sampleDose(_ agent: AnestheticAgent, state: SessionState, random: inout SeededRandom, minutesAgo: Int?, by operatorName: String) -> AnestheticDose {
        let zones = state.plannedZones.map(\.id)
        let area = min(agent.maximumArea ?? 400, 40 * zones.count + Int(random.next() % 40))
        let amount = min(agent.maximumAmount ?? 20_000, area * 150 + Int(random.next() % 10) * 100)
        let day = CivilDate.date(days: CivilDate.daysSinceEpoch(wallMilliseconds: state.lastStamp?.wallMilliseconds ?? 0))
        let month = (day.month < 10 ? "0" : "") + String(day.month)
        return AnestheticDose(
            amount: amount, area: area, zones: zones, lot: "AN-\(day.year % 100)\(month)-\(agent.id.rawValue.split(separator: "_").map { $0.prefix(1).uppercased() }.joined())",
            expiry: "\(day.year + 1)-\(month)", appliedBy: minutesAgo == nil ? operatorName : AnestheticDose.patient,
            setting: minutesAgo == nil ? .clinic : .home, minutesBeforeRecord: minutesAgo)
    }

    static func antisepsis(_ r: SessionRecorder, _ p: TreatmentProtocol, _ clock: ManualClock) throws(RecordingError) {
        for item in p.antisepsis {
            clock.advance(milliseconds: 90_000)
            try r.record(.antisepsisConfirmed(item: item.id))
        }
        try r.record(.treatmentStarted)
    }

    static func treat(_ r: SessionRecorder, _ random: inout SeededRandom, _ p: TreatmentProtocol, _ clock: ManualClock) throws(RecordingError) {
        let device = r.state.device
        let directions = p.directions.filter { device.allows($0.id) }
        let glide = p.products.first { $0.isApproved }
        // One session in thirty uses a serum not made for open channels, with the director's reason.
        let offLabel = random.chance(3) ? p.products.first { !$0.isApproved } : nil
        for zone in r.state.plannedZones {
            clock.advance(milliseconds: 20_000)
            if random.chance(7) {
                try r.record(.zoneSkipped(zone: zone.id, reason: "Active irritation in this zone today"))
                continue
            }
            var depth = r.state.rollerNeedleLength ?? zone.defaultDepth(on: device.limits)
            if r.state.rollerNeedleLength == nil, random.chance(30), zone.maximumDepth > depth {
                depth = Depth(micrometres: depth.micrometres + device.limits.depthStep.micrometres)
                if !zone.allows(depth) { depth = zone.defaultDepth(on: device.limits) }
            }
            let reason = zone.allows(depth) ? nil : "Roller needle length is fixed at \(depth); lighter pressure over this zone"
            try r.record(.depthSet(zone: zone.id, depth: depth, reason: reason))
            if let statement = zone.confirmation {
                try r.record(.zoneConfirmed(zone: zone.id, statement: statement))
            }
            if let product = offLabel ?? glide {
                let day = CivilDate.date(days: CivilDate.daysSinceEpoch(wallMilliseconds: clock.now().wallMilliseconds))
                try r.record(.productApplied(ProductApplication(
                    product: product.id, name: product.name, zone: zone.id, lot: "\(product.id.rawValue.split(separator: "_")[0].uppercased())-\(day.year % 100)\(day.month < 10 ? "0" : "")\(day.month)",
                    expiry: "\(day.year + 1)-12",
                    reason: product.isApproved ? nil : "Patient's own request after discussion; medical director agreed")))
            }
            let passes = p.targetPasses + (random.chance(15) ? 1 : 0)
            for pass in 0..<passes {
                clock.advance(milliseconds: 40_000 + Int64(random.next() % 30_000))
                let direction = directions[pass % directions.count]
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
            let newDirection = directions.first { $0.id != firstPass.direction }?.id ?? firstPass.direction
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
