import TrilliumCore
import TrilliumLog

/// A session laid out for people: sections of labelled facts and tables,
/// rendered as text, Markdown (and later HTML) from the same content.
public struct SessionReport: Sendable {
    /// A drawing that belongs with a section, where the format can draw (HTML).
    public enum Figure: Sendable {
        case anestheticTimeline
        case faceMap
        /// The photos attached, drawn where the file still holds what was attached.
        case photos
    }

    public struct Section: Sendable {
        public var title: String
        public var figure: Figure?
        public var facts: [(String, String)] = []
        public var table: Table?
        public var paragraphs: [String] = []
    }

    public struct Table: Sendable {
        public var headers: [String]
        public var rows: [[String]]
    }

    public var title: String
    /// What every format says first, above the title's record, when the log
    /// is not wholly trustworthy: a reader of the printed record must not
    /// take "Status: signed" on its word.
    public var integrityAlert: String?
    public var sections: [Section]

    /// Builds the report of a loaded session. Every value is shown as
    /// corrected, with what was first recorded beside it on the same line,
    /// and every correction is listed in full in its own section.
    /// `staff`, where the data directory has accounts, names the people behind the ids.
    /// `attachments`, where given, checks each attached file is still there with its digest.
    public init(session: LoadedSession, state: SessionState, staff: StaffRoster? = nil, attachments: AttachmentStore? = nil) {
        let p = state.treatmentProtocol
        /// "Dr Dana (dana)" where the staff log knows the id; the id alone otherwise.
        func person(_ id: String) -> String { staff?.account(id).map { "\($0.name) (\(id))" } ?? id }
        func when(_ stamp: EventStamp?) -> String { stamp.map { Times.dateTime($0) } ?? "—" }
        /// " [corrected by #12, first recorded as LTO-77]" for the record `seq`'s `field`.
        func correctionsNote(_ seq: Int?, _ fields: String...) -> String {
            guard let seq else { return "" }
            let made = fields.flatMap { state.corrections(of: seq, field: $0) }.sorted { $0.seq < $1.seq }
            guard let first = made.first else { return "" }
            let by = made.map { "#\($0.seq)" }.joined(separator: ", ")
            return " [corrected by \(by); first recorded as \"\(first.correction.oldValue)\"]"
        }

        var sections: [Section] = []
        let opening = state.currentOpening
        let openingSeq = 1
        var intake = Section(title: "Intake")
        if let o = opening {
            intake.facts = [
                ("Session", o.sessionID),
                ("Patient reference", o.patientReference + correctionsNote(openingSeq, "patient_ref")),
                ("Operator", o.operatorName + (o.operatorID.map { " (\($0), signed in)" } ?? "") + correctionsNote(openingSeq, "operator")),
                ("Workstation", o.workstation + correctionsNote(openingSeq, "workstation")),
                ("Device", "\(o.device.model) (\(state.device.kind.label)), serial \(o.device.serial)"
                    + (state.rollerNeedleLength.map { ", needles \($0)" } ?? "")
                    + correctionsNote(openingSeq, "device.model", "device.serial")),
                ("Device limits", "steps of \(state.device.limits.depthStep), maximum \(state.device.limits.maximumDepth), "
                    + "evaluated to \(state.device.limits.evaluatedMaximumDepth)"),
                (state.device.kind == .roller ? "Roller" : "Cartridge",
                 "lot \(o.cartridge.lot)\(correctionsNote(openingSeq, "cartridge.lot")), expiry \(o.cartridge.expiry)"
                    + correctionsNote(openingSeq, "cartridge.expiry")),
                ("Protocol", "\(o.protocolReference.id) \(o.protocolReference.version) (SHA-256 \(o.protocolReference.digest))"),
                ("Planned zones", state.plannedZones.map(\.name).joined(separator: ", ")),
                ("Started", when(state.openedAt)),
                ("Training session", o.isTraining ? "yes (practice, not a patient treatment)" : "no"),
                ("Status", Self.status(state)),
            ]
        }
        intake.facts += state.handOvers.map { entry in
            ("Handed over", "#\(entry.seq) from \(person(entry.handOver.from)) to \(entry.handOver.toName) (\(entry.handOver.to)) at \(when(entry.stamp))")
        }
        sections.append(intake)

        if p.consultation != nil || state.consultation != nil {
            var consultation = Section(title: "Consultation")
            if let recorded = state.consultation {
                let c = recorded.consultation, seq = recorded.seq
                consultation.facts = [
                    ("Fitzpatrick skin type", c.skinType.rawValue + correctionsNote(seq, "skin_type")),
                    ("Concerns", c.concerns.map { p.consultation?.concern($0)?.name ?? $0.rawValue }.joined(separator: ", ")),
                    ("Goals", c.goals + correctionsNote(seq, "goals")),
                    ("Age", c.ageConfirmed ? "confirmed \(c.minimumAge) or over" : "NOT confirmed"),
                    ("Previous session", c.previousSession ?? "none on record"),
                ]
                if let reason = c.earlyReturnReason {
                    consultation.facts.append(("Returning early", reason + correctionsNote(seq, "early_return_reason")))
                }
            } else {
                consultation.facts = [("Consultation", "not recorded")]
            }
            sections.append(consultation)
        }

        var screening = Section(title: "Screening")
        screening.table = Table(headers: ["Question", "Answer", "Override / prophylaxis"], rows: p.screening.map { q in
            let status = state.screening[q.id]
            let answer = status?.answer.map { $0 ? "YES" : "no" } ?? "not answered"
            var detail = ""
            if let reason = status?.overrideReason {
                detail = "overridden: \(reason)" + (status?.authorisedBy.map { "; authorised by \(person($0.rawValue))" } ?? "")
            }
            if q.rule == .requiresProphylaxis, status?.answer == true {
                detail = status?.prophylaxisConfirmed == true ? "confirmed: \(q.prophylaxis ?? "")" : "NOT confirmed"
            }
            return [q.text, answer + correctionsNote(status?.answeredSeq, "answer"), detail + correctionsNote(status?.overrideSeq, "reason")]
        })
        sections.append(screening)

        var preparation = Self.checklist("Preparation", p.preparation, state.preparationConfirmed)
        preparation.table?.rows = p.preparation.map { item in
            let named = state.preparationAttachments[item.id] ?? []
            let files = named.map { digest in state.attachments.first { $0.attachment.digest == digest }?.attachment.name ?? String(digest.prefix(12)) }
            return [item.text, state.preparationConfirmed.contains(item.id) ? "yes" + (files.isEmpty ? "" : ": " + files.joined(separator: ", ")) : "NO"]
        }
        sections.append(preparation)

        var anesthesia = Section(title: "Topical anesthetic", figure: .anestheticTimeline)
        if let course = state.anesthetic {
            if let reason = course.declinedReason {
                anesthesia.facts.append(("Anesthetic", "none: \(reason)" + correctionsNote(course.declinedSeq, "reason")))
            } else if let agentID = course.agent {
                let agent = p.agent(agentID)
                anesthesia.facts.append(("Agent", (agent?.name ?? agentID.rawValue) + correctionsNote(course.appliedSeq, "agent")))
                if let agent {
                    anesthesia.facts.append(("Dwell window", "\(Durations.text(agent.minimumDwell)) to \(Durations.text(agent.maximumDwell))"))
                }
                if agent?.isCompounded == true {
                    anesthesia.facts.append(("Compounded", "WARNING: no FDA label and no standard dosing"))
                }
                anesthesia.facts.append(("Occlusion", (course.occluded ? "yes" : "no") + correctionsNote(course.appliedSeq, "occluded")))
                if let dose = course.dose {
                    var amount = Grams.text(dose.amount)
                    if let maximum = agent?.maximumAmount { amount += " (maximum \(Grams.text(maximum)))" }
                    anesthesia.facts.append(("Amount", amount))
                    var area = dose.area.map { "\($0) cm²" + (agent?.maximumArea.map { " (maximum \($0) cm²)" } ?? "") } ?? ""
                    if !dose.zones.isEmpty {
                        area += (area.isEmpty ? "" : "; ") + dose.zones.map { p.zone($0)?.name ?? $0.rawValue }.joined(separator: ", ")
                    }
                    anesthesia.facts.append(("Area", area))
                    anesthesia.facts.append(("Anesthetic lot", "\(dose.lot)\(correctionsNote(course.appliedSeq, "lot")), expiry \(dose.expiry)"
                        + correctionsNote(course.appliedSeq, "expiry")))
                    let by = dose.appliedBy == AnestheticDose.patient ? "the patient" : person(dose.appliedBy)
                    anesthesia.facts.append(("Applied by", "\(by), " + (dose.setting == .clinic ? "in the clinic" : "at home")
                        + (dose.minutesBeforeRecord.map { ", \($0) min before it was recorded" } ?? "")))
                }
                anesthesia.facts.append(("Applied", when(course.appliedAt)))
                if let removal = course.removal {
                    anesthesia.facts.append(("Removed", when(course.removedAt)))
                    var dwell = Durations.text(removal.dwell)
                    if removal.exceededMaximum { dwell += " (WARNING: past the maximum dwell)" }
                    anesthesia.facts.append(("Dwell", dwell))
                    if let reason = removal.earlyRemovalReason {
                        anesthesia.facts.append(("Removed early", reason + correctionsNote(course.removedSeq, "early_removal_reason")))
                    }
                } else {
                    anesthesia.facts.append(("Removed", "not recorded"))
                }
            }
        } else {
            anesthesia.facts.append(("Anesthetic", "not recorded"))
        }
        for item in p.antisepsis {
            anesthesia.facts.append((item.text, state.antisepsisConfirmed.contains(item.id) ? "confirmed" : "not confirmed"))
        }
        sections.append(anesthesia)

        var treatment = Section(title: "Treatment by zone", figure: .faceMap)
        treatment.table = Table(headers: ["Zone", "Depth", "Passes", "Endpoint / outcome"], rows: state.plannedZones.map { zone in
            let progress = state.progress(of: zone.id)
            var depth = (progress.depth?.description ?? "—") + correctionsNote(progress.depthSeq, "depth_um")
            if let reason = progress.depthReason { depth += " (outside range: \(reason))" + correctionsNote(progress.depthSeq, "reason") }
            let passes = progress.passes.isEmpty ? "0" :
                "\(progress.passes.count)/\(p.targetPasses): " + progress.passes.map { pass in
                    (p.direction(pass.direction)?.name ?? pass.direction.rawValue) + correctionsNote(pass.seq, "direction", "depth_um")
                }.joined(separator: ", ")
            let outcome: String
            if let reason = progress.skipReason {
                outcome = "SKIPPED: \(reason)" + correctionsNote(progress.skipSeq, "reason")
            } else if let endpoint = progress.endpoint {
                outcome = (p.endpoint(endpoint)?.name ?? endpoint.rawValue) + correctionsNote(progress.endpointSeq, "endpoint")
                    + (progress.isComplete ? ", complete" : "")
            } else {
                outcome = progress.status == .planned ? "not started" : "in progress"
            }
            let confirmed = zone.confirmation.map { statement in
                progress.confirmationSeq.map { "; confirmed (#\($0)): \(statement)" } ?? "; NOT confirmed: \(statement)"
            } ?? ""
            return [zone.name, depth, passes, outcome + confirmed]
        })
        sections.append(treatment)

        if !p.products.isEmpty || !state.products.isEmpty {
            var products = Section(title: "Products into the channels")
            products.table = Table(headers: ["#", "Product", "Zone", "Lot", "Expiry", "Approved"], rows: state.products.map { entry in
                let a = entry.application
                let approved = p.product(a.product)?.isApproved == true ? "yes" : "NO: \(a.reason ?? "")" + correctionsNote(entry.seq, "reason")
                return [String(entry.seq), a.name, p.zone(a.zone)?.name ?? a.zone.rawValue, a.lot + correctionsNote(entry.seq, "lot"),
                        a.expiry + correctionsNote(entry.seq, "expiry"), approved]
            })
            sections.append(products)
        }

        sections.append(Self.checklist("Aftercare", p.aftercare, state.aftercareConfirmed))

        var notes = Section(title: "Notes")
        let recordedNotes = state.notes
        notes.table = Table(headers: ["#", "Time", "By", "Note"], rows: recordedNotes.map { note in
            let addendum = note.addendumReason.map { " (addendum: \($0))" } ?? ""
            return [String(note.seq), when(note.stamp), person(note.by), note.text + correctionsNote(note.seq, "text") + addendum]
        })
        // Notes are read back from the log: one that no longer reads back is said, never dropped silently.
        if recordedNotes.count < state.noteCount {
            notes.paragraphs = ["\(state.noteCount - recordedNotes.count) of \(state.noteCount) notes could not be read back from the log: it changed or became unreadable after it was verified."]
        }
        sections.append(notes)

        var adverse = Section(title: "Adverse events")
        adverse.table = Table(headers: ["#", "Time", "Severity", "Description", "Action taken"], rows: state.adverseEvents.map { entry in
            [String(entry.seq), when(entry.stamp), entry.event.severity.label + correctionsNote(entry.seq, "severity"),
             entry.event.description + correctionsNote(entry.seq, "description"), entry.event.actionTaken + correctionsNote(entry.seq, "action")]
        })
        sections.append(adverse)

        var attached = Section(title: "Attachments", figure: .photos)
        attached.table = Table(headers: ["#", "Kind", "File", "Size", "SHA-256", "Attached", "File now"], rows: state.attachments.map { entry in
            let a = entry.attachment
            let after = state.sealedAt.map { entry.stamp.wallMilliseconds > $0.wallMilliseconds } == true ? ", after sealing" : ""
            return [String(entry.seq), a.kind.label, a.name, "\(a.size) bytes", a.digest, "\(when(entry.stamp)) by \(person(entry.by))\(after)",
                    attachments.map { $0.status(of: a.digest).text } ?? "not checked"]
        })
        sections.append(attached)

        var corrections = Section(title: "Corrections")
        corrections.table = Table(headers: ["#", "Corrects", "Field", "Old", "New", "Reason", "By"], rows: state.corrections.map { entry in
            let c = entry.correction
            let target = c.seq <= state.recordKinds.count ? state.recordKinds[c.seq - 1] : nil
            let label = target.flatMap { RecordSchema.of($0).field(c.field)?.label } ?? c.field
            return [String(entry.seq), "#\(c.seq) \(target?.title ?? "?")", label, c.oldValue, c.newValue, c.reason, person(entry.by)]
        })
        sections.append(corrections)

        var warnings = Section(title: "Warnings for review")
        warnings.paragraphs = state.warnings.map { Self.warningText($0, state) }
        // A file changed or removed since it was attached is for the reviewer too.
        if let attachments {
            for (entry, status) in attachments.check(state) where status != .present {
                warnings.paragraphs.append("#\(entry.seq) attachment \(entry.attachment.name): \(status.text)")
            }
        }
        sections.append(warnings)

        var signOff = Section(title: "Sign-off")
        if let signature = state.signature {
            if let electronic = signature.electronic {
                signOff.facts = [("Signed by", "\(electronic.signerName) (\(electronic.signer)), \(electronic.role.label.lowercased())"),
                                 ("Meaning", electronic.meaning.rawValue)]
            } else {
                signOff.facts = [("Signed by", signature.by)]
            }
            signOff.facts += [("Signed at", when(signature.stamp)),
                              ("Attestation", signature.attestation + correctionsNote(signature.seq, "attestation"))]
            if let electronic = signature.electronic {
                signOff.facts.append(("Signature", "Ed25519, workstation key \(electronic.keyFingerprint.prefix(16))… (trillium verify checks it)"))
            }
            signOff.facts += state.cosignatures.map { entry in
                ("Reviewed by", "\(entry.signature.signerName) (\(entry.signature.signer)), \(entry.signature.role.label.lowercased()), at \(when(entry.stamp)), record #\(entry.seq)")
            }
        } else if let reason = state.abortReason {
            signOff.facts = [("Aborted", reason + correctionsNote(state.abortSeq, "reason")), ("At", when(state.lastStamp))]
        } else {
            signOff.facts = [("Signed", "not yet: the session is open")]
        }
        sections.append(signOff)

        var integrity = Section(title: "Log integrity")
        let v = session.verification
        integrity.facts = [
            ("File", v.path),
            ("Status", session.integritySummary),
            ("Records", String(v.validRecords)),
            ("Head digest", v.headDigest),
        ]
        if !state.repairs.isEmpty {
            integrity.paragraphs = state.repairs.map {
                "Record \($0.seq): a torn tail of \($0.repair.droppedBytes) bytes at byte \($0.repair.truncatedAt) was cut off and kept in \($0.repair.backupFile)."
            }
        }
        sections.append(integrity)

        let patient = opening?.patientReference ?? "unknown patient"
        let date = state.openedAt.map { Times.date($0) } ?? ""
        title = "Microneedling session \(patient) \(date)" + (opening?.isTraining == true ? " [TRAINING]" : "")
        integrityAlert = session.integrityAlert
        self.sections = sections
    }

