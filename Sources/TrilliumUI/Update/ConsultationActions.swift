import TrilliumCore

extension AppModel {
    /// The consultation form: typing goes to the goals or the early-return
    /// reason when one of them is the row; the other keys move, tick and record.
    mutating func pressOnConsultation(_ key: Key) -> [Effect] {
        guard let state, let rules = state.treatmentProtocol.consultation else { return [] }
        let rows = ConsultationForm.rows(rules, asksEarlyReturn: earlyReturnDays != nil)
        var form = consultationForm
        form.row = min(form.row, rows.count - 1)
        defer { consultationForm = form }
        let row = rows[form.row]
        switch (row, key) {
        case (.goals, .character) where form.goals.isFull:
            return refuseOverflow(of: form.goals, label: "The patient's goals")
        case (.goals, _) where key != .enter && key != .tab && key != .up && key != .down && key != .escape:
            _ = form.goals.handle(key)
            return []
        case (.earlyReturn, .character) where form.earlyReturnReason.isFull:
            return refuseOverflow(of: form.earlyReturnReason, label: "The reason")
        case (.earlyReturn, _) where key != .enter && key != .tab && key != .up && key != .down && key != .escape:
            _ = form.earlyReturnReason.handle(key)
            return []
        case let (.skinType, .character(digit)) where ("1"..."6").contains(digit):
            form.skinType = FitzpatrickType.allCases[Int(String(digit))! - 1]
            return []
        default:
            break
        }
        guard let action = KeyMap.action(for: key, in: .consultation, inSession: true) else { return [] }
        switch action {
        case .moveUp: form.row = max(0, form.row - 1)
        case .moveDown: form.row = min(rows.count - 1, form.row + 1)
        case .previousChoice, .nextChoice:
            guard row == .skinType else { return [] }
            let types = FitzpatrickType.allCases
            let current = form.skinType.flatMap { types.firstIndex(of: $0) } ?? (action == .nextChoice ? -1 : types.count)
            form.skinType = types[max(0, min(types.count - 1, current + (action == .nextChoice ? 1 : -1)))]
        case .toggle:
            switch row {
            case let .concern(id):
                if let index = form.concerns.firstIndex(of: id) { form.concerns.remove(at: index) } else { form.concerns.append(id) }
            case .age: form.ageConfirmed.toggle()
            default: break
            }
        case .confirm:
            // A refusal takes the cursor to the row to put right: the form goes back as the check left it.
            consultationForm = form
            let effects = recordConsultation(state, rules)
            form = consultationForm
            return effects
        default:
            // Notes, adverse events, corrections, abort and quit work here too.
            consultationForm = form
            let effects = perform(action)
            form = consultationForm
            return effects
        }
        return []
    }

    private mutating func recordConsultation(_ state: SessionState, _ rules: ConsultationRules) -> [Effect] {
        let form = consultationForm
        let minimum = rules.minimumAge(with: state.device)
        func refuse(_ text: String, row: ConsultationForm.Row) -> [Effect] {
            notice = Notice(text, .warning)
            consultationForm.row = ConsultationForm.rows(rules, asksEarlyReturn: earlyReturnDays != nil).firstIndex(of: row) ?? 0
            return [.bell]
        }
        guard let skinType = form.skinType else { return refuse("Choose the Fitzpatrick skin type: ←/→ or 1 to 6.", row: .skinType) }
        guard !form.concerns.isEmpty else {
            return refuse("Tick at least one concern with Space.", row: rules.concerns.first.map { .concern($0.id) } ?? .skinType)
        }
        guard !form.goals.trimmed.isEmpty else { return refuse("Write the patient's goals, in their words.", row: .goals) }
        guard form.ageConfirmed else {
            return refuse("Confirm the patient is \(minimum) or over (Space); under \(minimum), abort with A.", row: .age)
        }
        var reason: String?
        if let days = earlyReturnDays {
            guard !form.earlyReturnReason.trimmed.isEmpty else {
                return refuse("The last treatment was \(days) days ago: give the reason for treating again so soon.", row: .earlyReturn)
            }
            reason = form.earlyReturnReason.trimmed
        }
        let ordered = rules.concerns.map(\.id).filter { form.concerns.contains($0) }
        return [.record(.consultationRecorded(Consultation(
            skinType: skinType, concerns: ordered, goals: form.goals.trimmed, ageConfirmed: true, minimumAge: minimum,
            previousSession: patientSeries.lastTreatedDay.map { CivilDate.text(days: $0) }, earlyReturnReason: reason)))]
    }
}
