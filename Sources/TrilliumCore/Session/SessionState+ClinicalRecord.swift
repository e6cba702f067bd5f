/// The clinical record's own steps, each a small reducer that checks
/// everything before it changes anything: the device chosen at intake, the
/// consultation, the anesthetic's dose, the zones that ask for a
/// confirmation, the products put into the channels and the attached files.
extension SessionState {
    /// The opening's device against the protocol's devices: a named profile
    /// where the protocol lists them, a roller's needle length on its steps.
    func checkDevice(of opening: SessionOpening) throws(SessionError) {
        let device = opening.device
        guard treatmentProtocol.hasDeviceProfiles else {
            if device.profile != nil && device.profile != DeviceProfile.singleID {
                throw .invalidIntake(field: "device profile", problem: "is not asked for by this protocol")
            }
            if device.needleLength != nil { throw .invalidIntake(field: "needle length", problem: "is only for a roller") }
            return
        }
        guard let id = device.profile else { throw .invalidIntake(field: "device", problem: "must be one of the protocol's devices") }
        guard let profile = treatmentProtocol.device(id) else { throw .unknownDevice(id.rawValue) }
        guard device.model == profile.model else { throw .invalidIntake(field: "device model", problem: "must be \(profile.model)") }
        switch profile.kind {
        case .pen:
            if device.needleLength != nil { throw .invalidIntake(field: "needle length", problem: "is only for a roller") }
        case .roller:
            let limits = profile.limits
            guard let needle = device.needleLength else { throw .invalidIntake(field: "needle length", problem: "is required for a roller") }
            guard needle.micrometres > 0, needle.micrometres % limits.depthStep.micrometres == 0 else {
                throw .depthNotOnDeviceStep(needle, step: limits.depthStep)
            }
            guard needle <= limits.maximumDepth else { throw .depthAboveDeviceMaximum(needle, maximum: limits.maximumDepth) }
        }
    }

    mutating func fold(_ consultation: Consultation, seq: Int, stamp: EventStamp) throws(SessionError) {
        guard let rules = treatmentProtocol.consultation else { throw .consultationNotAsked }
        guard self.consultation == nil else { throw .consultationAlreadyRecorded }
        guard !consultation.concerns.isEmpty else { throw .entryRequired("The consultation needs at least one concern treated") }
        for concern in consultation.concerns where rules.concern(concern) == nil { throw .unknownConcern(concern.rawValue) }
        try requireEntry(consultation.goals, "The consultation needs the patient's goals, in their words")
        if consultation.goals.hasControlCharacter { throw .invalidIntake(field: "goals", problem: "must not contain control characters") }
        let minimum = rules.minimumAge(with: device)
        guard consultation.minimumAge == minimum else { throw .minimumAgeMisstated(expected: minimum) }
        guard consultation.ageConfirmed else { throw .ageNotConfirmed(minimum: minimum) }
        var warning: SessionWarning?
        if let previous = consultation.previousSession {
            guard let previousDay = CivilDate.parseDay(previous) else {
                throw .invalidIntake(field: "previous session", problem: "must be YYYY-MM-DD")
            }
            let days = CivilDate.daysSinceEpoch(wallMilliseconds: stamp.wallMilliseconds) - previousDay
            guard days >= 0 else { throw .invalidIntake(field: "previous session", problem: "is after today") }
            let minimumDays = treatmentProtocol.followUp.minimumWeeks * 7
            if days < minimumDays {
                guard let reason = consultation.earlyReturnReason, !reason.isBlank else {
                    throw .earlyReturnNeedsReason(days: days, minimumDays: minimumDays)
                }
                warning = .earlyReturn(seq: seq, days: days, reason: reason)
            }
        }
        self.consultation = RecordedConsultation(seq: seq, stamp: stamp, consultation: consultation)
        if let warning { warnings.append(warning) }
    }

