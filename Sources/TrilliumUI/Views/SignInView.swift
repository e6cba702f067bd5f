import TrilliumCore

/// "DWELL 12:30 left": the dwell timer as the status bar and the lock
/// screen say it (a minus sign before the time read as overdue).
enum DwellText {
    static func status(_ stage: DwellStage) -> String {
        switch stage {
        case let .waiting(remaining): "DWELL " + Durations.clock(remaining) + " left"
        case let .ready(since): "READY +" + Durations.clock(since)
        case let .overMaximum(by): "OVER MAX +" + Durations.clock(by)
        }
    }
}

/// The sign-in form: an account id and a masked PIN, in a box in the middle.
enum SignInView {
    static func draw(_ buffer: inout Buffer, in area: Rect, form: SignInForm, model: AppModel, title: String, top: Int? = nil) {
        let width = min(60, area.width - 4)
        let box = Rect(x: area.x + (area.width - width) / 2, y: top ?? (area.y + max(0, (area.height - 9) / 2)), width: width, height: 8)
        buffer.box(box, style: Style(.accent), glyphs: model.glyphs, title: title)
        let fields: [(String, TextField, Bool)] = [("Account id", form.id, !form.isOnPIN), ("PIN", form.pin, form.isOnPIN)]
        for (row, (label, field, focused)) in fields.enumerated() {
            let y = box.y + 2 + row * 2
            buffer.write((focused ? model.glyphs.pointer : " ") + " " + label, x: box.x + 2, y: y,
                         style: focused ? Style(.selection, [.bold]) : Style(.text))
            let valueX = box.x + 16
            let valueWidth = box.width - 18
            if focused {
                OverlayView.drawField(&buffer, field, x: valueX, y: y, width: valueWidth, style: Style(.text, [.underline]), ellipsis: model.glyphs.ellipsis)
            } else {
                buffer.write(field.shown, x: valueX, y: y, style: Style(.text), limit: valueWidth)
            }
        }
        buffer.write(TerminalWidth.truncate("Five wrong PINs lock the account for five minutes.", to: box.width - 4, ellipsis: model.glyphs.ellipsis),
                     x: box.x + 2, y: box.y + 6, style: Style(.muted))
    }
}

/// The idle lock: the phase and the running dwell timer, large, and the PIN
/// to lift it; no patient, no operator, nothing recorded shows.
enum LockView {
    static func draw(_ buffer: inout Buffer, in area: Rect, form: SignInForm, model: AppModel) {
        let phase = model.state?.phase.title ?? "No session open"
        buffer.write("Locked · \(phase)", x: area.x + 2, y: area.y, style: Style(.title, [.bold]), limit: area.width - 4)
        guard let stage = model.dwellStageNow else {
            SignInView.draw(&buffer, in: area, form: form, model: model, title: "Unlock (or sign in to take over)")
            return
        }
        let bannerY = area.y + 1
        AnestheticView.drawTimer(&buffer, stage, in: area, y: bannerY, model: model)
        SignInView.draw(&buffer, in: area, form: form, model: model, title: "Unlock (or sign in to take over)",
                        top: min(bannerY + 3 + BigDigits.height, area.maxY - 8))
    }
}
