import Testing
import TrilliumCore
import TrilliumServices
import TrilliumUI

@Suite("update(model, message) → (model, effects)")
struct UpdateTests {
    @Test func aStepIsAskedForAsAnEffectAndShownOnlyOnceRecorded() {
        var fixture = SessionFixture.opened()
        var model = fixture.model()
        let effects = model.type([.character("y")])
        #expect(effects == [.record(.screeningAnswered(question: "isotretinoin", answer: true))])
        #expect(model.state?.screening["isotretinoin"] == nil, "nothing shows as done before it is durable")
        fixture.apply(.screeningAnswered(question: "isotretinoin", answer: true))
        _ = model.send(.recorded(fixture.snapshot))
        #expect(model.state?.screening["isotretinoin"]?.answer == true)
        // A blocking yes keeps the cursor, so that o overrides this question and not the next (issue 9, defect 10).
        #expect(model.cursor == 0)
        #expect(model.notice?.text.contains("o overrides it with a reason") == true)
        #expect(model.type([.character("n")]) == [.record(.screeningAnswered(question: "isotretinoin", answer: false))])
        fixture.apply(.screeningAnswered(question: "isotretinoin", answer: false))
        _ = model.send(.recorded(fixture.snapshot))
        #expect(model.cursor == 1, "a no moves on to the next question")
    }

    @Test func aRefusalIsShownAndRingsTheBell() {
        var model = SessionFixture.opened().model()
        #expect(model.type([.enter]) == [.record(.screeningCompleted)])
        let effects = model.send(.refused("Answer every screening question first."))
        #expect(effects == [.bell])
        #expect(model.notice == Notice("Answer every screening question first.", .warning))
    }

    @Test func aFailedSaveMakesTheSessionReadOnly() {
        let fixture = SessionFixture.at(.preparation)
        var model = fixture.model()
        var failed = fixture.snapshot
        failed.readOnlyReason = "Saving failed (fdatasync: Input/output error). The log is intact up to record 20."
        _ = model.send(.saveFailed(failed, failed.readOnlyReason!))
        #expect(model.isReadOnly)
        let effects = model.type([.space])
        #expect(effects == [.bell], "nothing more is sent to be recorded")
        let text = AppView.render(model).text()
        #expect(text.contains("READ-ONLY: log intact up to record \(fixture.state.lastSeq); nothing more is saved."))
        let wide = AppView.render({ var m = model; m.size = Size(width: 200, height: 40); return m }()).text()
        #expect(wide.contains("Saving failed (fdatasync: Input/output error)."))
    }

    @Test func textFieldsEditAndRefuseControlCharacters() {
        var field = TextField("abc")
        _ = field.handle(.left)
        _ = field.handle(.character("X"))
        #expect(field.text == "abXc")
        _ = field.handle(.character("\u{1B}"))
        _ = field.handle(.character("\u{7}"))
        #expect(field.text == "abXc")
        _ = field.handle(.backspace)
        #expect(field.text == "abc")
        _ = field.handle(.control("u"))
        #expect(field.text.isEmpty)
    }

