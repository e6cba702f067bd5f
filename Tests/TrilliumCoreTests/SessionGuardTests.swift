import Testing
import TrilliumCore

@Suite("Every guard refuses what it must")
struct SessionGuardTests {
    // MARK: Opening and sequence

    @Test func recordsBeforeOpeningAreRefused() throws {
        var d = Driver()
        #expect(d.refusal(.screeningCompleted) == .notYetOpened)
        #expect(d.refusal(.noteAdded(text: "hello", addendumReason: nil)) == .notYetOpened)
    }

    @Test func aSessionOpensOnce() throws {
        var d = try Driver.at(.screening)
        #expect(d.refusal(.opened(Driver.opening())) == .alreadyOpened)
    }

    @Test func recordsMustArriveInSequence() throws {
        var d = try Driver.at(.screening)
        var record = d.record(.screeningCompleted)
        record.seq = 5
        #expect(throws: SessionError.outOfSequence(expected: 2, got: 5)) { try d.state.apply(record) }
    }

    @Test func anExpiredCartridgeIsRefused() {
        var d = Driver()
        // The session is on 2026-01-05: a cartridge that expired in December 2025 is out of date.
        #expect(d.refusal(.opened(Driver.opening(expiry: "2025-12"))) == .cartridgeExpired(expiry: "2025-12"))
        #expect(d.refusal(.opened(Driver.opening(expiry: "2026-01-04"))) == .cartridgeExpired(expiry: "2026-01-04"))
        #expect(d.refusal(.opened(Driver.opening(expiry: "2026-01"))) == nil, "in date until the end of its month")
    }

