import TrilliumCore
import TrilliumServices

/// update(model, message) → (model, effects): every change of the UI, pure.
public enum AppUpdate {
    public static func update(_ model: AppModel, _ message: AppMessage) -> (AppModel, [Effect]) {
        var next = model
        let effects = next.receive(message)
        return (next, effects)
    }
}

extension AppModel {
    mutating func receive(_ message: AppMessage) -> [Effect] {
        switch message {
        case let .tick(stamp):
            now = stamp
            return dwellBell() + idleLock()
        case let .resized(newSize):
            size = newSize
            return []
        case let .startLoaded(data):
            // Where staff accounts exist nobody works here without proving who they are.
            screen = data.hasStaffAccounts && signedIn == nil ? .signIn(SignInForm()) : .start(data, selection: 0)
            session = nil
            overlay = nil
            return []
        case let .signedIn(user):
            let wasLocked = lock != nil
            signedIn = user
            lock = nil
            lastKeyAt = now
            if wasLocked, session != nil {
                notice = Notice("Unlocked: \(user.name) (\(user.id)).", .info)
                return []
            }
            notice = Notice("Signed in: \(user.name) (\(user.id)).", .info)
            if let path = pendingResume {
                pendingResume = nil
                return [.resumeSession(path: path)]
            }
            return [.loadStart]
        case let .signInRefused(text):
            notice = Notice(text, .danger)
            return [.bell]
        case let .clinicCopyChanged(status):
            clinicCopy = status
            return []
        case let .coSigned(text):
            notice = Notice(text, .info)
            return []
        case let .sessionReady(snapshot, previous, series):
            session = snapshot
            previousDepths = previous
            patientSeries = series
            consultationForm = ConsultationForm()
            screen = .session
            overlay = nil
            pendingDepth = [:]
            zoneCursor = 0
            resetCursor()
            dwellStage = dwellStageNow?.name
            if snapshot.state.repairs.last?.seq == snapshot.lastSavedSeq, let repair = snapshot.state.repairs.last {
                notice = Notice("Recovered after a crash: \(repair.repair.droppedBytes) unsaved bytes were set aside in \(repair.repair.backupFile). Check the last step.", .warning)
            } else {
                notice = Notice("Session \(snapshot.state.phase == .screening && snapshot.lastSavedSeq == 1 ? "opened" : "resumed"): saved up to record \(snapshot.lastSavedSeq).", .info)
            }
            return []
        case let .recorded(snapshot):
            let phaseChanged = session?.state.phase != snapshot.state.phase
            let zoneWasOpen = selectedZone.map { !(state?.progress(of: $0.id).isFinished ?? true) } ?? false
            session = snapshot
            // The list on screen changed (the agent list gave way to antisepsis
            // within one phase): its cursor starts again on the first item to do.
            if phaseChanged || context != cursorContext {
                resetCursor()
                if phaseChanged { pendingDepth = [:] }
            } else if let question = yesNeedingMore(snapshot) {
                // A "yes" that needs an override or a prophylaxis: the cursor stays
                // on it, so the key that follows (o or p) applies to it, and says what.
                cursor = snapshot.state.treatmentProtocol.screening.firstIndex { $0.id == question.id } ?? cursor
                notice = question.rule == .absolute
                    ? Notice("YES is an absolute contraindication: no treatment; A aborts, n changes a wrong answer.", .danger)
                    : question.rule.blocksOnYes
                    ? Notice("YES blocks the session: o overrides it with a reason" + (snapshot.state.isAttributed ? " and a director's PIN" : "")
                             + ", n changes the answer.", .warning)
                    : Notice("YES: confirm with p that this is done: \(question.prophylaxis ?? "the prophylaxis").", .warning)
            } else {
                advanceCursorPastDone()
                // A zone just completed or skipped: go on to the next one still to treat.
                if zoneWasOpen, let zone = selectedZone, snapshot.state.progress(of: zone.id).isFinished {
                    let zones = snapshot.state.plannedZones
                    if let next = zones.indices.first(where: { $0 > zoneCursor && !snapshot.state.progress(of: zones[$0].id).isFinished })
                        ?? zones.indices.first(where: { !snapshot.state.progress(of: zones[$0].id).isFinished }) {
                        zoneCursor = next
                    }
                }
            }
            switch snapshot.recentRecords.last?.event {
            case .noteAdded?: notice = Notice("Note saved as record #\(snapshot.lastSavedSeq).", .info)
            case .adverseEventReported?: notice = Notice("Adverse event saved as record #\(snapshot.lastSavedSeq).", .info)
            case .recordCorrected?: notice = Notice("Correction saved as record #\(snapshot.lastSavedSeq).", .info)
            case let .productApplied(application)?:
                notice = Notice("\(application.name), lot \(application.lot), saved as record #\(snapshot.lastSavedSeq).", .info)
            case .zoneConfirmed?: notice = Notice("Confirmation saved as record #\(snapshot.lastSavedSeq): p records the pass.", .info)
            default: break
            }
            dwellStage = dwellStageNow?.name
            return []
        case let .refused(text):
            notice = Notice(text, .warning)
            return [.bell]
        case let .saveFailed(snapshot, text):
            session = snapshot
            overlay = nil
            notice = Notice(text, .danger)
            return [.bell]
        case let .openFailed(text):
            notice = Notice(text, .danger)
            // Too long for the notice row: shown whole until acknowledged, never cut.
            if TerminalWidth.of(" ! " + text) > size.width {
                overlay = .confirmation(Confirmation(title: "The session could not be opened",
                                                     lines: TerminalWidth.wrap(text, width: min(76, size.width - 2) - 4),
                                                     next: .acknowledge))
            }
            return [.bell]
        case let .key(key):
            return press(key)
        }
    }

