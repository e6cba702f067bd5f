import TrilliumCore

/// What a medical director is shown before co-signing a session as
/// reviewed: the treatment in a few lines, and every warning and adverse
/// event, so that the signature's meaning ("reviewed") stands on what was
/// put in front of the signer, not on a patient reference alone. (The
/// dialog scrolls, and takes the signature only once all of it was in view.)
public enum ReviewSummary {
    public static func lines(_ state: SessionState) -> [String] {
        guard let opening = state.currentOpening else { return [] }
        var lines = ["Zones (mm): " + SessionIndex.zoneSummary(state),
                     "Given with: " + SessionIndex.clinicalSummary(state, opening: opening)]
        if !state.products.isEmpty {
            let names = state.products.map(\.application.name).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            lines.append("Products: " + names.joined(separator: ", "))
        }
        lines += listed("Warnings", state.warnings.map { SessionReport.warningText($0, state) })
        lines += listed("Adverse events", state.adverseEvents.map { recorded in
            "#\(recorded.seq) \(recorded.event.severity.rawValue): \(recorded.event.description); \(recorded.event.actionTaken)"
        })
        if !state.corrections.isEmpty { lines.append("Corrections: \(state.corrections.count), each in the report") }
        return lines
    }

    /// "Warnings: none", or the count and each one, a line apiece.
    private static func listed(_ title: String, _ items: [String]) -> [String] {
        items.isEmpty ? ["\(title): none"] : ["\(title) (\(items.count)):"] + items.map { "  " + $0 }
    }
}
