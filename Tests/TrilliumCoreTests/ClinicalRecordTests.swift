import Testing
import TrilliumCore

/// The test protocol with what the clinical record adds: two devices (a pen
/// and a roller), a consultation, a zone that asks for a confirmation,
/// agents with limits and exclusions, a compounded agent, and products.
enum ClinicalProtocol {
    static let pen = DeviceProfile(id: "skinpen", model: "SkinPen Precision", kind: .pen,
                                   limits: DeviceLimits(depthStep: Depth(micrometres: 250), maximumDepth: Depth(micrometres: 2500),
                                                        evaluatedMaximumDepth: Depth(micrometres: 1500)), minimumAge: 22)
    static let roller = DeviceProfile(id: "roller", model: "Dermaroller", kind: .roller,
                                      limits: DeviceLimits(depthStep: Depth(micrometres: 250), maximumDepth: Depth(micrometres: 1500),
                                                           evaluatedMaximumDepth: Depth(micrometres: 1000)),
                                      directions: ["horizontal", "vertical"])

    static func make(allowsCompounded: Bool = true) -> TreatmentProtocol {
        var p = TestProtocol.make
        p.devices = [pen, roller]
        p.directions.append(PassDirection(id: "stamping", name: "Stamping", symbol: "•", asciiSymbol: "o"))
        p.zones.append(Zone(id: "periorbital", name: "Periorbital", minimumDepth: Depth(micrometres: 250),
                            maximumDepth: Depth(micrometres: 500), defaultDepth: Depth(micrometres: 250),
                            confirmation: "Outside the orbital rim, never on the eyelids"))
        p.screening.append(ScreeningQuestion(id: "anesthetic_allergy", text: "Allergy to topical anesthetics?", rule: .relative))
        p.anesthesia = AnesthesiaRules(allowsNone: true, agents: [
            AnestheticAgent(id: "lido", name: "Lidocaine 4%", minimumDwell: 30 * 60_000, maximumDwell: 60 * 60_000, occlusion: .optional,
                            maximumAmount: 40_000, maximumArea: 400, excludedBy: ["anesthetic_allergy"]),
            AnestheticAgent(id: "plain", name: "No-limit cream", minimumDwell: 20 * 60_000, maximumDwell: 60 * 60_000, occlusion: .optional),
            AnestheticAgent(id: "blt", name: "BLT", minimumDwell: 20 * 60_000, maximumDwell: 30 * 60_000, occlusion: .never,
                            maximumAmount: 10_000, isCompounded: true),
        ], recordsDose: true, allowsCompounded: allowsCompounded)
        p.consultation = ConsultationRules(concerns: [Concern(id: "acne_scars", name: "Acne scars"), Concern(id: "texture", name: "Texture")],
                                           minimumAge: 18)
        p.products = [TreatmentProduct(id: "ha", name: "Hyaluronic acid serum", isApproved: true),
                      TreatmentProduct(id: "vc", name: "Vitamin C serum", isApproved: false)]
        return p
    }

    static func opening(device: DeviceIdentity = DeviceIdentity(model: "SkinPen Precision", serial: "SP-1", profile: "skinpen"),
                        zones: [ZoneID] = ["forehead", "cheek", "periorbital"]) -> SessionOpening {
        var opening = Driver.opening(zones: zones)
        opening.device = device
        return opening
    }

    static func consultation(previous: String? = nil, reason: String? = nil, minimumAge: Int = 22, ageConfirmed: Bool = true) -> Consultation {
        Consultation(skinType: .three, concerns: ["acne_scars"], goals: "Softer scars on the cheeks", ageConfirmed: ageConfirmed,
                     minimumAge: minimumAge, previousSession: previous, earlyReturnReason: reason)
    }

    static func dose(_ amount: Milligrams = 10_000, area: Int? = 200, lot: String = "AN-1", expiry: String = "2027-01",
                     setting: AnestheticSetting = .clinic, minutesAgo: Int? = nil) -> AnestheticDose {
        AnestheticDose(amount: amount, area: area, zones: ["forehead", "cheek"], lot: lot, expiry: expiry,
                       appliedBy: setting == .home ? AnestheticDose.patient : "A. Moreau", setting: setting, minutesBeforeRecord: minutesAgo)
    }

