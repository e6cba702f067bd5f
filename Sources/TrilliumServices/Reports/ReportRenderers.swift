import TrilliumCore
import TrilliumLog

/// Plain text for a terminal or a printer: aligned facts, simple tables.
/// Every recorded text is shown through `VisibleText.field`, so a note can
/// neither drive a terminal nor start a line that looks like the report's own.
public enum TextReportRenderer {
    public static func render(_ report: SessionReport) -> String {
        let visible = { (text: String) in VisibleText.field(text) }
        let title = visible(report.title)
        var out = title + "\n" + String(repeating: "=", count: title.count) + "\n"
        if let alert = report.integrityAlert { out += "\n!! " + visible(alert) + "\n" }
        for section in report.sections {
            out += "\n" + section.title + "\n" + String(repeating: "-", count: section.title.count) + "\n"
            let width = section.facts.map { $0.0.count }.max() ?? 0
            for (label, value) in section.facts {
                out += label + ":" + String(repeating: " ", count: width - label.count + 1) + visible(value) + "\n"
            }
            if let table = section.table {
                if table.rows.isEmpty {
                    out += "(none)\n"
                } else {
                    for row in table.rows {
                        out += "- " + zip(table.headers, row).filter { !$0.1.isEmpty }.map { "\($0.0): \(visible($0.1))" }.joined(separator: "; ") + "\n"
                    }
                }
            }
            for paragraph in section.paragraphs { out += "- " + visible(paragraph) + "\n" }
            if section.facts.isEmpty && section.table == nil && section.paragraphs.isEmpty { out += "(none)\n" }
        }
        return out
    }
}

/// Markdown for a chart or a review document. Cell text is escaped so that
/// recorded text cannot break the table or inject markup.
public enum MarkdownReportRenderer {
    public static func render(_ report: SessionReport) -> String {
        var out = "# " + escape(report.title) + "\n"
        if let alert = report.integrityAlert { out += "\n> **" + escape(alert) + "**\n" }
        for section in report.sections {
            out += "\n## " + escape(section.title) + "\n\n"
            for (label, value) in section.facts { out += "- **\(escape(label))**: \(escape(value))\n" }
            if let table = section.table {
                if table.rows.isEmpty {
                    out += "_None._\n"
                } else {
                    out += "| " + table.headers.map(escape).joined(separator: " | ") + " |\n"
                    out += "|" + table.headers.map { _ in " --- |" }.joined() + "\n"
                    for row in table.rows { out += "| " + row.map(escape).joined(separator: " | ") + " |\n" }
                }
            }
            for paragraph in section.paragraphs { out += "- " + escape(paragraph) + "\n" }
            if section.facts.isEmpty && section.table == nil && section.paragraphs.isEmpty { out += "_None._\n" }
        }
        return out
    }

    /// Scalar by scalar: a "|" followed by a joiner or a combining mark is
    /// one character with it, and was let through to split a table's cells.
    public static func escape(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        func escaped(_ scalar: Unicode.Scalar) {
            switch scalar {
            case "\\", "`", "*", "_", "[", "]", "<", ">", "|", "#":
                out.append("\\")
                out.append(scalar)
            default: out.append(scalar)
            }
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n", "\r": out.append(" ")
            default:
                // A mark ("<U+200D>") is escaped as any text is: its brackets are not markup either.
                if VisibleText.isUnsafe(scalar) {
                    VisibleText.field(String(scalar)).unicodeScalars.forEach(escaped)
                } else {
                    escaped(scalar)
                }
            }
        }
        return String(out)
    }
}

