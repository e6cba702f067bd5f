import TrilliumCore
import TrilliumServices

/// The screen of an open session, chosen by its phase (so a resumed session
/// opens exactly where it was).
enum SessionView {
    static func draw(_ buffer: inout Buffer, in area: Rect, state: SessionState, model: AppModel) {
        let p = state.treatmentProtocol
        switch model.context {
        case .consultation: ConsultationView.draw(&buffer, in: area, state: state, model: model)
        case .screening: ScreeningView.draw(&buffer, in: area, state: state, model: model)
        case .preparation:
            ChecklistView.draw(&buffer, in: area, title: "Preparation", hint: "Space confirms each item as it is done.",
                               items: p.preparation, done: state.preparationConfirmed, model: model)
        case .anesthetic: AnestheticView.drawChoice(&buffer, in: area, state: state, model: model)
        case .dwell: AnestheticView.drawDwell(&buffer, in: area, state: state, model: model)
        case .antisepsis:
            var lines: [String] = []
            if let course = state.anesthetic {
                if let removal = course.removal {
                    lines.append("Anesthetic removed completely after \(Durations.text(removal.dwell))"
                                 + (removal.earlyRemovalReason.map { ", before its minimum dwell: \($0)." } ?? "")
                                 + (removal.exceededMaximum ? " (past its maximum: recorded as a warning)." : removal.earlyRemovalReason == nil ? "." : ""))
                } else if let reason = course.declinedReason {
                    lines.append("No topical anesthetic: \(reason)")
                }
            }
            ChecklistView.draw(&buffer, in: area, title: "Antisepsis", hint: "Space confirms. Enter starts the treatment.",
                               items: p.antisepsis, done: state.antisepsisConfirmed, model: model, extra: lines)
        case .treatment: TreatmentView.draw(&buffer, in: area, state: state, model: model)
        case .aftercare:
            var lines: [String] = []
            if let openedAt = state.openedAt {
                // This session counts as one more treatment of the series (training sessions do not).
                let day = CivilDate.daysSinceEpoch(wallMilliseconds: openedAt.wallMilliseconds)
                let treatments = model.patientSeries.treatments + (state.opening?.isTraining == true ? 0 : 1)
                lines.append(SeriesSchedule(treatments: treatments, lastTreatedDay: day, followUp: p.followUp).summary)
            }
            ChecklistView.draw(&buffer, in: area, title: "Aftercare", hint: "Go through each item with the patient.",
                               items: p.aftercare, done: state.aftercareConfirmed, model: model, extra: lines)
        case .sealed: SealedView.draw(&buffer, in: area, state: state, model: model)
        default: break
        }
    }

    /// A highlighted list row.
    static func row(_ buffer: inout Buffer, _ text: String, x: Int, y: Int, width: Int, selected: Bool, style: Style, model: AppModel) {
        if selected { buffer.fill(Rect(x: x, y: y, width: width, height: 1), style: Style(.selection)) }
        buffer.write(TerminalWidth.truncate((selected ? model.glyphs.pointer : " ") + " " + text, to: width, ellipsis: model.glyphs.ellipsis),
                     x: x, y: y, style: selected ? Style(.selection, [.bold]) : style)
    }
}