    /// Everything about an application but its place in the phase: the agent
    /// not ruled out, compounded only where allowed, the dose within limits.
    func checkApplication(of agent: AnestheticAgent, occluded: Bool, dose: AnestheticDose?, at stamp: EventStamp) throws(SessionError) {
        if agent.occlusion == .required && !occluded { throw .occlusionRequired(agent: agent.name) }
        if agent.occlusion == .never && occluded { throw .occlusionForbidden(agent: agent.name) }
        for questionID in agent.excludedBy where screening[questionID]?.answer == true {
            throw .agentExcluded(agent: agent.name, question: treatmentProtocol.question(questionID)?.text ?? questionID.rawValue)
        }
        if agent.isCompounded && !treatmentProtocol.anesthesia.allowsCompounded { throw .compoundedNotAllowed(agent: agent.name) }
        guard let dose else {
            if treatmentProtocol.anesthesia.recordsDose {
                throw .doseRequired(agent: agent.name, missing: "amount, area, lot, expiry and who applied it")
            }
            return
        }
        guard dose.amount > 0 else { throw .invalidDose("needs an amount above 0 g") }
        if let maximum = agent.maximumAmount, dose.amount > maximum {
            throw .doseAboveMaximum(agent: agent.name, what: "amount", recorded: Grams.text(dose.amount), maximum: Grams.text(maximum))
        }
        if let area = dose.area {
            guard area > 0 else { throw .invalidDose("needs an area above 0 cm²") }
            if let maximum = agent.maximumArea, area > maximum {
                throw .doseAboveMaximum(agent: agent.name, what: "area", recorded: "\(area) cm²", maximum: "\(maximum) cm²")
            }
        } else if agent.maximumArea != nil {
            throw .doseRequired(agent: agent.name, missing: "the area in cm², which the protocol limits")
        } else if dose.zones.isEmpty {
            throw .doseRequired(agent: agent.name, missing: "the area in cm² or the zones covered")
        }
        for zone in dose.zones where opening?.plannedZones.contains(zone) != true {
            throw .zoneNotPlanned(treatmentProtocol.zone(zone)?.name ?? zone.rawValue)
        }
        guard Set(dose.zones).count == dose.zones.count else { throw .invalidDose("lists a zone twice") }
        try requireConsumable(lot: dose.lot, expiry: dose.expiry, what: "anesthetic", at: stamp)
        try requireEntry(dose.appliedBy, "The anesthetic's record needs who applied it")
        if dose.appliedBy.hasControlCharacter { throw .invalidDose("names who applied it with a control character") }
        switch dose.setting {
        case .clinic:
            if dose.minutesBeforeRecord != nil { throw .invalidDose("applied in the clinic is recorded when it goes on") }
        case .home:
            if agent.isCompounded { throw .compoundedAtHome(agent: agent.name) }
            guard let minutes = dose.minutesBeforeRecord, minutes >= 0 else {
                throw .doseRequired(agent: agent.name, missing: "how many minutes ago it was applied at home")
            }
            // Beyond the agent's maximum dwell the record could not be honest about the dwell.
            guard Milliseconds(minutes) * 60_000 <= agent.maximumDwell else {
                throw .invalidDose("was applied \(minutes) minutes ago, past the maximum dwell of \(Durations.text(agent.maximumDwell)): remove it now")
            }
        }
    }

    /// The dwell an anesthetic applied at home had before it was recorded.
    static func dwellBeforeRecord(_ dose: AnestheticDose?) -> Milliseconds {
        Milliseconds(dose?.minutesBeforeRecord ?? 0) * 60_000
    }