/// The whole session as one JSON document, for other programs.
public enum JSONReportRenderer {
    public static func render(session: LoadedSession, state: SessionState, attachments: AttachmentStore? = nil) -> String {
        let p = state.treatmentProtocol
        func stamp(_ s: EventStamp?) -> JSONValue {
            s.map { .string(RFC3339.format(wallMilliseconds: $0.wallMilliseconds)) } ?? .null
        }
        func optional(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }
        // The opening as corrected; "recorded_session" keeps it as first written when a correction changed it.
        let opening = state.currentOpening.map { EventData.encode(.opened($0)) } ?? .null
        let recordedOpening = state.currentOpening == state.opening ? nil : state.opening.map { EventData.encode(.opened($0)) }
        let screening: [JSONValue] = p.screening.map { q in
            let status = state.screening[q.id]
            return .object([
                ("question", .string(q.id.rawValue)), ("text", .string(q.text)),
                ("answer", status?.answer.map { .string($0 ? "yes" : "no") } ?? .null),
                ("override_reason", optional(status?.overrideReason)),
                ("prophylaxis_confirmed", .bool(status?.prophylaxisConfirmed ?? false)),
            ])
        }
        let anesthetic: JSONValue = state.anesthetic.map { course in
            .object([
                ("agent", optional(course.agent?.rawValue)), ("occluded", .bool(course.occluded)),
                ("declined_reason", optional(course.declinedReason)),
                ("applied_at", stamp(course.appliedAt)), ("removed_at", stamp(course.removedAt)),
                ("dwell_ms", course.removal.map { .integer($0.dwell) } ?? .null),
                ("exceeded_maximum", .bool(course.removal?.exceededMaximum ?? false)),
                ("early_removal_reason", optional(course.removal?.earlyRemovalReason)),
                // The dose as recorded (amount_mg, area_cm2, lot, expiry, applied_by, setting), as corrected.
                ("dose", course.dose.map { dose -> JSONValue in
                    guard case let .object(members) = EventData.encode(.anestheticApplied(agent: course.agent ?? "", occluded: false, dose: dose))
                    else { return .null }
                    return .object(members.filter { $0.0 != "agent" && $0.0 != "occluded" })
                } ?? .null),
                ("compounded", .bool(course.agent.flatMap(p.agent)?.isCompounded ?? false)),
            ])
        } ?? .null
        func recorded(_ seq: Int, _ event: SessionEvent, _ extra: [(String, JSONValue)] = []) -> JSONValue {
            guard case let .object(members) = EventData.encode(event) else { return .null }
            return .object([("seq", .integer(Int64(seq)))] + members + extra)
        }
        let zones: [JSONValue] = state.plannedZones.map { zone in
            let progress = state.progress(of: zone.id)
            return .object([
                ("zone", .string(zone.id.rawValue)), ("name", .string(zone.name)), ("status", .string(progress.status.rawValue)),
                ("depth_um", progress.depth.map { .integer(Int64($0.micrometres)) } ?? .null),
                ("passes", .array(progress.passes.map { .object([
                    ("seq", .integer(Int64($0.seq))), ("direction", .string($0.direction.rawValue)),
                    ("depth_um", .integer(Int64($0.depth.micrometres))), ("at", stamp($0.stamp)),
                ]) })),
                ("endpoint", optional(progress.endpoint?.rawValue)), ("skip_reason", optional(progress.skipReason)),
                ("confirmation", optional(zone.confirmation)),
                ("confirmed_seq", progress.confirmationSeq.map { .integer(Int64($0)) } ?? .null),
            ])
        }
        func checklist(_ items: [ChecklistItem], _ done: Set<ChecklistItemID>) -> JSONValue {
            .array(items.map { .object([("item", .string($0.id.rawValue)), ("text", .string($0.text)), ("confirmed", .bool(done.contains($0.id)))]) })
        }
        // First, so that a program reading the document meets it before any of the record.
        let alert: JSONValue = session.integrityAlert.map { .string($0) } ?? .null
        let document: JSONValue = .object([
            ("integrity_alert", alert),
            ("session", opening),
            ("recorded_session", recordedOpening ?? .null),
            ("status", .string(state.phase.rawValue)),
            ("consultation", state.consultation.map { recorded($0.seq, .consultationRecorded($0.consultation)) } ?? .null),
            ("screening", .array(screening)),
            ("preparation", checklist(p.preparation, state.preparationConfirmed)),
            ("anesthetic", anesthetic),
            ("antisepsis", checklist(p.antisepsis, state.antisepsisConfirmed)),
            ("zones", .array(zones)),
            ("products", .array(state.products.map { entry in
                recorded(entry.seq, .productApplied(entry.application),
                         [("approved", .bool(p.product(entry.application.product)?.isApproved ?? false))])
            })),
            ("attachments", .array(state.attachments.map { entry in
                recorded(entry.seq, .attachmentAdded(entry.attachment),
                         [("file_now", attachments.map { .string($0.status(of: entry.attachment.digest).text) } ?? .null)])
            })),
            ("aftercare", checklist(p.aftercare, state.aftercareConfirmed)),
            ("notes", .array(state.notes.map { .object([
                ("seq", .integer(Int64($0.seq))), ("at", stamp($0.stamp)), ("by", .string($0.by)),
                ("text", .string($0.text)), ("addendum_reason", optional($0.addendumReason)),
            ]) })),
            ("adverse_events", .array(state.adverseEvents.map { entry in
                var data = EventData.encode(.adverseEventReported(entry.event))
                if case var .object(members) = data {
                    members.insert(("seq", .integer(Int64(entry.seq))), at: 0)
                    data = .object(members)
                }
                return data
            })),
            ("corrections", .array(state.corrections.map { entry in
                var data = EventData.encode(.recordCorrected(entry.correction))
                if case var .object(members) = data {
                    members.insert(("by", .string(entry.by)), at: 0)
                    members.insert(("record", .integer(Int64(entry.seq))), at: 0)
                    data = .object(members)
                }
                return data
            })),
            ("warnings", .array(state.warnings.map { .string(SessionReport.warningText($0, state)) })),
            ("signature", state.signature.map { .object([
                ("by", .string($0.by)), ("at", stamp($0.stamp)), ("attestation", .string($0.attestation)),
            ]) } ?? .null),
            ("abort_reason", optional(state.abortReason)),
            ("log", .object([
                // A file name that is not UTF-8 cannot be JSON text: shown as "\xFF", like everywhere.
                ("file", .string(VisibleText.field(session.verification.path))),
                ("status", .string(session.integritySummary)),
                ("records", .integer(Int64(session.verification.validRecords))),
                ("head_digest", .string(session.verification.headDigest)),
            ])),
        ])
        return JSONWriter.string(document, escaping: .terminalSafe) + "\n"
    }
}
