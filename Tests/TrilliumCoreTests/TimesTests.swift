import Testing
@testable import TrilliumCore

/// Times on screens and in reports are written from their parts, in UTC,
/// and agree with the log's own RFC 3339 stamps.
@Suite("Times as people read them")
struct TimesTests {
    static func stamp(_ text: String) throws -> EventStamp {
        EventStamp(wallMilliseconds: try #require(RFC3339.parse(text)), monotonicNanoseconds: 0, bootID: "b")
    }

    @Test func eachFormIsThePartOfTheStampItNames() throws {
        let stamp = try Self.stamp("2026-04-05T09:07:03.999Z")
        #expect(Times.dateTime(stamp) == "2026-04-05 09:07:03 UTC")
        #expect(Times.dateTime(stamp, withZone: false) == "2026-04-05 09:07:03")
        #expect(Times.date(stamp) == "2026-04-05")
        #expect(Times.clock(stamp) == "09:07:03")
        #expect(Times.clock(stamp, withZone: true) == "09:07:03 UTC")
        #expect(Times.minute(stamp) == "09:07")
    }

    @Test func theyAgreeWithTheLogsStampsAcrossDaysYearsAndBeforeTheEpoch() throws {
        for text in ["1969-12-31T23:59:59.500Z", "1970-01-01T00:00:00.000Z", "2024-02-29T23:59:59.000Z",
                     "2026-12-31T00:00:00.001Z", "2100-03-01T12:34:56.789Z"] {
            let stamp = try Self.stamp(text)
            let rfc = RFC3339.format(wallMilliseconds: stamp.wallMilliseconds)
            #expect(Times.dateTime(stamp, withZone: false) == rfc.prefix(10) + " " + rfc.dropFirst(11).prefix(8), "\(text)")
        }
    }
}
