import TrilliumCore

enum TreatmentView {
    static func draw(_ buffer: inout Buffer, in area: Rect, state: SessionState, model: AppModel) {
        let p = state.treatmentProtocol
        let zones = state.plannedZones
        // The zone list beside the face map above; below, the selected zone's
        // frame: depth, gauge, passes and a status line, inside it, never on its border.
        let detailHeight = 5
        let rows = Layout.vertical([.fill, .length(detailHeight + 1)]).split(area)
        let columns = Layout.horizontal([.fill, .length(FaceMap.width + 3)]).split(rows[0])
        let listWidth = columns[0].width
        let listHeight = rows[0].height

        buffer.write("Zones", x: area.x + 2, y: area.y, style: Style(.title, [.bold]))
        buffer.write("depth   passes  state", x: area.x + listWidth - 23, y: area.y, style: Style(.muted))
        let visible = listHeight - 1
        let first = max(0, min(model.zoneCursor - visible + 1, zones.count - visible))
        for (row, zone) in zones.dropFirst(first).prefix(visible).enumerated() {
            let index = first + row
            let progress = state.progress(of: zone.id)
            let status = progress.status
            let depth = progress.depth?.millimetreText ?? "  -  "
            let passes = "\(progress.passes.count)/\(p.targetPasses)"
            let name = TerminalWidth.truncate(zone.name, to: listWidth - 30, ellipsis: model.glyphs.ellipsis)
            let text = FaceMap.glyph(status, unicode: model.glyphs.isUnicode) + " " + name.padding(toWidth: listWidth - 30)
                + depth.padding(toWidth: 8) + passes.padding(toWidth: 7) + status.rawValue
            SessionView.row(&buffer, text, x: area.x + 1, y: area.y + 1 + row, width: listWidth - 1,
                            selected: index == model.zoneCursor, style: Style(FaceMap.role(status)), model: model)
        }

        FaceMap.draw(into: &buffer, at: columns[1].x + 2, y: columns[1].y, state: state, selected: model.selectedZone?.id,
                     unicode: model.glyphs.isUnicode)

        guard let zone = model.selectedZone else { return }
        let top = rows[1].y + 1
        buffer.box(rows[1], style: Style(.muted),
                   glyphs: model.glyphs, title: zone.name)
        let progress = state.progress(of: zone.id)
        let shown = model.shownDepth(for: zone)
        let isSet = progress.depth == shown
        var depthLine = "Depth \(shown) " + (isSet ? "(set)" : "(not set: press d)")
        if let previous = model.previousDepths[zone.id] { depthLine += "   last session \(previous.date): \(previous.depth)" }
        buffer.write(depthLine, x: area.x + 2, y: top, style: Style(isSet ? .text : .warn, isSet ? [] : [.bold]), limit: area.width - 4)
        drawGauge(&buffer, x: area.x + 2, y: top + 1, width: area.width - 4, zone: zone, depth: shown, device: state.device.limits, glyphs: model.glyphs)
        var directions = progress.passes.map { pass in
            p.direction(pass.direction).map { model.glyphs.isUnicode ? $0.symbol : $0.asciiSymbol } ?? "?"
        }
        let count = "Passes \(progress.passes.count)/\(p.targetPasses)"
        // The latest passes, with an ellipsis for the earlier ones that do not fit before the endpoint.
        let room = area.width / 2 - 3
        var passes = count + (directions.isEmpty ? "" : ": " + directions.joined(separator: " "))
        while TerminalWidth.of(passes) > room, !directions.isEmpty {
            directions.removeFirst()
            passes = count + ": " + model.glyphs.ellipsis + directions.joined(separator: " ")
        }
        let endpoint = "Endpoint: " + (progress.endpoint.flatMap { p.endpoint($0)?.name } ?? "not yet")
        buffer.write(TerminalWidth.truncate(passes, to: room, ellipsis: model.glyphs.ellipsis), x: area.x + 2, y: top + 2, style: Style(.text))
        buffer.write(endpoint, x: area.x + area.width / 2, y: top + 2, style: Style(progress.endpoint == nil ? .muted : .ok),
                     limit: area.width / 2 - 2)
        if let reason = progress.skipReason {
            buffer.write("Skipped: \(reason)", x: area.x + 2, y: top + 3, style: Style(.zoneSkipped), limit: area.width - 4)
        } else if progress.isComplete {
            buffer.write("Complete.", x: area.x + 2, y: top + 3, style: Style(.ok))
        } else if let statement = zone.confirmation, progress.confirmationSeq == nil {
            // Asked again with the first pass; shown from the start so nobody is surprised mid-zone.
            // Short words before the protocol's statement, so that all of it shows at 80 columns; a longer one ends in an ellipsis.
            buffer.write(TerminalWidth.truncate("Confirm first: \(statement)", to: area.width - 4, ellipsis: model.glyphs.ellipsis),
                         x: area.x + 2, y: top + 3, style: Style(.warn, [.bold]))
        } else if shown > state.device.limits.evaluatedMaximumDepth {
            buffer.write("Above the device's evaluated maximum of \(state.device.limits.evaluatedMaximumDepth): recorded as a warning.",
                         x: area.x + 2, y: top + 3, style: Style(.warn), limit: area.width - 4)
        }
    }