    /// The question a just-saved "yes" leaves waiting for an override or a prophylaxis.
    func yesNeedingMore(_ snapshot: SessionSnapshot) -> ScreeningQuestion? {
        guard case let .screeningAnswered(id, true)? = snapshot.recentRecords.last?.event,
              let question = snapshot.state.treatmentProtocol.question(id) else { return nil }
        let status = snapshot.state.screening[id]
        switch question.rule {
        case .absolute: return question
        case .relative: return status?.overrideReason == nil ? question : nil
        case .requiresProphylaxis: return status?.prophylaxisConfirmed == true ? nil : question
        }
    }

    /// A change of dwell stage rings the bell (and the view shows it in text and reverse video).
    mutating func dwellBell() -> [Effect] {
        let stage = dwellStageNow?.name
        defer { dwellStage = stage }
        guard let stage, let previous = dwellStage, stage != previous else { return [] }
        notice = stage == "ready"
            ? Notice("Minimum dwell reached: the anesthetic can come off.", .info)
            : Notice("Maximum dwell passed: remove the anesthetic now.", .danger)
        return [.bell]
    }

    /// The idle lock comes down once no key has come for `lockAfter`: the
    /// patient's data leaves the screen; the dwell timer and its bell stay.
    mutating func idleLock() -> [Effect] {
        guard let user = signedIn, lock == nil, let last = lastKeyAt, now.elapsed(since: last) >= lockAfter else { return [] }
        if case .signIn = screen { return [] }
        lock = SignInForm(id: user.id.rawValue)
        // What was being typed is dropped: it could hold patient data, and the screen now shows none.
        overlay = nil
        notice = Notice("Locked after \(Durations.minutes(lockAfter)) min without a key: enter the PIN to go on.", .info)
        return [.lockScreen]
    }

