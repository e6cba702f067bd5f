import TrilliumCore
import TrilliumLog

/// Reads and validates a protocol file. A bad file is refused whole, with the
/// key and line of the first problem, before any session starts.
public enum ProtocolFile {
    /// The embedded default protocol.
    public static func defaultProtocol() -> TreatmentProtocol {
        do {
            return try parse(DefaultProtocol.text, file: "(embedded default protocol)")
        } catch {
            // The embedded text is tested; failing here is a build defect, not an operator error.
            fatalError("the embedded default protocol is invalid: \(error)")
        }
    }

    /// The protocol text for training: the same protocol with every dwell
    /// minute lasting one second, so staff can rehearse a whole session in a
    /// few minutes. It is a protocol of its own (its own digest, kept with the
    /// sessions), so a training log folds against exactly the dwells it used.
    public static func trainingText(of text: String) -> String {
        text + (text.hasSuffix("\n") ? "" : "\n")
            + "\n# Added by trillium --training: rehearsal only, never a patient treatment.\n[training]\nseconds_per_dwell_minute = 1\n"
    }

    public static func digest(of text: String) -> String {
        Digest.hex(of: Array(text.utf8))
    }

    public static func parse(_ text: String, file: String) throws(SettingsFileError) -> TreatmentProtocol {
        let document = try TOMLDocument(text: text, file: file)
        let root = TOMLFields(document: document, table: document.root, path: "")
        try root.rejectUnknownKeys([
            "id", "version", "title", "device", "treatment", "direction", "endpoint", "zone",
            "anesthesia", "screening", "preparation", "antisepsis", "aftercare", "follow_up", "training",
            "consultation", "product",
        ])
        // A training copy (`trillium --training`): every dwell minute lasts this many seconds.
        var secondsPerDwellMinute = 60
        if let training = try root.optionalSubtable("training") {
            try training.rejectUnknownKeys(["seconds_per_dwell_minute"])
            secondsPerDwellMinute = try training.integer("seconds_per_dwell_minute", in: 1...60)
        }

        let devices = try self.devices(root)
        let treatment = try root.subtable("treatment")
        try treatment.rejectUnknownKeys(["target_passes"])
        let targetPasses = try treatment.integer("target_passes", in: 1...20)

        var directions: [PassDirection] = []
        for fields in try root.tables("direction") {
            try fields.rejectUnknownKeys(["id", "name", "symbol", "ascii"])
            directions.append(PassDirection(
                id: try identifier(fields), name: try fields.string("name"),
                symbol: try fields.string("symbol"), asciiSymbol: try fields.string("ascii")))
        }
        try requireUnique(directions.map(\.id.rawValue), "direction", document)

        var endpoints: [ClinicalEndpoint] = []
        for fields in try root.tables("endpoint") {
            try fields.rejectUnknownKeys(["id", "name"])
            endpoints.append(ClinicalEndpoint(id: try identifier(fields), name: try fields.string("name")))
        }
        try requireUnique(endpoints.map(\.id.rawValue), "endpoint", document)

        var zones: [Zone] = []
        for fields in try root.tables("zone") {
            try fields.rejectUnknownKeys(["id", "name", "min_depth_mm", "max_depth_mm", "default_depth_mm", "confirm"])
            // A zone's depths are on a step every device shares a multiple of (0.05 mm for
            // 0.25 mm and 0.1 mm steps); each device's own step is checked as a depth is set.
            let step = Depth(micrometres: devices.map(\.limits.depthStep.micrometres).reduce(0, greatestCommonDivisor))
            let shared = devices.count > 1 ? "\(step), a step every device shares" : nil
            let zone = Zone(
                id: try identifier(fields), name: try fields.string("name"),
                minimumDepth: try positiveDepth(fields, "min_depth_mm", step: step, stepMeaning: shared),
                maximumDepth: try positiveDepth(fields, "max_depth_mm", step: step, stepMeaning: shared),
                defaultDepth: try positiveDepth(fields, "default_depth_mm", step: step, stepMeaning: shared),
                confirmation: try fields.optionalString("confirm"))
            if zone.minimumDepth > zone.maximumDepth {
                throw document.error(fields.key("min_depth_mm"), "must not exceed max_depth_mm")
            }
            if !zone.allows(zone.defaultDepth) {
                throw document.error(fields.key("default_depth_mm"), "must lie within min_depth_mm and max_depth_mm")
            }
            let deepest = devices.map(\.limits.maximumDepth).max()!
            if zone.maximumDepth > deepest {
                throw document.error(fields.key("max_depth_mm"), "exceeds the device maximum of \(deepest)")
            }
            zones.append(zone)
        }
        try requireUnique(zones.map(\.id.rawValue), "zone", document)

        let anesthesiaFields = try root.subtable("anesthesia")
        try anesthesiaFields.rejectUnknownKeys(["allow_none", "agent", "record_dose", "allow_compounded"])
        let allowsCompounded = try anesthesiaFields.optionalBool("allow_compounded") ?? false
        var agents: [AnestheticAgent] = []
        var exclusions: [(String, [String])] = []
        for fields in try anesthesiaFields.tables("agent") {
            try fields.rejectUnknownKeys([
                "id", "name", "minimum_dwell_minutes", "maximum_dwell_minutes", "occlusion",
                "maximum_amount_g", "maximum_area_cm2", "compounded", "excluded_by",
            ])
            let minimum = try dwell(fields, "minimum_dwell_minutes") * Milliseconds(secondsPerDwellMinute) / 60
            let maximum = try dwell(fields, "maximum_dwell_minutes") * Milliseconds(secondsPerDwellMinute) / 60
            if minimum > maximum {
                throw document.error(fields.key("minimum_dwell_minutes"), "must not exceed maximum_dwell_minutes")
            }
            let occlusionText = try fields.string("occlusion")
            guard let occlusion = OcclusionRule(rawValue: occlusionText) else {
                throw document.error(fields.key("occlusion"), "must be \"optional\", \"required\" or \"never\"")
            }
            let isCompounded = try fields.optionalBool("compounded") ?? false
            if isCompounded && !allowsCompounded {
                throw document.error(fields.key("compounded"), "needs anesthesia.allow_compounded = true: compounded agents have no FDA label")
            }
            let excludedBy = try fields.table["excluded_by"] == nil ? [] : fields.strings("excluded_by")
            if Set(excludedBy).count != excludedBy.count { throw document.error(fields.key("excluded_by"), "names a question twice") }
            exclusions.append((fields.key("excluded_by"), excludedBy))
            agents.append(AnestheticAgent(
                id: try identifier(fields), name: try fields.string("name"),
                minimumDwell: minimum, maximumDwell: maximum, occlusion: occlusion,
                maximumAmount: try fields.table["maximum_amount_g"] == nil ? nil : milligrams(fields, "maximum_amount_g"),
                maximumArea: try fields.table["maximum_area_cm2"] == nil ? nil : fields.integer("maximum_area_cm2", in: 1...10_000),
                isCompounded: isCompounded, excludedBy: excludedBy.map { QuestionID($0) }))
        }
        try requireUnique(agents.map(\.id.rawValue), "anesthesia.agent", document)
        let anesthesia = AnesthesiaRules(
            allowsNone: try anesthesiaFields.bool("allow_none"), agents: agents,
            recordsDose: try anesthesiaFields.optionalBool("record_dose") ?? false, allowsCompounded: allowsCompounded)

        var screening: [ScreeningQuestion] = []
        for fields in try root.tables("screening") {
            try fields.rejectUnknownKeys(["id", "question", "rule", "prophylaxis"])
            let ruleText = try fields.string("rule")
            guard let rule = ScreeningRule(fileName: ruleText) else {
                throw document.error(fields.key("rule"), "must be \"absolute\", \"relative\" or \"prophylaxis\" (\"blocks\" reads as relative)")
            }
            let prophylaxis = try fields.optionalString("prophylaxis")
            if rule == .requiresProphylaxis && prophylaxis == nil {
                throw document.error(fields.key("prophylaxis"), "is required when rule = \"prophylaxis\"")
            }
            screening.append(ScreeningQuestion(
                id: try identifier(fields), text: try fields.string("question"), rule: rule, prophylaxis: prophylaxis))
        }
        try requireUnique(screening.map(\.id.rawValue), "screening", document)
        for (key, questions) in exclusions {
            for question in questions where !screening.contains(where: { $0.id.rawValue == question }) {
                throw document.error(key, "names \"\(question)\", which is not a screening question")
            }
        }
        for device in devices {
            for direction in device.directions where !directions.contains(where: { $0.id == direction }) {
                throw document.error("device", "\(device.id) names the direction \"\(direction)\", which is not defined")
            }
        }
        let consultation = try self.consultation(root)
        let products = try self.products(root)

        let preparation = try checklist(root, "preparation", withAttachments: true)
        let antisepsis = try checklist(root, "antisepsis")
        let aftercare = try checklist(root, "aftercare")

        let followUpFields = try root.subtable("follow_up")
        try followUpFields.rejectUnknownKeys([
            "minimum_interval_weeks", "maximum_interval_weeks", "series_minimum", "series_maximum", "maintenance_interval_months",
        ])
        let followUp = FollowUp(
            minimumWeeks: try followUpFields.integer("minimum_interval_weeks", in: 1...Self.maximumIntervalWeeks),
            maximumWeeks: try followUpFields.integer("maximum_interval_weeks", in: 1...Self.maximumIntervalWeeks),
            seriesMinimum: try followUpFields.integer("series_minimum", in: 1...Self.maximumSeries),
            seriesMaximum: try followUpFields.integer("series_maximum", in: 1...Self.maximumSeries),
            maintenanceMonths: try followUpFields.table["maintenance_interval_months"] == nil
                ? nil : followUpFields.integer("maintenance_interval_months", in: 1...120))
        guard followUp.minimumWeeks >= 1, followUp.minimumWeeks <= followUp.maximumWeeks else {
            throw document.error("follow_up.minimum_interval_weeks", "must be at least 1 and not exceed maximum_interval_weeks")
        }
        guard followUp.seriesMinimum >= 1, followUp.seriesMinimum <= followUp.seriesMaximum else {
            throw document.error("follow_up.series_minimum", "must be at least 1 and not exceed series_maximum")
        }

        return TreatmentProtocol(
            id: try root.string("id"), version: try root.string("version"),
            // "(Trillium defaults)" is a fact about the text, not something a file says of itself:
            // a clinic's edited copy of the defaults is the clinic's own protocol.
            title: try root.string("title") + (digest(of: text) == DefaultProtocol.digest ? " (Trillium defaults)" : "")
                + (secondsPerDwellMinute < 60 ? " [TRAINING: 1 s per dwell minute]" : ""),
            digest: digest(of: text), devices: devices, zones: zones, targetPasses: targetPasses,
            directions: directions, endpoints: endpoints, anesthesia: anesthesia, screening: screening,
            preparation: preparation, antisepsis: antisepsis, aftercare: aftercare, followUp: followUp,
            consultation: consultation, products: products)
    }