    /// One cell per device step from the first step to the device maximum:
    /// '-' outside the zone's range, '=' inside it, '!' above the evaluated
    /// maximum, and the shown depth marked.
    static func drawGauge(_ buffer: inout Buffer, x: Int, y: Int, width: Int, zone: Zone, depth: Depth, device: DeviceLimits, glyphs: GlyphSet) {
        let step = device.depthStep.micrometres
        let steps = device.maximumDepth.micrometres / step
        let cell = max(1, min(4, (width - 24) / max(1, steps)))
        var column = x
        column += buffer.write("\(device.depthStep.millimetreText) ", x: column, y: y, style: Style(.muted))
        for index in 1...max(1, steps) {
            let value = Depth(micrometres: index * step)
            let marker: String
            let style: Style
            if value == depth {
                marker = glyphs.isUnicode ? "▲" : "^"
                style = Style(zone.allows(value) ? .zoneActive : .danger, [.bold, .reverse])
            } else if value > device.evaluatedMaximumDepth {
                marker = "!"
                style = Style(.warn)
            } else if zone.allows(value) {
                marker = "="
                style = Style(.ok)
            } else {
                marker = "-"
                style = Style(.muted)
            }
            column += buffer.write(String(repeating: marker, count: cell), x: column, y: y, style: style)
        }
        // The legend shortens with an ellipsis where the panel is narrow; help (?) explains the gauge in full.
        let legend = " \(device.maximumDepth.millimetreText) mm (= \(zone.minimumDepth.millimetreText)-\(zone.maximumDepth.millimetreText), ! > \(device.evaluatedMaximumDepth.millimetreText))"
        buffer.write(TerminalWidth.truncate(legend, to: x + width - column, ellipsis: glyphs.ellipsis), x: column, y: y, style: Style(.muted))
    }
}