    mutating func press(_ key: Key) -> [Effect] {
        lastKeyAt = now
        if isTooSmall {
            // Only quitting works until the terminal is large enough again.
            if key == .character("q") || key == .control("c") { return askToQuit() }
            return []
        }
        if var form = lock {
            let effects = pressOnSignIn(key, form: &form, unlocking: true)
            if lock != nil { lock = form }
            return effects
        }
        if overlay != nil { return pressInOverlay(key) }
        notice = nil
        switch screen {
        case var .signIn(form):
            let effects = pressOnSignIn(key, form: &form, unlocking: false)
            if case .signIn = screen { screen = .signIn(form) }
            return effects
        case .start(let data, let selection):
            return pressOnStart(key, data: data, selection: selection)
        case .intake(var form):
            let effects = pressOnIntake(key, form: &form)
            if case .intake = screen { screen = .intake(form) }
            return effects
        case .session:
            if context == .consultation { return pressOnConsultation(key) }
            guard let action = KeyMap.action(for: key, in: context, inSession: true) else { return [] }
            return perform(action)
        }
    }

    mutating func askToQuit() -> [Effect] {
        let open = state.map { !$0.phase.isSealed } ?? false
        // The dwell timer and its alarms live in the app: closed, nothing counts down on screen or rings.
        // (No time in the words: they stay while the dialog is open, the bar's timer goes on.)
        var anestheticOn = dwellStageNow == nil ? [] : ["The anesthetic is on: no timer or alarm runs until the session is resumed."]
        if case .overMaximum? = dwellStageNow { anestheticOn.insert("It is past its maximum dwell: remove it now.", at: 0) }
        overlay = .confirmation(Confirmation(
            title: "Quit Trillium?",
            lines: open ? anestheticOn + ["The session stays saved and can be resumed from the start screen."] : ["Nothing is lost: every step is saved."],
            next: .quit))
        return []
    }

    // MARK: Sign-in, start and intake

    /// The sign-in form, and the idle lock's (its id filled in: another
    /// person may type theirs, and takes the session over).
    mutating func pressOnSignIn(_ key: Key, form: inout SignInForm, unlocking: Bool) -> [Effect] {
        if key != .enter, key != .tab, key != .up, key != .down, key != .control("c") {
            if form.isOnPIN { _ = form.pin.handle(key) } else { _ = form.id.handle(key) }
            return []
        }
        switch KeyMap.action(for: key, in: .signIn, inSession: false) {
        case .nextPanel:
            form.isOnPIN.toggle()
        case .confirm:
            guard !form.id.trimmed.isEmpty else {
                notice = Notice("Type your account id.", .warning)
                return [.bell]
            }
            guard !form.pin.text.isEmpty else {
                form.isOnPIN = true
                return []
            }
            let pin = form.pin.text
            // The PIN leaves the model as soon as it is sent to be checked.
            form.pin = .secret()
            return [.signIn(id: form.id.trimmed, pin: pin, unlocking: unlocking)]
        case .quit:
            return askToQuit()
        default:
            break
        }
        return []
    }

    mutating func pressOnStart(_ key: Key, data: StartData, selection: Int) -> [Effect] {
        let entries = [StartEntry(kind: .newSession, label: "New session")] + data.resumable + data.awaitingReview
        switch KeyMap.action(for: key, in: .start, inSession: false) {
        case .moveUp: screen = .start(data, selection: max(0, selection - 1))
        case .moveDown: screen = .start(data, selection: min(entries.count - 1, selection + 1))
        case .confirm:
            switch entries[min(selection, entries.count - 1)].kind {
            case .newSession:
                if let user = signedIn, !user.roles.contains(.operator) {
                    notice = Notice("\(user.name) is not an operator: only an operator opens a session.", .warning)
                    return [.bell]
                }
                screen = .intake(IntakeForm(operatorName: signedIn?.name ?? data.lastOperator, device: data.lastDevice, plannedZones: [],
                                            devices: treatmentProtocol.devices))
            case let .resume(path):
                return [.resumeSession(path: path)]
            case let .review(path):
                let entry = entries[min(selection, entries.count - 1)]
                // What the signature means stays in view below the session, however far it scrolls.
                overlay = .confirmation(Confirmation(title: "Co-sign this session as reviewed?", lines: [entry.label] + entry.details, closing: [
                    "Your electronic signature: \(signedIn?.name ?? "") (\(signedIn?.id.rawValue ?? "")), medical director, "
                        + "meaning \"reviewed\"; your PIN is asked next.",
                ], next: .cosign(path: path)))
            }
        case .showHelp: overlay = .help(scroll: 0)
        case .quit: return askToQuit()
        case .signOut:
            guard signedIn != nil else {
                notice = Notice("No one is signed in: this data directory has no staff accounts.", .info)
                return []
            }
            signedIn = nil
            screen = .signIn(SignInForm())
            return [.signOut]
        default: break
        }
        return []
    }