    private static func identifier<Kind>(_ fields: TOMLFields) throws(SettingsFileError) -> Identifier<Kind> {
        let id = try fields.string("id")
        guard FieldDomain.isIdentifier(id) else { throw fields.document.error(fields.key("id"), "must use only a-z, 0-9, _ and -") }
        return Identifier(id)
    }

    /// Ten years between sessions: beyond it a follow-up window means nothing.
    static let maximumIntervalWeeks = 520
    static let maximumSeries = 100

    private static func positiveDepth(_ fields: TOMLFields, _ name: String, step: Depth? = nil,
                                      stepMeaning: String? = nil) throws(SettingsFileError) -> Depth {
        let millimetres = try fields.number(name)
        // Checked as a number first: converting inf, nan or 1e300 to whole micrometres would trap.
        guard millimetres > 0, millimetres <= 10 else {
            throw fields.document.error(fields.key(name), "must be more than 0 and at most 10 mm")
        }
        let depth = Depth(millimetres: millimetres)
        guard depth.micrometres > 0 else {
            throw fields.document.error(fields.key(name), "must be at least 0.001 mm (1 µm, the smallest depth recorded)")
        }
        if let step, depth.micrometres % step.micrometres != 0 {
            throw fields.document.error(fields.key(name), "must be a multiple of " + (stepMeaning ?? "the device's \(step) step"))
        }
        return depth
    }

