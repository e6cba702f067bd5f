import TrilliumCore
import TrilliumServices

/// view(model, size) → buffer: the whole screen, pure.
public enum AppView {
    public static func render(_ model: AppModel) -> Buffer {
        var buffer = Buffer(size: model.size)
        if model.isTooSmall {
            drawTooSmall(&buffer, model)
            return buffer
        }
        let size = model.size
        StatusBar.draw(&buffer, model)
        // Status bar and phases on top, the message line and the footer at the foot, the screen between.
        let content = Layout.vertical([.length(2), .fill, .length(2)]).split(Rect(x: 0, y: 0, width: size.width, height: size.height))[1]
        if let lock = model.lock {
            LockView.draw(&buffer, in: content, form: lock, model: model)
            MessageLine.draw(&buffer, model)
            Footer.draw(&buffer, model)
            return buffer
        }
        switch model.screen {
        case let .signIn(form):
            SignInView.draw(&buffer, in: content, form: form, model: model, title: "Sign in")
        case let .start(data, selection):
            StartView.draw(&buffer, in: content, data: data, selection: selection, model: model)
        case let .intake(form):
            IntakeView.draw(&buffer, in: content, form: form, model: model)
        case .session:
            if let state = model.state { SessionView.draw(&buffer, in: content, state: state, model: model) }
        }
        MessageLine.draw(&buffer, model)
        Footer.draw(&buffer, model)
        if let overlay = model.overlay { OverlayView.draw(&buffer, overlay, model: model) }
        return buffer
    }

    static func drawTooSmall(_ buffer: inout Buffer, _ model: AppModel) {
        drawTooSmall(&buffer, size: model.size, glyphs: model.glyphs, lines: [
            "Trillium needs \(AppModel.minimumSize.width)x\(AppModel.minimumSize.height); this one is \(model.size.width)x\(model.size.height).",
            "Enlarge the window: the session carries on as it was.",
            "q quits.",
        ])
    }

    /// "Terminal too small", then `lines`, centred.
    static func drawTooSmall(_ buffer: inout Buffer, size: Size, glyphs: GlyphSet, lines: [String]) {
        for (index, line) in (["Terminal too small"] + lines).enumerated() {
            let wrapped = TerminalWidth.truncate(line, to: size.width, ellipsis: glyphs.ellipsis)
            let x = max(0, (size.width - TerminalWidth.of(wrapped)) / 2)
            buffer.write(wrapped, x: x, y: max(0, size.height / 2 - 2) + index,
                         style: Style(index == 0 ? .bannerWarning : .text, index == 0 ? [.bold] : []))
        }
    }
}