    /// A driver under this protocol, played to `phase`, with `yes` answered yes (and overridden).
    static func driver(at phase: SessionPhase, opening: SessionOpening = opening(), yes: [QuestionID] = [],
                       protocol treatmentProtocol: TreatmentProtocol = make()) throws -> Driver {
        var d = Driver()
        d.state = SessionState(treatmentProtocol: treatmentProtocol)
        try d.apply(.opened(opening))
        if phase == .screening { return d }
        try d.apply(.consultationRecorded(consultation(minimumAge: opening.device.profile == "roller" ? 18 : 22)))
        for q in treatmentProtocol.screening {
            try d.apply(.screeningAnswered(question: q.id, answer: yes.contains(q.id)))
            if yes.contains(q.id) { try d.apply(.screeningOverridden(question: q.id, reason: "Reviewed")) }
        }
        try d.apply(.screeningCompleted)
        for item in treatmentProtocol.preparation { try d.apply(.preparationConfirmed(item: item.id)) }
        try d.apply(.preparationCompleted)
        if phase == .anesthesia { return d }
        try d.apply(.anestheticDeclined(reason: "Declined"))
        try d.apply(.antisepsisConfirmed(item: "alcohol"))
        try d.apply(.treatmentStarted)
        precondition(phase == .treatment)
        return d
    }
}

@Suite("The clinical record: dose, devices, consultation, confirmations, products, attachments")
struct ClinicalRecordTests {
    // MARK: Anesthetic dose