    @Test func intakeFieldsAreChecked() {
        var d = Driver()
        #expect(d.refusal(.opened(Driver.opening(expiry: "2026-13"))) ==
            .invalidIntake(field: "cartridge expiry", problem: "must be YYYY-MM or YYYY-MM-DD"))
        #expect(d.refusal(.opened(Driver.opening(patient: "  "))) ==
            .invalidIntake(field: "patient reference", problem: "is required"))
        #expect(d.refusal(.opened(Driver.opening(patient: "P-1\u{1B}[2J"))) ==
            .invalidIntake(field: "patient reference", problem: "must not contain control characters"))
        #expect(d.refusal(.opened(Driver.opening(zones: []))) ==
            .invalidIntake(field: "planned zones", problem: "needs at least one zone"))
        #expect(d.refusal(.opened(Driver.opening(zones: ["forehead", "chin"]))) == .unknownZone("chin"))
        var foreign = Driver.opening()
        foreign.protocolReference.digest = String(repeating: "b", count: 64)
        #expect(d.refusal(.opened(foreign)) == .protocolMismatch(expected: TestProtocol.make.digest, got: foreign.protocolReference.digest))
    }

    // MARK: Screening

    @Test func leavingScreeningNeedsEveryAnswer() throws {
        var d = try Driver.at(.screening)
        try d.apply(.screeningAnswered(question: "pregnancy", answer: false))
        #expect(d.refusal(.screeningCompleted) == .unansweredQuestions(["Keloid scarring?", "History of cold sores?"]))
        #expect(d.refusal(.screeningAnswered(question: "smoker", answer: true)) == .unknownQuestion("smoker"))
    }

    @Test func aYesBlocksUntilOverriddenWithAReason() throws {
        var d = try Driver.at(.screening)
        try d.apply(.screeningAnswered(question: "pregnancy", answer: false))
        try d.apply(.screeningAnswered(question: "keloid", answer: true))
        try d.apply(.screeningAnswered(question: "cold_sores", answer: false))
        #expect(d.refusal(.screeningCompleted) == .blockingAnswers(["Keloid scarring?"]))
        #expect(d.refusal(.screeningOverridden(question: "keloid", reason: "   ")) ==
            .reasonRequired("overriding \"Keloid scarring?\""))
        #expect(d.refusal(.screeningOverridden(question: "pregnancy", reason: "n/a")) == .overrideWithoutYes("Pregnant or breastfeeding?"))
        try d.apply(.screeningOverridden(question: "keloid", reason: "Old scar far from the area; director agreed"))
        let overrideSeq = d.state.lastSeq
        try d.apply(.screeningCompleted)
        #expect(d.state.phase == .preparation)
        #expect(d.state.warnings == [.screeningOverridden(seq: overrideSeq, question: "keloid", reason: "Old scar far from the area; director agreed")])
    }

    @Test func aChangedAnswerClearsItsOverride() throws {
        var d = try Driver.at(.screening)
        try d.apply(.screeningAnswered(question: "keloid", answer: true))
        try d.apply(.screeningOverridden(question: "keloid", reason: "Reviewed"))
        try d.apply(.screeningAnswered(question: "keloid", answer: true))
        #expect(d.state.blockingQuestions.map(\.id) == ["keloid"])
    }

    @Test func coldSoreHistoryNeedsProphylaxisNotAnOverride() throws {
        var d = try Driver.at(.screening)
        try d.apply(.screeningAnswered(question: "pregnancy", answer: false))
        try d.apply(.screeningAnswered(question: "keloid", answer: false))
        #expect(d.refusal(.prophylaxisConfirmed(question: "cold_sores")) == .prophylaxisNotRequired("History of cold sores?"))
        try d.apply(.screeningAnswered(question: "cold_sores", answer: true))
        #expect(d.refusal(.screeningOverridden(question: "cold_sores", reason: "x")) == .overrideWithoutYes("History of cold sores?"))
        #expect(d.refusal(.screeningCompleted) == .prophylaxisMissing(["Antiviral prophylaxis taken"]))
        #expect(d.refusal(.prophylaxisConfirmed(question: "keloid")) == .prophylaxisNotRequired("Keloid scarring?"))
        try d.apply(.prophylaxisConfirmed(question: "cold_sores"))
        try d.apply(.screeningCompleted)
        #expect(d.state.phase == .preparation)
    }

    // MARK: Preparation

    @Test func leavingPreparationNeedsEveryItem() throws {
        var d = try Driver.at(.preparation)
        #expect(d.refusal(.preparationConfirmed(item: "coffee")) == .unknownChecklistItem("coffee"))
        try d.apply(.preparationConfirmed(item: "consent"))
        #expect(d.refusal(.preparationCompleted) == .checklistIncomplete(["Photos taken"]))
        #expect(d.refusal(.anestheticApplied(agent: "lido", occluded: false)) == .notAllowedInPhase(.anestheticApplied, .preparation))
    }

    // MARK: Anesthesia

    @Test func occlusionFollowsTheAgent() throws {
        var d = try Driver.at(.anesthesia)
        #expect(d.refusal(.anestheticApplied(agent: "emla", occluded: false)) == .occlusionRequired(agent: "EMLA"))
        #expect(d.refusal(.anestheticApplied(agent: "blt", occluded: true)) == .occlusionForbidden(agent: "BLT"))
        #expect(d.refusal(.anestheticApplied(agent: "ice", occluded: false)) == .unknownAgent("ice"))
        try d.apply(.anestheticApplied(agent: "emla", occluded: true))
        #expect(d.refusal(.anestheticApplied(agent: "lido", occluded: false)) == .anestheticAlreadyChosen)
    }

    @Test func removalBeforeTheMinimumDwellNeedsAReason() throws {
        var d = try Driver.at(.anesthesia)
        try d.apply(.anestheticApplied(agent: "lido", occluded: false))
        d.advance(minutes: 10)
        #expect(throws: SessionError.removedBeforeMinimumDwell(dwell: minutes(10), minimum: minutes(30))) {
            try d.state.anestheticRemoval(at: d.stamp, earlyRemovalReason: " ")
        }
        let forged = AnestheticRemoval(dwell: minutes(10), earlyRemovalReason: nil, exceededMaximum: false)
        #expect(d.refusal(.anestheticRemoved(forged)) == .removedBeforeMinimumDwell(dwell: minutes(10), minimum: minutes(30)))
        let early = try d.state.anestheticRemoval(at: d.stamp, earlyRemovalReason: "Patient anxious; director agreed")
        try d.apply(.anestheticRemoved(early))
        #expect(d.state.warnings == [.anestheticRemovedEarly(seq: d.state.lastSeq, dwell: minutes(10), reason: "Patient anxious; director agreed")])
        #expect(d.refusal(.anestheticRemoved(early)) == .anestheticAlreadyRemoved)
    }

    @Test func aDwellPastTheMaximumIsRecordedAsAWarning() throws {
        var d = try Driver.at(.anesthesia)
        try d.apply(.anestheticApplied(agent: "lido", occluded: true))
        d.advance(minutes: 75)
        let removal = try d.state.anestheticRemoval(at: d.stamp, earlyRemovalReason: nil)
        #expect(removal == AnestheticRemoval(dwell: minutes(75), earlyRemovalReason: nil, exceededMaximum: true))
        try d.apply(.anestheticRemoved(removal))
        #expect(d.state.warnings == [.anestheticMaximumExceeded(seq: d.state.lastSeq, dwell: minutes(75), maximum: minutes(60))])
    }

    @Test func aRecordedDwellMustMatchTheStamps() throws {
        var d = try Driver.at(.anesthesia)
        try d.apply(.anestheticApplied(agent: "lido", occluded: false))
        d.advance(minutes: 40)
        let lie = AnestheticRemoval(dwell: minutes(45), earlyRemovalReason: nil, exceededMaximum: false)
        #expect(d.refusal(.anestheticRemoved(lie)) == .dwellMismatch(recorded: minutes(45), measured: minutes(40)))
    }

    @Test func dwellUsesTheMonotonicClockWithinABootAndWallTimeAcrossBoots() throws {
        var d = try Driver.at(.anesthesia)
        try d.apply(.anestheticApplied(agent: "lido", occluded: false))
        var later = d.stamp
        later.monotonicNanoseconds += 31 * 60_000_000_000
        later.wallMilliseconds -= 3_600_000  // the wall clock was stepped back an hour
        #expect(try d.state.anestheticRemoval(at: later, earlyRemovalReason: nil).dwell == minutes(31))
        var afterReboot = d.stamp
        afterReboot.bootID = "boot-b"
        afterReboot.monotonicNanoseconds = 2_000_000_000
        afterReboot.wallMilliseconds += minutes(33)
        #expect(try d.state.anestheticRemoval(at: afterReboot, earlyRemovalReason: nil).dwell == minutes(33))
    }

    @Test func treatmentStartsAfterRemovalAndAntisepsis() throws {
        var d = try Driver.at(.anesthesia)
        #expect(d.refusal(.treatmentStarted) == .anestheticNotApplied)
        try d.apply(.anestheticApplied(agent: "lido", occluded: false))
        #expect(d.refusal(.antisepsisConfirmed(item: "alcohol")) == .antisepsisBeforeRemoval)
        #expect(d.refusal(.treatmentStarted) == .anestheticStillOn)
        d.advance(minutes: 30)
        try d.apply(.anestheticRemoved(try d.state.anestheticRemoval(at: d.stamp, earlyRemovalReason: nil)))
        #expect(d.refusal(.treatmentStarted) == .checklistIncomplete(["Antisepsis with 70% alcohol"]))
        try d.apply(.antisepsisConfirmed(item: "alcohol"))
        try d.apply(.treatmentStarted)
        #expect(d.state.phase == .treatment)
    }

    @Test func goingWithoutAnAnestheticNeedsAReasonAndTheProtocolsPermission() throws {
        var d = try Driver.at(.anesthesia)
        #expect(d.refusal(.anestheticDeclined(reason: "")) == .reasonRequired("going without a topical anesthetic"))
        try d.apply(.anestheticDeclined(reason: "Patient prefers none"))
        try d.apply(.antisepsisConfirmed(item: "alcohol"))
        try d.apply(.treatmentStarted)

        var strict = TestProtocol.make
        strict.anesthesia.allowsNone = false
        var s = Driver(state: SessionState(treatmentProtocol: strict))
        var opening = Driver.opening()
        opening.protocolReference = ProtocolReference(strict)
        try s.apply(.opened(opening))
        for q in strict.screening { try s.apply(.screeningAnswered(question: q.id, answer: false)) }
        try s.apply(.screeningCompleted)
        for item in strict.preparation { try s.apply(.preparationConfirmed(item: item.id)) }
        try s.apply(.preparationCompleted)
        #expect(s.refusal(.anestheticDeclined(reason: "Patient prefers none")) == .anestheticNotAllowedToBeDeclined)
    }

    // MARK: Treatment

    @Test func depthsFollowTheDeviceAndTheZone() throws {
        var d = try Driver.at(.treatment)
        #expect(d.refusal(.depthSet(zone: "forehead", depth: Depth(micrometres: 300), reason: nil)) ==
            .depthNotOnDeviceStep(Depth(micrometres: 300), step: Depth(micrometres: 250)))
        #expect(d.refusal(.depthSet(zone: "forehead", depth: Depth(micrometres: 0), reason: nil)) ==
            .depthNotOnDeviceStep(Depth(micrometres: 0), step: Depth(micrometres: 250)))
        #expect(d.refusal(.depthSet(zone: "forehead", depth: Depth(micrometres: 2750), reason: "deep scar")) ==
            .depthAboveDeviceMaximum(Depth(micrometres: 2750), maximum: Depth(micrometres: 2500)))
        #expect(d.refusal(.depthSet(zone: "forehead", depth: Depth(micrometres: 750), reason: nil)) ==
            .depthOutsideZoneRange(zone: "Forehead", Depth(micrometres: 750), minimum: Depth(micrometres: 250), maximum: Depth(micrometres: 500)))
        #expect(d.refusal(.depthSet(zone: "scars", depth: Depth(micrometres: 1500), reason: nil)) == .zoneNotPlanned("Acne scars"))
        #expect(d.refusal(.depthSet(zone: "lips", depth: Depth(micrometres: 500), reason: nil)) == .unknownZone("lips"))
        try d.apply(.depthSet(zone: "forehead", depth: Depth(micrometres: 750), reason: "Thick skin; director's instruction"))
        try d.apply(.depthSet(zone: "cheek", depth: Depth(micrometres: 1750), reason: "Deep scarring"))
        let cheekSeq = d.state.lastSeq
        #expect(d.state.warnings == [
            .depthOutsideZoneRange(seq: cheekSeq - 1, zone: "forehead", depth: Depth(micrometres: 750), reason: "Thick skin; director's instruction"),
            .depthOutsideZoneRange(seq: cheekSeq, zone: "cheek", depth: Depth(micrometres: 1750), reason: "Deep scarring"),
            .depthAboveEvaluatedMaximum(seq: cheekSeq, zone: "cheek", depth: Depth(micrometres: 1750)),
        ])
    }

    @Test func aPassNeedsADepthAndADirection() throws {
        var d = try Driver.at(.treatment)
        let half = Depth(micrometres: 500)
        #expect(d.refusal(.passRecorded(zone: "forehead", direction: "horizontal", depth: half)) == .noDepthSet(zone: "Forehead"))
        try d.apply(.depthSet(zone: "forehead", depth: half, reason: nil))
        #expect(d.refusal(.passRecorded(zone: "forehead", direction: "circular", depth: half)) == .unknownDirection("circular"))
        #expect(d.refusal(.passRecorded(zone: "forehead", direction: "vertical", depth: Depth(micrometres: 250))) ==
            .passDepthDiffers(zone: "Forehead", set: half, pass: Depth(micrometres: 250)))
        try d.apply(.passRecorded(zone: "forehead", direction: "vertical", depth: half))
        #expect(d.state.progress(of: "forehead").passes.map(\.direction) == ["vertical"])
        #expect(d.state.progress(of: "forehead").status == .active)
    }

    @Test func aZoneCompletesWithPassesAndAnEndpointOrIsSkippedWithAReason() throws {
        var d = try Driver.at(.treatment)
        let half = Depth(micrometres: 500)
        try d.apply(.depthSet(zone: "forehead", depth: half, reason: nil))
        #expect(d.refusal(.endpointReached(zone: "forehead", endpoint: "erythema")) == .noPassesYet(zone: "Forehead"))
        #expect(d.refusal(.zoneCompleted(zone: "forehead")) == .noPassesYet(zone: "Forehead"))
        try d.apply(.passRecorded(zone: "forehead", direction: "horizontal", depth: half))
        #expect(d.refusal(.zoneCompleted(zone: "forehead")) == .endpointMissing(zone: "Forehead"))
        #expect(d.refusal(.endpointReached(zone: "forehead", endpoint: "blanching")) == .unknownEndpoint("blanching"))
        try d.apply(.endpointReached(zone: "forehead", endpoint: "erythema"))
        try d.apply(.zoneCompleted(zone: "forehead"))
        #expect(d.refusal(.passRecorded(zone: "forehead", direction: "horizontal", depth: half)) == .zoneAlreadyFinished("Forehead"))
        #expect(d.refusal(.treatmentCompleted) == .zonesUnfinished(["Cheek"]))
        #expect(d.refusal(.zoneSkipped(zone: "cheek", reason: "")) == .reasonRequired("skipping Cheek"))
        try d.apply(.zoneSkipped(zone: "cheek", reason: "Active irritation"))
        #expect(d.state.progress(of: "cheek").status == .skipped)
        try d.apply(.treatmentCompleted)
        #expect(d.state.phase == .aftercare)
    }

    // MARK: Sign-off, abort and addenda

    @Test func signOffNeedsEveryAftercareItemAndAnAttestation() throws {
        var d = try Driver.at(.aftercare)
        try d.apply(.aftercareConfirmed(item: "instructions"))
        #expect(d.refusal(.signed(SignOff(attestation: "ok"))) == .checklistIncomplete(["SPF daily"]))
        try d.apply(.aftercareConfirmed(item: "spf"))
        #expect(d.refusal(.signed(SignOff(attestation: ""))) == .entryRequired("A sign-off needs its attestation"))
        try d.apply(.signed(SignOff(attestation: "Complete and accurate.")))
        #expect(d.state.phase == .signed)
    }

    @Test func afterSignOffOnlyAddendaWithReasonsAreAccepted() throws {
        var d = try Driver.at(.signed)
        #expect(d.refusal(.aftercareConfirmed(item: "spf")) == .sessionSealed(.signed))
        #expect(d.refusal(.aborted(reason: "oops")) == .sessionSealed(.signed))
        #expect(d.refusal(.noteAdded(text: "Patient called", addendumReason: nil)) ==
            .reasonRequired("a note added after the session was sealed"))
        try d.apply(.noteAdded(text: "Patient called", addendumReason: "Follow-up call"))
        let adverse = AdverseEvent(description: "Swelling", severity: .mild, actionTaken: "Cold compress")
        #expect(d.refusal(.adverseEventReported(adverse)) == .reasonRequired("an adverse event added after the session was sealed"))
        #expect(d.refusal(.recordCorrected(Correction(seq: 1, field: "patient_ref", oldValue: "P-1001", newValue: "P-1010", reason: ""))) ==
            .reasonRequired("a correction"))
        try d.apply(.recordCorrected(Correction(seq: 1, field: "patient_ref", oldValue: "P-1001", newValue: "P-1010", reason: "Transposed digits")))
        #expect(d.state.corrections.count == 1)
    }

    @Test func abortNeedsAReasonAndSealsTheSession() throws {
        var d = try Driver.at(.treatment)
        #expect(d.refusal(.aborted(reason: " ")) == .reasonRequired("aborting the session"))
        try d.apply(.aborted(reason: "Patient felt faint"))
        #expect(d.state.phase == .aborted)
        #expect(d.refusal(.depthSet(zone: "forehead", depth: Depth(micrometres: 500), reason: nil)) == .sessionSealed(.aborted))
    }

    @Test func correctionsNameAnEarlierRecordAndACorrectableField() throws {
        var d = try Driver.at(.treatment)
        let next = d.state.lastSeq + 1
        #expect(d.refusal(.recordCorrected(Correction(seq: next, field: "text", oldValue: "", newValue: "", reason: "r"))) ==
            .unknownRecord(seq: next))
        #expect(d.refusal(.recordCorrected(Correction(seq: 0, field: "text", oldValue: "", newValue: "", reason: "r"))) == .unknownRecord(seq: 0))
        #expect(d.refusal(.recordCorrected(Correction(seq: 1, field: "session_id", oldValue: "s-1", newValue: "s-2", reason: "r"))) ==
            .fieldNotCorrectable(field: "session_id", type: .opened))
        try d.apply(.recordCorrected(Correction(seq: 1, field: "cartridge.lot", oldValue: "L-1", newValue: "L-7", reason: "Misread label")))
    }

    @Test func notesAndAdverseEventsCanComeInAnyOpenPhase() throws {
        for phase in [SessionPhase.screening, .preparation, .anesthesia, .treatment, .aftercare] {
            var d = try Driver.at(phase)
            try d.apply(.noteAdded(text: "Observation", addendumReason: nil))
            try d.apply(.adverseEventReported(AdverseEvent(description: "Faint", severity: .moderate, actionTaken: "Reclined")))
            #expect(d.state.phase == phase)
            #expect(d.state.notes.count == 1 && d.state.adverseEvents.count == 1)
        }
    }

    @Test func phaseRecordsAreRefusedOutsideTheirPhase() throws {
        let owners: [(SessionEvent, SessionPhase)] = [
            (.screeningAnswered(question: "keloid", answer: false), .screening),
            (.screeningCompleted, .screening),
            (.preparationConfirmed(item: "consent"), .preparation),
            (.preparationCompleted, .preparation),
            (.anestheticApplied(agent: "lido", occluded: false), .anesthesia),
            (.treatmentStarted, .anesthesia),
            (.depthSet(zone: "forehead", depth: Depth(micrometres: 500), reason: nil), .treatment),
            (.treatmentCompleted, .treatment),
            (.aftercareConfirmed(item: "spf"), .aftercare),
            (.signed(SignOff(attestation: "ok")), .aftercare),
        ]
        for phase in [SessionPhase.screening, .preparation, .anesthesia, .treatment, .aftercare] {
            var d = try Driver.at(phase)
            for (event, owner) in owners where owner != phase {
                #expect(d.refusal(event) == .notAllowedInPhase(event.kind, phase))
            }
        }
    }
}
