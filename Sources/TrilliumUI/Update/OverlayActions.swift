import TrilliumCore

extension AppModel {
    /// Says once, with one bell, that a full field kept nothing more: a paste
    /// runs on as many keys, and each would ring.
    mutating func refuseOverflow(of field: TextField, label: String) -> [Effect] {
        let said = Notice("\(label): at most \(field.limit) characters; the rest was not kept.", .warning)
        guard notice != said else { return [] }
        notice = said
        return [.bell]
    }

    mutating func pressInOverlay(_ key: Key) -> [Effect] {
        guard let current = overlay else { return [] }
        switch current {
        case let .help(scroll):
            overlay = Scrolling.next(scroll, key: key, closingIn: .help).map { .help(scroll: $0) }
            return []
        case var .prompt(prompt):
            switch key {
            case .escape where !prompt.field.trimmed.isEmpty && !prompt.field.isSecret:
                // Typed text is never thrown away by one stray key.
                overlay = .confirmation(Confirmation(
                    title: "Discard what you typed?", lines: ["\"\(prompt.field.trimmed)\" has not been saved."],
                    next: .discardTyping, returnTo: .prompt(prompt)))
            case .escape:
                overlay = nil
                notice = Notice("Cancelled: nothing was recorded.", .info)
            case .enter:
                let text = prompt.field.trimmed
                guard !text.isEmpty else {
                    notice = Notice("\(prompt.label) cannot be empty.", .warning)
                    return [.bell]
                }
                overlay = nil
                notice = nil
                return follow(prompt.next, answer: text)
            case .character where prompt.field.isFull && !prompt.field.isSecret:
                // A pasted note longer than the field was cut without a word but the counter's.
                return refuseOverflow(of: prompt.field, label: prompt.label)
            default:
                _ = prompt.field.handle(key)
                overlay = .prompt(prompt)
            }
            return []
        case var .choice(choice):
            switch key {
            case .escape:
                overlay = nil
                notice = Notice("Cancelled: nothing was recorded.", .info)
            case .up, .character("k"):
                choice.selection = max(0, choice.selection - 1)
                overlay = .choice(choice)
            case .down, .character("j"):
                choice.selection = min(choice.options.count - 1, choice.selection + 1)
                overlay = .choice(choice)
            case .pageUp, .pageDown, .home, .end:
                let page = max(1, size.height - 8)
                let target = switch key {
                case .pageUp: choice.selection - page
                case .pageDown: choice.selection + page
                case .home: 0
                default: choice.options.count - 1
                }
                choice.selection = max(0, min(choice.options.count - 1, target))
                overlay = .choice(choice)
            case .enter:
                overlay = nil
                return follow(choice.next, answer: choice.options[choice.selection].value)
            case .character("g") where choice.jump != nil:
                overlay = .prompt(Prompt(title: "Go to a record", label: "Record number", field: TextField(limit: 9),
                                         next: choice.jump ?? choice.next))
            case let .character(c):
                if let option = choice.options.first(where: { $0.key == c }) {
                    overlay = nil
                    return follow(choice.next, answer: option.value)
                }
                // A key that chooses nothing says so, instead of doing nothing.
                let keys = choice.options.compactMap(\.key).map(String.init)
                notice = Notice(keys.isEmpty ? "Use ↑/↓ and Enter to choose, Esc to cancel."
                                    : "\(c) is not an option here: press \(keys.joined(separator: ", ")), or Esc to cancel.", .warning)
                return [.bell]
            default: break
            }
            return []
        case let .confirmation(confirmation) where confirmation.next == .acknowledge:
            if KeyMap.action(for: key, in: .message, inSession: false) == .back {
                overlay = nil
            } else if let scrolled = scrolled(confirmation, by: key) {
                overlay = .confirmation(scrolled)
            }
            return []
        case let .confirmation(confirmation):
            switch KeyMap.action(for: key, in: .confirmation, inSession: false) {
            case .confirm:
                // Yes to what was read: lines still below, out of sight (a co-signature's warnings), are read first.
                let layout = ConfirmationLayout(confirmation, size: size)
                guard confirmation.scroll >= layout.maximumScroll else {
                    notice = Notice("Read it to the end first: \(layout.body.count - confirmation.scroll - layout.visibleBody) more line(s) below, Down scrolls.",
                                    .warning)
                    return [.bell]
                }
                overlay = nil
                return follow(confirmation.next, answer: "yes")
            case .chooseOption:
                if let scrolled = scrolled(confirmation, by: key) { overlay = .confirmation(scrolled) }
            case .back:
                overlay = confirmation.returnTo
                if confirmation.next != .quit && confirmation.returnTo == nil && confirmation.next != .leaveIntake {
                    notice = Notice("Cancelled: nothing was recorded.", .info)
                }
            default:
                if key == .control("c"), confirmation.next == .quit { overlay = nil }
            }
            return []
        }
    }

