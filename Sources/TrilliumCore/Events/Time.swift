/// A span of time in whole milliseconds; dwell times and elapsed times use it
/// so that durations in the record are exact integers.
public typealias Milliseconds = Int64

/// When a record was made, as the log stores it: UTC wall time for people and
/// audit, and the monotonic clock with the boot it belongs to for durations.
public struct EventStamp: Sendable, Equatable {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    public var wallMilliseconds: Int64
    /// Nanoseconds on the boot-time monotonic clock (keeps counting in suspend).
    public var monotonicNanoseconds: UInt64
    /// The kernel's boot id: monotonic readings compare only within one boot.
    public var bootID: String

    public init(wallMilliseconds: Int64, monotonicNanoseconds: UInt64, bootID: String) {
        self.wallMilliseconds = wallMilliseconds
        self.monotonicNanoseconds = monotonicNanoseconds
        self.bootID = bootID
    }

    /// Time from `earlier` to this stamp: on the monotonic clock when both come
    /// from the same boot (immune to wall-clock steps), else on wall time.
    public func elapsed(since earlier: EventStamp) -> Milliseconds {
        if bootID == earlier.bootID {
            let nanoseconds = Int64(bitPattern: monotonicNanoseconds &- earlier.monotonicNanoseconds)
            return nanoseconds / 1_000_000
        }
        return wallMilliseconds - earlier.wallMilliseconds
    }
}

/// Civil-date arithmetic without Foundation, so the core stays free of locale and time zone.
public enum CivilDate {
    /// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
    public static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let monthIndex = (month + 9) % 12
        let dayOfYear = (153 * monthIndex + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The (year, month, day) of a day number since 1970-01-01.
    public static func date(days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    public static func daysSinceEpoch(wallMilliseconds: Int64) -> Int {
        let ms = wallMilliseconds
        return Int((ms >= 0 ? ms : ms - 86_399_999) / 86_400_000)
    }

    /// Parses "YYYY-MM-DD" or "YYYY-MM" (a cartridge's expiry month, taken as its last day).
    public static func parseExpiry(_ text: String) -> Int? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3,
              parts[0].count == 4, parts[1].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), (1...12).contains(month)
        else { return nil }
        if parts.count == 3 {
            guard parts[2].count == 2, let day = Int(parts[2]),
                  day >= 1, day <= daysIn(year: year, month: month) else { return nil }
            return days(year: year, month: month, day: day)
        }
        return days(year: year, month: month, day: daysIn(year: year, month: month))
    }

    /// Parses a calendar day, "YYYY-MM-DD" and nothing else.
    public static func parseDay(_ text: String) -> Int? {
        guard text.utf8.count == 10, text.utf8.enumerated().allSatisfy({ index, byte in
            index == 4 || index == 7 ? byte == UInt8(ascii: "-") : (0x30...0x39).contains(byte)
        }) else { return nil }
        return parseExpiry(text)
    }

    /// The day `months` calendar months after `day`, kept within the month
    /// (31 January and one month is 28 or 29 February).
    public static func adding(months: Int, to day: Int) -> Int {
        let (year, month, dayOfMonth) = date(days: day)
        let total = year * 12 + (month - 1) + months
        let (newYear, newMonth) = (total / 12, total % 12 + 1)
        return days(year: newYear, month: newMonth, day: min(dayOfMonth, daysIn(year: newYear, month: newMonth)))
    }

    public static func daysIn(year: Int, month: Int) -> Int {
        let start = days(year: year, month: month, day: 1)
        let next = month == 12 ? days(year: year + 1, month: 1, day: 1) : days(year: year, month: month + 1, day: 1)
        return next - start
    }

    /// "YYYY-MM-DD" for a day number.
    public static func text(days: Int) -> String {
        let (y, m, d) = date(days: days)
        return "\(y)-\(m < 10 ? "0" : "")\(m)-\(d < 10 ? "0" : "")\(d)"
    }
}

/// RFC 3339 UTC timestamps with milliseconds, as the log's `at` field holds them:
/// "2026-11-25T04:15:02.123Z". Exactly this form is written and accepted.
public enum RFC3339 {
    public static func format(wallMilliseconds ms: Int64) -> String {
        let days = CivilDate.daysSinceEpoch(wallMilliseconds: ms)
        let msOfDay = Int(ms - Int64(days) * 86_400_000)
        let (h, m, s, milli) = (msOfDay / 3_600_000, msOfDay / 60_000 % 60, msOfDay / 1000 % 60, msOfDay % 1000)
        return CivilDate.text(days: days) + "T" + pad(h, 2) + ":" + pad(m, 2) + ":" + pad(s, 2) + "." + pad(milli, 3) + "Z"
    }

    public static func parse(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        guard bytes.count == 24, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
              bytes[19] == UInt8(ascii: "."), bytes[23] == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for i in range {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[i]) else { return nil }
                value = value * 10 + Int(bytes[i] - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
              let milli = number(20..<23), (1...12).contains(month), day >= 1,
              day <= CivilDate.daysIn(year: year, month: month), hour < 24, minute < 60, second < 60
        else { return nil }
        let days = Int64(CivilDate.days(year: year, month: month, day: day))
        return days * 86_400_000 + Int64(hour * 3_600_000 + minute * 60_000 + second * 1000 + milli)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
