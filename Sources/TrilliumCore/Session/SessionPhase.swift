/// Where a session stands. A session moves forward only, one phase at a time,
/// and may be aborted (with a reason) from any phase before it is signed.
public enum SessionPhase: String, Sendable, Equatable, CaseIterable {
    case intake
    case screening
    case preparation
    case anesthesia
    case treatment
    case aftercare
    case signed
    case aborted

    /// Signed or aborted: only addenda (notes, adverse events, corrections) follow.
    public var isSealed: Bool { self == .signed || self == .aborted }

    public var title: String {
        switch self {
        case .intake: "Intake"
        case .screening: "Screening"
        case .preparation: "Preparation"
        case .anesthesia: "Anesthesia"
        case .treatment: "Treatment"
        case .aftercare: "Aftercare"
        case .signed: "Signed"
        case .aborted: "Aborted"
        }
    }
}
