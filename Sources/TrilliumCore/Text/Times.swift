/// How a moment is written for people, in one place. Every time Trillium
/// shows is UTC (the log's own time: a report read in another time zone
/// years later must say the same), and is written from its parts, never cut
/// out of another formatted string.
public enum Times {
    /// "2026-04-15 15:55:00 UTC", or without " UTC" where a column says so.
    public static func dateTime(_ stamp: EventStamp, withZone: Bool = true) -> String {
        let (days, hour, minute, second) = parts(stamp)
        return CivilDate.text(days: days) + " " + clock(hour, minute, second) + (withZone ? " UTC" : "")
    }

    /// "2026-04-15".
    public static func date(_ stamp: EventStamp) -> String {
        CivilDate.text(days: parts(stamp).days)
    }

    /// "15:55:00", or "15:55:00 UTC".
    public static func clock(_ stamp: EventStamp, withZone: Bool = false) -> String {
        let (_, hour, minute, second) = parts(stamp)
        return clock(hour, minute, second) + (withZone ? " UTC" : "")
    }

    /// "15:55": the minute, for lists of today's sessions.
    public static func minute(_ stamp: EventStamp) -> String {
        let (_, hour, minute, _) = parts(stamp)
        return pad(hour) + ":" + pad(minute)
    }

    private static func parts(_ stamp: EventStamp) -> (days: Int, hour: Int, minute: Int, second: Int) {
        let days = CivilDate.daysSinceEpoch(wallMilliseconds: stamp.wallMilliseconds)
        let secondOfDay = Int((stamp.wallMilliseconds - Int64(days) * 86_400_000) / 1000)
        return (days, secondOfDay / 3600, secondOfDay / 60 % 60, secondOfDay % 60)
    }

    private static func clock(_ hour: Int, _ minute: Int, _ second: Int) -> String {
        pad(hour) + ":" + pad(minute) + ":" + pad(second)
    }

    private static func pad(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
