import Testing
import TrilliumCore

/// Who may do what in a session opened by a signed-in account: the rules
/// that a log made by another tool is held to as well as the app.
@Suite("Attributed sessions: contraindication rules, signatures, hand-overs")
struct AttributionTests {
    /// The test protocol with an absolute contraindication added.
    static let withAbsoluteRule: TreatmentProtocol = {
        var p = TestProtocol.make
        p.screening.append(ScreeningQuestion(id: "infection", text: "Active infection in the area?", rule: .absolute))
        return p
    }()

    static func attributedOpening() -> SessionOpening {
        var opening = Driver.opening()
        opening.operatorID = "olly"
        opening.operatorName = "Olly Operator"
        return opening
    }

    /// A session of `olly`, opened and at screening.
    static func screening(attributed: Bool = true) throws -> Driver {
        var d = Driver(state: SessionState(treatmentProtocol: withAbsoluteRule))
        try d.state.apply(d.record(.opened(attributed ? attributedOpening() : Driver.opening()), by: attributed ? "olly" : "A. Moreau"))
        return d
    }

    static func refusal(_ d: inout Driver, _ event: SessionEvent, by: String) -> SessionError? {
        let before = d.state
        do {
            try d.state.apply(d.record(event, by: by))
            return nil
        } catch {
            #expect(d.state == before)
            return error
        }
    }