enum ConsultationView {
    static func draw(_ buffer: inout Buffer, in area: Rect, state: SessionState, model: AppModel) {
        guard let rules = state.treatmentProtocol.consultation else { return }
        let form = model.consultationForm
        let minimum = rules.minimumAge(with: state.device)
        buffer.write("Consultation", x: area.x + 2, y: area.y, style: Style(.title, [.bold]))
        buffer.write("Goals, concerns, suitability: before screening.", x: area.x + 16, y: area.y, style: Style(.muted), limit: area.width - 18)
        let rows = ConsultationForm.rows(rules, asksEarlyReturn: model.earlyReturnDays != nil)
        let selected = min(form.row, rows.count - 1)
        let labelWidth = 24
        let valueX = area.x + labelWidth + 3
        let valueWidth = area.width - labelWidth - 5
        var y = area.y + 2
        for (index, row) in rows.enumerated() where y < area.maxY - 1 {
            let isSelected = index == selected
            let label: String, value: String
            var role: Role = .text
            switch row {
            case .skinType:
                label = "Fitzpatrick skin type"
                value = FitzpatrickType.allCases.map { type in type == form.skinType ? "[\(type.rawValue)]" : " \(type.rawValue) " }.joined(separator: " ")
                role = form.skinType == nil ? .warn : .text
            case let .concern(id):
                label = id == rules.concerns.first?.id ? "Concerns" : ""
                value = (form.concerns.contains(id) ? "[x] " : "[ ] ") + (rules.concern(id)?.name ?? id.rawValue)
            case .goals:
                label = "Goals, in their words"
                value = ""
            case .age:
                label = "Age"
                value = (form.ageConfirmed ? "[x]" : "[ ]") + " confirmed \(minimum) or over" + (state.device.minimumAge.map { " (\(state.device.model): \($0)+)" } ?? "")
                role = form.ageConfirmed ? .ok : .warn
            case .earlyReturn:
                label = "Early return reason"
                value = ""
                role = .warn
            }
            let labelStyle = isSelected ? Style(.selection, [.bold]) : Style(.text)
            buffer.write((isSelected ? model.glyphs.pointer : " ") + " " + label.padding(toWidth: labelWidth), x: area.x + 1, y: y, style: labelStyle)
            switch row {
            case .goals, .earlyReturn:
                let field = row == .goals ? form.goals : form.earlyReturnReason
                if isSelected {
                    OverlayView.drawField(&buffer, field, x: valueX, y: y, width: valueWidth, style: Style(.text, [.underline]), ellipsis: model.glyphs.ellipsis)
                } else {
                    buffer.write(TerminalWidth.truncate(field.text.isEmpty ? "-- to write" : field.text, to: valueWidth, ellipsis: model.glyphs.ellipsis),
                                 x: valueX, y: y, style: Style(field.text.isEmpty ? .muted : .text))
                }
            default:
                buffer.write(TerminalWidth.truncate(value, to: valueWidth, ellipsis: model.glyphs.ellipsis), x: valueX, y: y, style: Style(role))
            }
            y += 1
        }
        let footer: String
        if let days = model.earlyReturnDays, let last = model.patientSeries.lastTreatedDay {
            footer = "Last treated \(CivilDate.text(days: last)) (\(days) days ago, under \(state.treatmentProtocol.followUp.minimumWeeks) weeks): give the reason above."
        } else if let last = model.patientSeries.lastTreatedDay {
            footer = "Last treated \(CivilDate.text(days: last)); \(model.patientSeries.treatments) earlier treatment(s) on record."
        } else {
            footer = "No earlier treatment on record here. Enter records the consultation."
        }
        buffer.write(TerminalWidth.truncate(footer, to: area.width - 4, ellipsis: model.glyphs.ellipsis), x: area.x + 2, y: area.maxY - 1,
                     style: Style(model.earlyReturnDays != nil ? .warn : .muted))
    }
}

enum ScreeningView {
    static func draw(_ buffer: inout Buffer, in area: Rect, state: SessionState, model: AppModel) {
        let p = state.treatmentProtocol
        buffer.write("Contraindication screening", x: area.x + 2, y: area.y, style: Style(.title, [.bold]))
        // The highlighted question's rule, short enough for the 48 columns beside the title at 80×24;
        // shortened with an ellipsis below that. An absolute one is never said to be overridable.
        let rule: String
        switch model.cursor < p.screening.count ? p.screening[model.cursor].rule : .relative {
        case .absolute: rule = "Absolute: a yes means no treatment today."
        case .requiresProphylaxis: rule = "A yes needs its prophylaxis confirmed (p)."
        case .relative: rule = state.isAttributed ? "A yes blocks: a director may override it." : "A yes blocks until overridden with a reason."
        }
        buffer.write(TerminalWidth.truncate(rule, to: area.width - 32, ellipsis: model.glyphs.ellipsis), x: area.x + 30, y: area.y,
                     style: Style(.muted))
        // Questions on the left, answers in a column of their own on the right.
        let columns = Layout.horizontal([.fill, .length(24), .length(4)]).split(area)
        let answerWidth = columns[1].width
        let questionWidth = columns[0].width
        let visible = area.height - 5
        let first = max(0, min(model.cursor - visible + 1, p.screening.count - visible))
        for (row, question) in p.screening.dropFirst(first).prefix(visible).enumerated() {
            let index = first + row
            let y = area.y + 2 + row
            let selected = index == model.cursor
            SessionView.row(&buffer, TerminalWidth.truncate(question.text, to: questionWidth - 3, ellipsis: model.glyphs.ellipsis),
                            x: area.x + 1, y: y, width: questionWidth, selected: selected, style: Style(.text), model: model)
            let (answer, role, emphasis) = answerText(question, state.screening[question.id])
            buffer.write(answer, x: area.x + questionWidth + 2, y: y, style: Style(role, emphasis), limit: answerWidth)
        }
        if model.cursor < p.screening.count {
            // The highlighted question in full, in case the list had to cut it.
            let lines = TerminalWidth.wrap(p.screening[model.cursor].text, width: area.width - 4)
            for (index, line) in lines.prefix(2).enumerated() {
                buffer.write(line, x: area.x + 2, y: area.maxY - 3 + index, style: Style(.accent))
            }
        }
        let blocking = state.blockingQuestions.count
        let absolute = state.blockingQuestions.contains { $0.rule == .absolute }
        let summary = absolute ? "Absolute: no treatment today. A aborts; n corrects a wrong answer."
            : blocking > 0 ? "\(blocking) blocking answer\(blocking == 1 ? "" : "s"): override with a reason (o) or abort (A)."
            : "\(state.unansweredQuestions.count) unanswered."
        buffer.write(TerminalWidth.truncate(summary, to: area.width - 4, ellipsis: model.glyphs.ellipsis), x: area.x + 2, y: area.maxY - 1,
                     style: Style(blocking > 0 ? .danger : .muted))
    }