enum OverlayView {
    static func draw(_ buffer: inout Buffer, _ overlay: Overlay, model: AppModel) {
        switch overlay {
        case let .help(scroll): drawHelp(&buffer, scroll: scroll, model: model)
        case let .prompt(prompt):
            let rect = centred(model.size, width: min(72, model.size.width - 4), height: 7)
            frame(&buffer, rect, title: prompt.title, model: model)
            buffer.write(prompt.label + ":", x: rect.x + 2, y: rect.y + 2, style: Style(.text), limit: rect.width - 4)
            drawField(&buffer, prompt.field, x: rect.x + 2, y: rect.y + 3, width: rect.width - 4, style: Style(.text, [.underline]), ellipsis: model.glyphs.ellipsis)
            // The count against the limit, before it is reached: nothing is cut silently.
            let count = "\(prompt.field.characters.count)/\(prompt.field.limit)"
            buffer.write(TerminalWidth.truncate("Enter saves · Esc cancels · Ctrl-U clears", to: rect.width - 6 - TerminalWidth.of(count),
                                                ellipsis: model.glyphs.ellipsis),
                         x: rect.x + 2, y: rect.y + 5, style: Style(.muted))
            buffer.write(count, x: rect.maxX - 2 - TerminalWidth.of(count), y: rect.y + 5,
                         style: Style(prompt.field.characters.count >= prompt.field.limit ? .warn : .muted))
        case let .choice(choice):
            let height = min(model.size.height - 4, choice.options.count + 4)
            let rect = centred(model.size, width: min(72, model.size.width - 4), height: height)
            frame(&buffer, rect, title: choice.title, model: model)
            let visible = height - 4
            let first = max(0, min(choice.selection - visible + 1, choice.options.count - visible))
            for (row, option) in choice.options.dropFirst(first).prefix(visible).enumerated() {
                let index = first + row
                let key = option.key.map { "\($0)  " } ?? ""
                SessionView.row(&buffer, key + option.label, x: rect.x + 1, y: rect.y + 2 + row, width: rect.width - 2,
                                selected: index == choice.selection, style: Style(.text), model: model)
            }
            buffer.write("Enter or the option's key chooses · Esc cancels", x: rect.x + 2, y: rect.maxY - 2, style: Style(.muted),
                         limit: rect.width - 4)
        case let .confirmation(confirmation):
            // Wrapped, not cut: what is confirmed (a reason, what a co-signature covers) is read in full before y,
            // scrolled where it does not fit, with its closing lines (what yes means) always in view.
            let layout = ConfirmationLayout(confirmation, size: model.size)
            let rect = centred(model.size, width: layout.width, height: layout.height)
            frame(&buffer, rect, title: confirmation.title, model: model)
            let scroll = min(confirmation.scroll, layout.maximumScroll)
            for (index, line) in layout.body.dropFirst(scroll).prefix(layout.visibleBody).enumerated() {
                buffer.write(line, x: rect.x + 2, y: rect.y + 2 + index, style: Style(.text), limit: rect.width - 4)
            }
            for (index, line) in layout.closing.enumerated() {
                buffer.write(line, x: rect.x + 2, y: rect.y + 3 + layout.visibleBody + index, style: Style(.text), limit: rect.width - 4)
            }
            if layout.maximumScroll > 0 {
                let below = layout.body.count - scroll - layout.visibleBody
                let hint = below > 0 ? "\(model.glyphs.isUnicode ? "↓" : "v") \(below) more line\(below == 1 ? "" : "s"): Down"
                    : "\(model.glyphs.isUnicode ? "↑" : "^") all read (Up goes back)"
                buffer.write(hint, x: rect.maxX - 2 - TerminalWidth.of(hint), y: rect.maxY - 2, style: Style(below > 0 ? .warn : .muted, [.bold]))
            }
            if confirmation.next == .acknowledge {
                buffer.write(" Enter ", x: rect.x + 2, y: rect.maxY - 2, style: Style(.footerKey))
                buffer.write(" close", x: rect.x + 9, y: rect.maxY - 2, style: Style(.text))
            } else {
                buffer.write(" y ", x: rect.x + 2, y: rect.maxY - 2, style: Style(.footerKey))
                buffer.write(" yes   ", x: rect.x + 5, y: rect.maxY - 2, style: Style(.text))
                buffer.write(" n ", x: rect.x + 12, y: rect.maxY - 2, style: Style(.footerKey))
                buffer.write(" no", x: rect.x + 15, y: rect.maxY - 2, style: Style(.text))
            }
        }
    }

    /// A line being typed, scrolled so that the cursor (a highlighted cell)
    /// stays in view. It scrolls by display columns, not characters: counted in characters, a
    /// field of wide characters (界, two columns each) scrolled too little and
    /// showed nothing of what had just been typed.
    static func drawField(_ buffer: inout Buffer, _ field: TextField, x: Int, y: Int, width: Int, style: Style, ellipsis: String) {
        let characters = Array(field.shown)
        let cursor = min(field.cursor, characters.count)
        let columns = characters.map(TerminalWidth.of)
        let cursorColumns = cursor < characters.count ? max(1, columns[cursor]) : 1
        // The first character in sight, and the columns from it to the cursor.
        var first = 0
        var before = columns[..<cursor].reduce(0, +)
        while first < cursor, before + cursorColumns > width {
            before -= columns[first]
            first += 1
        }
        buffer.fill(Rect(x: x, y: y, width: width, height: 1), style: style)
        let visible = String(characters[first...])
        buffer.write(TerminalWidth.truncate(visible, to: width, ellipsis: ""), x: x, y: y, style: style)
        // What is scrolled out of sight on either side is marked, so a long note is known to go on.
        if first > 0, width > 2 { buffer.write(ellipsis, x: x, y: y, style: Style(.muted)) }
        if columns[first...].reduce(0, +) > width, width > 2 { buffer.write(ellipsis, x: x + width - 1, y: y, style: Style(.muted)) }
        let under = cursor < characters.count ? String(characters[cursor]) : " "
        buffer.write(under, x: x + before, y: y, style: Style(.selection))
    }

    static func centred(_ size: Size, width: Int, height: Int) -> Rect {
        Rect(x: (size.width - width) / 2, y: max(1, (size.height - height) / 2), width: width, height: height)
    }

    static func frame(_ buffer: inout Buffer, _ rect: Rect, title: String, model: AppModel) {
        frame(&buffer, rect, title: title, glyphs: model.glyphs)
    }

