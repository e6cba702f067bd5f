import Testing
import TrilliumCore
import TrilliumServices
import TrilliumUI

/// The correction dialog reads the record schema: any record can be chosen
/// (the list scrolls, g jumps by number), each field is entered as what it
/// is, and a value the core would refuse is refused before the reason is
/// asked for (issue 9, defects 2 and 4).
@Suite("The correction dialog")
struct CorrectionDialogTests {
    /// After screening, with an adverse event: many records, the opening far down the list.
    static func model() -> (SessionFixture, AppModel) {
        var fixture = SessionFixture.at(.preparation)
        fixture.apply(.adverseEventReported(AdverseEvent(description: "Flushing", severity: .moderate, actionTaken: "Cool pack")))
        return (fixture, fixture.model())
    }

    @Test func theOpeningIsReachableByScrollingAndByNumber() {
        let (fixture, initial) = Self.model()
        var model = initial
        _ = model.type([.character("C")])
        guard case let .choice(choice)? = model.overlay else {
            Issue.record("no record list")
            return
        }
        // Every correctable record is listed (once only the 12 newest were), newest first.
        #expect(choice.options.count == fixture.state.correctableRecords.count)
        #expect(choice.options.count > 12)
        #expect(choice.options.last?.value == "1")
        _ = model.type([.end])
        if case let .choice(scrolled)? = model.overlay { #expect(scrolled.selection == choice.options.count - 1) }
        #expect(AppView.render(model).text().contains("#1 "), "the opening is drawn once scrolled to")
        // g jumps to a record by number.
        _ = model.type([.escape, .character("C"), .character("g")] + keys("1") + [.enter])
        guard case let .choice(fields)? = model.overlay else {
            Issue.record("no field list")
            return
        }
        #expect(fields.options.map(\.label).contains("Cartridge or roller lot: CL-2603-11"))
        // The record is named by what it says, not only by its type.
        #expect(fields.title == "Correct which field of #1 Opened: P-3001, 4 zones, lot CL-2603-11?", "\(fields.title)")
    }

    @Test func aLotIsTypedCheckedAndGivenAReason() {
        var (_, model) = Self.model()
        _ = model.type([.character("C"), .character("g")] + keys("1") + [.enter])
        guard case let .choice(fields)? = model.overlay, let lot = fields.options.firstIndex(where: { $0.value == "cartridge.lot" }) else {
            Issue.record("no lot field")
            return
        }
        _ = model.type(Array(repeating: .down, count: lot) + [.enter, .control("u")] + keys("CL-2603-17") + [.enter])
        guard case let .prompt(reason)? = model.overlay else {
            Issue.record("no reason asked for")
            return
        }
        #expect(reason.title.contains("CL-2603-11 → CL-2603-17"))
        let effects = model.type(keys("Misread the label") + [.enter])
        #expect(effects == [.record(.recordCorrected(Correction(seq: 1, field: "cartridge.lot", oldValue: "CL-2603-11",
                                                                newValue: "CL-2603-17", reason: "Misread the label")))])
    }

    @Test func aSeverityIsChosenFromItsLabelsAndAnExpiredDateIsRefusedAtOnce() {
        let (fixture, initial) = Self.model()
        var model = initial
        let adverse = fixture.state.lastSeq
        _ = model.type([.character("C"), .character("g")] + keys(String(adverse)) + [.enter])
        guard case let .choice(fields)? = model.overlay, let severity = fields.options.firstIndex(where: { $0.value == "severity" }) else {
            Issue.record("no severity field")
            return
        }
        _ = model.type(Array(repeating: .down, count: severity) + [.enter])
        guard case let .choice(levels)? = model.overlay else {
            Issue.record("severity is not a choice")
            return
        }
        #expect(levels.options.map(\.label) == ["Mild", "Moderate", "Severe"])
        // A key that is not an option says so.
        #expect(model.type([.character("x")]) == [.bell])
        #expect(model.notice?.text.contains("x is not an option here") == true)
        _ = model.type([.character("1")])
        #expect(model.type(keys("Reassessed") + [.enter]) ==
            [.record(.recordCorrected(Correction(seq: adverse, field: "severity", oldValue: "moderate", newValue: "mild", reason: "Reassessed")))])

        // An expiry before the session: refused by the core's own rule, before any reason is asked.
        _ = model.type([.character("C"), .character("g")] + keys("1") + [.enter])
        guard case let .choice(opening)? = model.overlay, let expiry = opening.options.firstIndex(where: { $0.value == "cartridge.expiry" }) else {
            Issue.record("no expiry field")
            return
        }
        let effects = model.type(Array(repeating: .down, count: expiry) + [.enter, .control("u")] + keys("2025-01") + [.enter])
        #expect(effects == [.bell])
        #expect(model.notice?.text.contains("The cartridge expired (2025-01)") == true)
        if case let .prompt(again)? = model.overlay { #expect(again.label.contains("New expiry")) } else { Issue.record("not asked again") }
    }

    @Test func aDepthIsTypedInMillimetresOnTheDevicesSteps() {
        let fixture = SessionFixture.at(.treatment)
        var model = fixture.model()
        let depthSeq = fixture.state.progress(of: "forehead").depthSeq ?? 0
        _ = model.type([.character("C"), .character("g")] + keys(String(depthSeq)) + [.enter])
        guard case let .choice(fields)? = model.overlay else {
            Issue.record("no field list")
            return
        }
        #expect(fields.options.first?.label == "Depth: 0.50 mm")
        _ = model.type([.enter, .control("u")] + keys("0.6") + [.enter])
        #expect(model.notice?.text.contains("is not a setting of the device") == true)
        _ = model.type([.control("u")] + keys("abc") + [.enter])
        #expect(model.notice?.text.contains("is not a depth in millimetres") == true)
        _ = model.type([.control("u")] + keys("1.00") + [.enter])
        guard case let .prompt(reason)? = model.overlay else {
            Issue.record("no reason asked for")
            return
        }
        // Outside the zone's range: the reason prompt says so, as the original guard would.
        #expect(reason.label.contains("outside Forehead's range"))
        #expect(model.type(keys("Thick skin") + [.enter]) ==
            [.record(.recordCorrected(Correction(seq: depthSeq, field: "depth_um", oldValue: "500", newValue: "1000", reason: "Thick skin")))])
    }
}
