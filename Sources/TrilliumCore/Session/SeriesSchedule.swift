/// Where a patient stands in their series: how many treatments, the last,
/// and from the protocol's follow-up what comes next: the next session's
/// window, or, once the series is complete, the maintenance date.
public struct SeriesSchedule: Sendable, Equatable {
    /// Signed treatments so far (training sessions are rehearsals, not counted).
    public var treatments: Int
    /// The day (since 1970) of the last of them.
    public var lastTreatedDay: Int
    public var followUp: FollowUp

    public init(treatments: Int, lastTreatedDay: Int, followUp: FollowUp) {
        self.treatments = treatments
        self.lastTreatedDay = lastTreatedDay
        self.followUp = followUp
    }

    /// The days the next session of the series falls between; nil once the series has its maximum.
    public var nextWindow: ClosedRange<Int>? {
        guard treatments < followUp.seriesMaximum else { return nil }
        return (lastTreatedDay + followUp.minimumWeeks * 7)...(lastTreatedDay + followUp.maximumWeeks * 7)
    }

    /// Whether the series has its minimum: it may end here, and maintenance follows.
    public var isComplete: Bool { treatments >= followUp.seriesMinimum }

    /// The maintenance date after a completed series; nil before, or where the protocol sets no interval.
    public var maintenanceDay: Int? {
        guard isComplete, let months = followUp.maintenanceMonths else { return nil }
        return CivilDate.adding(months: months, to: lastTreatedDay)
    }

    /// One sentence for the history and the aftercare screen.
    public var summary: String {
        let range = "\(followUp.seriesMinimum)–\(followUp.seriesMaximum)"
        let maintenance = maintenanceDay.map { "maintenance on \(CivilDate.text(days: $0)) (every \(followUp.maintenanceMonths ?? 0) months)" }
        guard let window = nextWindow else {
            return "Series complete (\(treatments) of \(range))" + (maintenance.map { ": next \($0)." } ?? ".")
        }
        let next = "Next session between \(CivilDate.text(days: window.lowerBound)) and \(CivilDate.text(days: window.upperBound)) "
            + "(series \(treatments) of \(range))"
        guard isComplete, let maintenance else { return next + "." }
        return next + "; if the series ends here, \(maintenance)."
    }
}