    static func answerText(_ question: ScreeningQuestion, _ status: ScreeningStatus?) -> (String, Role, Emphasis) {
        guard let answer = status?.answer else { return ("-- not answered", .muted, []) }
        guard answer else { return ("no", .ok, []) }
        switch question.rule {
        case .absolute:
            return ("YES: NO TREATMENT", .danger, [.reverse])
        case .relative:
            return status?.overrideReason != nil ? ("YES, overridden", .warn, []) : ("YES: BLOCKS", .danger, [.reverse])
        case .requiresProphylaxis:
            return status?.prophylaxisConfirmed == true ? ("YES, prophylaxis ok", .ok, []) : ("YES: needs prophylaxis", .warn, [.reverse])
        }
    }
}

enum ChecklistView {
    static func draw(_ buffer: inout Buffer, in area: Rect, title: String, hint: String, items: [ChecklistItem], done: Set<ChecklistItemID>,
                     model: AppModel, extra: [String] = []) {
        buffer.write(title, x: area.x + 2, y: area.y, style: Style(.title, [.bold]))
        buffer.write(hint, x: area.x + 4 + TerminalWidth.of(title), y: area.y, style: Style(.muted), limit: area.width - 6 - TerminalWidth.of(title))
        var y = area.y + 2
        // Lines of their own (the next appointment) wrap rather than lose their end.
        for line in extra.flatMap({ TerminalWidth.wrap($0, width: area.width - 4) }) {
            buffer.write(line, x: area.x + 2, y: y, style: Style(.accent), limit: area.width - 4)
            y += 1
        }
        if !extra.isEmpty { y += 1 }
        for (index, item) in items.enumerated() where y < area.maxY - 1 {
            let confirmed = done.contains(item.id)
            let mark = confirmed ? "[x]" : "[ ]"
            SessionView.row(&buffer, "\(mark) \(item.text)", x: area.x + 1, y: y, width: area.width - 2,
                            selected: index == model.cursor, style: Style(confirmed ? .ok : .text), model: model)
            y += 1
        }
        let left = items.filter { !done.contains($0.id) }.count
        buffer.write(left == 0 ? "All confirmed: Enter to go on." : "\(left) of \(items.count) still to confirm.",
                     x: area.x + 2, y: area.maxY - 1, style: Style(left == 0 ? .ok : .muted))
    }
}

