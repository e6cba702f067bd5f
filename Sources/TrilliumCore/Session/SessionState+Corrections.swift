/// Corrections: a later record that names an earlier one by seq, a field of
/// it, the value it held and the value it should hold. The original is never
/// changed; the state keeps each correctable record's current value so that
/// a correction can be checked against it (its `old` must be that value) and
/// so that everything that reads the session follows the corrected value.
extension SessionState {
    /// The current value of `field` of the record `seq`: corrected, if it was.
    public func currentValue(seq: Int, field: String) -> String? {
        correctableRecords[seq].flatMap { EventData.fieldText(field, of: $0) }
    }

    /// The record `seq` with every correction made to it so far.
    public func currentEvent(seq: Int) -> SessionEvent? {
        correctableRecords[seq]
    }

    /// The opening with its corrections (patient, lot, expiry…).
    public var currentOpening: SessionOpening? {
        if case let .opened(opening)? = correctableRecords[1] { return opening }
        return opening
    }

    /// The corrections made to the record `seq`'s `field`, oldest first.
    public func corrections(of seq: Int, field: String? = nil) -> [RecordedCorrection] {
        corrections.filter { $0.correction.seq == seq && (field == nil || $0.correction.field == field) }
    }

    /// Whether `correction` would be accepted as the next record, and the
    /// warning it would keep: the correction dialog asks before the reason.
    public func check(_ correction: Correction) throws(SessionError) -> SessionWarning? {
        try corrected(by: correction, at: lastSeq + 1).1
    }

    /// Checks a correction as the original record's guards would check the
    /// new value, and returns the corrected record (and any warning to keep).
    func corrected(by correction: Correction, at seq: Int) throws(SessionError) -> (SessionEvent, SessionWarning?) {
        guard correction.seq >= 1, correction.seq < seq, correction.seq <= recordKinds.count else {
            throw .unknownRecord(seq: correction.seq)
        }
        let kind = recordKinds[correction.seq - 1]
        guard let field = RecordSchema.of(kind).field(correction.field), field.isCorrectable,
              let current = correctableRecords[correction.seq] else {
            throw .fieldNotCorrectable(field: correction.field, type: kind)
        }
        let currentText = EventData.fieldText(field.path, of: current) ?? ""
        guard correction.oldValue == currentText else {
            throw .correctionOfAnotherValue(seq: correction.seq, field: field.label, current: currentText, stated: correction.oldValue)
        }
        guard correction.newValue != currentText else { throw .correctionChangesNothing(field: field.label) }
        try requireReason(correction.reason, "a correction")
        let new = correction.newValue
        if let problem = FieldDomain.problem(with: new, for: field.kind) {
            throw .correctionInvalid(field: field.label, problem: problem)
        }
        var warning: SessionWarning?
        switch field.kind {
        case .text:
            // What was required at intake or as a reason stays required, and
            // nothing recorded by a person may hold a control character.
            if new.isBlank && !field.isOptional { throw .correctionInvalid(field: field.label, problem: "must not be empty") }
            if new.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                throw .correctionInvalid(field: field.label, problem: "must not contain control characters")
            }
        case .expiry:
            let day = CivilDate.parseExpiry(new) ?? Int.min
            if let openedAt, day < CivilDate.daysSinceEpoch(wallMilliseconds: openedAt.wallMilliseconds) {
                throw .cartridgeExpired(expiry: new)
            }
        case .agent:
            guard treatmentProtocol.agent(AgentID(new)) != nil else { throw .unknownAgent(new) }
        case .direction:
            guard treatmentProtocol.direction(DirectionID(new)) != nil else { throw .unknownDirection(new) }
        case .endpoint:
            guard treatmentProtocol.endpoint(EndpointID(new)) != nil else { throw .unknownEndpoint(new) }
        case .depth:
            let depth = Depth(micrometres: Int(new) ?? 0)
            let device = treatmentProtocol.device
            guard depth.micrometres > 0, depth.micrometres % device.depthStep.micrometres == 0 else {
                throw .depthNotOnDeviceStep(depth, step: device.depthStep)
            }
            guard depth <= device.maximumDepth else { throw .depthAboveDeviceMaximum(depth, maximum: device.maximumDepth) }
            if let zoneID = Self.zone(of: current), let zone = treatmentProtocol.zone(zoneID), !zone.allows(depth) {
                // As at the original record: allowed with a reason, kept as a warning.
                warning = .depthOutsideZoneRange(seq: seq, zone: zoneID, depth: depth, reason: correction.reason)
            }
        case .boolean:
            if field.path == "occluded", case let .anestheticApplied(agentID, _) = current,
               let agent = treatmentProtocol.agent(agentID) {
                if agent.occlusion == .required && new == "false" { throw .occlusionRequired(agent: agent.name) }
                if agent.occlusion == .never && new == "true" { throw .occlusionForbidden(agent: agent.name) }
            }
        default:
            break
        }
        if field.path == "agent", case let .anestheticApplied(_, occluded) = current,
           let agent = treatmentProtocol.agent(AgentID(new)) {
            if agent.occlusion == .required && !occluded { throw .occlusionRequired(agent: agent.name) }
            if agent.occlusion == .never && occluded { throw .occlusionForbidden(agent: agent.name) }
        }
        do {
            return (try EventData.replacing(field, with: new, in: current), warning)
        } catch {
            throw .correctionInvalid(field: field.label, problem: error.reason)
        }
    }

    private static func zone(of event: SessionEvent) -> ZoneID? {
        switch event {
        case let .depthSet(zone, _, _), let .passRecorded(zone, _, _): zone
        default: nil
        }
    }
}

