import TrilliumCore

extension AppModel {
    mutating func pressInOverlay(_ key: Key) -> [Effect] {
        guard let current = overlay else { return [] }
        switch current {
        case let .help(scroll):
            overlay = Scrolling.next(scroll, key: key, closingIn: .help).map { .help(scroll: $0) }
            return []
        case var .prompt(prompt):
            switch key {
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
            case .enter:
                overlay = nil
                return follow(choice.next, answer: choice.options[choice.selection].value)
            case let .character(c):
                if let option = choice.options.first(where: { $0.key == c }) {
                    overlay = nil
                    return follow(choice.next, answer: option.value)
                }
            default: break
            }
            return []
        case let .confirmation(confirmation):
            switch KeyMap.action(for: key, in: .confirmation, inSession: false) {
            case .confirm:
                overlay = nil
                return follow(confirmation.next, answer: "yes")
            case .back:
                overlay = nil
                if confirmation.next != .quit { notice = Notice("Cancelled: nothing was recorded.", .info) }
            default:
                if key == .control("c"), confirmation.next == .quit { overlay = nil }
            }
            return []
        }
    }

    /// Carries out what an answered overlay leads to.
    mutating func follow(_ next: FollowUp, answer: String) -> [Effect] {
        let sealed = state?.phase.isSealed ?? false
        switch next {
        case .quit:
            isQuitting = true
            return [.closeSession, .quit]
        case let .overrideScreening(question):
            return [.record(.screeningOverridden(question: question, reason: answer))]
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
        case .correctionRecord:
            guard let seq = Int(answer), let record = session?.recentRecords.first(where: { $0.seq == seq }) else { return [] }
            overlay = .choice(Choice(title: "Correct which field of #\(seq)?", options: RecordSchema.of(record.event.kind).correctableFields.map(\.path).map { field in
                ChoiceOption(key: nil, label: "\(field): \(EventData.fieldText(field, of: record.event) ?? "(none)")", value: field)
            }, next: .correctionField(seq: seq)))
            return []
        case let .correctionField(seq):
            guard let record = session?.recentRecords.first(where: { $0.seq == seq }) else { return [] }
            let old = EventData.fieldText(answer, of: record.event) ?? ""
            overlay = .prompt(Prompt(title: "#\(seq) \(answer): was \"\(old)\"", label: "Correct value", field: TextField(old, limit: 500),
                                     next: .correctionValue(seq: seq, field: answer, old: old)))
            return []
        case let .correctionValue(seq, field, old):
            overlay = .prompt(Prompt(title: "#\(seq) \(field): \"\(old)\" → \"\(answer)\"", label: "Reason for the correction",
                                     next: .correctionReason(seq: seq, field: field, old: old, new: answer)))
            return []
        case let .correctionReason(seq, field, old, new):
            return [.record(.recordCorrected(Correction(seq: seq, field: field, oldValue: old, newValue: new, reason: answer)))]
        case .abortReason:
            overlay = .confirmation(Confirmation(title: "Abort this session?", lines: ["Reason: \(answer)", "The session is sealed; only addenda can follow."],
                                                 next: .abortConfirm(reason: answer)))
            return []
        case let .abortConfirm(reason):
            return [.record(.aborted(reason: reason))]
        case .signOff:
            let by = state?.opening?.operatorName ?? ""
            return [.record(.signed(attestation: "I, \(by), confirm this record of the session is complete and accurate."))]
        }
    }
}
