import Testing
import TrilliumCore
import TrilliumUI

/// The clinical record's screens as the operator meets them: each key's
/// effect, each guard said before anything is recorded.
@Suite("The clinical record on screen")
struct ClinicalRecordUITests {
    // MARK: Intake

    @Test func intakeChoosesTheDeviceAndAsksARollersNeedleLength() {
        var model = AppModel(size: Size(width: 80, height: 24), glyphs: .unicode, now: SessionFixture().stamp,
                             treatmentProtocol: SessionFixture.treatmentProtocol)
        _ = model.type([.enter])
        _ = model.type(keys("P-1") + [.down] + keys("Op") + [.down])
        guard case let .intake(form) = model.screen else { Issue.record("no intake"); return }
        #expect(form.device(in: SessionFixture.treatmentProtocol)?.id == "skinpen")
        // Space twice: the Dermapen 4, then the dermaroller, whose needle length is asked for.
        _ = model.type([.space, .space])
        guard case let .intake(roller) = model.screen else { return }
        #expect(roller.device(in: SessionFixture.treatmentProtocol)?.kind == .roller)
        #expect(roller.fields(in: SessionFixture.treatmentProtocol).contains(.needleLength))
        #expect(AppView.render(model).text().contains("Roller lot"))
        _ = model.type([.down] + keys("0.6") + [.down] + keys("DR-1") + [.down] + keys("RL-1") + [.down] + keys("2099-01")
                       + [.tab, .space])
        #expect(model.type([.enter]) == [.bell])
        #expect(model.notice?.text.contains("Needle length: in mm, in steps of 0.25 mm") == true)
        _ = model.type([.tab, .up, .up, .up, .control("u")] + keys("0.5"))
        let effects = model.type([.enter])
        guard case let .openSession(intake)? = effects.first else { Issue.record("not opened: \(effects)"); return }
        #expect(intake.device == DeviceIdentity(model: "Dermaroller", serial: "DR-1", profile: "dermaroller", needleLength: Depth(micrometres: 500)))
        #expect(intake.cartridge.lot == "RL-1")
    }

    // MARK: Consultation

