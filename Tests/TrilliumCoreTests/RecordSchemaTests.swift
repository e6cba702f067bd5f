import Testing
import TrilliumCore

@Suite("Record data and JSON")
struct RecordSchemaTests {
    static let everyEvent: [SessionEvent] = [
        .opened(Driver.opening()),
        .screeningAnswered(question: "keloid", answer: true),
        .screeningOverridden(question: "keloid", reason: "Old scar"),
        .prophylaxisConfirmed(question: "cold_sores"),
        .screeningCompleted,
        .preparationConfirmed(item: "consent"),
        .preparationCompleted,
        .anestheticApplied(agent: "emla", occluded: true),
        .anestheticDeclined(reason: "Patient prefers none"),
        .anestheticRemoved(AnestheticRemoval(dwell: 1_234_567, earlyRemovalReason: "Numb early", exceededMaximum: false)),
        .anestheticRemoved(AnestheticRemoval(dwell: 9_000_000, earlyRemovalReason: nil, exceededMaximum: true)),
        .antisepsisConfirmed(item: "alcohol"),
        .treatmentStarted,
        .depthSet(zone: "cheek", depth: Depth(micrometres: 1750), reason: "Deep scars"),
        .depthSet(zone: "cheek", depth: Depth(micrometres: 1000), reason: nil),
        .passRecorded(zone: "cheek", direction: "vertical", depth: Depth(micrometres: 1000)),
        .endpointReached(zone: "cheek", endpoint: "erythema"),
        .zoneCompleted(zone: "cheek"),
        .zoneSkipped(zone: "forehead", reason: "Irritation"),
        .treatmentCompleted,
        .aftercareConfirmed(item: "spf"),
        .noteAdded(text: "Line one\nline two \"quoted\" \\ tab\t é 日本 😀 \u{1B}[31m", addendumReason: nil),
        .noteAdded(text: "Called", addendumReason: "Follow-up"),
        .adverseEventReported(AdverseEvent(description: "Swelling", severity: .severe, actionTaken: "Referred", addendumReason: "Next day")),
        .recordCorrected(Correction(seq: 3, field: "reason", oldValue: "a", newValue: "b", reason: "typo")),
        .logRepaired(LogRepair(droppedBytes: 57, truncatedAt: 1234, backupFile: "x.tlog.torn-at-1234")),
        .signed(attestation: "Complete and accurate."),
        .aborted(reason: "Withdrew consent"),
    ]

    @Test func everyKindIsCovered() {
        #expect(Set(Self.everyEvent.map(\.kind)) == Set(EventKind.allCases))
    }

    @Test func everyEventSurvivesEncodingToJSONBytesAndBack() throws {
        for event in Self.everyEvent {
            let bytes = JSONWriter.bytes(EventData.encode(event))
            #expect(!bytes.contains(0x0A), "a record's JSON never holds a line feed")
            let parsed = try JSONParser.parse(bytes)
            let decoded = try EventData.decode(type: event.kind.rawValue, version: 1, data: parsed)
            #expect(decoded == event)
        }
    }

    @Test func decodingRefusesUnknownTypesVersionsAndMissingFields() {
        #expect(throws: EventData.DecodingFailure(type: "zone.teleported", reason: "unknown record type")) {
            try EventData.decode(type: "zone.teleported", version: 1, data: .object([]))
        }
        #expect(throws: EventData.DecodingFailure(type: "zone.pass", reason: "unknown schema version 9")) {
            try EventData.decode(type: "zone.pass", version: 9, data: .object([]))
        }
        #expect(throws: EventData.DecodingFailure(type: "zone.pass", reason: "missing field \"direction\"")) {
            try EventData.decode(type: "zone.pass", version: 1, data: .object([("zone", .string("cheek")), ("depth_um", .integer(500))]))
        }
        #expect(throws: EventData.DecodingFailure(type: "screening.answered", reason: "answer must be \"yes\" or \"no\"")) {
            try EventData.decode(type: "screening.answered", version: 1, data: .object([("question", .string("q")), ("answer", .string("maybe"))]))
        }
    }

    @Test func theParserIsStrict() {
        for bad in ["{\"a\":1,\"a\":2}", "{\"a\":1} x", "{\"a\":1.5}", "{\"a\":01}", "[1,]", "\"\u{01}\"", "{\"a\":\"\\ud800\"}",
                    "{\"a\":99999999999999999999}", "", "nul"] {
            #expect(throws: JSONParser.Failure.self, "\(bad)") { try JSONParser.parse(bad) }
        }
        let parsed = try? JSONParser.parse("{\"n\":-9223372036854775808,\"s\":\"\\u00e9\\ud83d\\ude00\"}")
        let expected = JSONValue.object([("n", .integer(Int64.min)), ("s", .string("é😀"))])
        #expect(parsed == expected)
    }

    @Test func timestampsRoundTrip() {
        for ms: Int64 in [0, 1_767_600_000_123, 951_782_400_000 /* 2000-02-29 */, 4_102_444_799_999] {
            let text = RFC3339.format(wallMilliseconds: ms)
            #expect(text.count == 24)
            #expect(RFC3339.parse(text) == ms)
        }
        #expect(RFC3339.format(wallMilliseconds: 1_767_600_000_123) == "2026-01-05T08:00:00.123Z")
        #expect(RFC3339.parse("2026-02-30T00:00:00.000Z") == nil)
        #expect(RFC3339.parse("2026-01-05T08:00:00Z") == nil)
    }

    @Test func depthsReadAsMillimetres() {
        #expect(Depth(millimetres: 0.25).micrometres == 250)
        #expect(Depth(micrometres: 1500).description == "1.50 mm")
        #expect(Depth(micrometres: 2505).millimetreText == "2.505")
    }
}