    @Test func anAbsoluteContraindicationIsNeverOverridden() throws {
        for attributed in [true, false] {
            var d = try Self.screening(attributed: attributed)
            let by = attributed ? "olly" : "A. Moreau"
            try d.state.apply(d.record(.screeningAnswered(question: "infection", answer: true), by: by))
            #expect(Self.refusal(&d, .screeningOverridden(question: "infection", reason: "Looks fine", authorisedBy: "dana"), by: by)
                    == .absoluteContraindication("Active infection in the area?"))
            #expect(Self.refusal(&d, .screeningOverridden(question: "infection", reason: "Looks fine"), by: by)
                    == .absoluteContraindication("Active infection in the area?"))
            // Screening cannot finish past it; the session can only be aborted.
            for q in Self.withAbsoluteRule.screening where q.id != "infection" {
                try d.state.apply(d.record(.screeningAnswered(question: q.id, answer: false), by: by))
            }
            #expect(Self.refusal(&d, .screeningCompleted, by: by) == .blockingAnswers(["Active infection in the area?"]))
            #expect(Self.refusal(&d, .aborted(reason: "Active infection: rebooked"), by: by) == nil)
        }
    }

    @Test func aRelativeOverrideNeedsADirectorOtherThanTheOperator() throws {
        var d = try Self.screening()
        try d.state.apply(d.record(.screeningAnswered(question: "keloid", answer: true), by: "olly"))
        #expect(Self.refusal(&d, .screeningOverridden(question: "keloid", reason: "Old, flat scar"), by: "olly")
                == .overrideNeedsDirector("Keloid scarring?"))
        #expect(Self.refusal(&d, .screeningOverridden(question: "keloid", reason: "Old, flat scar", authorisedBy: "olly"), by: "olly")
                == .overrideNeedsDirector("Keloid scarring?"))
        #expect(Self.refusal(&d, .screeningOverridden(question: "keloid", reason: "Old, flat scar", authorisedBy: "dana"), by: "olly") == nil)
        #expect(d.state.screening["keloid"]?.authorisedBy == "dana")
    }

    @Test func aSessionFromBeforeAccountsOverridesAsItAlwaysDid() throws {
        var d = try Self.screening(attributed: false)
        try d.state.apply(d.record(.screeningAnswered(question: "keloid", answer: true), by: "A. Moreau"))
        #expect(Self.refusal(&d, .screeningOverridden(question: "keloid", reason: "Old, flat scar"), by: "A. Moreau") == nil)
    }

    static let signature = ElectronicSignature(signer: "olly", signerName: "Olly Operator", role: .operator, meaning: .performedBy,
                                               keyFingerprint: String(repeating: "a", count: 64), value: String(repeating: "b", count: 128))

    /// An attributed session of the test protocol, ready to sign.
    static func readyToSign() throws -> Driver {
        let legacy = try Driver.at(.aftercare)
        var d = Driver()
        d.stamp = legacy.stamp
        for record in legacy.records {
            var attributed = record
            attributed.by = "olly"
            if case .opened = record.event { attributed.event = .opened(attributedOpening()) }
            try d.state.apply(attributed)
        }
        for item in TestProtocol.make.aftercare { try d.state.apply(d.record(.aftercareConfirmed(item: item.id), by: "olly")) }
        return d
    }

    @Test func anAttributedSignOffNeedsTheOperatorsSignature() throws {
        var d = try Self.readyToSign()
        #expect(Self.refusal(&d, .signed(SignOff(attestation: "Complete.")), by: "olly") == .signatureRequired)
        var someoneElse = Self.signature
        someoneElse.signer = "pat"
        #expect(Self.refusal(&d, .signed(SignOff(attestation: "Complete.", signature: someoneElse)), by: "olly") == .signatureRequired)
        var reviewed = Self.signature
        reviewed.meaning = .reviewed
        #expect(Self.refusal(&d, .signed(SignOff(attestation: "Complete.", signature: reviewed)), by: "olly") == .signatureRequired)
        #expect(Self.refusal(&d, .signed(SignOff(attestation: "Complete.", signature: Self.signature)), by: "olly") == nil)
        #expect(d.state.signature?.electronic == Self.signature)
    }

    @Test func aCosignatureIsAnotherDirectorsReviewOfASignedSession() throws {
        var d = try Self.readyToSign()
        var review = Self.signature
        review.signer = "dana"
        review.role = .director
        review.meaning = .reviewed
        #expect(Self.refusal(&d, .cosigned(review), by: "dana") == .cosignatureBeforeSignOff)
        try d.state.apply(d.record(.signed(SignOff(attestation: "Complete.", signature: Self.signature)), by: "olly"))
        var own = review
        own.signer = "olly"
        #expect(Self.refusal(&d, .cosigned(own), by: "olly") == .cosignerIsSigner)
        var asOperator = review
        asOperator.role = .operator
        #expect(Self.refusal(&d, .cosigned(asOperator), by: "dana") == .cosignatureMisstated)
        #expect(Self.refusal(&d, .cosigned(review), by: "pat") == .cosignatureMisstated, "made by someone other than the signer named")
        #expect(Self.refusal(&d, .cosigned(review), by: "dana") == nil)
        #expect(Self.refusal(&d, .cosigned(review), by: "dana") == .alreadyCosigned("dana"))
        #expect(d.state.cosignatures.map(\.signature.signer) == ["dana"])
    }

    @Test func aHandOverIsFromTheCurrentOperatorToThePersonSigningIn() throws {
        var d = try Self.screening()
        #expect(d.state.currentOperator == "olly")
        #expect(Self.refusal(&d, .handedOver(HandOver(from: "olly", to: "pat", toName: "Pat")), by: "olly") == .handOverMisstated(current: "olly"))
        #expect(Self.refusal(&d, .handedOver(HandOver(from: "someone", to: "pat", toName: "Pat")), by: "pat") == .handOverMisstated(current: "olly"))
        #expect(Self.refusal(&d, .handedOver(HandOver(from: "olly", to: "pat", toName: "Pat")), by: "pat") == nil)
        #expect(d.state.currentOperator == "pat")
        var legacy = try Self.screening(attributed: false)
        #expect(Self.refusal(&legacy, .handedOver(HandOver(from: "A. Moreau", to: "pat", toName: "Pat")), by: "pat") == .handOverNeedsAccounts)
    }

    @Test func staffAndAccessRecordsDoNotBelongInASession() throws {
        var d = try Self.screening()
        #expect(Self.refusal(&d, .signedIn(user: "olly"), by: "olly") == .notASessionRecord(.signedIn))
        #expect(Self.refusal(&d, .userDisabled(user: "olly", reason: "x"), by: "olly") == .notASessionRecord(.userDisabled))
    }

    @Test func blocksInAnOlderProtocolFileReadsAsRelative() {
        #expect(ScreeningRule(fileName: "blocks") == .relative)
        #expect(ScreeningRule(fileName: "absolute") == .absolute)
        #expect(ScreeningRule(fileName: "prophylaxis") == .requiresProphylaxis)
        #expect(ScreeningRule(fileName: "maybe") == nil)
    }
}

@Suite("The staff roster and the access ledger")
struct StaffRosterTests {
    static let stamp = EventStamp(wallMilliseconds: 1_767_600_000_000, monotonicNanoseconds: 1, bootID: "b")
    static let hash = RecordSchemaTests.pinHash

    static func record(_ seq: Int, _ event: SessionEvent, by: String, minutes: Int64 = 0) -> SessionRecord {
        var stamp = Self.stamp
        stamp.wallMilliseconds += minutes * 60_000
        return SessionRecord(seq: seq, id: "r\(seq)", stamp: stamp, by: by, event: event)
    }

    static func added(_ id: StaffID, _ roles: [StaffRole]) -> SessionEvent {
        .userAdded(StaffAddition(user: id, name: "Name of \(id)", roles: roles, pinHash: hash))
    }