    private static func dwell(_ fields: TOMLFields, _ name: String) throws(SettingsFileError) -> Milliseconds {
        let minutes = try fields.number(name)
        guard minutes > 0, minutes <= 24 * 60 else {
            throw fields.document.error(fields.key(name), "must be more than 0 and at most 1440 minutes")
        }
        return Milliseconds((minutes * 60_000).rounded())
    }

    /// The devices: `[[device]]` profiles, or the one `[device]` table of
    /// protocols written before them (a pen whose model intake types).
    private static func devices(_ root: TOMLFields) throws(SettingsFileError) -> [DeviceProfile] {
        let document = root.document
        func limits(_ fields: TOMLFields) throws(SettingsFileError) -> DeviceLimits {
            let step = try positiveDepth(fields, "depth_step_mm")
            let limits = DeviceLimits(
                depthStep: step,
                maximumDepth: try positiveDepth(fields, "maximum_depth_mm", step: step),
                evaluatedMaximumDepth: try positiveDepth(fields, "evaluated_maximum_depth_mm", step: step))
            if limits.evaluatedMaximumDepth > limits.maximumDepth {
                throw document.error(fields.key("evaluated_maximum_depth_mm"), "must not exceed maximum_depth_mm")
            }
            return limits
        }
        if root.table["device"]?.table != nil {
            let fields = try root.subtable("device")
            try fields.rejectUnknownKeys(["depth_step_mm", "maximum_depth_mm", "evaluated_maximum_depth_mm"])
            return [DeviceProfile.single(try limits(fields))]
        }
        var devices: [DeviceProfile] = []
        for fields in try root.tables("device") {
            try fields.rejectUnknownKeys([
                "id", "model", "kind", "depth_step_mm", "maximum_depth_mm", "evaluated_maximum_depth_mm", "minimum_age", "directions",
            ])
            let id: DeviceProfileID = try identifier(fields)
            guard id != DeviceProfile.singleID else { throw document.error(fields.key("id"), "\"device\" is kept for older protocols' single device") }
            guard let kind = DeviceKind(rawValue: try fields.string("kind")) else {
                throw document.error(fields.key("kind"), "must be \"pen\" or \"roller\"")
            }
            let directions = try fields.table["directions"] == nil ? [] : fields.strings("directions")
            // A roller is rolled in the directions it lists; a pen goes every way the protocol names.
            if kind == .roller && directions.isEmpty {
                throw document.error(fields.key("directions"), "a roller lists the directions it is rolled in")
            }
            if kind == .pen && !directions.isEmpty { throw document.error(fields.key("directions"), "is only for a roller") }
            if Set(directions).count != directions.count { throw document.error(fields.key("directions"), "names a direction twice") }
            devices.append(DeviceProfile(
                id: id, model: try fields.string("model"), kind: kind, limits: try limits(fields),
                minimumAge: try fields.table["minimum_age"] == nil ? nil : fields.integer("minimum_age", in: 0...120),
                directions: directions.map { DirectionID($0) }))
        }
        try requireUnique(devices.map(\.id.rawValue), "device", document)
        return devices
    }

