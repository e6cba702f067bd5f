import Foundation
import Testing
import TrilliumCore
import TrilliumSettings

/// The protocol file's clinical record: device profiles, the consultation,
/// agents' limits, zones that ask for a confirmation, products, and the
/// older files with a single `[device]` that must keep working.
@Suite("Protocol files: devices, consultation, doses, products")
struct ProtocolFileTests {
    /// The embedded protocol with its device profiles replaced by the single table of protocols before them.
    static var singleDeviceText: String {
        let text = DefaultProtocol.text
        let start = text.range(of: "# The devices the clinic uses, chosen at intake.")!.lowerBound
        let end = text.range(of: "[treatment]")!.lowerBound
        return String(text[..<start]) + """
            [device]
            depth_step_mm = 0.25
            maximum_depth_mm = 2.50
            evaluated_maximum_depth_mm = 1.50


            """ + String(text[end...])
    }

    @Test func theEmbeddedProtocolListsItsDevicesAndTheirLimits() throws {
        let p = ProtocolFile.defaultProtocol()
        #expect(p.hasDeviceProfiles)
        #expect(p.devices.map(\.id) == ["skinpen", "dermapen4", "dermaroller"])
        let skinPen = try #require(p.device("skinpen"))
        #expect(skinPen.limits == DeviceLimits(depthStep: Depth(micrometres: 250), maximumDepth: Depth(micrometres: 2500),
                                               evaluatedMaximumDepth: Depth(micrometres: 1500)))
        #expect(skinPen.minimumAge == 22)
        #expect(p.device("dermapen4")?.limits.depthStep == Depth(micrometres: 100))
        #expect(p.device("dermapen4")?.limits.maximumDepth == Depth(micrometres: 3000))
        let roller = try #require(p.device("dermaroller"))
        #expect(roller.kind == .roller && !roller.allows("stamping") && roller.allows("vertical"))
        #expect(p.zone("periorbital_left")?.confirmation == "Outside the orbital rim, never on the eyelids")
        #expect(p.agent("blt_20_6_4")?.isCompounded == true)
        #expect(p.agent("lidocaine_prilocaine_2_5")?.excludedBy.contains("methemoglobinemia") == true)
        #expect(p.agent("lidocaine_4")?.maximumAmount == 40_000 && p.agent("lidocaine_4")?.maximumArea == 400)
        #expect(p.anesthesia.recordsDose)
        #expect(p.followUp.maintenanceMonths == 6)
        #expect(p.consultation?.concerns.count == 7)
        #expect(p.products.contains { !$0.isApproved })
        for id: QuestionID in ["autoimmune", "diabetes_healing", "lesions", "facial_surgery", "methemoglobinemia", "recent_peel"] {
            #expect(p.question(id)?.rule == .relative, "\(id)")
        }
    }

    @Test func anOlderProtocolWithASingleDeviceKeepsWorking() throws {
        let p = try ProtocolFile.parse(Self.singleDeviceText, file: "clinic.toml")
        #expect(!p.hasDeviceProfiles)
        #expect(p.devices == [DeviceProfile.single(DeviceLimits(depthStep: Depth(micrometres: 250), maximumDepth: Depth(micrometres: 2500),
                                                                 evaluatedMaximumDepth: Depth(micrometres: 1500)))])
        // Under it, intake types the model, as before.
        var state = SessionState(treatmentProtocol: p)
        let stamp = EventStamp(wallMilliseconds: 1_767_600_000_000, monotonicNanoseconds: 1, bootID: "b")
        try state.apply(SessionRecord(seq: 1, id: "r1", stamp: stamp, by: "A", event: .opened(SessionOpening(
            sessionID: "s", patientReference: "P-1", operatorName: "A", workstation: "w",
            device: DeviceIdentity(model: "Any pen", serial: "S"), cartridge: Cartridge(lot: "L", expiry: "2099-01"),
            protocolReference: ProtocolReference(p), plannedZones: ["forehead"], appVersion: "t", isTraining: false))))
        #expect(state.device.isSingle)
    }

    @Test func badClinicalEntriesAreRefusedWithTheirKey() {
        func problem(_ from: String, _ to: String) -> String? {
            let text = DefaultProtocol.text.replacingOccurrences(of: from, with: to)
            #expect(text != DefaultProtocol.text, "the test's replacement must apply: \(from)")
            do {
                _ = try ProtocolFile.parse(text, file: "clinic.toml")
                return nil
            } catch {
                return "\(error)"
            }
        }
        #expect(problem("allow_compounded = true", "allow_compounded = false")?.contains("compounded") == true)
        #expect(problem(#"excluded_by = ["anesthetic_allergy", "methemoglobinemia"]   # prilocaine: methemoglobinemia risk"#,
                        #"excluded_by = ["no_such_question"]"#)?.contains("not a screening question") == true)
        #expect(problem(#"kind = "roller""#, #"kind = "laser""#)?.contains("pen") == true)
        #expect(problem("maximum_amount_g = 40 ", "maximum_amount_g = 400 ")?.contains("100 g") == true)
        #expect(problem(#"directions = ["horizontal", "vertical", "diagonal_up", "diagonal_down"]"#, #"directions = ["spiral"]"#)?
            .contains("spiral") == true)
        #expect(problem(#"attachment = "photo""#, #"attachment = "video""#)?.contains("photo") == true)
        #expect(problem("maintenance_interval_months = 6", "maintenance_interval_months = 0") != nil)
        // Text that would reach the record is refused here, not first at the session that records it.
        #expect(problem(#"model = "SkinPen Precision""#, #"model = "Skin\u001b]0;x\u0007Pen""#)?.contains("control characters") == true)
        #expect(problem(#"directions = ["horizontal", "vertical", "diagonal_up", "diagonal_down"]"#, "directions = []")?
            .contains("a roller lists the directions") == true)
        #expect(problem(#"directions = ["horizontal", "vertical", "diagonal_up", "diagonal_down"]"#, #"directions = ["vertical", "vertical"]"#)?
            .contains("twice") == true)
        #expect(problem("minimum_age = 22                      #", #"directions = ["vertical"]                      #"#)?
            .contains("only for a roller") == true)
        #expect(problem(#"excluded_by = ["anesthetic_allergy", "methemoglobinemia"]   # prilocaine: methemoglobinemia risk"#,
                        #"excluded_by = ["anesthetic_allergy", "anesthetic_allergy"]"#)?.contains("twice") == true)
    }
}
