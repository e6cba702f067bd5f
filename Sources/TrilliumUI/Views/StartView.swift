import TrilliumCore

enum StartView {
    static func draw(_ buffer: inout Buffer, in area: Rect, data: StartData, selection: Int, model: AppModel) {
        var y = area.y
        buffer.write("Start", x: area.x + 2, y: y, style: Style(.title, [.bold]))
        buffer.write("Protocol: \(model.treatmentProtocol.id) \(model.treatmentProtocol.version)",
                     x: area.x + 10, y: y, style: Style(.muted), limit: area.width - 12)
        y += 2
        let entries = [StartEntry(kind: .newSession, label: "New session")] + data.resumable + data.awaitingReview
        if !data.resumable.isEmpty {
            buffer.write("Unfinished sessions can be resumed:", x: area.x + 2, y: y + 1, style: Style(.muted))
        }
        // New session, then the sessions to resume under their heading, then those to review under theirs.
        let resumable = data.resumable.count
        let reviewHeading = resumable > 0 ? y + 2 + resumable : y + 2
        if !data.awaitingReview.isEmpty, reviewHeading < area.maxY - 1 {
            buffer.write("Signed sessions awaiting your review (Enter co-signs):", x: area.x + 2, y: reviewHeading, style: Style(.muted))
        }
        for (index, entry) in entries.enumerated() {
            let row = index == 0 ? y : index <= resumable ? y + 1 + index : reviewHeading + index - resumable
            guard row < area.maxY - 1 else { break }
            let selected = index == selection
            let label = (selected ? model.glyphs.pointer + " " : "  ") + entry.label
            if selected { buffer.fill(Rect(x: area.x + 1, y: row, width: area.width - 2, height: 1), style: Style(.selection)) }
            buffer.write(TerminalWidth.truncate(label, to: area.width - 4, ellipsis: model.glyphs.ellipsis), x: area.x + 2, y: row,
                         style: selected ? Style(.selection, [.bold]) : Style(.text))
        }
        y += entries.count + (data.resumable.isEmpty ? 1 : 2) + (data.awaitingReview.isEmpty ? 0 : (data.resumable.isEmpty ? 2 : 1))
        if y < area.maxY - 1 {
            buffer.write("Today", x: area.x + 2, y: y, style: Style(.title, [.bold]))
            y += 1
            let today = data.today.isEmpty ? ["No session recorded today."] : data.today
            for line in today where y < area.maxY {
                buffer.write(TerminalWidth.truncate(line, to: area.width - 6, ellipsis: model.glyphs.ellipsis), x: area.x + 4, y: y, style: Style(.muted))
                y += 1
            }
        }
        for line in data.unreadable where y < area.maxY {
            buffer.write(TerminalWidth.truncate("! " + line, to: area.width - 4, ellipsis: model.glyphs.ellipsis), x: area.x + 2, y: y, style: Style(.danger))
            y += 1
        }
    }
}

