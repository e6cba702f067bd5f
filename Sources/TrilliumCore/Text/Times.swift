/// How a moment is written for people, in one place. Every time Trillium
/// shows is UTC (the log's own time: a report read in another time zone
/// years later must say the same), and is written from its parts, never cut
/// out of another formatted string.
public enum Times {
    /// "2026-04-15 15:55:00 UTC", or without " UTC" where a column says so.
    public static func dateTime(_ stamp: EventStamp, withZone: Bool = true) -> String {
        dateTime(wallMilliseconds: stamp.wallMilliseconds, withZone: withZone)
    }

    /// The same, of a wall time in milliseconds since the epoch (as the session index keeps it).
    public static func dateTime(wallMilliseconds: Int64, withZone: Bool = true) -> String {
        let (days, hour, minute, second) = parts(wallMilliseconds)
        let (year, month, day) = CivilDate.date(days: days)
        guard (1000...9999).contains(year) else {
            return CivilDate.text(days: days) + " " + clock(hour, minute, second) + (withZone ? " UTC" : "")
        }
        // Written digit by digit, as "2026-04-15 15:55:00": `sessions` writes one for each of 25,000 sessions.
        let length = withZone ? 23 : 19
        return String(unsafeUninitializedCapacity: length) { buffer in
            func put(_ value: Int, digits: Int, at position: Int) {
                var value = value
                for offset in stride(from: digits - 1, through: 0, by: -1) {
                    buffer[position + offset] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                }
            }
            put(year, digits: 4, at: 0)
            put(month, digits: 2, at: 5)
            put(day, digits: 2, at: 8)
            put(hour, digits: 2, at: 11)
            put(minute, digits: 2, at: 14)
            put(second, digits: 2, at: 17)
            buffer[4] = UInt8(ascii: "-")
            buffer[7] = UInt8(ascii: "-")
            buffer[10] = UInt8(ascii: " ")
            buffer[13] = UInt8(ascii: ":")
            buffer[16] = UInt8(ascii: ":")
            if withZone {
                for (offset, byte) in " UTC".utf8.enumerated() { buffer[19 + offset] = byte }
            }
            return length
        }
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
        parts(stamp.wallMilliseconds)
    }

    private static func parts(_ wallMilliseconds: Int64) -> (days: Int, hour: Int, minute: Int, second: Int) {
        let days = CivilDate.daysSinceEpoch(wallMilliseconds: wallMilliseconds)
        let secondOfDay = Int((wallMilliseconds - Int64(days) * 86_400_000) / 1000)
        return (days, secondOfDay / 3600, secondOfDay / 60 % 60, secondOfDay % 60)
    }

    private static func clock(_ hour: Int, _ minute: Int, _ second: Int) -> String {
        pad(hour) + ":" + pad(minute) + ":" + pad(second)
    }

    private static func pad(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