    static func checklist(_ title: String, _ items: [ChecklistItem], _ done: Set<ChecklistItemID>) -> Section {
        var section = Section(title: title)
        section.table = Table(headers: ["Item", "Confirmed"], rows: items.map { [$0.text, done.contains($0.id) ? "yes" : "NO"] })
        return section
    }

    public static func status(_ state: SessionState) -> String {
        switch state.phase {
        case .signed: "signed"
        case .aborted: "aborted: \(state.abortReason ?? "")"
        default: "open (\(state.phase.title.lowercased()))"
        }
    }

    public static func warningText(_ warning: SessionWarning, _ state: SessionState) -> String {
        let p = state.treatmentProtocol
        return switch warning {
        case let .screeningOverridden(seq, question, reason):
            "#\(seq) screening \"\(p.question(question)?.text ?? question.rawValue)\" answered yes, overridden: \(reason)"
        case let .anestheticRemovedEarly(seq, dwell, reason):
            "#\(seq) anesthetic removed after \(Durations.text(dwell)), before its minimum dwell: \(reason)"
        case let .anestheticMaximumExceeded(seq, dwell, maximum):
            "#\(seq) anesthetic dwell \(Durations.text(dwell)) passed its maximum of \(Durations.text(maximum))"
        case let .depthOutsideZoneRange(seq, zone, depth, reason):
            "#\(seq) \(p.zone(zone)?.name ?? zone.rawValue) at \(depth), outside its range: \(reason)"
        case let .depthAboveEvaluatedMaximum(seq, zone, depth):
            "#\(seq) \(p.zone(zone)?.name ?? zone.rawValue) at \(depth), above the device's evaluated maximum of \(state.device.limits.evaluatedMaximumDepth)"
        case let .compoundedAnesthetic(seq, agent):
            "#\(seq) compounded anesthetic \(p.agent(agent)?.name ?? agent.rawValue): no FDA label, no standard dosing"
        case let .earlyReturn(seq, days, reason):
            "#\(seq) treated again after \(days) days, sooner than the protocol's \(p.followUp.minimumWeeks) weeks: \(reason)"
        case let .unapprovedProduct(seq, product, reason):
            "#\(seq) \(p.product(product)?.name ?? product.rawValue), not approved for microneedling, used: \(reason)"
        case let .screeningCorrectedToBlocking(seq, question, reason):
            "#\(seq) screening \"\(p.question(question)?.text ?? question.rawValue)\" corrected to yes after screening, "
                + "a contraindication with no override: \(reason)"
        }
    }
}
