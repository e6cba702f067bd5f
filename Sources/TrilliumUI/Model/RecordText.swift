import TrilliumCore
import TrilliumServices

/// One-line summaries of records, for the correction chooser (and replay's timeline).
public enum RecordText {
    public static func summary(_ record: SessionRecord, _ p: TreatmentProtocol, arrow: String = "→") -> String {
        func zone(_ id: ZoneID) -> String { p.zone(id)?.name ?? id.rawValue }
        switch record.event {
        case let .opened(o): return "Opened: \(o.patientReference), \(o.plannedZones.count) zones, lot \(o.cartridge.lot)"
        // The answer first: a long question cut to the width of a list must not take the answer with it.
        case let .screeningAnswered(q, answer): return "\(answer ? "YES" : "No"): \(p.question(q)?.text ?? q.rawValue)"
        case let .screeningOverridden(q, reason, director):
            return "Override \(p.question(q)?.text ?? q.rawValue): \(reason)\(director.map { ", authorised by \($0)" } ?? "")"
        case let .prophylaxisConfirmed(q): return "Prophylaxis confirmed (\(p.question(q)?.text ?? q.rawValue))"
        case let .preparationConfirmed(item, attachments):
            return "Prep: \(p.preparation.first { $0.id == item }?.text ?? item.rawValue)\(attachments.isEmpty ? "" : " (\(attachments.count) attached)")"
        case let .consultationRecorded(c):
            return "Consultation: type \(c.skinType.rawValue), \(c.concerns.map { p.consultation?.concern($0)?.name ?? $0.rawValue }.joined(separator: ", "))"
                + (c.earlyReturnReason.map { "; early return: \($0)" } ?? "")
        case let .zoneConfirmed(z, statement): return "\(zone(z)) confirmed: \(statement)"
        case let .productApplied(a): return "\(zone(a.zone)) product \(a.name), lot \(a.lot)\(a.reason.map { " (\($0))" } ?? "")"
        case let .attachmentAdded(a): return "Attached \(a.kind.label.lowercased()) \(a.name)"
        case let .antisepsisConfirmed(item): return "Antisepsis: \(p.antisepsis.first { $0.id == item }?.text ?? item.rawValue)"
        case let .aftercareConfirmed(item): return "Aftercare: \(p.aftercare.first { $0.id == item }?.text ?? item.rawValue)"
        case let .anestheticApplied(agent, occluded, dose):
            return "Applied \(p.agent(agent)?.name ?? agent.rawValue)\(occluded ? " under occlusion" : "")"
                + (dose.map { ", \(Grams.text($0.amount))\($0.area.map { " on \($0) cm²" } ?? ""), lot \($0.lot)\($0.setting == .home ? ", at home" : "")" } ?? "")
        case let .anestheticDeclined(reason): return "No anesthetic: \(reason)"
        case let .anestheticRemoved(r): return "Removed after \(Durations.text(r.dwell))\(r.earlyRemovalReason.map { " early: \($0)" } ?? "")"
        case let .depthSet(z, depth, reason): return "\(zone(z)) depth \(depth)\(reason.map { " (\($0))" } ?? "")"
        case let .passRecorded(z, direction, depth): return "\(zone(z)) pass \(p.direction(direction)?.name ?? direction.rawValue) at \(depth)"
        case let .endpointReached(z, endpoint): return "\(zone(z)) endpoint \(p.endpoint(endpoint)?.name ?? endpoint.rawValue)"
        case let .zoneCompleted(z): return "\(zone(z)) complete"
        case let .zoneSkipped(z, reason): return "\(zone(z)) skipped: \(reason)"
        case let .noteAdded(text, _): return "Note: \(text)"
        case let .adverseEventReported(a): return "Adverse (\(a.severity.rawValue)): \(a.description)"
        case let .recordCorrected(c): return "Correction of #\(c.seq) \(c.field): \(c.oldValue) \(arrow) \(c.newValue)"
        case let .logRepaired(r): return "Log repaired: \(r.droppedBytes) bytes set aside"
        case let .signed(signOff): return "Signed: \(signOff.attestation)\(signOff.signature.map { " (signature of \($0.signer))" } ?? "")"
        case let .cosigned(signature): return "Co-signed: reviewed by \(signature.signerName) (\(signature.signer))"
        case let .handedOver(handOver): return "Handed over from \(handOver.from) to \(handOver.toName) (\(handOver.to))"
        case let .aborted(reason): return "Aborted: \(reason)"
        default: return record.event.kind.title
        }
    }
}

/// What the sign-off confirmation shows.
enum SignOffSummary {
    static func lines(_ state: SessionState) -> [String] {
        let p = state.treatmentProtocol
        var lines: [String] = []
        if let o = state.opening {
            let handedOver = state.handOvers.last.map { ", handed over to \($0.handOver.toName)" } ?? ""
            lines.append("Patient \(o.patientReference), operator \(o.operatorName)\(handedOver)\(o.isTraining ? " (TRAINING)" : "")")
        }
        if let course = state.anesthetic {
            if let agent = course.agent.flatMap(p.agent), let removal = course.removal {
                lines.append("Anesthetic: \(agent.name)\(course.dose.map { " \(Grams.text($0.amount))" } ?? ""), dwell \(Durations.text(removal.dwell))")
            } else if let reason = course.declinedReason {
                lines.append("No anesthetic: \(reason)")
            }
        }
        for zone in state.plannedZones {
            let progress = state.progress(of: zone.id)
            if let reason = progress.skipReason {
                lines.append("\(zone.name): skipped (\(reason))")
            } else {
                let passes = progress.passes.count == 1 ? "1 pass" : "\(progress.passes.count) passes"
                lines.append("\(zone.name): \(progress.depth?.description ?? "-"), \(passes), \(progress.endpoint.flatMap(p.endpoint)?.name ?? "-")")
            }
        }
        lines.append("Notes \(state.noteCount), adverse events \(state.adverseEvents.count), warnings \(state.warnings.count)")
        return lines
    }
}
