import TrilliumCore

/// The patient's earlier treatments, as the runtime found them in the local
/// records when the session opened: for the consultation's early-return
/// check and the aftercare screen's next date.
public struct PatientSeries: Sendable, Equatable {
    /// Signed treatments before this session (training sessions are not treatments).
    public var treatments: Int
    /// The day (since 1970) of the last of them.
    public var lastTreatedDay: Int?

    public init(treatments: Int = 0, lastTreatedDay: Int? = nil) {
        self.treatments = treatments
        self.lastTreatedDay = lastTreatedDay
    }
}

/// The consultation at intake, being filled in: skin type, concerns, the
/// patient's goals in their words, the age confirmed, and a reason when the
/// patient is back sooner than the protocol's interval.
public struct ConsultationForm: Sendable, Equatable {
    public enum Row: Sendable, Equatable {
        case skinType
        case concern(ConcernID)
        case goals
        case age
        case earlyReturn
    }

    public var skinType: FitzpatrickType?
    public var concerns: [ConcernID] = []
    public var goals = TextField(limit: RecordSchema.Limit.goals)
    public var ageConfirmed = false
    public var earlyReturnReason = TextField(limit: RecordSchema.Limit.reason)
    public var row = 0

    public init() {}

    /// The rows in order: the early-return reason only when it is asked for.
    public static func rows(_ rules: ConsultationRules, asksEarlyReturn: Bool) -> [Row] {
        [.skinType] + rules.concerns.map { .concern($0.id) } + [.goals, .age] + (asksEarlyReturn ? [.earlyReturn] : [])
    }
}

extension AppModel {
    /// Days since the patient's last treatment when that is sooner than the protocol's minimum interval.
    public var earlyReturnDays: Int? {
        guard let state, let last = patientSeries.lastTreatedDay else { return nil }
        let days = CivilDate.daysSinceEpoch(wallMilliseconds: now.wallMilliseconds) - last
        return days < state.treatmentProtocol.followUp.minimumWeeks * 7 ? max(0, days) : nil
    }
}
