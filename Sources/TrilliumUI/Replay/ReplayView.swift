import TrilliumCore
import TrilliumServices

/// view(model) → buffer for replay. Row 0 is the REPLAY banner, row 1 the
/// integrity panel. From 116x34 the session's screen and the record in full
/// sit side by side over the timeline; at 80x24 the timeline with the record
/// below it, or the screen in their place (Tab).
public enum ReplayView {
    public static func render(_ model: ReplayModel) -> Buffer {
        var buffer = Buffer(size: model.size)
        if model.isTooSmall {
            drawTooSmall(&buffer, model)
            return buffer
        }
        let width = model.size.width
        let height = model.size.height
        drawBanner(&buffer, model)
        // Banner and integrity on top, message and footer at the foot; the panes share the rest.
        let body = Layout.vertical([.length(2), .fill, .length(2)]).split(Rect(x: 0, y: 0, width: width, height: height))[1]
        if model.isWide {
            // The screen where the operator saw it, the record in full beside it, the timeline across the foot.
            let screen = ReplayModel.screenSize
            drawIntegrity(&buffer, model, y: 1)
            let rows = Layout.vertical([.length(screen.height - 2), .fill]).split(body)
            let top = Layout.horizontal([.length(screen.width), .fill]).split(rows[0])
            // The screen's status bar, phases and content; its message line and footer belong to the live app.
            buffer.paste(model.screenBuffer, rows: 0..<(screen.height - 2), x: top[0].x, y: top[0].y)
            drawDetail(&buffer, model, in: top[1])
            drawTimeline(&buffer, model, in: rows[1])
        } else if model.pane == .timeline {
            drawIntegrity(&buffer, model, y: 1)
            let rows = Layout.vertical([.fill, .length(max(7, (height - 4) / 3))]).split(body)
            drawTimeline(&buffer, model, in: rows[0])
            drawDetail(&buffer, model, in: rows[1])
        } else {
            // 80x24 holds the screen only without its phase strip: the banner names the phase instead.
            let screen = model.screenBuffer
            buffer.paste(screen, rows: 0..<1, x: 0, y: 1)
            buffer.paste(screen, rows: 2..<(ReplayModel.screenSize.height - 2), x: 0, y: 2)
        }
        drawMessage(&buffer, model)
        drawFooter(&buffer, model)
        if let scroll = model.helpScroll {
            OverlayView.drawHelp(&buffer, scroll: scroll, size: model.size, glyphs: model.glyphs, current: .replay,
                                 contexts: KeyContext.replayViewer, inSession: false)
        }
        if let scroll = model.recordScroll { drawRecordOverlay(&buffer, model, scroll: scroll) }
        return buffer
    }

    static func drawTooSmall(_ buffer: inout Buffer, _ model: ReplayModel) {
        AppView.drawTooSmall(&buffer, size: model.size, glyphs: model.glyphs, lines: [
            "Replay needs \(AppModel.minimumSize.width)x\(AppModel.minimumSize.height); this one is \(model.size.width)x\(model.size.height).",
            "q quits.",
        ])
    }

    /// "REPLAY" first and unmissable, then whose session, where in it, and the player.
    static func drawBanner(_ buffer: inout Buffer, _ model: ReplayModel) {
        let width = model.size.width
        buffer.fill(Rect(x: 0, y: 0, width: width, height: 1), style: Style(.statusBar))
        let separator = model.glyphs.separator
        var x = buffer.write(" REPLAY\(separator)READ-ONLY ", x: 0, y: 0, style: Style(.bannerWarning, [.bold, .reverse]))
        // The record number and the time first: they move while playing and must stay whole.
        // The date is in the record panel; the banner keeps the time.
        var parts = ["#\(model.record.seq)/\(model.count)", Times.clock(model.now, withZone: true)]
        if let opening = model.state.currentOpening ?? model.state.opening {
            parts += [opening.patientReference, model.state.phase.title]
        }
        let player: String
        if model.isPlaying {
            let next = model.replay.gap(after: model.position).map { gap -> String in
                guard model.speed != .fastest else { return "" }
                let remaining = (gap - model.sincePosition) / Int64(model.speed.rawValue)
                return " next in " + Durations.clock(remaining + 999)
            } ?? ""
            player = (model.glyphs.isUnicode ? "▶ " : "> ") + "PLAYING \(model.speed.label)" + next
        } else {
            player = "paused \(model.speed.label)"
        }
        let right = player + " "
        let rightWidth = TerminalWidth.of(right)
        // The record number and time come first in what is shortened last: the patient and phase give way.
        x += buffer.write(TerminalWidth.truncate(" " + parts.joined(separator: separator), to: max(0, width - x - rightWidth - 1),
                                                 ellipsis: model.glyphs.ellipsis),
                          x: x, y: 0, style: Style(.statusBar, [.bold]))
        buffer.write(right, x: width - rightWidth, y: 0, style: Style(model.isPlaying ? .bannerInfo : .statusBar, [.bold]))
    }