enum IntakeView {
    static func draw(_ buffer: inout Buffer, in area: Rect, form: IntakeForm, model: AppModel) {
        // The form on the left, at most 58 columns; the zone list takes the rest, less a margin.
        let parts = Layout.horizontal([.length(min(58, area.width / 2 + 4)), .fill, .length(1)]).split(area)
        let leftWidth = parts[0].width
        buffer.write("Intake", x: area.x + 2, y: area.y, style: Style(.title, [.bold]))
        let roller = form.device(in: model.treatmentProtocol)?.kind == .roller
        let required = roller ? "All fields required; roller in date." : "All fields required; cartridge in date."
        if TerminalWidth.of(required) <= leftWidth - 10 {
            buffer.write(required, x: area.x + 10, y: area.y, style: Style(.muted))
        } else {
            // Too narrow for the hint beside the title: it goes whole on the line below.
            buffer.write(TerminalWidth.truncate(required, to: leftWidth - 2, ellipsis: model.glyphs.ellipsis),
                         x: area.x + 2, y: area.y + 1, style: Style(.muted))
        }
        var y = area.y + 2
        let fields = form.fields(in: model.treatmentProtocol)
        for field in fields {
            let focused = !form.zonesFocused && form.focus == field
            let labelStyle = focused ? Style(.selection, [.bold]) : Style(.text)
            buffer.write((focused ? model.glyphs.pointer : " ") + " " + form.label(field, in: model.treatmentProtocol).padding(toWidth: 18),
                         x: area.x + 1, y: y, style: labelStyle)
            let valueX = area.x + 22
            let valueWidth = leftWidth - 24
            if field == .deviceModel, let device = form.device(in: model.treatmentProtocol) {
                // Chosen from the protocol's devices, not typed: its limits follow the session.
                buffer.write(TerminalWidth.truncate(device.model, to: valueWidth, ellipsis: model.glyphs.ellipsis), x: valueX, y: y,
                             style: focused ? Style(.text, [.bold, .underline]) : Style(.text))
                let kind = device.kind == .roller ? "roller, needles to \(device.limits.maximumDepth)"
                    : "pen, \(device.limits.depthStep.millimetreText) steps to \(device.limits.maximumDepth)"
                let hint = focused ? "Space: next · " + kind : kind
                buffer.write(TerminalWidth.truncate(hint, to: leftWidth - 5, ellipsis: model.glyphs.ellipsis), x: area.x + 4, y: y + 1,
                             style: Style(focused ? .accent : .muted))
            } else if field == .training {
                let training = form.isTraining || model.isTrainingMode
                buffer.write(training ? "[x] practice only" : "[ ] no", x: valueX, y: y, style: Style(training ? .warn : .text),
                             limit: valueWidth)
            } else if field == .operatorName, let user = model.signedIn {
                // The person signed in, not a name typed: shown without a field's brackets or counter.
                buffer.write(TerminalWidth.truncate(user.name, to: valueWidth, ellipsis: model.glyphs.ellipsis),
                             x: valueX, y: y, style: focused ? Style(.text, [.bold]) : Style(.text))
            } else if let value = form.values[field] {
                buffer.write("[", x: valueX - 1, y: y, style: Style(.muted))
                buffer.write("]", x: valueX + valueWidth, y: y, style: Style(.muted))
                if focused {
                    // The focused field scrolls with its cursor, and shows its limit before it is reached.
                    OverlayView.drawField(&buffer, value, x: valueX, y: y, width: valueWidth, style: Style(.text, [.underline]), ellipsis: model.glyphs.ellipsis)
                    let count = "\(value.characters.count)/\(value.limit)"
                    buffer.write(count, x: valueX + valueWidth - TerminalWidth.of(count), y: y + 1,
                                 style: Style(value.characters.count >= value.limit ? .warn : .muted))
                } else {
                    buffer.write(TerminalWidth.truncate(value.text, to: valueWidth, ellipsis: model.glyphs.ellipsis), x: valueX, y: y,
                                 style: Style(.text))
                }
            }
            y += field == .training ? 1 : 2
        }
        // The protocol in force, as the session will record it: id, version and digest.
        let p = model.treatmentProtocol
        buffer.write(TerminalWidth.truncate("Protocol \(p.id)", to: leftWidth - 3, ellipsis: model.glyphs.ellipsis),
                     x: area.x + 2, y: min(area.maxY - 3, y), style: Style(.muted))
        buffer.write(TerminalWidth.truncate("version \(p.version), SHA-256 \(p.digest)", to: leftWidth - 12, ellipsis: model.glyphs.ellipsis),
                     x: area.x + 11, y: min(area.maxY - 2, y + 1), style: Style(.muted))
        y += 2
        let hint = field(form) == .expiry ? "As printed: YYYY-MM or YYYY-MM-DD."
            : field(form) == .needleLength ? "As printed on the roller, e.g. 0.5." : "Tab: zone list. Enter: open the session."
        buffer.write(TerminalWidth.truncate(hint, to: leftWidth - 2, ellipsis: model.glyphs.ellipsis),
                     x: area.x + 2, y: min(area.maxY - 1, y), style: Style(.muted))

        let box = parts[1]
        buffer.box(box, style: Style(form.zonesFocused ? .accent : .muted), glyphs: model.glyphs,
                   title: "Planned zones (\(form.plannedZones.count))")
        let zones = model.treatmentProtocol.zones
        let visible = box.height - 2
        let first = max(0, min(form.zoneCursor - visible + 1, zones.count - visible))
        for (row, zone) in zones.dropFirst(first).prefix(visible).enumerated() {
            let index = first + row
            let planned = form.plannedZones.contains(zone.id)
            let selected = form.zonesFocused && index == form.zoneCursor
            let mark = planned ? "[x]" : "[ ]"
            let name = TerminalWidth.truncate(zone.name, to: 18, ellipsis: model.glyphs.ellipsis)
            let text = "\(mark) \(name.padding(toWidth: 19))\(zone.minimumDepth.millimetreText)-\(zone.maximumDepth.millimetreText)"
            buffer.write(TerminalWidth.truncate(text, to: box.width - 3, ellipsis: model.glyphs.ellipsis), x: box.x + 2, y: box.y + 1 + row,
                         style: selected ? Style(.selection, [.bold]) : Style(planned ? .text : .muted))
        }
    }

    static func field(_ form: IntakeForm) -> IntakeForm.Field? {
        form.zonesFocused ? nil : form.focus
    }
}