    mutating func pressOnIntake(_ key: Key, form: inout IntakeForm) -> [Effect] {
        let zones = treatmentProtocol.zones
        let fields = form.fields(in: treatmentProtocol)
        // The device of a protocol with profiles is chosen, not typed: Space and the arrows go through them.
        if !form.zonesFocused, form.focus == .deviceModel, treatmentProtocol.hasDeviceProfiles {
            let count = treatmentProtocol.devices.count
            switch key {
            case .space, .right: form.deviceIndex = (form.deviceIndex + 1) % count; return []
            case .left: form.deviceIndex = (form.deviceIndex + count - 1) % count; return []
            case .character:
                notice = Notice("The device is chosen from the protocol's: Space or ←/→ changes it.", .info)
                return []
            default: break
            }
        }
        // Typing goes to the focused text field first.
        if !form.zonesFocused, form.focus != .training, key != .enter, key != .tab, key != .escape,
           key != .up, key != .down {
            // The operator of a signed-in workstation is the person signed in, not a name typed.
            if form.focus == .operatorName, let user = signedIn {
                notice = Notice("The operator is \(user.name), signed in: another person signs in to take over.", .info)
                return []
            }
            if case .character = key, let field = form.values[form.focus], field.isFull {
                return refuseOverflow(of: field, label: form.focus.label)
            }
            if form.values[form.focus]?.handle(key) == true { return [] }
        }
        let position = fields.firstIndex(of: form.focus) ?? 0
        switch KeyMap.action(for: key, in: .intake, inSession: false) {
        case .moveUp:
            if form.zonesFocused { form.zoneCursor = max(0, form.zoneCursor - 1) }
            else { form.focus = fields[max(0, position - 1)] }
        case .moveDown:
            if form.zonesFocused { form.zoneCursor = min(zones.count - 1, form.zoneCursor + 1) }
            else { form.focus = fields[min(fields.count - 1, position + 1)] }
        case .nextPanel:
            form.zonesFocused.toggle()
        case .toggle:
            if form.zonesFocused {
                let id = zones[form.zoneCursor].id
                if let index = form.plannedZones.firstIndex(of: id) { form.plannedZones.remove(at: index) }
                else { form.plannedZones.append(id) }
            } else if form.focus == .training {
                if isTrainingMode {
                    notice = Notice("In training mode every session is a training session.", .info)
                } else {
                    form.isTraining.toggle()
                }
            }
        case .back:
            let typed = fields.filter { $0 != .training && !form.value($0).isEmpty && form.values[$0]?.text != form.prefilled[$0] }
            guard typed.isEmpty && form.plannedZones.isEmpty else {
                overlay = .confirmation(Confirmation(
                    title: "Leave intake?", lines: ["What was entered is not saved: " + typed.map { form.label($0, in: treatmentProtocol) }.joined(separator: ", ")
                                                    + (form.plannedZones.isEmpty ? "" : (typed.isEmpty ? "" : ", ") + "planned zones") + "."],
                    next: .leaveIntake))
                return []
            }
            return [.loadStart]
        case .confirm:
            return startSession(form)
        default:
            break
        }
        return []
    }