enum AnestheticView {
    static func drawChoice(_ buffer: inout Buffer, in area: Rect, state: SessionState, model: AppModel) {
        let p = state.treatmentProtocol
        buffer.write("Topical anesthetic", x: area.x + 2, y: area.y, style: Style(.title, [.bold]))
        buffer.write("Enter records it applied now.", x: area.x + 22, y: area.y, style: Style(.muted), limit: area.width - 24)
        var y = area.y + 2
        let nameWidth = min(40, area.width - 40)
        for (index, agent) in p.anesthesia.agents.enumerated() {
            let name = TerminalWidth.truncate(agent.name, to: nameWidth - 1, ellipsis: model.glyphs.ellipsis)
            // Ruled out by the screening: shown, so the operator sees why, and refused.
            let excluded = agent.excludedBy.contains { state.screening[$0]?.answer == true }
            let mark = excluded ? "  RULED OUT" : agent.isCompounded ? "  compounded" : ""
            let dwell = "\(Durations.minutes(agent.minimumDwell))-\(Durations.minutes(agent.maximumDwell)) min"
            let text = "\(name.padding(toWidth: nameWidth))\(dwell.padding(toWidth: 12))occl. \(agent.occlusion.rawValue)\(mark)"
            SessionView.row(&buffer, text, x: area.x + 1, y: y, width: area.width - 2, selected: index == model.cursor,
                            style: Style(excluded ? .muted : agent.isCompounded ? .warn : .text), model: model)
            y += 1
        }
        if p.anesthesia.allowsNone {
            SessionView.row(&buffer, "No topical anesthetic (a reason is recorded)", x: area.x + 1, y: y, width: area.width - 2,
                            selected: model.cursor == p.anesthesia.agents.count, style: Style(.muted), model: model)
            y += 1
        }
        y += 1
        if model.cursor < p.anesthesia.agents.count {
            let agent = p.anesthesia.agents[model.cursor]
            let occlusion: String = switch agent.occlusion {
            case .optional: model.occlusion ? "[x] under occlusion (Space to change)" : "[ ] no occlusion (Space to change)"
            case .required: "[x] under occlusion: required for this agent"
            case .never: "[ ] never occluded with this agent"
            }
            buffer.write("Occlusion: " + occlusion, x: area.x + 3, y: y, style: Style(.accent), limit: area.width - 4)
            buffer.write("Minimum dwell \(Durations.text(agent.minimumDwell)); warning past \(Durations.text(agent.maximumDwell)).",
                         x: area.x + 3, y: y + 1, style: Style(.muted), limit: area.width - 4)
            var limits: [String] = []
            if let amount = agent.maximumAmount { limits.append("at most \(Grams.text(amount))") }
            if let area = agent.maximumArea { limits.append("on \(area) cm²") }
            if !limits.isEmpty {
                buffer.write("Dose: " + limits.joined(separator: " ") + "; asked next, with lot and expiry.",
                             x: area.x + 3, y: y + 2, style: Style(.muted), limit: area.width - 4)
            }
            if let question = agent.excludedBy.first(where: { state.screening[$0]?.answer == true }) {
                // The whole question is on the screening screen; here it may end in an ellipsis, never silently.
                let ruledOut = "Ruled out by the answer yes: " + (p.question(question)?.text ?? question.rawValue)
                buffer.write(TerminalWidth.truncate(ruledOut, to: area.width - 4, ellipsis: model.glyphs.ellipsis),
                             x: area.x + 3, y: y + 3, style: Style(.danger, [.bold]))
            } else if agent.isCompounded {
                buffer.write("Compounded: no FDA label, no standard dosing; recorded as a warning.",
                             x: area.x + 3, y: y + 3, style: Style(.warn), limit: area.width - 4)
            }
        }
    }

    /// The stage in words on a banner, and the time in big digits below it:
    /// read from across the room, on the dwell screen and under the idle lock.
    static func drawTimer(_ buffer: inout Buffer, _ stage: DwellStage, in area: Rect, y bannerY: Int, model: AppModel) {
        let (headline, digits, role): (String, String, Role) = switch stage {
        case let .waiting(remaining): ("WAITING: minimum dwell in", Durations.clock(remaining), .timerWaiting)
        case let .ready(since): ("READY: minimum dwell reached, since", "+" + Durations.clock(since), .timerReady)
        case let .overMaximum(by): ("OVER MAXIMUM DWELL: remove now, over by", "+" + Durations.clock(by), .timerOver)
        }
        let emphasis: Emphasis = stage.name == "waiting" ? [.bold] : [.bold, .reverse]
        buffer.fill(Rect(x: area.x + 2, y: bannerY, width: area.width - 4, height: 1), style: Style(role, emphasis))
        buffer.write(" " + headline, x: area.x + 2, y: bannerY, style: Style(role, emphasis), limit: area.width - 4)
        let x = area.x + max(0, (area.width - BigDigits.width(digits)) / 2)
        for (index, line) in BigDigits.rows(digits, unicode: model.glyphs.isUnicode).enumerated() {
            buffer.write(line, x: x, y: bannerY + 2 + index, style: Style(role, [.bold]))
        }
    }

