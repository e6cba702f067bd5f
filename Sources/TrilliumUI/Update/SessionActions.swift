import TrilliumCore

extension AppModel {
    /// An action on a session screen. Recording is always an effect: the
    /// screen changes only when the runtime reports the record durable.
    mutating func perform(_ action: Action) -> [Effect] {
        guard let state else { return [] }
        let p = state.treatmentProtocol
        let browsing: Set<Action> = [.showHelp, .quit, .moveUp, .moveDown, .nextPanel, .previousPanel]
        if isReadOnly, !browsing.contains(action), !(action == .confirm && state.phase.isSealed) {
            notice = Notice("Read-only: saving failed earlier. Nothing more can be recorded; quit and resume to carry on.", .danger)
            return [.bell]
        }
        let count = listDone.count
        switch action {
        case .showHelp:
            overlay = .help(scroll: 0)
        case .quit:
            return askToQuit()
        case .signOut:
            return []
        case .moveUp:
            if context == .treatment { zoneCursor = max(0, zoneCursor - 1) } else { cursor = max(0, cursor - 1) }
        case .moveDown:
            if context == .treatment { zoneCursor = min(max(0, state.plannedZones.count - 1), zoneCursor + 1) }
            else { cursor = min(max(0, count - 1), cursor + 1) }
        case .nextPanel, .previousPanel:
            let zones = state.plannedZones
            if let next = zones.indices.first(where: { $0 > zoneCursor && !state.progress(of: zones[$0].id).isFinished })
                ?? zones.indices.first(where: { !state.progress(of: zones[$0].id).isFinished }) {
                zoneCursor = next
            }

        // Screening
        case .answerYes, .answerNo:
            guard cursor < p.screening.count else { return [] }
            return [.record(.screeningAnswered(question: p.screening[cursor].id, answer: action == .answerYes))]
        case .overrideAnswer:
            guard cursor < p.screening.count else { return [] }
            let question = p.screening[cursor]
            guard question.rule.blocksOnYes, state.screening[question.id]?.answer == true else {
                notice = Notice("Only a blocking \"yes\" is overridden.", .warning)
                return []
            }
            guard question.rule != .absolute else {
                notice = Notice("An absolute contraindication is never overridden: n changes a wrong answer, A aborts.", .danger)
                return [.bell]
            }
            overlay = .prompt(Prompt(title: "Override: \(question.text)", label: "Reason (recorded, shown to the reviewer)",
                                     next: .overrideScreening(question: question.id)))
        case .confirmProphylaxis:
            guard cursor < p.screening.count else { return [] }
            return [.record(.prophylaxisConfirmed(question: p.screening[cursor].id))]

        // Checklists and agent choice
        case .toggle:
            return toggle(state)

        case .removeAnesthetic:
            if case .waiting = dwellStageNow {
                overlay = .prompt(Prompt(title: "Remove before the minimum dwell?", label: "Reason for removing early",
                                         next: .earlyRemoval))
            } else {
                overlay = .confirmation(Confirmation(title: "Anesthetic removed completely?",
                                                     lines: ["Record the removal now; antisepsis comes next."], next: .confirmRemoval))
            }

        // Treatment
        case .depthUp, .depthDown:
            guard let zone = selectedZone, !state.progress(of: zone.id).isFinished else { return [] }
            if let needle = state.rollerNeedleLength {
                notice = Notice("A roller's needles are \(needle) long: its depth does not change.", .info)
                return []
            }
            let limits = state.device.limits
            let step = limits.depthStep.micrometres
            let current = shownDepth(for: zone).micrometres
            let proposed = action == .depthUp ? current + step : current - step
            guard proposed >= step else { return [] }
            guard proposed <= limits.maximumDepth.micrometres else {
                notice = Notice("The device goes no deeper than \(limits.maximumDepth).", .warning)
                return [.bell]
            }
            pendingDepth[zone.id] = Depth(micrometres: proposed)
        case .setDepth:
            guard let zone = selectedZone else { return [] }
            let depth = shownDepth(for: zone)
            if !zone.allows(depth) {
                overlay = .prompt(Prompt(title: "\(depth) is outside \(zone.name)'s range \(zone.minimumDepth.millimetreText)–\(zone.maximumDepth)",
                                         label: "Reason to confirm this depth", next: .depthReason(zone: zone.id, depth: depth)))
                return []
            }
            return [.record(.depthSet(zone: zone.id, depth: depth, reason: nil))]
        case .recordPass:
            guard let zone = selectedZone else { return [] }
            guard let set = state.progress(of: zone.id).depth else {
                notice = Notice("Set the depth first: +/- then d.", .warning)
                return [.bell]
            }
            if let pending = pendingDepth[zone.id], pending != set {
                notice = Notice("The depth shown (\(pending)) is not set yet: press d to record it, or - / + back to \(set).", .warning)
                return [.bell]
            }
            if confirmZoneFirst(zone, state: state) { return [] }
            overlay = .choice(Choice(
                title: "Pass \(state.progress(of: zone.id).passes.count + 1) on \(zone.name) at \(set): direction",
                // A roller is rolled in its own directions, never stamped.
                options: p.directions.filter { state.device.allows($0.id) }.enumerated().map { index, direction in
                    ChoiceOption(key: Character(String(index + 1)), label: "\(glyphs.isUnicode ? direction.symbol : direction.asciiSymbol)  \(direction.name)", value: direction.id.rawValue)
                },
                next: .passDirection(zone: zone.id)))
        case .recordEndpoint:
            guard let zone = selectedZone else { return [] }
            overlay = .choice(Choice(title: "Clinical endpoint on \(zone.name)",
                                     options: p.endpoints.enumerated().map { ChoiceOption(key: Character(String($0 + 1)), label: $1.name, value: $1.id.rawValue) },
                                     next: .endpoint(zone: zone.id)))
        case .completeZone:
            guard let zone = selectedZone else { return [] }
            return [.record(.zoneCompleted(zone: zone.id))]
        case .applyProduct:
            guard let zone = selectedZone else { return [] }
            return chooseProduct(for: zone, state: state)
        case .skipZone:
            guard let zone = selectedZone else { return [] }
            overlay = .prompt(Prompt(title: "Skip \(zone.name)", label: "Reason for skipping", next: .skipZone(zone: zone.id)))

        case .confirm:
            return confirmScreen(state)

        // Anywhere
        case .addNote:
            overlay = .prompt(Prompt(title: "Note", label: "Note text", field: TextField(limit: 500), next: .note))
        case .reportAdverseEvent:
            overlay = .prompt(Prompt(title: "Adverse event", label: "What happened", field: TextField(limit: 500), next: .adverseDescription))
        case .correctRecord:
            return chooseRecordToCorrect()
        case .abortSession:
            guard !state.phase.isSealed else {
                notice = Notice("The session is already \(state.phase.title.lowercased()).", .info)
                return []
            }
            overlay = .prompt(Prompt(title: "Abort the session", label: "Reason for aborting", next: .abortReason))
        case .back, .chooseOption, .previousChoice, .nextChoice, .previousPage, .nextPage, .firstRecord, .lastRecord, .goToRecord,
             .playPause, .changeSpeed, .find, .findNext, .findPrevious, .switchPane, .showRecord:
            break
        }
        return []
    }

