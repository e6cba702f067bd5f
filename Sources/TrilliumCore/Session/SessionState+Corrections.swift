/// Corrections: a later record that names an earlier one by seq, a field of
/// it, the value it held and the value it should hold. The original is never
/// changed. A correction is checked against the record's current value, and
/// the fold carries the corrected value into what was derived from it, so
/// everything that reads the session follows it. The current value of a
/// record is read back from that derived state, not kept beside it: a state
/// holds nothing per record, so folds and replay checkpoints stay small.
extension SessionState {
    /// The current value of `field` of the record `seq`: corrected, if it was.
    public func currentValue(seq: Int, field: String) -> String? {
        currentEvent(seq: seq).flatMap { EventData.fieldText(field, of: $0) }
    }

    /// The record `seq` as it stands, with every correction made to it, if it
    /// still stands (an answer later changed, a depth set again, is not).
    public func currentEvent(seq: Int) -> SessionEvent? {
        // A note is read on its own: it may be in the log rather than here.
        if seq >= 1, seq <= recordKinds.count, recordKinds[seq - 1] == .noteAdded {
            return note(seq: seq).map { .noteAdded(text: $0.text, addendumReason: $0.addendumReason) }
        }
        return correctableRecords[seq]
    }

    /// Every record that can be corrected, by seq, as it stands now.
    public var correctableRecords: [Int: SessionEvent] {
        var records: [Int: SessionEvent] = [:]
        if let opening = currentOpening { records[1] = .opened(opening) }
        for (question, status) in screening {
            if let seq = status.answeredSeq, let answer = status.answer { records[seq] = .screeningAnswered(question: question, answer: answer) }
            if let seq = status.overrideSeq, let reason = status.overrideReason { records[seq] = .screeningOverridden(question: question, reason: reason, authorisedBy: status.authorisedBy) }
        }
        if let course = anesthetic {
            if let seq = course.appliedSeq, let agent = course.agent {
                records[seq] = .anestheticApplied(agent: agent, occluded: course.occluded, dose: course.dose)
            }
            if let seq = course.declinedSeq, let reason = course.declinedReason { records[seq] = .anestheticDeclined(reason: reason) }
            if let seq = course.removedSeq, let removal = course.removal { records[seq] = .anestheticRemoved(removal) }
        }
        for (zone, progress) in zones {
            if let seq = progress.depthSeq, let depth = progress.depth {
                records[seq] = .depthSet(zone: zone, depth: depth, reason: progress.depthReason)
            }
            for pass in progress.passes { records[pass.seq] = .passRecorded(zone: zone, direction: pass.direction, depth: pass.depth) }
            if let seq = progress.endpointSeq, let endpoint = progress.endpoint { records[seq] = .endpointReached(zone: zone, endpoint: endpoint) }
            if let seq = progress.skipSeq, let reason = progress.skipReason { records[seq] = .zoneSkipped(zone: zone, reason: reason) }
        }
        if let consultation { records[consultation.seq] = .consultationRecorded(consultation.consultation) }
        for product in products { records[product.seq] = .productApplied(product.application) }
        for note in notes { records[note.seq] = .noteAdded(text: note.text, addendumReason: note.addendumReason) }
        for entry in adverseEvents { records[entry.seq] = .adverseEventReported(entry.event) }
        if let signature { records[signature.seq] = .signed(SignOff(attestation: signature.attestation, signature: signature.electronic)) }
        if let seq = abortSeq, let reason = abortReason { records[seq] = .aborted(reason: reason) }
        return records
    }

    /// The opening with its corrections (patient, lot, expiry…).
    public var currentOpening: SessionOpening? {
        correctedOpening ?? opening
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
        guard let field = RecordSchema.of(kind).field(correction.field), field.isCorrectable else {
            throw .fieldNotCorrectable(field: correction.field, type: kind)
        }
        guard let current = currentEvent(seq: correction.seq) else { throw .correctionOfSupersededRecord(seq: correction.seq) }
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
        // A contraindication found after screening: the correction is the truth and is kept, with a warning
        // for the screen and the report (refusing it would hide the answer; the session may still be aborted).
        if field.path == "answer", new == "yes", case let .screeningAnswered(questionID, _) = current,
           let question = treatmentProtocol.question(questionID), question.rule.blocksOnYes,
           phase != .screening, screening[questionID]?.overrideReason == nil {
            warning = .screeningCorrectedToBlocking(seq: seq, question: questionID, reason: correction.reason)
        }
        switch field.kind {
        case .text:
            // What was required at intake or as a reason stays required (an
            // optional reason once given, such as an early return's, too), and
            // nothing recorded by a person may hold a control character.
            if new.isBlank && (!field.isOptional || !currentText.isBlank) {
                throw .correctionInvalid(field: field.label, problem: "must not be empty")
            }
            if new.hasControlCharacter {
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
            let device = self.device.limits
            if let needle = rollerNeedleLength, depth != needle { throw .rollerDepthFixed(needle: needle) }
            guard depth.micrometres > 0, depth.micrometres % device.depthStep.micrometres == 0 else {
                throw .depthNotOnDeviceStep(depth, step: device.depthStep)
            }
            guard depth <= device.maximumDepth else { throw .depthAboveDeviceMaximum(depth, maximum: device.maximumDepth) }
            if let zoneID = Self.zone(of: current), let zone = treatmentProtocol.zone(zoneID), !zone.allows(depth) {
                // As at the original record: allowed with a reason, kept as a warning.
                warning = .depthOutsideZoneRange(seq: seq, zone: zoneID, depth: depth, reason: correction.reason)
            }
        case .boolean:
            if field.path == "occluded", case let .anestheticApplied(agentID, _, _) = current,
               let agent = treatmentProtocol.agent(agentID) {
                if agent.occlusion == .required && new == "false" { throw .occlusionRequired(agent: agent.name) }
                if agent.occlusion == .never && new == "true" { throw .occlusionForbidden(agent: agent.name) }
            }
        default:
            break
        }
        if field.path == "agent", case let .anestheticApplied(_, occluded, dose) = current,
           let agent = treatmentProtocol.agent(AgentID(new)), let openedAt {
            // The corrected agent must pass every check the original would have: exclusions, limits, compounding.
            try checkApplication(of: agent, occluded: occluded, dose: dose, at: openedAt)
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
        case let .opened(opening):
            correctedOpening = opening
        case let .screeningAnswered(question, answer) where screening[question]?.answeredSeq == seq:
            screening[question]?.answer = answer
        case let .screeningOverridden(question, reason, _) where screening[question]?.overrideSeq == seq:
            screening[question]?.overrideReason = reason
        case let .anestheticApplied(agent, occluded, dose) where anesthetic?.appliedSeq == seq:
            anesthetic?.agent = agent
            anesthetic?.occluded = occluded
            anesthetic?.dose = dose
        case let .consultationRecorded(corrected) where consultation?.seq == seq:
            consultation?.consultation = corrected
        case let .productApplied(application):
            if let index = products.firstIndex(where: { $0.seq == seq }) { products[index].application = application }
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
            noteStore.correct(seq: seq, text: text)
        case let .adverseEventReported(adverse):
            if let index = adverseEvents.firstIndex(where: { $0.seq == seq }) { adverseEvents[index].event = adverse }
        case let .signed(signOff) where signature?.seq == seq:
            signature?.attestation = signOff.attestation
        case let .aborted(reason) where abortSeq == seq:
            abortReason = reason
        default:
            break
        }
    }
}
