/// How a span of time is written, in one place: in sentences and reports
/// ("1 h 05 min 00 s", "32 min 07 s") and on a clock face ("1:05:00", "32:07").
/// Negative spans (a clock stepped back) read as zero.
public enum Durations {
    /// "32 min 07 s", or "1 h 05 min 00 s" from an hour on.
    public static func text(_ milliseconds: Milliseconds) -> String {
        let (hours, minutes, seconds) = parts(milliseconds)
        guard hours > 0 else { return "\(minutes) min \(pad(seconds)) s" }
        return "\(hours) h \(pad(minutes)) min \(pad(seconds)) s"
    }

    /// "32:07", or "1:05:00" from an hour on.
    public static func clock(_ milliseconds: Milliseconds) -> String {
        let (hours, minutes, seconds) = parts(milliseconds)
        let face = "\(pad(minutes)):\(pad(seconds))"
        return hours > 0 ? "\(hours):" + face : face
    }

    /// Whole minutes ("30"), or tenths of a minute for the short dwells of a
    /// training or test protocol ("0.1"), without the unit.
    public static func minutes(_ milliseconds: Milliseconds) -> String {
        if milliseconds % 60_000 == 0 { return String(milliseconds / 60_000) }
        let tenths = (max(0, milliseconds) * 10 + 30_000) / 60_000
        return "\(tenths / 10).\(tenths % 10)"
    }

    private static func parts(_ milliseconds: Milliseconds) -> (Int64, Int64, Int64) {
        let seconds = max(0, milliseconds) / 1000
        return (seconds / 3600, seconds / 60 % 60, seconds % 60)
    }

    private static func pad(_ value: Int64) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
