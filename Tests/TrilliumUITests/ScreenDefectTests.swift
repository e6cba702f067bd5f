import Testing
import TrilliumCore
import TrilliumServices
import TrilliumUI

/// Defects found walking whole sessions at 80×24 (issue 9): each test failed before its fix.
@Suite("Screens that never stall or cut what matters")
struct ScreenDefectTests {
    /// Defect 1: after the third agent, the antisepsis list had no cursor and Space did nothing.
    @Test func theAntisepsisCursorStartsAgainAfterAnyAgent() throws {
        var fixture = SessionFixture.at(.anesthesia)
        var model = fixture.model()
        let agents = SessionFixture.treatmentProtocol.anesthesia.agents
        #expect(agents.count >= 3)
        // The agent, then its dose: in the clinic, 5 g on 100 cm², its lot and expiry.
        let effects = model.type([.down, .down, .enter, .character("1")] + keys("5") + [.enter] + keys("100") + [.enter]
                                 + keys("LT-1") + [.enter] + keys("2027-01") + [.enter])
        guard case let .record(.anestheticApplied(agent, occluded, dose))? = effects.first else {
            Issue.record("no agent recorded: \(effects)")
            return
        }
        #expect(agent == agents[2].id)
        #expect(dose?.amount == 5_000 && dose?.area == 100 && dose?.lot == "LT-1" && dose?.setting == .clinic)
        fixture.apply(.anestheticApplied(agent: agent, occluded: occluded, dose: dose))
        _ = model.send(.recorded(fixture.snapshot))
        fixture.advance(seconds: Int64(agents[2].minimumDwell / 1000) + 1)
        fixture.apply(.anestheticRemoved(try fixture.state.anestheticRemoval(at: fixture.stamp, earlyRemovalReason: nil)))
        _ = model.send(.recorded(fixture.snapshot))
        #expect(model.context == .antisepsis)
        #expect(model.cursor == 0)
        let first = SessionFixture.treatmentProtocol.antisepsis[0].id
        #expect(model.type([.space]) == [.record(.antisepsisConfirmed(item: first))])
    }

    /// Defect 5: the head digest was cut to 63 of its 64 characters.
    @Test func theSealedScreenShowsTheWholeHeadDigest() {
        var fixture = SessionFixture.at(.aftercare)
        for item in SessionFixture.treatmentProtocol.aftercare { fixture.apply(.aftercareConfirmed(item: item.id)) }
        fixture.apply(.signed(SignOff(attestation: "Complete and accurate.")))
        let model = fixture.model()
        let text = AppView.render(model).text()
        #expect(text.contains(fixture.snapshot.headDigest), "\(text)")
        #expect(text.contains("Enter: start screen"), "the last hint is not cut")
    }

    /// Defect 7: Esc on a prompt threw away what was typed.
    @Test func escOnATypedNoteAsksBeforeDiscardingIt() {
        var model = SessionFixture.at(.treatment).model()
        _ = model.type([.character("N")] + keys("Mild erythema on the left cheek") + [.escape])
        guard case let .confirmation(question)? = model.overlay else {
            Issue.record("Esc discarded the note without asking")
            return
        }
        #expect(question.title == "Discard what you typed?")
        _ = model.type([.character("n")])
        guard case let .prompt(prompt)? = model.overlay else {
            Issue.record("the note was not given back")
            return
        }
        #expect(prompt.field.text == "Mild erythema on the left cheek")
        #expect(model.type([.enter]) == [.record(.noteAdded(text: "Mild erythema on the left cheek", addendumReason: nil))])
        // An empty prompt still closes at once.
        _ = model.type([.character("N"), .escape])
        #expect(model.overlay == nil)
    }