    static func drawIntegrity(_ buffer: inout Buffer, _ model: ReplayModel, y: Int) {
        let integrity = model.integrity
        let role = integrity.kind.bannerRole
        let mark = integrity.kind == .info ? model.glyphs.check + " " : integrity.kind.mark
        buffer.fill(Rect(x: 0, y: y, width: model.size.width, height: 1), style: Style(role))
        let x = buffer.write(" \(mark)\(integrity.headline)", x: 0, y: y, style: Style(role, [.bold]))
        // A cut head digest or defect ends in an ellipsis, so the cut shows.
        buffer.write(TerminalWidth.truncate(": " + integrity.detail, to: model.size.width - x, ellipsis: model.glyphs.ellipsis),
                     x: x, y: y, style: Style(role))
    }

    static func drawTimeline(_ buffer: inout Buffer, _ model: ReplayModel, in area: Rect) {
        let replay = model.replay
        let p = replay.treatmentProtocol
        let digits = max(3, String(model.count).count)
        let showsType = area.width >= 76
        let typeWidth = 24
        // The header is laid out from the rows' own widths: the pointer, the seq and its mark,
        // the time, the elapsed time (hours past ten take eight columns), who, the type.
        let elapsedWidth = 8
        var header = " " + "#".leftPadded(to: digits + 1) + " " + "time".padding(toWidth: 8) + " " + "elapsed".leftPadded(to: elapsedWidth)
            + " " + "by".padding(toWidth: AuthorLabels.width) + " "
        if showsType { header += "type".padding(toWidth: typeWidth + 1) }
        buffer.write(header + "what", x: area.x, y: area.y, style: Style(.muted, [.bold]), limit: area.width)
        let visible = area.height - 1
        let first = max(0, min(model.position - visible / 2, model.count - visible))
        for row in 0..<min(visible, model.count - first) {
            let index = first + row
            let record = replay.records[index]
            let selected = index == model.position
            let corrections = replay.corrections(of: record.seq)
            var text = String(record.seq).leftPadded(to: digits) + (corrections.isEmpty ? " " : "*")
            text += " " + Times.clock(record.stamp)
            text += " " + Durations.clock(replay.elapsed(at: index)).leftPadded(to: elapsedWidth)
            let author = model.authorLabels[record.by] ?? AuthorLabels.initials(record.by)
            text += " " + author + String(repeating: " ", count: max(0, AuthorLabels.width - TerminalWidth.of(author))) + " "
            if showsType {
                text += TerminalWidth.truncate(record.event.kind.rawValue, to: typeWidth, ellipsis: model.glyphs.ellipsis)
                    .padding(toWidth: typeWidth + 1)
            }
            // Beside the record, before its summary so that 80 columns still show it: which records correct it.
            if !corrections.isEmpty { text += "[corrected " + corrections.map { "#\($0.seq)" }.joined(separator: ",") + "] " }
            text += RecordText.summary(record, p, arrow: model.glyphs.arrow)
            let y = area.y + 1 + row
            if selected { buffer.fill(Rect(x: area.x, y: y, width: area.width, height: 1), style: Style(.selection)) }
            // Shortened with an ellipsis: Enter shows the record in full.
            buffer.write(TerminalWidth.truncate((selected ? model.glyphs.pointer : " ") + text, to: area.width, ellipsis: model.glyphs.ellipsis),
                         x: area.x, y: y, style: selected ? Style(.selection, [.bold]) : Style(role(of: record)))
        }
    }