    @Test func aDoseAboveTheAgentsMaximumAmountOrAreaIsRefused() throws {
        var d = try ClinicalProtocol.driver(at: .anesthesia)
        #expect(d.refusal(.anestheticApplied(agent: "lido", occluded: false, dose: ClinicalProtocol.dose(40_001)))
            == .doseAboveMaximum(agent: "Lidocaine 4%", what: "amount", recorded: "40.001 g", maximum: "40 g"))
        #expect(d.refusal(.anestheticApplied(agent: "lido", occluded: false, dose: ClinicalProtocol.dose(area: 401)))
            == .doseAboveMaximum(agent: "Lidocaine 4%", what: "area", recorded: "401 cm²", maximum: "400 cm²"))
        // A limited area must be stated in cm²; the zones alone do not measure it.
        #expect(d.refusal(.anestheticApplied(agent: "lido", occluded: false, dose: ClinicalProtocol.dose(area: nil)))
            == .doseRequired(agent: "Lidocaine 4%", missing: "the area in cm², which the protocol limits"))
        try d.apply(.anestheticApplied(agent: "lido", occluded: false, dose: ClinicalProtocol.dose(40_000, area: 400)))
        #expect(d.state.anesthetic?.dose?.amount == 40_000)
    }

    @Test func anAgentWithoutAnAreaLimitMayRecordTheZonesCoveredInstead() throws {
        var d = try ClinicalProtocol.driver(at: .anesthesia)
        try d.apply(.anestheticApplied(agent: "plain", occluded: false, dose: ClinicalProtocol.dose(area: nil)))
        #expect(d.state.anesthetic?.dose?.zones == ["forehead", "cheek"])
    }

    @Test func theDoseIsRequiredWhereTheProtocolRecordsIt() throws {
        var d = try ClinicalProtocol.driver(at: .anesthesia)
        #expect(d.refusal(.anestheticApplied(agent: "lido", occluded: false))
            == .doseRequired(agent: "Lidocaine 4%", missing: "amount, area, lot, expiry and who applied it"))
    }

    @Test func anExpiredAnestheticLotIsRefused() throws {
        var d = try ClinicalProtocol.driver(at: .anesthesia)
        // The session is on 2026-01-05.
        #expect(d.refusal(.anestheticApplied(agent: "lido", occluded: false, dose: ClinicalProtocol.dose(expiry: "2026-01-04")))
            == .consumableExpired(what: "anesthetic", expiry: "2026-01-04"))
        #expect(d.refusal(.anestheticApplied(agent: "lido", occluded: false, dose: ClinicalProtocol.dose(lot: "  ")))
            == .entryRequired("The anesthetic needs its lot"))
        try d.apply(.anestheticApplied(agent: "lido", occluded: false, dose: ClinicalProtocol.dose(expiry: "2026-01-05")))
    }

    @Test func anAgentRuledOutByTheScreeningIsRefused() throws {
        var d = try ClinicalProtocol.driver(at: .anesthesia, yes: ["anesthetic_allergy"])
        #expect(d.refusal(.anestheticApplied(agent: "lido", occluded: false, dose: ClinicalProtocol.dose()))
            == .agentExcluded(agent: "Lidocaine 4%", question: "Allergy to topical anesthetics?"))
        // Another agent that the answer does not rule out is still allowed.
        try d.apply(.anestheticApplied(agent: "plain", occluded: false, dose: ClinicalProtocol.dose()))
    }

    @Test func aCompoundedAgentIsAWarningNeverAtHomeAndOnlyWhereAllowed() throws {
        var d = try ClinicalProtocol.driver(at: .anesthesia)
        #expect(d.refusal(.anestheticApplied(agent: "blt", occluded: false, dose: ClinicalProtocol.dose(5_000, setting: .home, minutesAgo: 10)))
            == .compoundedAtHome(agent: "BLT"))
        try d.apply(.anestheticApplied(agent: "blt", occluded: false, dose: ClinicalProtocol.dose(5_000)))
        #expect(d.state.warnings.contains(.compoundedAnesthetic(seq: d.state.lastSeq, agent: "blt")))

        var strict = try ClinicalProtocol.driver(at: .anesthesia, protocol: ClinicalProtocol.make(allowsCompounded: false))
        #expect(strict.refusal(.anestheticApplied(agent: "blt", occluded: false, dose: ClinicalProtocol.dose(5_000)))
            == .compoundedNotAllowed(agent: "BLT"))
    }

    @Test func anAgentAppliedAtHomeCountsItsDwellFromWhenItWentOn() throws {
        var d = try ClinicalProtocol.driver(at: .anesthesia)
        #expect(d.refusal(.anestheticApplied(agent: "lido", occluded: false, dose: ClinicalProtocol.dose(setting: .home)))
            == .doseRequired(agent: "Lidocaine 4%", missing: "how many minutes ago it was applied at home"))
        #expect(d.refusal(.anestheticApplied(agent: "lido", occluded: false, dose: ClinicalProtocol.dose(setting: .home, minutesAgo: 61))) != nil)
        try d.apply(.anestheticApplied(agent: "lido", occluded: false, dose: ClinicalProtocol.dose(setting: .home, minutesAgo: 25)))
        d.advance(minutes: 6)
        // 25 minutes at home and 6 here: past the 30-minute minimum, no early-removal reason asked.
        let removal = try d.state.anestheticRemoval(at: d.stamp, earlyRemovalReason: nil)
        #expect(removal.dwell == minutes(31))
        try d.apply(.anestheticRemoved(removal))
    }

    // MARK: Devices

    @Test func intakeChoosesOneOfTheProtocolsDevices() throws {
        var d = Driver()
        d.state = SessionState(treatmentProtocol: ClinicalProtocol.make())
        #expect(d.refusal(.opened(ClinicalProtocol.opening(device: DeviceIdentity(model: "SkinPen", serial: "S"))))
            == .invalidIntake(field: "device", problem: "must be one of the protocol's devices"))
        #expect(d.refusal(.opened(ClinicalProtocol.opening(device: DeviceIdentity(model: "X", serial: "S", profile: "laser")))) == .unknownDevice("laser"))
        #expect(d.refusal(.opened(ClinicalProtocol.opening(device: DeviceIdentity(model: "Dermaroller", serial: "S", profile: "roller"))))
            == .invalidIntake(field: "needle length", problem: "is required for a roller"))
        #expect(d.refusal(.opened(ClinicalProtocol.opening(device: DeviceIdentity(
            model: "SkinPen Precision", serial: "S", profile: "skinpen", needleLength: Depth(micrometres: 500)))))
            == .invalidIntake(field: "needle length", problem: "is only for a roller"))
        #expect(d.refusal(.opened(ClinicalProtocol.opening(device: DeviceIdentity(
            model: "Dermaroller", serial: "S", profile: "roller", needleLength: Depth(micrometres: 2000)))))
            == .depthAboveDeviceMaximum(Depth(micrometres: 2000), maximum: Depth(micrometres: 1500)))
    }

    @Test func aRollerSessionKeepsItsNeedleLengthAndRollsInItsDirections() throws {
        let roller = DeviceIdentity(model: "Dermaroller", serial: "DR-1", profile: "roller", needleLength: Depth(micrometres: 500))
        var d = try ClinicalProtocol.driver(at: .treatment, opening: ClinicalProtocol.opening(device: roller, zones: ["forehead"]))
        #expect(d.state.device.kind == .roller)
        #expect(d.state.rollerNeedleLength == Depth(micrometres: 500))
        #expect(d.refusal(.depthSet(zone: "forehead", depth: Depth(micrometres: 250), reason: nil)) == .rollerDepthFixed(needle: Depth(micrometres: 500)))
        try d.apply(.depthSet(zone: "forehead", depth: Depth(micrometres: 500), reason: nil))
        #expect(d.refusal(.passRecorded(zone: "forehead", direction: "stamping", depth: Depth(micrometres: 500)))
            == .directionNotForDevice(direction: "Stamping", device: "Dermaroller"))
        try d.apply(.passRecorded(zone: "forehead", direction: "vertical", depth: Depth(micrometres: 500)))
        // A correction of the depth is held to the same needle length.
        #expect(d.refusal(.recordCorrected(Correction(seq: d.state.lastSeq - 1, field: "depth_um", oldValue: "500", newValue: "750", reason: "x")))
            != nil)
    }

    @Test func aPensLimitsComeFromItsProfile() throws {
        var d = try ClinicalProtocol.driver(at: .treatment)
        #expect(d.state.device.limits.maximumDepth == Depth(micrometres: 2500))
        try d.apply(.depthSet(zone: "cheek", depth: Depth(micrometres: 1750), reason: "Deep scars"))
        #expect(d.state.warnings.contains(.depthAboveEvaluatedMaximum(seq: d.state.lastSeq, zone: "cheek", depth: Depth(micrometres: 1750))))
    }

    // MARK: Consultation

    @Test func screeningIsNotCompletedWithoutTheConsultation() throws {
        var d = try ClinicalProtocol.driver(at: .screening)
        for q in d.state.treatmentProtocol.screening { try d.apply(.screeningAnswered(question: q.id, answer: false)) }
        #expect(d.refusal(.screeningCompleted) == .consultationMissing)
        try d.apply(.consultationRecorded(ClinicalProtocol.consultation()))
        #expect(d.refusal(.consultationRecorded(ClinicalProtocol.consultation())) == .consultationAlreadyRecorded)
        try d.apply(.screeningCompleted)
    }

    @Test func theAgeIsConfirmedAgainstTheDevicesMinimum() throws {
        var d = try ClinicalProtocol.driver(at: .screening)
        // The clinic's 18, but SkinPen's indication is 22 or older.
        #expect(d.refusal(.consultationRecorded(ClinicalProtocol.consultation(minimumAge: 18))) == .minimumAgeMisstated(expected: 22))
        #expect(d.refusal(.consultationRecorded(ClinicalProtocol.consultation(ageConfirmed: false))) == .ageNotConfirmed(minimum: 22))
        var unknown = ClinicalProtocol.consultation()
        unknown.concerns = ["tattoo_removal"]
        #expect(d.refusal(.consultationRecorded(unknown)) == .unknownConcern("tattoo_removal"))
        var empty = ClinicalProtocol.consultation()
        empty.goals = " "
        #expect(d.refusal(.consultationRecorded(empty)) == .entryRequired("The consultation needs the patient's goals, in their words"))
    }

    @Test func anEarlyReturnNeedsAReasonAndIsAWarning() throws {
        var d = try ClinicalProtocol.driver(at: .screening)
        // The session is on 2026-01-05; the protocol's minimum is 4 weeks.
        #expect(d.refusal(.consultationRecorded(ClinicalProtocol.consultation(previous: "2025-12-20")))
            == .earlyReturnNeedsReason(days: 16, minimumDays: 28))
        #expect(d.refusal(.consultationRecorded(ClinicalProtocol.consultation(previous: "2026-01-06")))
            == .invalidIntake(field: "previous session", problem: "is after today"))
        try d.apply(.consultationRecorded(ClinicalProtocol.consultation(previous: "2025-12-20", reason: "Travelling; director agreed")))
        #expect(d.state.warnings == [.earlyReturn(seq: 2, days: 16, reason: "Travelling; director agreed")])
        // A reason once given is never corrected away to nothing.
        #expect(d.refusal(.recordCorrected(Correction(seq: 2, field: "early_return_reason", oldValue: "Travelling; director agreed",
                                                      newValue: " ", reason: "x")))
            == .correctionInvalid(field: "Reason for returning early", problem: "must not be empty"))
    }

    @Test func aReturnInsideTheIntervalNeedsNoReason() throws {
        var d = try ClinicalProtocol.driver(at: .screening)
        try d.apply(.consultationRecorded(ClinicalProtocol.consultation(previous: "2025-12-08")))
        #expect(d.state.warnings.isEmpty)
    }

    // MARK: Zones that ask for a confirmation

    @Test func aPeriorbitalPassNeedsTheConfirmationFirst() throws {
        var d = try ClinicalProtocol.driver(at: .treatment)
        let depth = Depth(micrometres: 250)
        try d.apply(.depthSet(zone: "periorbital", depth: depth, reason: nil))
        #expect(d.refusal(.passRecorded(zone: "periorbital", direction: "horizontal", depth: depth))
            == .zoneNotConfirmed(zone: "Periorbital", statement: "Outside the orbital rim, never on the eyelids"))
        #expect(d.refusal(.zoneConfirmed(zone: "periorbital", statement: "Somewhere near the eye"))
            == .zoneConfirmationMisstated(zone: "Periorbital", expected: "Outside the orbital rim, never on the eyelids"))
        #expect(d.refusal(.zoneConfirmed(zone: "forehead", statement: "x")) == .zoneConfirmationNotAsked(zone: "Forehead"))
        try d.apply(.zoneConfirmed(zone: "periorbital", statement: "Outside the orbital rim, never on the eyelids"))
        #expect(d.refusal(.zoneConfirmed(zone: "periorbital", statement: "Outside the orbital rim, never on the eyelids"))
            == .zoneAlreadyConfirmed(zone: "Periorbital"))
        try d.apply(.passRecorded(zone: "periorbital", direction: "horizontal", depth: depth))
        #expect(d.state.progress(of: "periorbital").confirmationSeq == d.state.lastSeq - 1)
    }

    // MARK: Products

    @Test func anUnapprovedProductNeedsAReasonAndIsAWarning() throws {
        var d = try ClinicalProtocol.driver(at: .treatment)
        let vitaminC = ProductApplication(product: "vc", name: "Vitamin C serum", zone: "cheek", lot: "VC-1", expiry: "2027-01")
        #expect(d.refusal(.productApplied(vitaminC)) == .reasonRequired("Vitamin C serum is not approved for use with microneedling"))
        var withReason = vitaminC
        withReason.reason = "Patient's request after discussion"
        try d.apply(.productApplied(withReason))
        #expect(d.state.warnings.contains(.unapprovedProduct(seq: d.state.lastSeq, product: "vc", reason: "Patient's request after discussion")))
        try d.apply(.productApplied(ProductApplication(product: "ha", name: "Hyaluronic acid serum", zone: "forehead", lot: "HA-1", expiry: "2027-01")))
        #expect(d.state.products.map(\.application.lot) == ["VC-1", "HA-1"])
    }

    @Test func aProductIsFromTheProtocolInDateAndOnAPlannedZone() throws {
        var d = try ClinicalProtocol.driver(at: .treatment)
        #expect(d.refusal(.productApplied(ProductApplication(product: "glue", name: "Glue", zone: "cheek", lot: "G", expiry: "2027-01")))
            == .unknownProduct("glue"))
        #expect(d.refusal(.productApplied(ProductApplication(product: "ha", name: "HA", zone: "cheek", lot: "H", expiry: "2027-01")))
            == .productMisnamed(expected: "Hyaluronic acid serum"))
        #expect(d.refusal(.productApplied(ProductApplication(product: "ha", name: "Hyaluronic acid serum", zone: "scars", lot: "H", expiry: "2027-01")))
            == .zoneNotPlanned("Acne scars"))
        #expect(d.refusal(.productApplied(ProductApplication(product: "ha", name: "Hyaluronic acid serum", zone: "cheek", lot: "H", expiry: "2025-12")))
            == .consumableExpired(what: "product", expiry: "2025-12"))
    }

    @Test func aProductLotIsCorrectedAndTheCorrectionFollowed() throws {
        var d = try ClinicalProtocol.driver(at: .treatment)
        try d.apply(.productApplied(ProductApplication(product: "ha", name: "Hyaluronic acid serum", zone: "cheek", lot: "HA-7", expiry: "2027-01")))
        let seq = d.state.lastSeq
        try d.apply(.recordCorrected(Correction(seq: seq, field: "lot", oldValue: "HA-7", newValue: "HA-1", reason: "Misread the label")))
        #expect(d.state.products.first?.application.lot == "HA-1")
    }

    // MARK: Attachments

    @Test func aPreparationItemNamesOnlyAttachmentsOfItsKind() throws {
        var p = ClinicalProtocol.make()
        p.preparation = [ChecklistItem(id: "consent", text: "Consent signed", attachmentKind: .consent),
                         ChecklistItem(id: "photos", text: "Photos taken", attachmentKind: .photo),
                         ChecklistItem(id: "cleansed", text: "Skin cleansed")]
        var d = Driver()
        d.state = SessionState(treatmentProtocol: p)
        try d.apply(.opened(ClinicalProtocol.opening()))
        try d.apply(.consultationRecorded(ClinicalProtocol.consultation()))
        for q in p.screening { try d.apply(.screeningAnswered(question: q.id, answer: false)) }
        try d.apply(.screeningCompleted)
        let photo = String(repeating: "a", count: 64), consent = String(repeating: "b", count: 64)
        try d.apply(.attachmentAdded(Attachment(name: "before.jpg", kind: .photo, digest: photo, size: 10)))
        try d.apply(.attachmentAdded(Attachment(name: "consent.pdf", kind: .consent, digest: consent, size: 20)))
        #expect(d.refusal(.preparationConfirmed(item: "photos", attachments: [consent])) == .unknownAttachment(consent))
        #expect(d.refusal(.preparationConfirmed(item: "cleansed", attachments: [photo])) == .attachmentNotForItem("Skin cleansed"))
        #expect(d.refusal(.attachmentAdded(Attachment(name: "../x", kind: .photo, digest: photo, size: 1)))
            == .invalidAttachment("needs a plain file name, not \"../x\""))
        try d.apply(.preparationConfirmed(item: "photos", attachments: [photo]))
        #expect(d.state.preparationAttachments["photos"] == [photo])
    }

    @Test func anAttachmentMayComeAfterSignOff() throws {
        var d = try Driver.at(.signed)
        try d.apply(.attachmentAdded(Attachment(name: "after.jpg", kind: .photo, digest: String(repeating: "c", count: 64), size: 5)))
        #expect(d.state.attachments.count == 1)
    }

    // MARK: Series and maintenance

    @Test func theScheduleGivesTheNextWindowThenMaintenance() {
        let followUp = FollowUp(minimumWeeks: 4, maximumWeeks: 6, seriesMinimum: 3, seriesMaximum: 6, maintenanceMonths: 6)
        let day = CivilDate.days(year: 2026, month: 1, day: 31)
        let second = SeriesSchedule(treatments: 2, lastTreatedDay: day, followUp: followUp)
        #expect(second.maintenanceDay == nil)
        #expect(second.summary == "Next session between 2026-02-28 and 2026-03-14 (series 2 of 3–6).")
        let sixth = SeriesSchedule(treatments: 6, lastTreatedDay: day, followUp: followUp)
        #expect(sixth.nextWindow == nil)
        // 31 January and six months is 31 July; one month would be 28 February.
        #expect(sixth.summary == "Series complete (6 of 3–6): next maintenance on 2026-07-31 (every 6 months).")
        #expect(CivilDate.adding(months: 1, to: day) == CivilDate.days(year: 2026, month: 2, day: 28))
    }
}