    private static func consultation(_ root: TOMLFields) throws(SettingsFileError) -> ConsultationRules? {
        guard let fields = try root.optionalSubtable("consultation") else { return nil }
        try fields.rejectUnknownKeys(["minimum_age", "concern"])
        var concerns: [Concern] = []
        for concern in try fields.tables("concern") {
            try concern.rejectUnknownKeys(["id", "name"])
            concerns.append(Concern(id: try identifier(concern), name: try concern.string("name")))
        }
        try requireUnique(concerns.map(\.id.rawValue), "consultation.concern", root.document)
        return ConsultationRules(concerns: concerns, minimumAge: try fields.integer("minimum_age", in: 0...120))
    }

    private static func products(_ root: TOMLFields) throws(SettingsFileError) -> [TreatmentProduct] {
        guard root.table["product"] != nil else { return [] }
        var products: [TreatmentProduct] = []
        for fields in try root.tables("product") {
            try fields.rejectUnknownKeys(["id", "name", "approved_for_microneedling"])
            products.append(TreatmentProduct(id: try identifier(fields), name: try fields.string("name"),
                                             isApproved: try fields.bool("approved_for_microneedling")))
        }
        try requireUnique(products.map(\.id.rawValue), "product", root.document)
        return products
    }

    private static func greatestCommonDivisor(_ a: Int, _ b: Int) -> Int {
        b == 0 ? a : greatestCommonDivisor(b, a % b)
    }

    /// Grams as a protocol gives them, kept as whole milligrams.
    private static func milligrams(_ fields: TOMLFields, _ name: String) throws(SettingsFileError) -> Milligrams {
        let grams = try fields.number(name)
        guard grams > 0, grams <= 100 else { throw fields.document.error(fields.key(name), "must be more than 0 and at most 100 g") }
        // Amounts are recorded to the milligram: a limit below one could never be met by any dose the app takes.
        let milligrams = (grams * 1000).rounded()
        guard milligrams >= 1, abs(grams * 1000 - milligrams) < 1e-6 else {
            throw fields.document.error(fields.key(name), "must be at least 0.001 g (1 mg, the smallest amount recorded), in whole milligrams")
        }
        return Milligrams(milligrams)
    }

    private static func checklist(_ root: TOMLFields, _ name: String, withAttachments: Bool = false) throws(SettingsFileError) -> [ChecklistItem] {
        var items: [ChecklistItem] = []
        for fields in try root.tables(name) {
            try fields.rejectUnknownKeys(withAttachments ? ["id", "text", "attachment"] : ["id", "text"])
            var kind: AttachmentKind?
            if let text = try fields.optionalString("attachment") {
                guard let named = AttachmentKind(rawValue: text) else {
                    throw root.document.error(fields.key("attachment"), "must be \"photo\" or \"consent\"")
                }
                kind = named
            }
            items.append(ChecklistItem(id: try identifier(fields), text: try fields.string("text"), attachmentKind: kind))
        }
        try requireUnique(items.map(\.id.rawValue), name, root.document)
        return items
    }

    private static func requireUnique(_ ids: [String], _ table: String, _ document: TOMLDocument) throws(SettingsFileError) {
        var seen: Set<String> = []
        for (index, id) in ids.enumerated() where !seen.insert(id).inserted {
            throw document.error("\(table)[\(index)].id", "\"\(id)\" is used twice")
        }
        if ids.isEmpty { throw document.error(table, "needs at least one entry") }
    }
}