    mutating func toggle(_ state: SessionState) -> [Effect] {
        let p = state.treatmentProtocol
        func confirm(_ items: [ChecklistItem], _ done: Set<ChecklistItemID>, _ make: (ChecklistItemID) -> SessionEvent) -> [Effect] {
            guard cursor < items.count else { return [] }
            let item = items[cursor]
            if done.contains(item.id) {
                notice = Notice("Already confirmed and recorded. A mistake is put right with a correction (C).", .info)
                return []
            }
            return [.record(make(item.id))]
        }
        switch context {
        case .preparation:
            // The photo and consent items name the files attached for them so far.
            return confirm(p.preparation, state.preparationConfirmed) { id in
                let kind = p.preparation.first { $0.id == id }?.attachmentKind
                return .preparationConfirmed(item: id, attachments: kind.map { state.attachments(of: $0).map(\.attachment.digest) } ?? [])
            }
        case .antisepsis: return confirm(p.antisepsis, state.antisepsisConfirmed, SessionEvent.antisepsisConfirmed)
        case .aftercare: return confirm(p.aftercare, state.aftercareConfirmed, SessionEvent.aftercareConfirmed)
        case .anesthetic:
            guard cursor < p.anesthesia.agents.count else { return [] }
            let agent = p.anesthesia.agents[cursor]
            switch agent.occlusion {
            case .optional: occlusion.toggle()
            case .required: notice = Notice("\(agent.name) is always applied under occlusion.", .info)
            case .never: notice = Notice("\(agent.name) must never be occluded.", .info)
            }
            return []
        default: return []
        }
    }

    mutating func confirmScreen(_ state: SessionState) -> [Effect] {
        let p = state.treatmentProtocol
        switch context {
        case .screening: return [.record(.screeningCompleted)]
        case .preparation: return [.record(.preparationCompleted)]
        case .anesthetic:
            if cursor >= p.anesthesia.agents.count {
                overlay = .prompt(Prompt(title: "No topical anesthetic", label: "Reason", next: .declineAnesthetic))
                return []
            }
            let agent = p.anesthesia.agents[cursor]
            let occluded = agent.occlusion == .required ? true : (agent.occlusion == .never ? false : occlusion)
            return applyAgent(agent, occluded: occluded, state: state)
        case .antisepsis: return [.record(.treatmentStarted)]
        case .treatment:
            let unfinished = state.unfinishedZones
            guard unfinished.isEmpty else {
                notice = Notice("Complete or skip every zone first: \(unfinished.map(\.name).joined(separator: ", ")).", .warning)
                return [.bell]
            }
            overlay = .confirmation(Confirmation(title: "Finish treatment?", lines: ["Every planned zone is complete or skipped.", "Aftercare comes next."],
                                                 next: .finishTreatment))
        case .aftercare:
            let missing = p.aftercare.filter { !state.aftercareConfirmed.contains($0.id) }
            guard missing.isEmpty else {
                notice = Notice("Confirm every aftercare item first (\(missing.count) left).", .warning)
                return [.bell]
            }
            // The signature's meaning is shown before it is made (21 CFR 11.50).
            let meaning = signedIn.map { user in
                ["", "Your electronic signature: \(user.name) (\(user.id)), operator,", "meaning \"performed by\"; your PIN is asked next."]
            } ?? []
            overlay = .confirmation(Confirmation(title: "Sign off and seal this session?", lines: SignOffSummary.lines(state) + meaning,
                                                 next: .signOff))
        case .sealed:
            return [.closeSession, .loadStart]
        default: break
        }
        return []
    }
}