    static func roster() throws -> StaffRoster {
        try StaffRoster.fold([
            record(1, .staffOpened(LogOpening(workstation: "w", appVersion: "t")), by: "ada"),
            record(2, added("ada", [.admin]), by: "ada"),
            record(3, added("olly", [.operator]), by: "ada"),
        ])
    }

    @Test func theFirstAccountIsAnAdministratorWhoAddsThemself() throws {
        let opened = [Self.record(1, .staffOpened(LogOpening(workstation: "w", appVersion: "t")), by: "ada")]
        #expect(throws: StaffError.firstAccountMustBeAdministrator) {
            try StaffRoster.fold(opened + [Self.record(2, Self.added("olly", [.operator]), by: "olly")])
        }
        #expect(throws: StaffError.firstAccountMustBeAdministrator) {
            try StaffRoster.fold(opened + [Self.record(2, Self.added("ada", [.admin]), by: "someone")])
        }
        #expect(throws: StaffError.notOpened) { try StaffRoster.fold([Self.record(1, Self.added("ada", [.admin]), by: "ada")]) }
    }

    @Test func onlyAnAdministratorChangesAccounts() throws {
        let roster = try Self.roster()
        #expect(throws: StaffError.notAnAdministrator("olly")) { try roster.validate(Self.record(4, Self.added("pat", [.operator]), by: "olly")) }
        #expect(throws: StaffError.duplicateID("olly")) { try roster.validate(Self.record(4, Self.added("olly", [.director]), by: "ada")) }
        #expect(throws: StaffError.noRoles) { try roster.validate(Self.record(4, Self.added("pat", []), by: "ada")) }
        #expect(throws: StaffError.unknownUser("ghost")) { try roster.validate(Self.record(4, .userDisabled(user: "ghost", reason: "x"), by: "ada")) }
        // One's own PIN is one's own to change; someone else's is an administrator's.
        try roster.validate(Self.record(4, .userPINChanged(user: "olly", pinHash: Self.hash), by: "olly"))
        #expect(throws: StaffError.notAnAdministrator("pat")) {
            var more = roster
            try more.apply(Self.record(4, Self.added("pat", [.operator]), by: "ada"))
            try more.apply(Self.record(5, .userPINChanged(user: "olly", pinHash: Self.hash), by: "pat"))
        }
    }

    @Test func aDisabledAccountStaysButCannotActAndTheLastAdministratorStays() throws {
        var roster = try Self.roster()
        #expect(throws: StaffError.lastAdministrator("ada")) { try roster.validate(Self.record(4, .userDisabled(user: "ada", reason: "x"), by: "ada")) }
        try roster.apply(Self.record(4, .userDisabled(user: "olly", reason: "Left the clinic"), by: "ada"))
        #expect(roster.account("olly")?.isDisabled == true)
        #expect(throws: StaffError.disabled("olly")) { try roster.activeAccount("olly") }
        #expect(roster.order == ["ada", "olly"], "never deleted")
        #expect(throws: StaffError.disabled("olly")) { try roster.validate(Self.record(5, .userPINChanged(user: "olly", pinHash: Self.hash), by: "olly")) }
    }

    @Test func fiveWrongPINsInARowLockForFiveMinutes() {
        var records = [Self.record(1, .accessOpened(LogOpening(workstation: "w", appVersion: "t")), by: "olly")]
        for seq in 2...5 { records.append(Self.record(seq, .signInFailed(user: "olly", reason: .wrongPIN), by: "olly")) }
        var ledger = AccessLedger.fold(records)
        let now = Self.stamp.wallMilliseconds
        #expect(ledger.standing(of: "olly").consecutiveFailures == 4)
        #expect(ledger.failureLocks("olly", at: now), "the fifth failure locks")
        #expect(ledger.lockedUntil("olly", at: now) == nil)
        ledger.apply(Self.record(6, .signInFailed(user: "olly", reason: .wrongPIN), by: "olly"))
        ledger.apply(Self.record(7, .accountLocked(user: "olly", minutes: 5), by: "olly"))
        #expect(ledger.lockedUntil("olly", at: now + 4 * 60_000) == now + 5 * 60_000)
        #expect(ledger.lockedUntil("olly", at: now + 5 * 60_000) == nil, "five minutes, then it lifts")
        #expect(!ledger.failureLocks("olly", at: now + 6 * 60_000), "a lock that ran out starts the count again")
        // Another person's failures are theirs alone; a success clears the count.
        #expect(ledger.standing(of: "dana").consecutiveFailures == 0)
        ledger.apply(Self.record(8, .signedIn(user: "olly"), by: "olly", minutes: 6))
        #expect(ledger.standing(of: "olly") == AccessLedger.Standing())
    }
}