    static func drawDwell(_ buffer: inout Buffer, in area: Rect, state: SessionState, model: AppModel) {
        guard let course = state.anesthetic, let agentID = course.agent, let agent = state.treatmentProtocol.agent(agentID),
              let appliedAt = course.appliedAt, let stage = model.dwellStageNow else { return }
        buffer.write("Anesthetic dwell", x: area.x + 2, y: area.y, style: Style(.title, [.bold]))
        let applied = Times.clock(appliedAt, withZone: true)
        let dose = course.dose.map { ", \(Grams.text($0.amount))\($0.setting == .home ? ", at home" : "")" } ?? ""
        buffer.write("\(agent.name), applied \(applied)\(course.occluded ? ", under occlusion" : "")\(dose)",
                     x: area.x + 20, y: area.y, style: Style(.text), limit: area.width - 22)
        let bannerY = area.y + 2
        drawTimer(&buffer, stage, in: area, y: bannerY, model: model)
        let elapsed = max(0, model.now.elapsed(since: appliedAt)) + course.dwellBeforeRecord
        let facts = "elapsed \(Durations.clock(elapsed))  minimum \(Durations.clock(agent.minimumDwell))  maximum \(Durations.clock(agent.maximumDwell))"
        buffer.write(facts, x: area.x + max(0, (area.width - facts.count) / 2), y: bannerY + 8, style: Style(.muted))
        let instruction = stage.name == "waiting"
            ? "r: remove now (before the minimum a reason is asked for)"
            : "r: anesthetic removed completely"
        buffer.write(instruction, x: area.x + max(0, (area.width - instruction.count) / 2), y: bannerY + 10, style: Style(.text))
    }
}


enum SealedView {
    static func draw(_ buffer: inout Buffer, in area: Rect, state: SessionState, model: AppModel) {
        let signed = state.phase == .signed
        let banner = signed ? "SESSION SIGNED AND SEALED" : "SESSION ABORTED"
        buffer.fill(Rect(x: area.x + 2, y: area.y, width: area.width - 4, height: 1), style: Style(signed ? .bannerInfo : .bannerWarning))
        buffer.write(" " + banner, x: area.x + 2, y: area.y, style: Style(signed ? .bannerInfo : .bannerWarning, [.bold]))
        var y = area.y + 2
        var lines: [String] = []
        if let signature = state.signature {
            let signer = signature.electronic.map { "\($0.signerName) (\($0.signer)), electronically" } ?? signature.by
            lines.append("Signed by \(signer) at \(Times.dateTime(signature.stamp)).")
        } else if let reason = state.abortReason {
            lines.append("Reason: \(reason)")
        }
        lines += SignOffSummary.lines(state)
        // The summary above; the log, its head digest and the addenda hint in four rows at the foot.
        let parts = Layout.vertical([.fill, .length(4)]).split(Rect(x: area.x + 2, y: area.y, width: area.width - 4, height: area.height))
        let foot = parts[1]
        for line in lines where y < parts[0].maxY - 1 {
            buffer.write(TerminalWidth.truncate(line, to: foot.width, ellipsis: model.glyphs.ellipsis), x: foot.x, y: y, style: Style(.text))
            y += 1
        }
        if let session = model.session {
            // The digest is for staff to note on the chart: whole, on a line of its own.
            buffer.write(TerminalWidth.truncateLeading("Log: " + session.path, to: foot.width, ellipsis: model.glyphs.ellipsis),
                         x: foot.x, y: foot.y, style: Style(.muted))
            buffer.write("Head digest (note it on the chart):", x: foot.x, y: foot.y + 1, style: Style(.muted), limit: foot.width)
            buffer.write(session.headDigest, x: foot.x, y: foot.y + 2, style: Style(.text, [.bold]), limit: foot.width)
        }
        buffer.write(TerminalWidth.truncate("Addenda only: N note · ! adverse event · C correction · Enter: start screen",
                                            to: foot.width, ellipsis: model.glyphs.ellipsis),
                     x: foot.x, y: foot.y + 3, style: Style(.accent))
    }
}
