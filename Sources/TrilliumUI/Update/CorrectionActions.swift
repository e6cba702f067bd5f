import TrilliumCore

/// The correction dialog: which record, which field, the new value, the
/// reason. Every step reads the record schema, so each field is entered as
/// what it is (a choice for an answer or a severity, millimetres in the
/// device's steps for a depth, a date for an expiry) and checked by the
/// core's own rules before the reason is asked for.
extension AppModel {
    /// Every record of the session that has a correctable field, newest
    /// first; the list scrolls, and `g` jumps to a record by number.
    mutating func chooseRecordToCorrect() -> [Effect] {
        guard let state else { return [] }
        let records = state.correctableRecords
        guard !records.isEmpty else {
            notice = Notice("No record of this session has a field that can be corrected.", .info)
            return []
        }
        var choice = Choice(title: "Correct which record? (g: go to a record number)", options: records.keys.sorted(by: >).compactMap { seq in
            guard let event = records[seq] else { return nil }
            let record = SessionRecord(seq: seq, id: "", stamp: now, by: "", event: event)
            return ChoiceOption(key: nil, label: "#\(seq) \(RecordText.summary(record, state.treatmentProtocol))", value: String(seq))
        }, next: .correctionRecord)
        choice.jump = .correctionJump
        overlay = .choice(choice)
        return []
    }

    mutating func chooseFieldToCorrect(seq: Int) -> [Effect] {
        guard let state, let event = state.currentEvent(seq: seq) else { return [] }
        let schema = RecordSchema.of(event.kind)
        // The record named by what it says ("#3 No: Isotretinoin…"), not only by its type.
        let summary = RecordText.summary(SessionRecord(seq: seq, id: "", stamp: now, by: "", event: event), state.treatmentProtocol)
        overlay = .choice(Choice(title: "Correct which field of #\(seq) \(summary)?", options: schema.correctableFields.map { field in
            let value = EventData.fieldText(field.path, of: event).map { shown($0, as: field.kind, in: state) } ?? "(none)"
            return ChoiceOption(key: nil, label: "\(field.label): \(value)", value: field.path)
        }, next: .correctionField(seq: seq)))
        return []
    }

    /// The new value, entered as what the field is.
    mutating func enterCorrectedValue(seq: Int, path: String) -> [Effect] {
        guard let state, let event = state.currentEvent(seq: seq), let field = RecordSchema.of(event.kind).field(path) else { return [] }
        let p = state.treatmentProtocol
        let old = EventData.fieldText(path, of: event) ?? ""
        let title = "#\(seq) \(field.label): now \(shown(old, as: field.kind, in: state))"
        let next = FollowUp.correctionValue(seq: seq, field: path, old: old)
        func choose(_ options: [(value: String, label: String)]) {
            overlay = .choice(Choice(title: title, options: options.enumerated().map { index, option in
                ChoiceOption(key: index < 9 ? Character(String(index + 1)) : nil, label: option.label, value: option.value)
            }, next: next))
        }
        switch field.kind {
        case let .choice(choices): choose(choices.map { ($0.value, $0.label) })
        case .boolean: choose([("true", "Yes"), ("false", "No")])
        case .agent: choose(p.anesthesia.agents.map { ($0.id.rawValue, $0.name) })
        case .direction: choose(p.directions.map { ($0.id.rawValue, $0.name) })
        case .endpoint: choose(p.endpoints.map { ($0.id.rawValue, $0.name) })
        case .depth:
            let current = Depth(micrometres: Int(old) ?? 0)
            overlay = .prompt(Prompt(title: title, label: "New depth in mm, in steps of \(state.device.limits.depthStep)",
                                     field: TextField(current.millimetreText, limit: 6), next: next))
        case .expiry:
            overlay = .prompt(Prompt(title: title, label: "New expiry as YYYY-MM or YYYY-MM-DD", field: TextField(old, limit: 10), next: next))
        case let .text(limit):
            overlay = .prompt(Prompt(title: title, label: "New \(field.label.lowercased()) (at most \(limit) characters)",
                                     field: TextField(old, limit: limit), next: next))
        default:
            notice = Notice("\(field.label) cannot be corrected here.", .warning)
            return [.bell]
        }
        return []
    }

    /// Checks the new value by the core's rules, then asks for the reason
    /// (saying so when the value needs one of its own, as a depth outside
    /// the zone's range does).
    mutating func askCorrectionReason(seq: Int, path: String, old: String, typed: String) -> [Effect] {
        guard let state, let event = state.currentEvent(seq: seq), let field = RecordSchema.of(event.kind).field(path) else { return [] }
        var new = typed.trimmingSpaces()
        if field.kind == .depth {
            guard let depth = Depth(millimetreText: new) else {
                notice = Notice("\(typed) is not a depth in millimetres, such as 0.75.", .warning)
                return [.bell] + enterCorrectedValue(seq: seq, path: path)
            }
            new = String(depth.micrometres)
        }
        let correction = Correction(seq: seq, field: path, oldValue: old, newValue: new, reason: "(being asked)")
        let warning: SessionWarning?
        do {
            warning = try state.check(correction)
        } catch {
            notice = Notice(error.description, .warning)
            return [.bell] + enterCorrectedValue(seq: seq, path: path)
        }
        var label = "Reason for the correction"
        if case let .depthOutsideZoneRange(_, zoneID, _, _)? = warning, let zone = state.treatmentProtocol.zone(zoneID) {
            label = "Reason: outside \(zone.name)'s range \(zone.minimumDepth.millimetreText)–\(zone.maximumDepth)"
        }
        if case .screeningCorrectedToBlocking? = warning {
            label = "Reason (a yes here blocks treatment: stop or ask the director)"
        }
        overlay = .prompt(Prompt(title: "#\(seq) \(field.label): \(shown(old, as: field.kind, in: state)) → \(shown(new, as: field.kind, in: state))",
                                 label: label, field: TextField(limit: RecordSchema.Limit.reason),
                                 next: .correctionReason(seq: seq, field: path, old: old, new: new)))
        return []
    }

    /// A field's value as a person reads it: a depth in mm, a name for an id.
    func shown(_ value: String, as kind: FieldKind, in state: SessionState) -> String {
        let p = state.treatmentProtocol
        switch kind {
        case .depth: return Int(value).map { Depth(micrometres: $0).description } ?? value
        case .agent: return p.agent(AgentID(value))?.name ?? value
        case .direction: return p.direction(DirectionID(value))?.name ?? value
        case .endpoint: return p.endpoint(EndpointID(value))?.name ?? value
        case .boolean: return value == "true" ? "yes" : "no"
        case let .choice(choices): return choices.first { $0.value == value }?.label ?? value
        default: return value.isEmpty ? "(none)" : value
        }
    }
}
