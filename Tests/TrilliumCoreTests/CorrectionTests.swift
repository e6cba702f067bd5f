import Testing
import TrilliumCore

/// A correction is checked as strictly as the record it corrects, states the
/// value it corrects, and is followed by everything that reads the session
/// (issue 9, defects 2 and 3).
@Suite("Corrections are typed and followed")
struct CorrectionTests {
    static func correction(_ seq: Int, _ field: String, _ old: String, _ new: String, reason: String = "Entered wrongly") -> SessionEvent {
        .recordCorrected(Correction(seq: seq, field: field, oldValue: old, newValue: new, reason: reason))
    }

    @Test func aValueOutsideTheFieldsDomainIsRefused() throws {
        var d = try Driver.at(.treatment)
        try d.apply(.adverseEventReported(AdverseEvent(description: "Swelling", severity: .moderate, actionTaken: "Cold compress")))
        let adverse = d.state.lastSeq
        // Once saved, reported and verified as valid.
        #expect(d.refusal(Self.correction(adverse, "severity", "moderate", "catastrophic")) ==
            .correctionInvalid(field: "Severity", problem: "one of \"mild\", \"moderate\", \"severe\""))
        let answered = try #require(d.state.screening["keloid"]?.answeredSeq)
        #expect(d.refusal(Self.correction(answered, "answer", "no", "maybe")) ==
            .correctionInvalid(field: "Answer", problem: "one of \"yes\", \"no\""))
        try d.apply(.depthSet(zone: "cheek", depth: Depth(micrometres: 1000), reason: nil))
        let depth = d.state.lastSeq
        #expect(d.refusal(Self.correction(depth, "depth_um", "1000", "abc")) ==
            .correctionInvalid(field: "Depth", problem: "a depth in micrometres"))
        #expect(d.refusal(Self.correction(depth, "depth_um", "1000", "1100")) ==
            .depthNotOnDeviceStep(Depth(micrometres: 1100), step: Depth(micrometres: 250)))
        #expect(d.refusal(Self.correction(depth, "depth_um", "1000", "2750")) ==
            .depthAboveDeviceMaximum(Depth(micrometres: 2750), maximum: Depth(micrometres: 2500)))
        #expect(d.refusal(Self.correction(1, "cartridge.expiry", "2027-03", "2025-12")) == .cartridgeExpired(expiry: "2025-12"))
        #expect(d.refusal(Self.correction(1, "cartridge.expiry", "2027-03", "2027-13")) ==
            .correctionInvalid(field: "Cartridge expiry", problem: "a date as YYYY-MM or YYYY-MM-DD"))
        #expect(d.refusal(Self.correction(1, "patient_ref", "P-1001", "   ")) ==
            .correctionInvalid(field: "Patient reference", problem: "must not be empty"))
        #expect(d.refusal(Self.correction(1, "patient_ref", "P-1001", "P-1\u{1B}[2J")) ==
            .correctionInvalid(field: "Patient reference", problem: "must not contain control characters"))
        let applied = try #require(d.state.anesthetic?.appliedSeq)
        #expect(d.refusal(Self.correction(applied, "agent", "lido", "cocaine")) == .unknownAgent("cocaine"))
        #expect(d.refusal(Self.correction(applied, "agent", "lido", "emla")) == .occlusionRequired(agent: "EMLA"))
    }

    @Test func aCorrectionStatesTheValueItCorrects() throws {
        var d = try Driver.at(.screening)
        #expect(d.refusal(Self.correction(1, "cartridge.lot", "WRONG", "LOT-77")) ==
            .correctionOfAnotherValue(seq: 1, field: "Cartridge or roller lot", current: "L-1", stated: "WRONG"))
        #expect(d.refusal(Self.correction(1, "cartridge.lot", "L-1", "L-1")) == .correctionChangesNothing(field: "Cartridge or roller lot"))
        try d.apply(Self.correction(1, "cartridge.lot", "L-1", "LTO-77"))
        // A second correction corrects the corrected value, not the original.
        #expect(d.refusal(Self.correction(1, "cartridge.lot", "L-1", "LOT-77")) ==
            .correctionOfAnotherValue(seq: 1, field: "Cartridge or roller lot", current: "LTO-77", stated: "L-1"))
        try d.apply(Self.correction(1, "cartridge.lot", "LTO-77", "LOT-77"))
        #expect(d.state.currentOpening?.cartridge.lot == "LOT-77")
        #expect(d.state.opening?.cartridge.lot == "L-1", "the opening as recorded is kept")
        #expect(d.state.corrections(of: 1, field: "cartridge.lot").map(\.correction.newValue) == ["LTO-77", "LOT-77"])
    }

    @Test func aDepthOutsideTheZonesRangeIsKeptAsAWarningWithTheCorrectionsReason() throws {
        var d = try Driver.at(.treatment)
        try d.apply(.depthSet(zone: "forehead", depth: Depth(micrometres: 500), reason: nil))
        let depth = d.state.lastSeq
        try d.apply(Self.correction(depth, "depth_um", "500", "1000", reason: "Thick skin; director agreed"))
        #expect(d.state.warnings.last == .depthOutsideZoneRange(seq: d.state.lastSeq, zone: "forehead",
                                                                 depth: Depth(micrometres: 1000), reason: "Thick skin; director agreed"))
        #expect(d.state.currentValue(seq: depth, field: "depth_um") == "1000")
    }

    @Test func everyCorrectableFieldOfTheSchemaCanBeCorrectedWithAValidValue() throws {
        var d = try Driver.at(.treatment)
        try d.apply(.noteAdded(text: "Fine", addendumReason: nil))
        let note = d.state.lastSeq
        try d.apply(Self.correction(note, "text", "Fine", "Tolerated well"))
        #expect(d.state.currentValue(seq: note, field: "text") == "Tolerated well")
        let applied = try #require(d.state.anesthetic?.appliedSeq)
        try d.apply(Self.correction(applied, "occluded", "false", "true"))
        try d.apply(Self.correction(applied, "agent", "lido", "emla"))
        #expect(d.refusal(Self.correction(applied, "occluded", "true", "false")) == .occlusionRequired(agent: "EMLA"))
    }
}

