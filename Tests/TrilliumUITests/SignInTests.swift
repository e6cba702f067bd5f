import Testing
import TrilliumCore
import TrilliumServices
import TrilliumUI

@Suite("Signing in, the idle lock, and who may authorise and sign")
struct SignInTests {
    static let olly = SignedInUser(id: "olly", name: "Olly Operator", roles: [.operator])

    static func signInScreen() -> AppModel {
        var model = AppModel(size: Size(width: 80, height: 24), glyphs: .unicode, now: SessionFixture().stamp,
                             treatmentProtocol: SessionFixture.treatmentProtocol)
        var data = StartData()
        data.hasStaffAccounts = true
        _ = model.send(.startLoaded(data))
        return model
    }

    @Test func whereAccountsExistTheAppOpensOnSignInAndThePINNeverShows() {
        var model = Self.signInScreen()
        guard case .signIn = model.screen else { Issue.record("not the sign-in screen: \(model.screen)"); return }
        #expect(model.type(keys("olly") + [.tab] + keys("482916")).isEmpty)
        let shown = AppView.render(model).text()
        #expect(shown.contains("olly") && shown.contains("******") && !shown.contains("482916"))
        let effects = model.type([.enter])
        #expect(effects == [.signIn(id: "olly", pin: "482916", unlocking: false)])
        if case let .signIn(form) = model.screen { #expect(form.pin.text.isEmpty, "the PIN leaves the model once sent") }
        #expect(model.send(.signInRefused("Wrong PIN for \"olly\"")) == [.bell])
        #expect(model.send(.signedIn(Self.olly)) == [.loadStart])
        #expect(model.signedIn == Self.olly)
    }

    @Test func withoutAccountsTheStartScreenOpensAsBefore() {
        var model = AppModel(size: Size(width: 80, height: 24), glyphs: .unicode, now: SessionFixture().stamp,
                             treatmentProtocol: SessionFixture.treatmentProtocol)
        _ = model.send(.startLoaded(StartData()))
        guard case .start = model.screen else { Issue.record("not the start screen"); return }
    }

    @Test func theSignedInPersonIsTheOperatorOfTheSessionTheyOpen() {
        var model = Self.signInScreen()
        _ = model.send(.signedIn(Self.olly))
        var data = StartData()
        data.hasStaffAccounts = true
        _ = model.send(.startLoaded(data))
        _ = model.type([.enter])
        // Shown as who signed in, not as a field to type into (no brackets, no count of characters).
        let intakeScreen = AppView.render(model).text()
        #expect(intakeScreen.contains("Operator           Olly Operator"), "\(intakeScreen)")
        #expect(!intakeScreen.contains("[Olly Operator"), "\(intakeScreen)")
        // Typing into the operator field changes nothing: the operator is who signed in.
        _ = model.type(keys("P-77") + [.down] + keys("Mallory") + [.down] + keys("SkinPen") + [.down] + keys("SP-1") + [.down] + keys("L-9")
                       + [.down] + keys("2031-01") + [.tab, .space])
        let effects = model.type([.enter])
        guard case let .openSession(intake)? = effects.first else { Issue.record("no session opened: \(effects)"); return }
        #expect(intake.operatorID == "olly" && intake.operatorName == "Olly Operator")
    }

    /// An attributed session in its dwell, with Olly signed in and the last key five minutes ago.
    static func lockedDuringDwell(size: Size = Size(width: 80, height: 24)) -> (model: AppModel, effects: [Effect]) {
        var f = SessionFixture.at(.anesthesia)
        f.apply(.anestheticApplied(agent: "lidocaine_4", occluded: true, dose: SessionFixture.dose))
        var model = f.model(size: size)
        model.signedIn = olly
        model.lastKeyAt = model.now
        var later = model.now
        later.wallMilliseconds += 5 * 60_000
        later.monotonicNanoseconds += 5 * 60_000_000_000
        let effects = model.send(.tick(later))
        return (model, effects)
    }

    @Test func theIdleLockHidesPatientDataAndKeepsTheDwellTimer() {
        let (locked, effects) = Self.lockedDuringDwell()
        #expect(effects == [.lockScreen])
        #expect(locked.lock?.id.text == "olly")
        let shown = AppView.render(locked).text()
        #expect(!shown.contains("P-3001") && !shown.contains("Ana Silva") && !shown.contains("CL-2603"), "no patient data:\n\(shown)")
        #expect(shown.contains("Anesthesia") && shown.contains("DWELL ") && shown.contains(" left"), "the phase and the timer stay:\n\(shown)")
        // The dwell's bell still rings through the lock when the minimum is reached.
        var model = locked
        var later = model.now
        later.wallMilliseconds += 26 * 60_000
        later.monotonicNanoseconds += 26 * 60_000_000_000
        #expect(model.send(.tick(later)) == [.bell])
        #expect(AppView.render(model).text().contains("READY"))
        // Keys go to the lock's PIN field; nothing reaches the session.
        #expect(model.type([.character("y")]).isEmpty)
        #expect(model.lock?.pin.text == "y")
        #expect(model.type([.backspace] + keys("482916") + [.enter]) == [.signIn(id: "olly", pin: "482916", unlocking: true)])
        #expect(model.send(.signedIn(Self.olly)).isEmpty)
        #expect(model.lock == nil && AppView.render(model).text().contains("P-3001"))
    }

    @Test func noLockBeforeTheTimeNorWithoutAnyoneSignedIn() {
        var f = SessionFixture.at(.anesthesia)
        f.apply(.anestheticApplied(agent: "lidocaine_4", occluded: true, dose: SessionFixture.dose))
        var model = f.model()
        model.lastKeyAt = model.now
        var later = model.now
        later.wallMilliseconds += 10 * 60_000
        later.monotonicNanoseconds += 10 * 60_000_000_000
        _ = model.send(.tick(later))
        #expect(model.lock == nil, "no accounts, no lock")
        model.signedIn = Self.olly
        model.lastKeyAt = later
        later.wallMilliseconds += 4 * 60_000
        later.monotonicNanoseconds += 4 * 60_000_000_000
        _ = model.send(.tick(later))
        #expect(model.lock == nil, "four minutes is not five")
    }

    /// A screening of a session opened by Olly, with `question` answered yes.
    static func attributedScreening(yesTo question: QuestionID) -> AppModel {
        var f = SessionFixture()
        f.apply(.opened(SessionOpening(
            sessionID: "5e551011-0000-4000-8000-000000000002", patientReference: "P-3002", operatorName: "Olly Operator",
            workstation: "room-1", device: DeviceIdentity(model: "SkinPen Precision", serial: "SP-204117", profile: "skinpen"),
            cartridge: Cartridge(lot: "CL-2603-11", expiry: "2027-05"), protocolReference: ProtocolReference(SessionFixture.treatmentProtocol),
            plannedZones: ["forehead"], appVersion: "test", isTraining: false, operatorID: "olly")))
        f.apply(.consultationRecorded(SessionFixture.consultation))
        f.apply(.screeningAnswered(question: question, answer: true))
        var model = f.model()
        model.signedIn = olly
        model.cursor = SessionFixture.treatmentProtocol.screening.firstIndex { $0.id == question } ?? 0
        return model
    }

    @Test func overridingARelativeRuleAsksForTheDirectorAndTheirPIN() {
        var model = Self.attributedScreening(yesTo: "keloid")
        _ = model.type([.character("o")] + keys("Flat scar, reviewed") + [.enter])
        guard case let .prompt(director)? = model.overlay else { Issue.record("no director prompt"); return }
        #expect(director.label.contains("director"))
        _ = model.type(keys("dana") + [.enter])
        guard case let .prompt(pin)? = model.overlay else { Issue.record("no PIN prompt"); return }
        #expect(pin.field.isSecret)
        _ = model.type(keys("561234"))
        #expect(!AppView.render(model).text().contains("561234"))
        // Esc on a PIN cancels at once: no "discard what you typed?" that would repeat it.
        var cancelled = model
        _ = cancelled.type([.escape])
        #expect(cancelled.overlay == nil)
        #expect(model.type([.enter]) == [.authoriseOverride(question: "keloid", reason: "Flat scar, reviewed", director: "dana", pin: "561234")])
    }

    @Test func anAbsoluteRuleOffersNoOverride() {
        var model = Self.attributedScreening(yesTo: "active_infection")
        // The screen's rule is the highlighted question's: never "a director may override it" on an absolute one.
        let screen = AppView.render(model).text()
        #expect(screen.contains("Absolute: a yes means no treatment today.") && !screen.contains("may override"), "\(screen)")
        #expect(model.type([.character("o")]) == [.bell])
        #expect(model.overlay == nil)
        #expect(model.notice?.text.contains("absolute") == true)
    }

    @Test func aDirectorCosignsFromTheStartScreenWithTheirPIN() {
        var model = Self.signInScreen()
        _ = model.send(.signedIn(SignedInUser(id: "dana", name: "Dr Dana", roles: [.director])))
        var data = StartData()
        data.hasStaffAccounts = true
        data.awaitingReview = [StartEntry(kind: .review(path: "/data/s.tlog"), label: "Review P-1 · signed by Olly Operator",
                                          details: ["Zones (mm): Forehead 0.50", "Warnings (1):", "  #12 anesthetic removed early"])]
        _ = model.send(.startLoaded(data))
        #expect(AppView.render(model).text().contains("awaiting your review"))
        _ = model.type([.down, .enter])
        guard case let .confirmation(confirmation)? = model.overlay else { Issue.record("no confirmation"); return }
        #expect(confirmation.closing.joined().contains("meaning \"reviewed\""))
        #expect(confirmation.lines.prefix(4) == ["Review P-1 · signed by Olly Operator", "Zones (mm): Forehead 0.50", "Warnings (1):",
                                                  "  #12 anesthetic removed early"], "what is signed is shown first")
        _ = model.type([.character("y")])
        guard case let .prompt(prompt)? = model.overlay, prompt.field.isSecret else { Issue.record("no PIN prompt"); return }
        #expect(model.type(keys("561234") + [.enter]) == [.cosign(path: "/data/s.tlog", pin: "561234")])
    }

    /// A session with more to review than an 80x24 dialog holds: what the
    /// signature means stays in view, the rest scrolls, and "yes" is taken
    /// only once every line has been on the screen.
    @Test func aLongReviewScrollsAndIsReadToTheEndBeforeTheSignature() {
        var model = Self.signInScreen()
        _ = model.send(.signedIn(SignedInUser(id: "dana", name: "Dr Dana", roles: [.director])))
        var data = StartData()
        data.hasStaffAccounts = true
        let warnings = (1...8).map { "  #\($0 + 10) anesthetic removed after 5 min 0 s, before its minimum dwell: patient asked" }
        data.awaitingReview = [StartEntry(kind: .review(path: "/data/s.tlog"), label: "Review P-1 · signed by Olly Operator",
                                          details: ["Zones (mm): Forehead 0.50", "Warnings (8):"] + warnings + ["Adverse events (1):",
                                                    "  #30 severe: Patient felt faint; legs raised, recovered in 2 min"])]
        _ = model.send(.startLoaded(data))
        _ = model.type([.down, .enter])
        var screen = AppView.render(model).text()
        #expect(screen.contains("\"reviewed\"; your PIN is asked next."), "the signature's meaning is in view:\n\(screen)")
        #expect(!screen.contains("Patient felt faint"), "the last lines are below:\n\(screen)")
        #expect(screen.contains("more lines: Down"))
        #expect(model.type([.character("y")]) == [.bell], "not before the end")
        #expect(model.notice?.text.contains("Read it to the end first") == true)
        guard case .confirmation? = model.overlay else { Issue.record("the dialog stays"); return }
        _ = model.type([.pageDown, .pageDown, .down, .down])
        screen = AppView.render(model).text()
        #expect(screen.contains("Patient felt faint"), "\(screen)")
        #expect(screen.contains("\"reviewed\"; your PIN is asked next."))
        _ = model.type([.character("y")])
        guard case let .prompt(prompt)? = model.overlay, prompt.field.isSecret else { Issue.record("no PIN prompt"); return }
    }
}