    @Test func theConsultationIsFilledInAndRecordedAsOneRecord() {
        var model = SessionFixture.awaitingConsultation().model()
        #expect(model.context == .consultation)
        #expect(model.type([.enter]) == [.bell])
        #expect(model.notice?.text.contains("Fitzpatrick") == true)
        _ = model.type([.right, .right, .right, .left])  // I, II, III, then back to II
        _ = model.type([.down, .down, .space])           // the second concern: acne scars
        #expect(model.type([.enter]) == [.bell])
        #expect(model.notice?.text.contains("goals") == true, "goals come next; the cursor is taken there")
        _ = model.type(keys("Softer scars"))
        #expect(model.type([.enter]) == [.bell])
        #expect(model.notice?.text.contains("22 or over") == true, "SkinPen's indication is 22 or older")
        _ = model.type([.space])
        #expect(model.type([.enter]) == [.record(.consultationRecorded(Consultation(
            skinType: .two, concerns: ["acne_scars"], goals: "Softer scars", ageConfirmed: true, minimumAge: 22)))])
    }

    @Test func anEarlyReturnAsksForItsReason() {
        var model = SessionFixture.awaitingConsultation().model()
        let today = CivilDate.daysSinceEpoch(wallMilliseconds: model.now.wallMilliseconds)
        model.patientSeries = PatientSeries(treatments: 2, lastTreatedDay: today - 20)
        #expect(model.earlyReturnDays == 20)
        _ = model.type([.character("3"), .down, .space] + Array(repeating: .down, count: 7) + keys("Fewer lines") + [.down, .space])
        #expect(model.type([.enter]) == [.bell])
        #expect(model.notice?.text.contains("20 days ago") == true)
        #expect(AppView.render(model).text().contains("(20 days ago, under 4 weeks): give the reason above."))
        _ = model.type(keys("Travelling for six weeks"))
        let effects = model.type([.enter])
        guard case let .record(.consultationRecorded(recorded))? = effects.first else { Issue.record("\(effects)"); return }
        #expect(recorded.previousSession == CivilDate.text(days: today - 20))
        #expect(recorded.earlyReturnReason == "Travelling for six weeks")
    }

    // MARK: Anesthetic dose

    @Test func theDoseIsAskedAndCheckedAgainstTheAgentsLimits() {
        var model = SessionFixture.at(.anesthesia).model()
        _ = model.type([.enter])
        guard case .choice? = model.overlay else { Issue.record("where it was applied is asked first"); return }
        _ = model.type([.character("1")] + keys("41") + [.enter])
        #expect(model.notice?.text == "41 g is above the protocol's maximum of 40 g for this agent.")
        _ = model.type(keys("12.5") + [.enter] + keys("401") + [.enter])
        #expect(model.notice?.text == "401 cm² is above the protocol's maximum of 400 cm² for this agent.")
        _ = model.type(keys("300") + [.enter] + keys("AN-77") + [.enter] + keys("2026-02") + [.enter])
        #expect(model.notice?.text == "This anesthetic expired (2026-02): use an in-date one.", "the fixture's day is 2026-03-02")
        #expect(model.overlay == nil, "nothing recorded, nothing left open")
    }

    @Test func aDoseAppliedAtHomeRecordsItsMinutesAndThePatient() {
        var model = SessionFixture.at(.anesthesia).model()
        let effects = model.type([.enter, .character("2")] + keys("40") + [.enter] + keys("8") + [.enter] + keys("150") + [.enter]
                                 + keys("AN-9") + [.enter] + keys("2027-01") + [.enter])
        #expect(effects == [.record(.anestheticApplied(agent: "lidocaine_4", occluded: false, dose: AnestheticDose(
            amount: 8_000, area: 150, zones: ["forehead", "cheek_left", "cheek_right", "chin"], lot: "AN-9", expiry: "2027-01",
            appliedBy: AnestheticDose.patient, setting: .home, minutesBeforeRecord: 40)))])
    }

    /// The anesthetic screen after a yes to methemoglobinemia, overridden: lidocaine is ruled out.
    static func agentRuledOut(size: Size = Size(width: 80, height: 24)) -> AppModel {
        var fixture = SessionFixture.opened()
        for q in SessionFixture.treatmentProtocol.screening {
            fixture.apply(.screeningAnswered(question: q.id, answer: q.id == "methemoglobinemia"))
            if q.id == "methemoglobinemia" { fixture.apply(.screeningOverridden(question: q.id, reason: "Reviewed")) }
        }
        fixture.apply(.screeningCompleted)
        for item in SessionFixture.treatmentProtocol.preparation { fixture.apply(.preparationConfirmed(item: item.id)) }
        fixture.apply(.preparationCompleted)
        return fixture.model(size: size)
    }

    @Test func anAgentRuledOutByTheScreeningIsRefusedAtOnce() {
        var model = Self.agentRuledOut()
        #expect(AppView.render(model).text().contains("RULED OUT"))
        #expect(model.type([.enter]) == [.bell])
        #expect(model.notice?.text.contains("ruled out by the answer yes") == true)
        #expect(model.overlay == nil)
    }

    @Test func aCompoundedAgentIsWarnedOfAndNeverAskedWhereApplied() {
        var model = SessionFixture.at(.anesthesia).model()
        _ = model.type([.down, .down, .down, .enter])
        guard case let .confirmation(warning)? = model.overlay else { Issue.record("no warning"); return }
        #expect(warning.title.contains("compounded"))
        _ = model.type([.character("y")])
        guard case let .prompt(amount)? = model.overlay else { Issue.record("no amount asked"); return }
        #expect(amount.label == "Amount in grams, at most 10 g")
    }

    // MARK: Treatment

    @Test func aPeriorbitalZoneIsConfirmedBeforeItsFirstPass() {
        var fixture = Self.treatment(zones: ["periorbital_left"])
        var model = fixture.model()
        #expect(AppView.render(model).text().contains("Confirm first: Outside the orbital rim, never on the eyelids"))
        _ = model.type([.character("d")])
        fixture.apply(.depthSet(zone: "periorbital_left", depth: Depth(micrometres: 250), reason: nil))
        _ = model.send(.recorded(fixture.snapshot))
        #expect(model.type([.character("p")]) == [])
        guard case let .confirmation(confirmation)? = model.overlay else { Issue.record("no confirmation asked"); return }
        #expect(confirmation.lines.contains("Confirm: Outside the orbital rim, never on the eyelids."))
        #expect(model.type([.character("y")]) == [.record(.zoneConfirmed(zone: "periorbital_left",
                                                                         statement: "Outside the orbital rim, never on the eyelids"))])
    }

    @Test func anUnapprovedProductAsksForAReason() {
        var model = SessionFixture.at(.treatment).model()
        _ = model.type([.character("a")])
        guard case .choice? = model.overlay else { Issue.record("no product list"); return }
        _ = model.type([.character("3")] + keys("VC-1") + [.enter] + keys("2027-04") + [.enter])
        guard case let .prompt(reason)? = model.overlay else { Issue.record("no reason asked"); return }
        #expect(reason.title == "Vitamin C serum is not approved for microneedling")
        #expect(model.type([.enter]) == [.bell], "an empty reason is refused")
        #expect(model.type(keys("Patient's request") + [.enter]) == [.record(.productApplied(ProductApplication(
            product: "vitamin_c", name: "Vitamin C serum", zone: "cheek_left", lot: "VC-1", expiry: "2027-04", reason: "Patient's request")))])
    }

    @Test func aRollersDepthIsItsNeedleLengthAndItIsNeverStamped() {
        let fixture = Self.treatment(zones: ["forehead"], device: DeviceIdentity(
            model: "Dermaroller", serial: "DR-1", profile: "dermaroller", needleLength: Depth(micrometres: 500)))
        var model = fixture.model()
        #expect(model.shownDepth(for: SessionFixture.treatmentProtocol.zone("forehead")!) == Depth(micrometres: 500))
        _ = model.type([.character("+")])
        #expect(model.notice?.text == "A roller's needles are 0.50 mm long: its depth does not change.")
        var set = fixture
        set.apply(.depthSet(zone: "forehead", depth: Depth(micrometres: 500), reason: nil))
        _ = model.send(.recorded(set.snapshot))
        _ = model.type([.character("p")])
        guard case let .choice(directions)? = model.overlay else { Issue.record("no directions"); return }
        #expect(!directions.options.contains { $0.value == "stamping" })
        #expect(directions.options.count == 4)
    }

    /// A session at the treatment screen with `zones` planned and `device` chosen, the anesthetic declined.
    static func treatment(zones: [ZoneID], device: DeviceIdentity = DeviceIdentity(model: "SkinPen Precision", serial: "SP-1", profile: "skinpen"))
        -> SessionFixture {
        var f = SessionFixture()
        let p = SessionFixture.treatmentProtocol
        f.apply(.opened(SessionOpening(
            sessionID: "5e551011-0000-4000-8000-000000000009", patientReference: "P-3009", operatorName: "Dr. Ana Silva",
            workstation: "room-1", device: device, cartridge: Cartridge(lot: "CL-1", expiry: "2027-05"),
            protocolReference: ProtocolReference(p), plannedZones: zones, appVersion: "test", isTraining: false)))
        f.apply(.consultationRecorded(Consultation(skinType: .two, concerns: ["texture"], goals: "Texture", ageConfirmed: true,
                                                   minimumAge: device.profile == "skinpen" ? 22 : 18)))
        for q in p.screening { f.apply(.screeningAnswered(question: q.id, answer: false)) }
        f.apply(.screeningCompleted)
        for item in p.preparation { f.apply(.preparationConfirmed(item: item.id)) }
        f.apply(.preparationCompleted)
        f.apply(.anestheticDeclined(reason: "Declined"))
        f.apply(.antisepsisConfirmed(item: "alcohol"))
        f.apply(.treatmentStarted)
        return f
    }
}