/// Found by attacking the binary with crafted logs that chain correctly.
@Suite("Crafted records the fold refuses")
struct CraftedRecordTests {
    @Test func theMonotonicClockNeverRunsBackwardsWithinABoot() throws {
        var d = try Driver.at(.screening)
        d.stamp.monotonicNanoseconds -= 1
        #expect(d.refusal(.noteAdded(text: "Earlier than the last", addendumReason: nil)) ==
            .clockWentBackwards(previous: d.stamp.monotonicNanoseconds + 1, this: d.stamp.monotonicNanoseconds))
        // Another boot starts its own clock.
        d.stamp.bootID = "boot-b"
        d.stamp.monotonicNanoseconds = 5
        try d.apply(.noteAdded(text: "After a reboot", addendumReason: nil))
    }

    @Test func aRepairNamesAFileBesideTheLog() throws {
        var d = try Driver.at(.screening)
        #expect(d.refusal(.logRepaired(LogRepair(droppedBytes: 3, truncatedAt: 9, backupFile: "../../etc/passwd"))) ==
            .invalidRepair(backup: "../../etc/passwd"))
        try d.apply(.logRepaired(LogRepair(droppedBytes: 3, truncatedAt: 9, backupFile: "x.tlog.torn-at-9")))
    }

    @Test func aMisstatedRemovalSaysWhatIsWrong() throws {
        var d = try Driver.at(.anesthesia)
        try d.apply(.anestheticApplied(agent: "lido", occluded: false))
        d.advance(minutes: 35)
        var removal = try d.state.anestheticRemoval(at: d.stamp, earlyRemovalReason: nil)
        removal.exceededMaximum = true
        #expect(d.refusal(.anestheticRemoved(removal)) == .removalMisstated(exceededMaximum: false, removedEarly: false))
    }

    /// A "no" corrected to a "yes" that blocks, once screening is behind the
    /// session: the correction is the truth and is kept, and so is a warning
    /// of a contraindication with no override, for the screen and the report.
    @Test func aScreeningAnswerCorrectedToABlockingYesAfterScreeningIsKeptWithAWarning() throws {
        var d = try Driver.at(.treatment)
        let question = try #require(d.state.treatmentProtocol.screening.first {
            $0.rule.blocksOnYes && d.state.screening[$0.id]?.answer == false
        })
        let answered = try #require(d.state.screening[question.id]?.answeredSeq)
        try d.apply(CorrectionTests.correction(answered, "answer", "no", "yes", reason: "Patient remembered a cold sore this week"))
        let correctionSeq = d.state.lastSeq
        #expect(d.state.screening[question.id]?.answer == true)
        #expect(d.state.warnings.last == .screeningCorrectedToBlocking(seq: correctionSeq, question: question.id,
                                                                       reason: "Patient remembered a cold sore this week"))
        // Back to "no", and a "yes" that does not block, warn of nothing new.
        try d.apply(CorrectionTests.correction(answered, "answer", "yes", "no", reason: "Checked: the sore was last year"))
        #expect(d.state.warnings.count == 1)
    }
}