    mutating func startSession(_ form: IntakeForm) -> [Effect] {
        let profile = form.device(in: treatmentProtocol)
        var required: [IntakeForm.Field] = [.patient, .operatorName, .deviceSerial, .lot, .expiry]
        if profile == nil { required.insert(.deviceModel, at: 2) }
        if profile?.kind == .roller { required.insert(.needleLength, at: 2) }
        for field in required where form.value(field).isEmpty {
            notice = Notice("\(form.label(field, in: treatmentProtocol)) is required.", .warning)
            return [.bell]
        }
        guard CivilDate.parseExpiry(form.value(.expiry)) != nil else {
            notice = Notice("\(form.label(.expiry, in: treatmentProtocol)) must be YYYY-MM or YYYY-MM-DD.", .warning)
            return [.bell]
        }
        var needle: Depth?
        if let profile, profile.kind == .roller {
            let limits = profile.limits
            guard let length = Depth(millimetreText: form.value(.needleLength)), length.micrometres > 0,
                  length.micrometres % limits.depthStep.micrometres == 0, length <= limits.maximumDepth else {
                notice = Notice("Needle length: in mm, in steps of \(limits.depthStep), at most \(limits.maximumDepth), as printed on the roller.", .warning)
                return [.bell]
            }
            needle = length
        }
        guard !form.plannedZones.isEmpty else {
            notice = Notice("Plan at least one zone: Tab to the zone list, Space to toggle.", .warning)
            return [.bell]
        }
        let ordered = treatmentProtocol.zones.map(\.id).filter { form.plannedZones.contains($0) }
        let device = profile.map { DeviceIdentity(model: $0.model, serial: form.value(.deviceSerial), profile: $0.id, needleLength: needle) }
            ?? DeviceIdentity(model: form.value(.deviceModel), serial: form.value(.deviceSerial))
        return [.openSession(Intake(
            patientReference: form.value(.patient), operatorName: signedIn?.name ?? form.value(.operatorName), workstation: "",
            device: device, cartridge: Cartridge(lot: form.value(.lot), expiry: form.value(.expiry)),
            plannedZones: ordered, isTraining: form.isTraining || isTrainingMode, operatorID: signedIn?.id))]
    }

    // MARK: Cursor

    /// The rows of the list on screen, and which are already done.
    var listDone: [Bool] {
        guard let state else { return [] }
        let p = state.treatmentProtocol
        switch context {
        case .screening:
            // A yes still waiting for its override or prophylaxis is not done: a resumed screening opens on it.
            let waiting = Set((state.blockingQuestions + state.prophylaxisPending).map(\.id))
            return p.screening.map { state.screening[$0.id]?.answer != nil && !waiting.contains($0.id) }
        case .preparation: return p.preparation.map { state.preparationConfirmed.contains($0.id) }
        case .antisepsis: return p.antisepsis.map { state.antisepsisConfirmed.contains($0.id) }
        case .aftercare: return p.aftercare.map { state.aftercareConfirmed.contains($0.id) }
        case .anesthetic: return Array(repeating: false, count: p.anesthesia.agents.count + (p.anesthesia.allowsNone ? 1 : 0))
        default: return []
        }
    }

    mutating func resetCursor() {
        cursor = listDone.firstIndex(of: false) ?? 0
        cursorContext = context
        zoneCursor = state?.plannedZones.firstIndex { !(state?.progress(of: $0.id).isFinished ?? true) } ?? 0
    }

    /// After a step is recorded, move on to the next one still to do.
    mutating func advanceCursorPastDone() {
        let done = listDone
        guard cursor < done.count, done[cursor] else { return }
        if let next = done.indices.first(where: { $0 > cursor && !done[$0] }) ?? done.firstIndex(of: false) {
            cursor = next
        }
    }
}