/// Row 0: who, what, when, and the state of the log. Row 1: the phases.
enum StatusBar {
    static func draw(_ buffer: inout Buffer, _ model: AppModel) {
        // Training is said first, on a bar of its own colour, on every screen.
        let training = model.isTrainingMode || model.state?.opening?.isTraining == true
        let bar: Role = training ? .bannerWarning : .statusBar
        buffer.fill(Rect(x: 0, y: 0, width: model.size.width, height: 1), style: Style(bar))
        var parts: [String] = training ? ["TRAINING"] : []
        // The dwell timer is never cut: the session clock goes first, then the names are shortened.
        var dwell: String?
        var sessionClock: String?
        var right = ""
        if model.lock != nil {
            // Locked: the phase and the dwell timer only, nobody's name.
            parts += ["LOCKED"] + (model.state.map { [$0.phase.title] } ?? [])
            dwell = model.dwellStageNow.map(DwellText.status)
        } else if let state = model.state, let opening = state.opening {
            let current = state.currentOpening ?? opening
            // Whoever has the session now: the last hand-over's person, else the opening's.
            parts += [current.patientReference, state.handOvers.last?.handOver.toName ?? current.operatorName, state.phase.title]
            dwell = model.dwellStageNow.map(DwellText.status)
            if let openedAt = state.openedAt {
                let end = state.sealedAt ?? model.now
                sessionClock = "session " + Durations.clock(end.elapsed(since: openedAt))
            }
            right = model.isReadOnly ? "READ-ONLY" : "saved #\(model.session?.lastSavedSeq ?? 0)"
        } else {
            parts += ["TRILLIUM", model.treatmentProtocol.title]
            if let user = model.signedIn { right = "\(user.name) (\(user.id))" }
        }
        // The clinic's copy beside what is saved here: "saved #12 · synced #12", or what waits to go.
        if let copy = model.clinicCopy, model.lock == nil {
            right = right.isEmpty ? copy.text : right + (model.glyphs.isUnicode ? " · " : " | ") + copy.text
        }
        let separator = model.glyphs.isUnicode ? " · " : " | "
        let rightWidth = TerminalWidth.of(right) + 2
        let left = fitted(parts, dwell: dwell, sessionClock: sessionClock, separator: separator,
                          width: model.size.width - rightWidth, ellipsis: model.glyphs.ellipsis)
        buffer.write(left, x: 0, y: 0, style: Style(bar, [.bold]))
        buffer.write(right + " ", x: model.size.width - rightWidth + 1, y: 0,
                     style: model.isReadOnly ? Style(.bannerDanger, [.bold]) : Style(bar))
        drawPhases(&buffer, model)
    }

    /// The bar's left side within `width`: everything when it fits; else
    /// without the session clock; else the names and phase shortened (with
    /// an ellipsis) before the dwell timer, which stays whole at the end.
    static func fitted(_ parts: [String], dwell: String?, sessionClock: String?, separator: String, width: Int,
                       ellipsis: String) -> String {
        let tail = [dwell, sessionClock].compactMap { $0 }
        let whole = " " + (parts + tail).joined(separator: separator)
        if TerminalWidth.of(whole) <= width { return whole }
        guard let dwell else { return TerminalWidth.truncate(" " + parts.joined(separator: separator), to: width, ellipsis: ellipsis) }
        let timer = separator + dwell
        let head = " " + parts.joined(separator: separator)
        if TerminalWidth.of(head + timer) <= width { return head + timer }
        return TerminalWidth.truncate(head, to: max(0, width - TerminalWidth.of(timer)), ellipsis: ellipsis) + timer
    }

    static let phases: [(SessionPhase, String)] = [
        (.intake, "Intake"), (.screening, "Screening"), (.preparation, "Preparation"), (.anesthesia, "Anesthesia"),
        (.treatment, "Treatment"), (.aftercare, "Aftercare"), (.signed, "Sign-off"),
    ]

    static func drawPhases(_ buffer: inout Buffer, _ model: AppModel) {
        let current: SessionPhase
        switch model.screen {
        case .start, .signIn: return
        case .intake: current = .intake
        case .session: current = model.state?.phase ?? .intake
        }
        let order = phases.map(\.0)
        let currentIndex = order.firstIndex(of: current) ?? (current == .aborted ? -1 : 0)
        var x = 1
        // An aborted session never reaches sign-off: ABORTED stands in its place.
        for (index, (phase, name)) in phases.enumerated() where !(current == .aborted && phase == .signed) {
            let isCurrent = index == currentIndex
            let done = currentIndex > index || current == .signed
            let mark = done ? model.glyphs.check : (isCurrent ? model.glyphs.pointer : " ")
            let label = "\(mark)\(name)"
            let style = isCurrent ? Style(.selection, [.bold]) : Style(done ? .ok : .muted)
            x += buffer.write(label, x: x, y: 1, style: style)
            if index < phases.count - 1 { x += buffer.write(" ", x: x, y: 1, style: Style(.muted)) }
        }
        if current == .aborted {
            buffer.write(" ABORTED ", x: x, y: 1, style: Style(.bannerDanger, [.bold]))
        }
    }
}