    static func frame(_ buffer: inout Buffer, _ rect: Rect, title: String, glyphs: GlyphSet) {
        buffer.fill(rect, style: Style(.text))
        buffer.box(rect, style: Style(.accent), glyphs: glyphs,
                   title: TerminalWidth.truncate(title, to: rect.width - 8, ellipsis: glyphs.ellipsis))
    }

    /// Every key of `contexts`, from the keymap, `current` first (then the keys that work everywhere in a session).
    static func helpLines(current: KeyContext, contexts: [KeyContext], inSession: Bool, glyphs: GlyphSet, width: Int) -> [(String, Style)] {
        var order = [current]
        if inSession { order.append(.everywhere) }
        order += contexts.filter { !order.contains($0) }
        var lines: [(String, Style)] = []
        for context in order {
            lines.append((context.title + (context == current ? " (this screen)" : ""), Style(.title, [.bold])))
            for binding in KeyMap.bindings(for: context) {
                let keys = binding.keys.map { glyphs.isUnicode ? $0.label : $0.asciiLabel }.joined(separator: " / ")
                let wrapped = TerminalWidth.wrap(binding.help, width: max(20, width - 24))
                for (index, line) in wrapped.enumerated() {
                    lines.append(("  " + (index == 0 ? keys : "").padding(toWidth: 20) + line, Style(.text)))
                }
            }
            lines.append(("", Style(.text)))
        }
        if inSession {
            for (index, line) in KeyMap.correctionHelp.enumerated() {
                for wrapped in TerminalWidth.wrap(line, width: width) {
                    lines.append((wrapped, index == 0 ? Style(.title, [.bold]) : Style(.text)))
                }
            }
        }
        return lines
    }

    static func drawHelp(_ buffer: inout Buffer, scroll: Int, model: AppModel) {
        var inSession = false
        if case .session = model.screen { inSession = true }
        drawHelp(&buffer, scroll: scroll, size: model.size, glyphs: model.glyphs, current: model.screenContext,
                 contexts: KeyContext.live, inSession: inSession)
    }

    static func drawHelp(_ buffer: inout Buffer, scroll: Int, size: Size, glyphs: GlyphSet, current: KeyContext,
                         contexts: [KeyContext], inSession: Bool) {
        drawScrolled(&buffer, title: "Keys (Esc closes, arrows scroll)", scroll: scroll, size: size, glyphs: glyphs) { width in
            helpLines(current: current, contexts: contexts, inSession: inSession, glyphs: glyphs, width: width)
        }
    }

    /// A framed text over the whole screen, from line `scroll` on; `lines` is
    /// asked for the text wrapped to the width inside the frame.
    static func drawScrolled(_ buffer: inout Buffer, title: String, scroll: Int, size: Size, glyphs: GlyphSet,
                             lines: (_ width: Int) -> [(String, Style)]) {
        let rect = Rect(x: 2, y: 1, width: size.width - 4, height: size.height - 2)
        frame(&buffer, rect, title: title, glyphs: glyphs)
        let text = lines(rect.width - 4)
        let visible = rect.height - 2
        let first = min(scroll, max(0, text.count - visible))
        for (row, line) in text.dropFirst(first).prefix(visible).enumerated() {
            buffer.write(line.0, x: rect.x + 2, y: rect.y + 1 + row, style: line.1, limit: rect.width - 4)
        }
    }
}

/// Where a confirmation's lines go in a terminal of `size`: the lines
/// wrapped to the box, as many as fit, the closing lines below them. The
/// update asks it too, to scroll no further than the last line and to take
/// "yes" only once every line has been in view.
struct ConfirmationLayout {
    let width: Int
    let height: Int
    let body: [String]
    let closing: [String]
    /// Lines of the body in view at once.
    let visibleBody: Int

    /// The border, a blank line, a blank line and the keys, the border.
    static let chrome = 5

    init(_ confirmation: Confirmation, size: Size) {
        width = min(76, size.width - 2)
        let wrap = { (line: String) in TerminalWidth.wrap(line, width: max(1, min(76, size.width - 2) - 4)) }
        body = confirmation.lines.flatMap(wrap)
        closing = confirmation.closing.flatMap(wrap)
        let closingRows = closing.isEmpty ? 0 : closing.count + 1
        height = min(size.height - 2, body.count + closingRows + Self.chrome)
        visibleBody = max(1, height - Self.chrome - closingRows)
    }

    var maximumScroll: Int { max(0, body.count - visibleBody) }
}