    static func drawDetail(_ buffer: inout Buffer, _ model: ReplayModel, in area: Rect) {
        guard area.height >= 3 else { return }
        let record = model.record
        buffer.box(area, style: Style(.muted), glyphs: model.glyphs, title: "Record #\(record.seq) \(record.event.kind.rawValue)")
        let lines = RecordDetail.lines(model, width: area.width - 4)
        let visible = area.height - 2
        for (row, line) in lines.prefix(visible).enumerated() {
            buffer.write(line.0, x: area.x + 2, y: area.y + 1 + row, style: line.1, limit: area.width - 4)
        }
        if lines.count > visible {
            let more = " \(lines.count - visible) more: Enter "
            buffer.write(more, x: area.maxX - 2 - TerminalWidth.of(more), y: area.maxY - 1, style: Style(.accent))
        }
    }

    /// Enter: the record in full, however long, over the whole screen.
    static func drawRecordOverlay(_ buffer: inout Buffer, _ model: ReplayModel, scroll: Int) {
        OverlayView.drawScrolled(&buffer, title: "Record #\(model.record.seq) \(model.record.event.kind.rawValue) (Esc closes, arrows scroll)",
                                 scroll: scroll, size: model.size, glyphs: model.glyphs) { width in
            RecordDetail.lines(model, width: width)
        }
    }

    /// Row h-2: what is being typed, else the last notice, else where the log is.
    static func drawMessage(_ buffer: inout Buffer, _ model: ReplayModel) {
        let y = model.size.height - 2
        let width = model.size.width
        if let entry = model.entry {
            let label = if case .find = entry { " Find (type, zone or text): " } else { " Go to record #: " }
            buffer.fill(Rect(x: 0, y: y, width: width, height: 1), style: Style(.bannerInfo))
            let x = buffer.write(label, x: 0, y: y, style: Style(.bannerInfo, [.bold]))
            OverlayView.drawField(&buffer, entry.field, x: x, y: y, width: width - x - 1, style: Style(.bannerInfo), ellipsis: model.glyphs.ellipsis)
            return
        }
        if let notice = model.notice {
            MessageLine.draw(&buffer, notice, y: y, width: width, glyphs: model.glyphs)
            return
        }
        buffer.write(TerminalWidth.truncate(" Read-only replay of \(model.path)", to: width, ellipsis: model.glyphs.ellipsis),
                     x: 0, y: y, style: Style(.muted))
    }

    static func drawFooter(_ buffer: inout Buffer, _ model: ReplayModel) {
        let own = KeyMap.bindings(for: model.context).filter { $0.footer != nil }
        var bindings = own.filter { $0.action == .showHelp } + own.filter { $0.action != .showHelp && $0.action != .quit }
        if model.isWide { bindings.removeAll { $0.action == .switchPane } }
        bindings += own.filter { $0.action == .quit }
        if model.isPlaying, let index = bindings.firstIndex(where: { $0.action == .playPause }) {
            bindings[index].footer = "pause"
        }
        if model.pane == .screen, let index = bindings.firstIndex(where: { $0.action == .switchPane }) {
            bindings[index].footer = "list"
        }
        // Typing here finds or moves; nothing is saved, so Enter must not say "save".
        if let entry = model.entry, let index = bindings.firstIndex(where: { $0.action == .confirm }) {
            if case .find = entry { bindings[index].footer = "find" } else { bindings[index].footer = "go" }
        }
        Footer.draw(&buffer, bindings, y: model.size.height - 1, width: model.size.width, glyphs: model.glyphs)
    }

    static func role(of record: SessionRecord) -> Role {
        switch record.event {
        case .adverseEventReported, .aborted: .danger
        case .screeningOverridden, .recordCorrected, .logRepaired: .warn
        case let .screeningAnswered(_, answer) where answer: .warn
        case let .anestheticRemoved(removal) where removal.exceededMaximum || removal.earlyRemovalReason != nil: .warn
        case .signed: .ok
        default: .text
        }
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        let columns = TerminalWidth.of(self)
        return columns >= width ? self : String(repeating: " ", count: width - columns) + self
    }
}
