import TrilliumCore
import TrilliumLog

/// A session laid out for people: sections of labelled facts and tables,
/// rendered as text, Markdown (and later HTML) from the same content.
public struct SessionReport: Sendable {
    /// A drawing that belongs with a section, where the format can draw (HTML).
    public enum Figure: Sendable {
        case anestheticTimeline
        case faceMap
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
    public var sections: [Section]

    /// Builds the report of a loaded session. Every value is shown as
    /// corrected, with what was first recorded beside it on the same line,
    /// and every correction is listed in full in its own section.
    /// `staff`, where the data directory has accounts, names the people behind the ids.
    public init(session: LoadedSession, state: SessionState, staff: StaffRoster? = nil) {
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
                ("Device", "\(o.device.model), serial \(o.device.serial)" + correctionsNote(openingSeq, "device.model", "device.serial")),
                ("Cartridge", "lot \(o.cartridge.lot)\(correctionsNote(openingSeq, "cartridge.lot")), expiry \(o.cartridge.expiry)"
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

        sections.append(Self.checklist("Preparation", p.preparation, state.preparationConfirmed))

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
                anesthesia.facts.append(("Occlusion", (course.occluded ? "yes" : "no") + correctionsNote(course.appliedSeq, "occluded")))
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
            return [zone.name, depth, passes, outcome]
        })
        sections.append(treatment)

        sections.append(Self.checklist("Aftercare", p.aftercare, state.aftercareConfirmed))

        var notes = Section(title: "Notes")
        let recordedNotes = state.notes
        notes.table = Table(headers: ["#", "Time", "By", "Note"], rows: recordedNotes.map { note in
            let addendum = note.addendumReason.map { " (addendum: \($0))" } ?? ""
            return [String(note.seq), when(note.stamp), note.by, note.text + correctionsNote(note.seq, "text") + addendum]
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

        var corrections = Section(title: "Corrections")
        corrections.table = Table(headers: ["#", "Corrects", "Field", "Old", "New", "Reason", "By"], rows: state.corrections.map { entry in
            let c = entry.correction
            let target = c.seq <= state.recordKinds.count ? state.recordKinds[c.seq - 1] : nil
            let label = target.flatMap { RecordSchema.of($0).field(c.field)?.label } ?? c.field
            return [String(entry.seq), "#\(c.seq) \(target?.title ?? "?")", label, c.oldValue, c.newValue, c.reason, entry.by]
        })
        sections.append(corrections)

        var warnings = Section(title: "Warnings for review")
        warnings.paragraphs = state.warnings.map { Self.warningText($0, p) }
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

    public static func warningText(_ warning: SessionWarning, _ p: TreatmentProtocol) -> String {
        switch warning {
        case let .screeningOverridden(seq, question, reason):
            "#\(seq) screening \"\(p.question(question)?.text ?? question.rawValue)\" answered yes, overridden: \(reason)"
        case let .anestheticRemovedEarly(seq, dwell, reason):
            "#\(seq) anesthetic removed after \(Durations.text(dwell)), before its minimum dwell: \(reason)"
        case let .anestheticMaximumExceeded(seq, dwell, maximum):
            "#\(seq) anesthetic dwell \(Durations.text(dwell)) passed its maximum of \(Durations.text(maximum))"
        case let .depthOutsideZoneRange(seq, zone, depth, reason):
            "#\(seq) \(p.zone(zone)?.name ?? zone.rawValue) at \(depth), outside its range: \(reason)"
        case let .depthAboveEvaluatedMaximum(seq, zone, depth):
            "#\(seq) \(p.zone(zone)?.name ?? zone.rawValue) at \(depth), above the device's evaluated maximum of \(p.device.evaluatedMaximumDepth)"
        }
    }
}