    /// A field scrolls by display columns: a note of wide characters once
    /// scrolled by characters, too little, and showed none of what was just typed.
    @Test func aFieldOfWideCharactersKeepsWhatWasJustTypedInSight() {
        for count in [40, 66, 120] {
            var model = SessionFixture.at(.treatment).model()
            _ = model.type([.character("N")] + Array(repeating: Key.character("界"), count: count) + [.character("末")])
            let screen = AppView.render(model).text()
            guard let row = screen.split(separator: "\n").first(where: { $0.contains("界") }) else {
                Issue.record("\(count): none of the note is in sight\n\(screen)")
                continue
            }
            #expect(row.contains("界末"), "\(count): the last character typed is not in sight: \(row)")
            #expect(row.filter { $0 == "界" }.count >= 20, "\(count): the field shows too little: \(row)")
        }
    }

    /// Defect 7: an escape sequence in intake once discarded the whole form without asking.
    @Test func leavingAnIntakeWithTypedFieldsAsksFirst() {
        var model = AppModel(size: Size(width: 80, height: 24), glyphs: .unicode, now: SessionFixture().stamp,
                             treatmentProtocol: SessionFixture.treatmentProtocol)
        _ = model.type([.enter] + keys("P-4001") + [.escape])
        guard case let .confirmation(question)? = model.overlay else {
            Issue.record("the form was discarded without asking")
            return
        }
        #expect(question.lines.first?.contains("Patient reference") == true)
        _ = model.type([.character("n")])
        guard case let .intake(form) = model.screen else {
            Issue.record("not back on the form")
            return
        }
        #expect(form.value(.patient) == "P-4001")
        #expect(model.type([.escape, .character("y")]) == [.loadStart])
    }

    /// Defect 10: the session clock ran on after sign-off; durations read "1 h 0 min 00 s";
    /// a saved note gave no word of it.
    @Test func smallerThingsTheStaffNoticed() {
        var fixture = SessionFixture.at(.aftercare)
        for item in SessionFixture.treatmentProtocol.aftercare { fixture.apply(.aftercareConfirmed(item: item.id)) }
        fixture.apply(.signed(SignOff(attestation: "Complete and accurate.")))
        var model = fixture.model()
        let sealed = AppView.render(model).text().split(separator: "\n").first.map(String.init) ?? ""
        var later = fixture.stamp
        later.wallMilliseconds += 3_600_000
        later.monotonicNanoseconds += 3_600_000_000_000
        _ = model.send(.tick(later))
        #expect(AppView.render(model).text().split(separator: "\n").first.map(String.init) == sealed, "the clock stopped at sign-off")

        #expect(Durations.text(3_600_000) == "1 h 00 min 00 s")
        #expect(Durations.text(125_000) == "2 min 05 s")
        #expect(Durations.clock(3_725_000) == "1:02:05")
        #expect(Durations.text(-5) == "0 min 00 s")

        fixture.apply(.noteAdded(text: "Called the patient", addendumReason: "Follow-up"))
        _ = model.send(.recorded(fixture.snapshot))
        #expect(model.notice?.text == "Note saved as record #\(fixture.state.lastSeq).")
    }

    /// Defect 8: past 20 characters the cursor vanished and only the start of the text showed.
    @Test func intakeFieldsScrollWithTheirCursorAndShowTheirLimit() {
        var model = AppModel(size: Size(width: 80, height: 24), glyphs: .unicode, now: SessionFixture().stamp,
                             treatmentProtocol: SessionFixture.treatmentProtocol)
        let reference = "P-2026-0001-ABCDEFGHIJKLMNOPQRSTUV"
        _ = model.type([.enter] + keys(reference))
        let text = AppView.render(model).text()
        #expect(text.contains("QRSTUV"), "the end being typed is in view:\n\(text)")
        #expect(text.contains("\(reference.count)/40"))
        // At the limit, the counter says so and nothing more goes in.
        _ = model.type(keys("0123456789"))
        guard case let .intake(form) = model.screen else { return }
        #expect(form.value(.patient).count == 40)
        #expect(AppView.render(model).text().contains("40/40"))
    }

