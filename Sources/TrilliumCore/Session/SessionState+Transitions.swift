extension SessionState {
    /// The state after `record`, or the reason the record is refused.
    /// Pure: the same records always give the same state.
    public func applying(_ record: SessionRecord) throws(SessionError) -> SessionState {
        var next = self
        try next.apply(record)
        return next
    }

    /// Checks `record` against every guard, then folds it in, in place.
    /// Every case of `transition` makes all its checks before its first
    /// change, so a refusal leaves the state exactly as it was.
    public mutating func apply(_ record: SessionRecord) throws(SessionError) {
        guard record.seq == lastSeq + 1 else { throw .outOfSequence(expected: lastSeq + 1, got: record.seq) }
        try requireClockForward(record.stamp)
        try transition(record)
        lastSeq = record.seq
        lastStamp = record.stamp
        recordKinds.append(record.event.kind)
    }

    /// Whether `record` would be accepted, without changing anything. The
    /// recorder asks this before writing, so that only acceptable records
    /// reach the log; the lists that only grow are left out of the trial copy
    /// so that the check costs the same at record 10 as at record 1,000,000.
    public func validate(_ record: SessionRecord) throws(SessionError) {
        guard record.seq == lastSeq + 1 else { throw .outOfSequence(expected: lastSeq + 1, got: record.seq) }
        try requireClockForward(record.stamp)
        var trial = self
        // A correction is checked against the notes and adverse events it may name: those stay.
        if record.event.kind != .recordCorrected {
            trial.noteStore.forgetHeld()
            trial.adverseEvents = []
        }
        trial.corrections = []
        trial.repairs = []
        trial.warnings = []
        try trial.transition(record)
    }

    /// The state of a whole log: the fold of its records from the start.
    public static func fold<Records: Sequence>(
        _ records: Records, treatmentProtocol: TreatmentProtocol
    ) throws(SessionError) -> SessionState where Records.Element == SessionRecord {
        var state = SessionState(treatmentProtocol: treatmentProtocol)
        for record in records {
            try state.apply(record)
        }
        return state
    }

    private mutating func transition(_ record: SessionRecord) throws(SessionError) {
        let kind = record.event.kind
        if case let .opened(opening) = record.event {
            guard phase == .intake else { throw .alreadyOpened }
            try open(opening, at: record.stamp)
            return
        }
        guard phase != .intake else { throw .notYetOpened }
        if phase.isSealed && !kind.isAddendum { throw .sessionSealed(phase) }
        let seq = record.seq

        switch record.event {
        case .opened:
            break  // handled above

        // Screening: any order, answers may change until screening is completed.
        case let .screeningAnswered(questionID, answer):
            try require(.screening, for: kind)
            guard treatmentProtocol.question(questionID) != nil else { throw .unknownQuestion(questionID.rawValue) }
            var status = ScreeningStatus()
            status.answer = answer
            status.answeredSeq = seq
            screening[questionID] = status
        case let .screeningOverridden(questionID, reason, authorisedBy):
            try require(.screening, for: kind)
            guard let question = treatmentProtocol.question(questionID) else { throw .unknownQuestion(questionID.rawValue) }
            guard question.rule.blocksOnYes, screening[questionID]?.answer == true else {
                throw .overrideWithoutYes(question.text)
            }
            if question.rule == .absolute { throw .absoluteContraindication(question.text) }
            try requireReason(reason, "overriding \"\(question.text)\"")
            // A relative contraindication is the medical director's to set aside, never the operator's alone.
            if isAttributed {
                guard let authorisedBy, authorisedBy.rawValue != record.by else { throw .overrideNeedsDirector(question.text) }
            }
            screening[questionID]?.overrideReason = reason
            screening[questionID]?.overrideSeq = seq
            screening[questionID]?.authorisedBy = authorisedBy
            warnings.append(.screeningOverridden(seq: seq, question: questionID, reason: reason))
        case let .prophylaxisConfirmed(questionID):
            try require(.screening, for: kind)
            guard let question = treatmentProtocol.question(questionID) else { throw .unknownQuestion(questionID.rawValue) }
            guard question.rule == .requiresProphylaxis, screening[questionID]?.answer == true else {
                throw .prophylaxisNotRequired(question.text)
            }
            screening[questionID]?.prophylaxisConfirmed = true
        case let .consultationRecorded(consultation):
            try require(.screening, for: kind)
            try fold(consultation, seq: seq, stamp: record.stamp)
        case .screeningCompleted:
            try require(.screening, for: kind)
            if treatmentProtocol.consultation != nil && consultation == nil { throw .consultationMissing }
            let unanswered = unansweredQuestions
            guard unanswered.isEmpty else { throw .unansweredQuestions(unanswered.map(\.text)) }
            let blocking = blockingQuestions
            guard blocking.isEmpty else { throw .blockingAnswers(blocking.map(\.text)) }
            let pending = prophylaxisPending
            guard pending.isEmpty else { throw .prophylaxisMissing(pending.map { $0.prophylaxis ?? $0.text }) }
            phase = .preparation

        case let .preparationConfirmed(itemID, attachments):
            try require(.preparation, for: kind)
            guard let item = treatmentProtocol.preparation.first(where: { $0.id == itemID }) else { throw .unknownChecklistItem(itemID.rawValue) }
            try checkAttachments(attachments, for: item)
            preparationConfirmed.insert(itemID)
            if !attachments.isEmpty { preparationAttachments[itemID] = attachments }
        case .preparationCompleted:
            try require(.preparation, for: kind)
            let missing = treatmentProtocol.preparation.filter { !preparationConfirmed.contains($0.id) }
            guard missing.isEmpty else { throw .checklistIncomplete(missing.map(\.text)) }
            phase = .anesthesia

        case let .anestheticApplied(agentID, occluded, dose):
            try require(.anesthesia, for: kind)
            guard anesthetic == nil else { throw .anestheticAlreadyChosen }
            guard let agent = treatmentProtocol.agent(agentID) else { throw .unknownAgent(agentID.rawValue) }
            try checkApplication(of: agent, occluded: occluded, dose: dose, at: record.stamp)
            var course = AnestheticCourse()
            course.agent = agentID
            course.occluded = occluded
            course.dose = dose
            course.appliedAt = record.stamp
            course.dwellBeforeRecord = Self.dwellBeforeRecord(dose)
            course.appliedSeq = seq
            anesthetic = course
            if agent.isCompounded { warnings.append(.compoundedAnesthetic(seq: seq, agent: agentID)) }
        case let .anestheticDeclined(reason):
            try require(.anesthesia, for: kind)
            guard anesthetic == nil else { throw .anestheticAlreadyChosen }
            guard treatmentProtocol.anesthesia.allowsNone else { throw .anestheticNotAllowedToBeDeclined }
            try requireReason(reason, "going without a topical anesthetic")
            var course = AnestheticCourse()
            course.declinedReason = reason
            course.declinedSeq = seq
            anesthetic = course
        case let .anestheticRemoved(removal):
            try require(.anesthesia, for: kind)
            let expected = try anestheticRemoval(at: record.stamp, earlyRemovalReason: removal.earlyRemovalReason)
            guard removal == expected else {
                if removal.dwell == expected.dwell {
                    throw .removalMisstated(exceededMaximum: expected.exceededMaximum, removedEarly: expected.earlyRemovalReason != nil)
                }
                throw .dwellMismatch(recorded: removal.dwell, measured: expected.dwell)
            }
            anesthetic?.removal = removal
            anesthetic?.removedSeq = seq
            anesthetic?.removedAt = record.stamp
            if let reason = removal.earlyRemovalReason {
                warnings.append(.anestheticRemovedEarly(seq: seq, dwell: removal.dwell, reason: reason))
            }
            if removal.exceededMaximum, let agent = anesthetic?.agent.flatMap(treatmentProtocol.agent) {
                warnings.append(.anestheticMaximumExceeded(seq: seq, dwell: removal.dwell, maximum: agent.maximumDwell))
            }
        case let .antisepsisConfirmed(item):
            try require(.anesthesia, for: kind)
            guard anesthetic?.isFinished == true else { throw .antisepsisBeforeRemoval }
            guard treatmentProtocol.antisepsis.contains(where: { $0.id == item }) else { throw .unknownChecklistItem(item.rawValue) }
            antisepsisConfirmed.insert(item)
        case .treatmentStarted:
            try require(.anesthesia, for: kind)
            guard let course = anesthetic else { throw .anestheticNotApplied }
            guard course.isFinished else { throw .anestheticStillOn }
            let missing = treatmentProtocol.antisepsis.filter { !antisepsisConfirmed.contains($0.id) }
            guard missing.isEmpty else { throw .checklistIncomplete(missing.map(\.text)) }
            phase = .treatment

        case let .depthSet(zoneID, depth, reason):
            try require(.treatment, for: kind)
            let zone = try openZone(zoneID)
            let device = self.device.limits
            if let needle = rollerNeedleLength, depth != needle { throw .rollerDepthFixed(needle: needle) }
            guard depth.micrometres > 0, depth.micrometres % device.depthStep.micrometres == 0 else {
                throw .depthNotOnDeviceStep(depth, step: device.depthStep)
            }
            guard depth <= device.maximumDepth else { throw .depthAboveDeviceMaximum(depth, maximum: device.maximumDepth) }
            if !zone.allows(depth) {
                guard let reason, !reason.isBlank else {
                    throw .depthOutsideZoneRange(zone: zone.name, depth, minimum: zone.minimumDepth, maximum: zone.maximumDepth)
                }
                warnings.append(.depthOutsideZoneRange(seq: seq, zone: zoneID, depth: depth, reason: reason))
            }
            if depth > device.evaluatedMaximumDepth {
                warnings.append(.depthAboveEvaluatedMaximum(seq: seq, zone: zoneID, depth: depth))
            }
            zones[zoneID, default: ZoneProgress()].depth = depth
            zones[zoneID, default: ZoneProgress()].depthReason = reason
            zones[zoneID, default: ZoneProgress()].depthSeq = seq
        case let .passRecorded(zoneID, direction, depth):
            try require(.treatment, for: kind)
            let zone = try openZone(zoneID)
            guard let setDepth = progress(of: zoneID).depth else { throw .noDepthSet(zone: zone.name) }
            guard let passDirection = treatmentProtocol.direction(direction) else { throw .unknownDirection(direction.rawValue) }
            guard device.allows(direction) else { throw .directionNotForDevice(direction: passDirection.name, device: device.model) }
            try requireConfirmation(of: zone)
            guard depth == setDepth else { throw .passDepthDiffers(zone: zone.name, set: setDepth, pass: depth) }
            zones[zoneID, default: ZoneProgress()].passes.append(
                RecordedPass(seq: seq, direction: direction, depth: depth, stamp: record.stamp))
        case let .zoneConfirmed(zoneID, statement):
            try require(.treatment, for: kind)
            try confirm(zoneID, statement: statement, seq: seq)
        case let .productApplied(application):
            try fold(application, seq: seq, stamp: record.stamp)
        case let .endpointReached(zoneID, endpoint):
            try require(.treatment, for: kind)
            let zone = try openZone(zoneID)
            guard treatmentProtocol.endpoint(endpoint) != nil else { throw .unknownEndpoint(endpoint.rawValue) }
            guard !progress(of: zoneID).passes.isEmpty else { throw .noPassesYet(zone: zone.name) }
            zones[zoneID, default: ZoneProgress()].endpoint = endpoint
            zones[zoneID, default: ZoneProgress()].endpointSeq = seq
        case let .zoneCompleted(zoneID):
            try require(.treatment, for: kind)
            let zone = try openZone(zoneID)
            guard !progress(of: zoneID).passes.isEmpty else { throw .noPassesYet(zone: zone.name) }
            guard progress(of: zoneID).endpoint != nil else { throw .endpointMissing(zone: zone.name) }
            zones[zoneID, default: ZoneProgress()].isComplete = true
        case let .zoneSkipped(zoneID, reason):
            try require(.treatment, for: kind)
            let zone = try openZone(zoneID)
            try requireReason(reason, "skipping \(zone.name)")
            zones[zoneID, default: ZoneProgress()].skipReason = reason
            zones[zoneID, default: ZoneProgress()].skipSeq = seq
        case .treatmentCompleted:
            try require(.treatment, for: kind)
            let unfinished = unfinishedZones
            guard unfinished.isEmpty else { throw .zonesUnfinished(unfinished.map(\.name)) }
            phase = .aftercare

        case let .aftercareConfirmed(item):
            try require(.aftercare, for: kind)
            guard treatmentProtocol.aftercare.contains(where: { $0.id == item }) else { throw .unknownChecklistItem(item.rawValue) }
            aftercareConfirmed.insert(item)
        case let .signed(signOff):
            try require(.aftercare, for: kind)
            let missing = treatmentProtocol.aftercare.filter { !aftercareConfirmed.contains($0.id) }
            guard missing.isEmpty else { throw .checklistIncomplete(missing.map(\.text)) }
            try requireEntry(signOff.attestation, "A sign-off needs its attestation")
            if isAttributed {
                guard let electronic = signOff.signature, electronic.meaning == .performedBy,
                      electronic.signer.rawValue == record.by else { throw .signatureRequired }
            }
            signature = Signature(seq: seq, stamp: record.stamp, by: record.by, attestation: signOff.attestation,
                                  electronic: signOff.signature)
            sealedAt = record.stamp
            phase = .signed
        case let .aborted(reason):
            try requireReason(reason, "aborting the session")
            abortReason = reason
            abortSeq = seq
            sealedAt = record.stamp
            phase = .aborted

        case let .handedOver(handOver):
            guard isAttributed else { throw .handOverNeedsAccounts }
            guard handOver.from == currentOperator, handOver.to.rawValue == record.by, handOver.to.rawValue != currentOperator else {
                throw .handOverMisstated(current: currentOperator)
            }
            currentOperator = handOver.to.rawValue
            handOvers.append(RecordedHandOver(seq: seq, stamp: record.stamp, handOver: handOver))
        case let .cosigned(electronic):
            guard phase == .signed, let signOff = signature else { throw .cosignatureBeforeSignOff }
            guard electronic.meaning == .reviewed, electronic.role == .director, electronic.signer.rawValue == record.by else {
                throw .cosignatureMisstated
            }
            guard electronic.signer.rawValue != signOff.by else { throw .cosignerIsSigner }
            guard !cosignatures.contains(where: { $0.signature.signer == electronic.signer }) else { throw .alreadyCosigned(electronic.signer.rawValue) }
            cosignatures.append(RecordedSignature(seq: seq, stamp: record.stamp, signature: electronic))
        case .staffOpened, .userAdded, .userPINChanged, .userRolesChanged, .userDisabled,
             .accessOpened, .signedIn, .signedOut, .signInFailed, .accountLocked, .screenLocked, .screenUnlocked:
            throw .notASessionRecord(kind)

        case let .noteAdded(text, addendumReason):
            try requireEntry(text, "A note needs its text")
            if phase.isSealed { try requireReason(addendumReason ?? "", "a note added after the session was sealed") }
            noteStore.append(RecordedNote(seq: seq, stamp: record.stamp, by: record.by, text: text, addendumReason: addendumReason))
        case let .adverseEventReported(adverse):
            try requireEntry(adverse.description, "An adverse event needs a description")
            if phase.isSealed {
                try requireReason(adverse.addendumReason ?? "", "an adverse event added after the session was sealed")
            }
            adverseEvents.append(RecordedAdverseEvent(seq: seq, stamp: record.stamp, by: record.by, event: adverse))
        case let .recordCorrected(correction):
            let (correctedEvent, warning) = try corrected(by: correction, at: seq)
            follow(correctedEvent, correcting: correction.seq)
            if let warning { warnings.append(warning) }
            corrections.append(RecordedCorrection(seq: seq, stamp: record.stamp, by: record.by, correction: correction))
        case let .attachmentAdded(attachment):
            try fold(attachment, seq: seq, stamp: record.stamp, by: record.by)
        case let .logRepaired(repair):
            // The backup lies beside the log: a plain file name, nothing that climbs out of the folder.
            let name = repair.backupFile
            guard !name.isEmpty, !name.contains("/"), name != "..",
                  !name.hasControlCharacter else {
                throw .invalidRepair(backup: name)
            }
            repairs.append(RecordedRepair(seq: seq, stamp: record.stamp, repair: repair))
        }
    }

    /// The removal record for taking the anesthetic off at `stamp`: its dwell
    /// measured from application, and whether it passed the agent's maximum.
    public func anestheticRemoval(at stamp: EventStamp, earlyRemovalReason: String?) throws(SessionError) -> AnestheticRemoval {
        guard let course = anesthetic, let appliedAt = course.appliedAt,
              let agent = course.agent.flatMap(treatmentProtocol.agent) else { throw .anestheticNotApplied }
        guard course.removal == nil else { throw .anestheticAlreadyRemoved }
        let dwell = stamp.elapsed(since: appliedAt) + course.dwellBeforeRecord
        let reason = earlyRemovalReason.flatMap { $0.isBlank ? nil : $0 }
        if dwell < agent.minimumDwell && reason == nil {
            throw .removedBeforeMinimumDwell(dwell: dwell, minimum: agent.minimumDwell)
        }
        return AnestheticRemoval(
            dwell: dwell,
            earlyRemovalReason: dwell < agent.minimumDwell ? reason : nil,
            exceededMaximum: dwell > agent.maximumDwell)
    }

    private mutating func open(_ opening: SessionOpening, at stamp: EventStamp) throws(SessionError) {
        let required: [(String, String)] = [
            ("session_id", opening.sessionID), ("patient reference", opening.patientReference),
            ("operator", opening.operatorName), ("workstation", opening.workstation),
            ("device model", opening.device.model), ("device serial", opening.device.serial),
            ("cartridge lot", opening.cartridge.lot),
        ]
        for (field, value) in required {
            if value.isBlank { throw .invalidIntake(field: field, problem: "is required") }
            if value.hasControlCharacter {
                throw .invalidIntake(field: field, problem: "must not contain control characters")
            }
        }
        guard let expiryDay = CivilDate.parseExpiry(opening.cartridge.expiry) else {
            throw .invalidIntake(field: "cartridge expiry", problem: "must be YYYY-MM or YYYY-MM-DD")
        }
        if expiryDay < CivilDate.daysSinceEpoch(wallMilliseconds: stamp.wallMilliseconds) {
            throw .cartridgeExpired(expiry: opening.cartridge.expiry)
        }
        guard opening.protocolReference.digest == treatmentProtocol.digest else {
            throw .protocolMismatch(expected: treatmentProtocol.digest, got: opening.protocolReference.digest)
        }
        guard !opening.plannedZones.isEmpty else { throw .invalidIntake(field: "planned zones", problem: "needs at least one zone") }
        guard Set(opening.plannedZones).count == opening.plannedZones.count else {
            throw .invalidIntake(field: "planned zones", problem: "lists a zone twice")
        }
        for zone in opening.plannedZones where treatmentProtocol.zone(zone) == nil {
            throw .unknownZone(zone.rawValue)
        }
        try checkDevice(of: opening)
        if let id = opening.operatorID, !FieldDomain.isStaffID(id.rawValue) {
            throw .invalidIntake(field: "operator account", problem: "is not an account id")
        }
        self.opening = opening
        currentOperator = opening.operatorID?.rawValue ?? opening.operatorName
        openedAt = stamp
        phase = .screening
    }

    private func require(_ expected: SessionPhase, for kind: EventKind) throws(SessionError) {
        guard phase == expected else { throw .notAllowedInPhase(kind, phase) }
    }

    /// Within one boot the monotonic clock never runs backwards: a record
    /// stamped before the one it follows was not made after it.
    private func requireClockForward(_ stamp: EventStamp) throws(SessionError) {
        if let lastStamp, lastStamp.bootID == stamp.bootID, stamp.monotonicNanoseconds < lastStamp.monotonicNanoseconds {
            throw .clockWentBackwards(previous: lastStamp.monotonicNanoseconds, this: stamp.monotonicNanoseconds)
        }
    }

    func requireReason(_ text: String, _ what: String) throws(SessionError) {
        if text.isBlank { throw .reasonRequired(what) }
    }

    /// `sentence` as the refusal when `text` is blank.
    func requireEntry(_ text: String, _ sentence: String) throws(SessionError) {
        if text.isBlank { throw .entryRequired(sentence) }
    }

    /// A planned zone that is neither completed nor skipped.
    private func openZone(_ id: ZoneID) throws(SessionError) -> Zone {
        guard let zone = treatmentProtocol.zone(id) else { throw .unknownZone(id.rawValue) }
        guard opening?.plannedZones.contains(id) == true else { throw .zoneNotPlanned(zone.name) }
        guard !progress(of: id).isFinished else { throw .zoneAlreadyFinished(zone.name) }
        return zone
    }
}

extension String {
    /// Whether any character is a control character (Unicode category Cc):
    /// refused in what a person typed where the log keeps it on one line.
    public var hasControlCharacter: Bool {
        // The control category (Cc) is these 65 code points, fixed by Unicode: compared
        // directly, not looked up in the property tables for every scalar of every record folded.
        unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
    }

    /// Empty or only white space: not a reason anyone can read.
    var isBlank: Bool {
        // Most text starts with a letter: an ASCII byte that is not white
        // space settles it without asking a character for its properties
        // (a third of the fold's time). Anything else is asked in full.
        for byte in utf8 {
            if byte >= 0x80 { return allSatisfy { $0.isWhitespace } }
            if byte != 0x20 && !(0x09...0x0D).contains(byte) { return false }
        }
        return true
    }
}