    /// `confirmation` scrolled by an arrow or a page, no further than its last line; nil for any other key.
    func scrolled(_ confirmation: Confirmation, by key: Key) -> Confirmation? {
        let layout = ConfirmationLayout(confirmation, size: size)
        let step: Int
        switch key {
        case .up: step = -1
        case .down: step = 1
        case .pageUp: step = -layout.visibleBody
        case .pageDown: step = layout.visibleBody
        default: return nil
        }
        var scrolled = confirmation
        scrolled.scroll = min(layout.maximumScroll, max(0, min(confirmation.scroll, layout.maximumScroll) + step))
        return scrolled
    }

    /// Carries out what an answered overlay leads to.
    mutating func follow(_ next: FollowUp, answer: String) -> [Effect] {
        let sealed = state?.phase.isSealed ?? false
        switch next {
        case .quit:
            isQuitting = true
            return [.closeSession, .quit]
        case .acknowledge:
            return []
        case .discardTyping:
            notice = Notice("Cancelled: nothing was recorded.", .info)
            return []
        case .leaveIntake:
            return [.loadStart]
        case let .overrideScreening(question):
            guard state?.isAttributed == true else {
                return [.record(.screeningOverridden(question: question, reason: answer, authorisedBy: nil))]
            }
            // A relative contraindication is set aside only on the medical director's authority, proven here with their PIN.
            overlay = .prompt(Prompt(title: "Director's authorisation", label: "Medical director's account id",
                                     field: TextField(limit: RecordSchema.Limit.staffID), next: .overrideDirector(question: question, reason: answer)))
            return []
        case let .overrideDirector(question, reason):
            overlay = .prompt(Prompt(title: "Authorise as \(answer)", label: "PIN of \(answer)", field: .secret(),
                                     next: .overrideDirectorPIN(question: question, reason: reason, director: answer)))
            return []
        case let .overrideDirectorPIN(question, reason, director):
            return [.authoriseOverride(question: question, reason: reason, director: director, pin: answer)]
        case .confirmRemoval:
            return [.removeAnesthetic(earlyRemovalReason: nil)]
        case .earlyRemoval:
            return [.removeAnesthetic(earlyRemovalReason: answer)]
        case .declineAnesthetic:
            return [.record(.anestheticDeclined(reason: answer))]
        case let .depthReason(zone, depth):
            return [.record(.depthSet(zone: zone, depth: depth, reason: answer))]
        case let .passDirection(zone):
            guard let depth = state?.progress(of: zone).depth else { return [] }
            return [.record(.passRecorded(zone: zone, direction: DirectionID(answer), depth: depth))]
        case let .endpoint(zone):
            return [.record(.endpointReached(zone: zone, endpoint: EndpointID(answer)))]
        case let .skipZone(zone):
            return [.record(.zoneSkipped(zone: zone, reason: answer))]
        case .finishTreatment:
            return [.record(.treatmentCompleted)]
        case .note:
            if sealed {
                overlay = .prompt(Prompt(title: "Addendum to a sealed session", label: "Why it is added now", next: .noteAddendum(text: answer)))
                return []
            }
            return [.record(.noteAdded(text: answer, addendumReason: nil))]
        case let .noteAddendum(text):
            return [.record(.noteAdded(text: text, addendumReason: answer))]
        case .adverseDescription:
            overlay = .choice(Choice(title: "Severity", options: AdverseSeverity.allCases.enumerated().map {
                ChoiceOption(key: Character(String($0 + 1)), label: $1.rawValue.capitalized, value: $1.rawValue)
            }, next: .adverseSeverity(description: answer)))
            return []
        case let .adverseSeverity(description):
            let severity = AdverseSeverity(rawValue: answer) ?? .mild
            overlay = .prompt(Prompt(title: "Adverse event: \(severity.rawValue)", label: "Action taken", field: TextField(limit: 500),
                                     next: .adverseAction(description: description, severity: severity)))
            return []
        case let .adverseAction(description, severity):
            if sealed {
                overlay = .prompt(Prompt(title: "Addendum to a sealed session", label: "Why it is added now",
                                         next: .adverseAddendum(description: description, severity: severity, action: answer)))
                return []
            }
            return [.record(.adverseEventReported(AdverseEvent(description: description, severity: severity, actionTaken: answer)))]
        case let .adverseAddendum(description, severity, action):
            return [.record(.adverseEventReported(AdverseEvent(description: description, severity: severity, actionTaken: action, addendumReason: answer)))]
        case .correctionRecord, .correctionJump:
            guard let seq = Int(answer.trimmingSpaces()), state?.currentEvent(seq: seq) != nil else {
                notice = Notice("Record \(answer) has nothing that can be corrected: choose one from the list.", .warning)
                return [.bell] + chooseRecordToCorrect()
            }
            return chooseFieldToCorrect(seq: seq)
        case let .correctionField(seq):
            return enterCorrectedValue(seq: seq, path: answer)
        case let .correctionValue(seq, field, old):
            return askCorrectionReason(seq: seq, path: field, old: old, typed: answer)
        case let .correctionReason(seq, field, old, new):
            return [.record(.recordCorrected(Correction(seq: seq, field: field, oldValue: old, newValue: new, reason: answer)))]
        case .abortReason:
            // The anesthetic's time on the skin is part of the record even when the session stops: its removal is recorded first.
            let anestheticOn = dwellStageNow != nil ? ["The anesthetic is on: remove it now; its removal is recorded before the abort."] : []
            overlay = .confirmation(Confirmation(title: "Abort this session?",
                                                 lines: ["Reason: \(answer)"] + anestheticOn + ["The session is sealed; only addenda can follow."],
                                                 next: .abortConfirm(reason: answer)))
            return []
        case let .abortConfirm(reason):
            guard let stage = dwellStageNow else { return [.record(.aborted(reason: reason))] }
            let early: String? = if case .waiting = stage { "Session aborted before the minimum dwell" } else { nil }
            return [.removeAnesthetic(earlyRemovalReason: early), .record(.aborted(reason: reason))]
        case .signOff:
            if let user = signedIn, state?.isAttributed == true {
                overlay = .prompt(Prompt(title: "Sign as \(user.name): \"performed by\"", label: "PIN of \(user.id)", field: .secret(),
                                         next: .signOffPIN))
                return []
            }
            let by = state?.opening?.operatorName ?? ""
            return [.record(.signed(SignOff(attestation: "I, \(by), confirm this record of the session is complete and accurate.")))]
        case .signOffPIN:
            return [.signOff(pin: answer)]
        case .doseSetting, .doseCompounded, .doseMinutesAgo, .doseAmount, .doseArea, .doseLot, .doseExpiry:
            return followDose(next, answer: answer)
        case .confirmZone, .productChoice, .productLot, .productExpiry, .productReason:
            return followProduct(next, answer: answer)
        case let .cosign(path):
            overlay = .prompt(Prompt(title: "Co-sign as \(signedIn?.name ?? ""): \"reviewed\"", label: "PIN of \(signedIn?.id.rawValue ?? "")",
                                     field: .secret(), next: .cosignPIN(path: path)))
            return []
        case let .cosignPIN(path):
            return [.cosign(path: path, pin: answer)]
        }
    }
}