    /// Defect 9: in a non-UTF-8 locale a valid log was marked "x", "·" and "↗" came out as "?",
    /// and a wide character left a stale cell.
    @Test func asciiTerminalsGetTheNearestCharacter() {
        #expect(GlyphSet.ascii.check == "+")
        #expect(AsciiFallback.text(for: "·") == ".")
        #expect(AsciiFallback.text(for: "↗") == "/")
        #expect(AsciiFallback.text(for: "✓") == "+")
        #expect(AsciiFallback.text(for: "日") == "??", "a wide character fills both its cells")
        #expect(AsciiFallback.text(for: "a") == "a")
        #expect(AsciiFallback.text(for: "␛") == "^[")
        #expect(AsciiFallback.text(for: "␉") == "^I", "a tab's symbol, not ?")
        #expect(AsciiFallback.text(for: "␍") == "^M")
        #expect(AsciiFallback.text(for: "␀") == "^@")
        #expect(AsciiFallback.text(for: "␡") == "^?")
    }

    /// Defect 6: a "cannot resume" message longer than the row was cut.
    @Test func aLongCannotResumeMessageIsShownWhole() {
        var model = AppModel(size: Size(width: 80, height: 24), glyphs: .unicode, now: SessionFixture().stamp,
                             treatmentProtocol: SessionFixture.treatmentProtocol)
        let text = "Cannot resume: the log is corrupt (line 12 (seq 12) at byte 6021: digest check failed: SHA-256 of the JSON is 9f2c); it was not modified and cannot be resumed"
        #expect(model.send(.openFailed(text)) == [.bell])
        let screen = AppView.render(model)
        #expect(screen.cutTexts.isEmpty, "\(screen.cutTexts)")
        #expect(screen.text().contains("cannot be resumed"))
        #expect(screen.text().contains("it was not modified and"))
        _ = model.type([.enter])
        #expect(model.overlay == nil)
    }

    /// A note pasted past its limit was cut to it, with only the field's counter to say so.
    @Test func aNoteTypedPastItsLimitSaysWhatWasNotKeptOnce() {
        var model = SessionFixture.at(.treatment).model()
        _ = model.type([.character("N")])
        guard case let .prompt(opened)? = model.overlay else {
            Issue.record("no note prompt")
            return
        }
        let limit = opened.field.limit
        #expect(model.notice == nil || !(model.notice?.text.contains("at most") ?? false))
        let effects = model.type(keys(String(repeating: "a", count: limit + 12)))
        guard case let .prompt(prompt)? = model.overlay else {
            Issue.record("the note prompt closed")
            return
        }
        #expect(prompt.field.text.count == limit)
        #expect(model.notice?.text.contains("at most \(limit) characters;") == true, "\(String(describing: model.notice))")
        #expect(effects.filter { $0 == .bell }.count == 1, "one bell for the whole paste, not one a key")
        #expect(AppView.render(model).text().contains("not kept"))
    }

    /// The message's footer said "y yes  n no" under a box whose only answer is Enter.
    @Test func aMessageToAcknowledgeHasTheFooterOfItsOneAnswer() {
        var model = AppModel(size: Size(width: 80, height: 24), glyphs: .unicode, now: SessionFixture().stamp,
                             treatmentProtocol: SessionFixture.treatmentProtocol)
        _ = model.send(.openFailed("Cannot resume: the log is corrupt (line 12 (seq 12) at byte 6021: digest check failed); it was not modified"))
        #expect(model.context == .message)
        let footer = AppView.render(model).text().split(separator: "\n", omittingEmptySubsequences: false).last.map(String.init) ?? ""
        #expect(footer.contains("close"), "\(footer)")
        #expect(!footer.contains("yes") && !footer.contains("no"), "\(footer)")
        _ = model.type([.character("y")])
        #expect(model.overlay != nil, "y is not an answer the footer offers")
        _ = model.type([.escape])
        #expect(model.overlay == nil)
    }
}