extension SessionState {
    /// Carries a corrected record into what was folded from it, so that the
    /// later guards (a pass at the corrected depth) and every reader (reports,
    /// recall, the screens) see the corrected value.
    mutating func follow(_ event: SessionEvent, correcting seq: Int) {
        switch event {
        case let .screeningAnswered(question, answer) where screening[question]?.answeredSeq == seq:
            screening[question]?.answer = answer
        case let .screeningOverridden(question, reason) where screening[question]?.overrideSeq == seq:
            screening[question]?.overrideReason = reason
        case let .anestheticApplied(agent, occluded) where anesthetic?.appliedSeq == seq:
            anesthetic?.agent = agent
            anesthetic?.occluded = occluded
        case let .anestheticDeclined(reason) where anesthetic?.declinedSeq == seq:
            anesthetic?.declinedReason = reason
        case let .anestheticRemoved(removal) where anesthetic?.removedSeq == seq:
            anesthetic?.removal = removal
        case let .depthSet(zone, depth, reason) where zones[zone]?.depthSeq == seq:
            zones[zone]?.depth = depth
            zones[zone]?.depthReason = reason
        case let .passRecorded(zone, direction, depth):
            if let index = zones[zone]?.passes.firstIndex(where: { $0.seq == seq }) {
                zones[zone]?.passes[index].direction = direction
                zones[zone]?.passes[index].depth = depth
            }
        case let .endpointReached(zone, endpoint) where zones[zone]?.endpointSeq == seq:
            zones[zone]?.endpoint = endpoint
        case let .zoneSkipped(zone, reason) where zones[zone]?.skipSeq == seq:
            zones[zone]?.skipReason = reason
        case let .noteAdded(text, _):
            if let index = notes.firstIndex(where: { $0.seq == seq }) { notes[index].text = text }
        case let .adverseEventReported(adverse):
            if let index = adverseEvents.firstIndex(where: { $0.seq == seq }) { adverseEvents[index].event = adverse }
        case let .signed(attestation) where signature?.seq == seq:
            signature?.attestation = attestation
        case let .aborted(reason) where abortSeq == seq:
            abortReason = reason
        default:
            break
        }
    }
}