/// Row h-2: what just happened, or the read-only banner, which stays.
enum MessageLine {
    static func draw(_ buffer: inout Buffer, _ model: AppModel) {
        let y = model.size.height - 2
        let width = model.size.width
        if let reason = model.session?.readOnlyReason {
            buffer.fill(Rect(x: 0, y: y, width: width, height: 1), style: Style(.bannerDanger))
            let saved = model.session?.lastSavedSeq ?? 0
            buffer.write(TerminalWidth.truncate(" READ-ONLY: log intact up to record \(saved); nothing more is saved. \(reason)",
                                                to: width, ellipsis: model.glyphs.ellipsis),
                         x: 0, y: y, style: Style(.bannerDanger, [.bold]))
            return
        }
        guard let notice = model.notice else { return }
        draw(&buffer, notice, y: y, width: width, glyphs: model.glyphs)
    }

    /// A notice across the row, coloured by its kind and marked for those who cannot tell the colours apart.
    static func draw(_ buffer: inout Buffer, _ notice: Notice, y: Int, width: Int, glyphs: GlyphSet) {
        let role = notice.kind.bannerRole
        buffer.fill(Rect(x: 0, y: y, width: width, height: 1), style: Style(role))
        buffer.write(TerminalWidth.truncate(" " + notice.kind.mark + notice.text, to: width, ellipsis: glyphs.ellipsis),
                     x: 0, y: y, style: Style(role, [.bold]))
    }
}

extension NoticeKind {
    var bannerRole: Role {
        switch self {
        case .info: .bannerInfo
        case .warning: .bannerWarning
        case .danger: .bannerDanger
        }
    }

    /// Said in text as well as colour.
    var mark: String {
        switch self {
        case .info: ""
        case .warning: "! "
        case .danger: "!! "
        }
    }
}

/// The last row: the keys that work here, from the keymap.
enum Footer {
    /// "? help" first so it is never cut; then this screen's keys; then the
    /// keys that work everywhere; what does not fit is cut from the right
    /// and the help overlay lists it.
    static func draw(_ buffer: inout Buffer, _ model: AppModel) {
        let y = model.size.height - 1
        let own = KeyMap.bindings(for: model.context).filter { $0.footer != nil }
        var bindings = own.filter { $0.action == .showHelp }
        // Under the idle lock only its own keys work: no session key is offered.
        let sessionKeys = model.overlay == nil && model.lock == nil && { if case .session = model.screen { true } else { false } }()
        if sessionKeys {
            bindings += KeyMap.bindings(for: .everywhere).filter { $0.action == .showHelp }
        }
        bindings = Array(bindings.prefix(1))
        bindings += own.filter { $0.action != .showHelp && $0.action != .quit }
        var rest = own.filter { $0.action == .quit }
        if sessionKeys {
            let taken = Set(own.flatMap(\.keys))
            rest += KeyMap.bindings(for: .everywhere).filter { $0.footer != nil && $0.action != .showHelp && taken.isDisjoint(with: $0.keys) }
        }
        bindings += rest
        draw(&buffer, bindings, y: y, width: model.size.width, glyphs: model.glyphs)
    }

    /// Writes the bindings as "key label" pairs, cutting what does not fit.
    static func draw(_ buffer: inout Buffer, _ bindings: [KeyBinding], y: Int, width: Int, glyphs: GlyphSet) {
        var x = 0
        for binding in bindings {
            let key = binding.footerKeys ?? binding.keys.first.map { glyphs.isUnicode ? $0.label : $0.asciiLabel } ?? ""
            let needed = TerminalWidth.of(key) + TerminalWidth.of(binding.footer ?? "") + 3
            if x + needed > width { break }
            x += buffer.write(" \(key) ", x: x, y: y, style: Style(.footerKey))
            x += buffer.write(binding.footer ?? "", x: x, y: y, style: Style(.footerText))
            x += buffer.write(" ", x: x, y: y, style: Style(.footerText))
        }
    }
}