    @Test func intakeIsCheckedBeforeAnythingIsOpened() {
        var model = AppModel(size: Size(width: 80, height: 24), glyphs: .unicode, now: SessionFixture().stamp,
                             treatmentProtocol: SessionFixture.treatmentProtocol)
        _ = model.type([.enter])
        guard case .intake = model.screen else {
            Issue.record("Enter on New session opens intake")
            return
        }
        #expect(model.type([.enter]) == [.bell])
        #expect(model.notice?.text == "Patient reference is required.")
        // The device is chosen from the protocol's, not typed: letters on it change nothing.
        var effects = model.type(keys("P-1") + [.down] + keys("Op") + [.down] + keys("Pen") + [.down] + keys("S1") + [.down]
            + keys("L1") + [.down] + keys("2027-13") + [.enter])
        #expect(effects == [.bell])
        #expect(model.notice?.text == "Cartridge expiry must be YYYY-MM or YYYY-MM-DD.")
        effects = model.type([.backspace, .backspace] + keys("05") + [.enter])
        #expect(model.notice?.text == "Plan at least one zone: Tab to the zone list, Space to toggle.")
        effects = model.type([.tab, .space, .down, .down, .space, .enter])
        #expect(effects == [.openSession(Intake(
            patientReference: "P-1", operatorName: "Op", workstation: "",
            device: DeviceIdentity(model: "SkinPen Precision", serial: "S1", profile: "skinpen"),
            cartridge: Cartridge(lot: "L1", expiry: "2027-05"), plannedZones: ["forehead", "temple_left"], isTraining: false))])
    }

    /// Read from a metre away while the anesthetic is on: however long the
    /// patient's reference and the operator's name, the status bar keeps the
    /// dwell timer whole, giving up the session clock, then the names' ends.
    @Test func theStatusBarShortensTheNamesBeforeTheDwellTimer() {
        var fixture = SessionFixture.at(.anesthesia)
        fixture.apply(.anestheticApplied(agent: "lidocaine_4", occluded: false, dose: SessionFixture.dose))
        let model = fixture.model(now: fixture.stamp)
        let bar = { (model: AppModel) in String(AppView.render(model).text().split(separator: "\n")[0]) }
        #expect(bar(model).contains("DWELL 29:40 left"), "\(bar(model))")
        #expect(!bar(model).contains("session 0"), "the session clock gave way at 80 columns: \(bar(model))")
        var wide = model
        wide.size = Size(width: 120, height: 40)
        #expect(bar(wide).contains("DWELL 29:40 left · session "), "\(bar(wide))")
        fixture.apply(.recordCorrected(Correction(seq: 1, field: "patient_ref", oldValue: "P-3001",
                                                  newValue: "P-2026-000123-NORTHWICK-CLINIC-ROOM-3", reason: "Reference as on the chart")))
        let long = fixture.model(now: fixture.stamp)
        #expect(bar(long).contains("P-2026-000123"), "\(bar(long))")
        #expect(bar(long).contains("… · DWELL 29:20 left"), "\(bar(long))")
        #expect(bar(long).contains("saved #"), "\(bar(long))")
        // Taken over by another person signed in: the bar names who has the session now.
        var attributed = SessionFixture.awaitingConsultation(operatorID: "ana")
        attributed.by = "olly"
        attributed.apply(.handedOver(HandOver(from: "ana", to: "olly", toName: "Olly Operator")))
        let handedOver = bar(attributed.model(now: attributed.stamp))
        #expect(handedOver.contains("Olly Operator") && !handedOver.contains("Ana Silva"), "\(handedOver)")
    }

    @Test func theDwellTimerIsComputedFromTheLogsStampsAndRingsOnEachStage() {
        var fixture = SessionFixture.at(.anesthesia)
        fixture.apply(.anestheticApplied(agent: "lidocaine_4", occluded: false, dose: SessionFixture.dose))
        let applied = fixture.records.last!.stamp
        // Resumed 10 minutes after application: the timer shows 20 minutes left, not 30.
        var later = applied
        later.monotonicNanoseconds += 10 * 60 * 1_000_000_000
        later.wallMilliseconds += 10 * 60_000
        var model = fixture.model(now: later)
        #expect(model.dwellStageNow == .waiting(remaining: 20 * 60_000))
        #expect(AppView.render(model).text().contains("DWELL 20:00 left"))
        later.monotonicNanoseconds += 20 * 60 * 1_000_000_000
        #expect(model.send(.tick(later)) == [.bell])
        #expect(model.dwellStageNow == .ready(since: 0))
        #expect(model.send(.tick(later)) == [], "no bell without a change")
        later.monotonicNanoseconds += 31 * 60 * 1_000_000_000
        #expect(model.send(.tick(later)) == [.bell])
        #expect(model.dwellStageNow == .overMaximum(by: 60_000))
        #expect(AppView.render(model).text().contains("OVER MAXIMUM DWELL"))
    }

    @Test func removingBeforeTheMinimumAsksForAReason() {
        var fixture = SessionFixture.at(.anesthesia)
        fixture.apply(.anestheticApplied(agent: "lidocaine_4", occluded: false, dose: SessionFixture.dose))
        var model = fixture.model()
        _ = model.type([.character("r")])
        guard case let .prompt(prompt)? = model.overlay else {
            Issue.record("a reason is asked for")
            return
        }
        #expect(prompt.next == .earlyRemoval)
        #expect(model.type([.enter]) == [.bell], "an empty reason is refused")
        #expect(model.type(keys("Patient anxious") + [.enter]) == [.removeAnesthetic(earlyRemovalReason: "Patient anxious")])
    }

    @Test func aPassIsRecordedWithItsDirectionChosenByKey() {
        var model = SessionFixture.at(.treatment).model()
        // The first unfinished zone is selected: cheek (left), set at 1.00 mm with one pass.
        #expect(model.selectedZone?.id == "cheek_left")
        _ = model.type([.character("p")])
        #expect(model.type([.character("2")]) == [.record(.passRecorded(zone: "cheek_left", direction: "vertical", depth: Depth(micrometres: 1000)))])
        _ = model.type([.character("+")])
        #expect(model.shownDepth(for: model.selectedZone!) == Depth(micrometres: 1250))
        #expect(model.type([.character("p")]) == [.bell], "a pass at a depth not yet set is refused")
        #expect(model.type([.character("d")]) == [.record(.depthSet(zone: "cheek_left", depth: Depth(micrometres: 1250), reason: nil))])
    }

    @Test func aDepthOutsideTheZoneRangeNeedsAReason() {
        var model = SessionFixture.at(.treatment).model()
        _ = model.type([.down])  // cheek (right), default 1.00
        _ = model.type([.character("+"), .character("+"), .character("+")])
        _ = model.type([.character("d")])
        guard case let .prompt(prompt)? = model.overlay else {
            Issue.record("a reason is asked for")
            return
        }
        #expect(prompt.next == .depthReason(zone: "cheek_right", depth: Depth(micrometres: 1750)))
        #expect(model.type(keys("Deep scarring") + [.enter]) == [.record(.depthSet(zone: "cheek_right", depth: Depth(micrometres: 1750), reason: "Deep scarring"))])
    }

    @Test func quittingAsksFirstAndLeavesTheSessionResumable() {
        var model = SessionFixture.at(.treatment).model()
        #expect(model.type([.control("c")]).isEmpty)
        guard case let .confirmation(confirmation)? = model.overlay else {
            Issue.record("Ctrl-C asks first")
            return
        }
        #expect(confirmation.lines.contains("The session stays saved and can be resumed from the start screen."))
        #expect(model.type([.character("n")]).isEmpty)
        #expect(model.overlay == nil)
        #expect(model.type([.character("q"), .character("y")]) == [.closeSession, .quit])
    }

    /// The anesthetic's time on the skin belongs to the record even when the
    /// session stops: aborting while it is on records its removal first, and
    /// quitting says its timer and alarms stop with the app.
    @Test func abortingWhileTheAnestheticIsOnRecordsItsRemovalFirst() throws {
        var fixture = SessionFixture.at(.anesthesia)
        fixture.apply(.anestheticApplied(agent: "lidocaine_4", occluded: false, dose: SessionFixture.dose))
        var model = fixture.model(now: fixture.stamp)
        #expect(model.type([.character("q")]).isEmpty)
        guard case let .confirmation(quitting)? = model.overlay else {
            Issue.record("q asks first")
            return
        }
        #expect(quitting.lines.first == "The anesthetic is on: no timer or alarm runs until the session is resumed.")
        #expect(model.type([.character("n")]).isEmpty)
        #expect(model.type([.character("A")] + keys("Patient felt faint") + [.enter]).isEmpty)
        guard case let .confirmation(aborting)? = model.overlay else {
            Issue.record("an abort is confirmed")
            return
        }
        #expect(aborting.lines.contains("The anesthetic is on: remove it now; its removal is recorded before the abort."))
        let effects = model.type([.character("y")])
        #expect(effects == [.removeAnesthetic(earlyRemovalReason: "Session aborted before the minimum dwell"),
                            .record(.aborted(reason: "Patient felt faint"))])
        // The core takes both, in that order: the dwell is measured, then the session sealed.
        let removal = try fixture.state.anestheticRemoval(at: fixture.stamp, earlyRemovalReason: "Session aborted before the minimum dwell")
        fixture.apply(.anestheticRemoved(removal))
        fixture.apply(.aborted(reason: "Patient felt faint"))
        #expect(fixture.state.phase == .aborted)
        #expect(fixture.state.anesthetic?.isOn == false)

        // Past its maximum, quitting says to take it off now.
        var overdue = fixture.stamp
        overdue.monotonicNanoseconds += 90 * 60 * 1_000_000_000
        var late = SessionFixture.at(.anesthesia)
        late.apply(.anestheticApplied(agent: "lidocaine_4", occluded: false, dose: SessionFixture.dose))
        var lateModel = late.model(now: overdue)
        _ = lateModel.type([.character("q")])
        guard case let .confirmation(overdueQuit)? = lateModel.overlay else { Issue.record("q asks first"); return }
        #expect(overdueQuit.lines.first == "It is past its maximum dwell: remove it now.")

        // With no anesthetic on, an abort is the abort alone.
        var treating = SessionFixture.at(.treatment).model()
        _ = treating.type([.character("A")] + keys("Equipment fault") + [.enter])
        guard case let .confirmation(plain)? = treating.overlay else {
            Issue.record("an abort is confirmed")
            return
        }
        #expect(!plain.lines.contains { $0.contains("anesthetic") })
        #expect(treating.type([.character("y")]) == [.record(.aborted(reason: "Equipment fault"))])
    }

    @Test func aTooSmallTerminalWaitsForAResize() {
        var model = SessionFixture.at(.treatment).model(size: Size(width: 60, height: 20))
        #expect(model.type([.character("p"), .character("d")]).isEmpty)
        #expect(AppView.render(model).text().contains("Terminal too small"))
        _ = model.send(.resized(Size(width: 80, height: 24)))
        #expect(AppView.render(model).text().contains("Forehead"))
    }

    @Test func correctionsNameTheRecordFieldOldAndNewValueAndReason() {
        var model = SessionFixture.at(.treatment).model()
        _ = model.type([.character("C")])
        guard case let .choice(choice)? = model.overlay else {
            Issue.record("a record chooser opens")
            return
        }
        let skip = try! #require(choice.options.firstIndex { $0.label.contains("Chin skipped") })
        _ = model.type(Array(repeating: .down, count: skip) + [.enter])
        _ = model.type([.enter])  // the only correctable field: reason
        let effects = model.type(keys(" and redness") + [.enter] + keys("Incomplete reason") + [.enter])
        let seq = SessionFixture.at(.treatment).records.first { $0.event.kind == .zoneSkipped }!.seq
        #expect(effects == [.record(.recordCorrected(Correction(
            seq: seq, field: "reason", oldValue: "Active irritation on the chin", newValue: "Active irritation on the chin and redness",
            reason: "Incomplete reason")))])
    }

    @Test func notesOnASealedSessionAskWhyTheyComeAfterwards() {
        var model = SessionFixture.at(.signed).model()
        _ = model.type([.character("N")] + keys("Patient called: mild redness") + [.enter])
        #expect(model.type(keys("Follow-up call") + [.enter]) ==
            [.record(.noteAdded(text: "Patient called: mild redness", addendumReason: "Follow-up call"))])
    }
}

@Suite("A resumed session keeps its own protocol")
struct ResumedProtocolTests {
    @Test func theDwellTimerUsesTheSessionsProtocolNotTheOneForNewSessions() {
        var fixture = SessionFixture.at(.anesthesia)
        fixture.apply(.anestheticApplied(agent: "lidocaine_4", occluded: false, dose: SessionFixture.dose))
        var other = SessionFixture.treatmentProtocol
        other.anesthesia.agents[0].minimumDwell = 5 * 60_000
        var model = fixture.model(now: fixture.records.last!.stamp)
        model.treatmentProtocol = other
        #expect(model.dwellStageNow == .waiting(remaining: 30 * 60_000))
    }
}