    /// A lot that names something and an expiry on or after the record's day.
    func requireConsumable(lot: String, expiry: String, what: String, at stamp: EventStamp) throws(SessionError) {
        try requireEntry(lot, "The \(what) needs its lot")
        if lot.hasControlCharacter { throw .invalidIntake(field: "\(what) lot", problem: "must not contain control characters") }
        guard let day = CivilDate.parseExpiry(expiry) else {
            throw .invalidIntake(field: "\(what) expiry", problem: "must be YYYY-MM or YYYY-MM-DD")
        }
        if day < CivilDate.daysSinceEpoch(wallMilliseconds: stamp.wallMilliseconds) { throw .consumableExpired(what: what, expiry: expiry) }
    }

    mutating func confirm(_ zoneID: ZoneID, statement: String, seq: Int) throws(SessionError) {
        guard let zone = treatmentProtocol.zone(zoneID) else { throw .unknownZone(zoneID.rawValue) }
        guard opening?.plannedZones.contains(zoneID) == true else { throw .zoneNotPlanned(zone.name) }
        guard !progress(of: zoneID).isFinished else { throw .zoneAlreadyFinished(zone.name) }
        guard let expected = zone.confirmation else { throw .zoneConfirmationNotAsked(zone: zone.name) }
        guard statement == expected else { throw .zoneConfirmationMisstated(zone: zone.name, expected: expected) }
        guard progress(of: zoneID).confirmationSeq == nil else { throw .zoneAlreadyConfirmed(zone: zone.name) }
        zones[zoneID, default: ZoneProgress()].confirmationSeq = seq
    }

    /// A pass on a zone that asks for a confirmation needs it first.
    func requireConfirmation(of zone: Zone) throws(SessionError) {
        if let statement = zone.confirmation, progress(of: zone.id).confirmationSeq == nil {
            throw .zoneNotConfirmed(zone: zone.name, statement: statement)
        }
    }

    mutating func fold(_ application: ProductApplication, seq: Int, stamp: EventStamp) throws(SessionError) {
        guard phase == .treatment || phase == .aftercare else { throw .notAllowedInPhase(.productApplied, phase) }
        guard let product = treatmentProtocol.product(application.product) else { throw .unknownProduct(application.product.rawValue) }
        guard application.name == product.name else { throw .productMisnamed(expected: product.name) }
        guard let zone = treatmentProtocol.zone(application.zone) else { throw .unknownZone(application.zone.rawValue) }
        guard opening?.plannedZones.contains(zone.id) == true else { throw .zoneNotPlanned(zone.name) }
        try requireConsumable(lot: application.lot, expiry: application.expiry, what: "product", at: stamp)
        var warning: SessionWarning?
        if !product.isApproved {
            guard let reason = application.reason, !reason.isBlank else {
                throw .reasonRequired("\(product.name) is not approved for use with microneedling")
            }
            warning = .unapprovedProduct(seq: seq, product: product.id, reason: reason)
        }
        products.append(RecordedProduct(seq: seq, stamp: stamp, application: application))
        if let warning { warnings.append(warning) }
    }

    mutating func fold(_ attachment: Attachment, seq: Int, stamp: EventStamp, by: String) throws(SessionError) {
        if let problem = Attachment.problem(name: attachment.name, size: attachment.size) { throw .invalidAttachment(problem) }
        attachments.append(RecordedAttachment(seq: seq, stamp: stamp, by: by, attachment: attachment))
    }

    /// A preparation item names only attachments of its own kind already in the session.
    func checkAttachments(_ digests: [String], for item: ChecklistItem) throws(SessionError) {
        guard !digests.isEmpty else { return }
        guard let kind = item.attachmentKind else { throw .attachmentNotForItem(item.text) }
        for digest in digests where !attachments.contains(where: { $0.attachment.digest == digest && $0.attachment.kind == kind }) {
            throw .unknownAttachment(digest)
        }
    }

    /// The attachments of `kind`, each file once (the same photo attached twice is one).
    public func attachments(of kind: AttachmentKind) -> [RecordedAttachment] {
        var seen: Set<String> = []
        return attachments.filter { $0.attachment.kind == kind && seen.insert($0.attachment.digest).inserted }
    }
}
