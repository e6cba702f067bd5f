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
        .anestheticApplied(agent: "lido", occluded: false, dose: AnestheticDose(
            amount: 2_500, area: 120, zones: ["cheek"], lot: "AN-1", expiry: "2027-04", appliedBy: "patient", setting: .home,
            minutesBeforeRecord: 40)),
        .anestheticApplied(agent: "lido", occluded: false, dose: AnestheticDose(
            amount: 10_000, area: nil, zones: ["cheek", "forehead"], lot: "AN-2", expiry: "2027-04-30", appliedBy: "olly", setting: .clinic)),
        .consultationRecorded(Consultation(skinType: .four, concerns: ["acne_scars"], goals: "Fewer scars \"soon\"", ageConfirmed: true,
                                           minimumAge: 22, previousSession: "2026-01-01", earlyReturnReason: "Travelling")),
        .consultationRecorded(Consultation(skinType: .one, concerns: ["texture", "pores"], goals: "Texture", ageConfirmed: true, minimumAge: 18)),
        .preparationConfirmed(item: "photos", attachments: [String(repeating: "a", count: 64), String(repeating: "b", count: 64)]),
        .zoneConfirmed(zone: "periorbital", statement: "Outside the orbital rim"),
        .productApplied(ProductApplication(product: "ha", name: "HA serum", zone: "cheek", lot: "HA-1", expiry: "2027-01")),
        .productApplied(ProductApplication(product: "vc", name: "Vitamin C", zone: "cheek", lot: "VC-1", expiry: "2027-01", reason: "Asked")),
        .attachmentAdded(Attachment(name: "before-1.jpg", kind: .photo, digest: String(repeating: "c", count: 64), size: 123_456)),
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
        .signed(SignOff(attestation: "Complete and accurate.")),
        .signed(SignOff(attestation: "Complete and accurate.", signature: signature(.performedBy))),
        .aborted(reason: "Withdrew consent"),
        .screeningOverridden(question: "keloid", reason: "Old scar", authorisedBy: "dana"),
        .handedOver(HandOver(from: "olly", to: "pat", toName: "Pat Operator")),
        .cosigned(signature(.reviewed)),
        .staffOpened(LogOpening(workstation: "room-1", appVersion: "0.1.0")),
        .userAdded(StaffAddition(user: "ada", name: "Ada Admin", roles: [.director, .admin], pinHash: pinHash)),
        .userPINChanged(user: "ada", pinHash: pinHash),
        .userRolesChanged(user: "ada", roles: [.operator]),
        .userDisabled(user: "ada", reason: "Left the clinic"),
        .accessOpened(LogOpening(workstation: "room-1", appVersion: "0.1.0")),
        .signedIn(user: "ada"),
        .signedOut(user: "ada"),
        .signInFailed(user: "nobody", reason: .unknownUser),
        .accountLocked(user: "ada", minutes: 5),
        .screenLocked(user: "ada"),
        .screenUnlocked(user: "ada"),
    ]

    static let pinHash = "pbkdf2-sha256$600000$" + String(repeating: "ab", count: 16) + "$" + String(repeating: "cd", count: 32)

    static func signature(_ meaning: SignatureMeaning) -> ElectronicSignature {
        ElectronicSignature(signer: "dana", signerName: "Dr Dana", role: meaning == .reviewed ? .director : .operator, meaning: meaning,
                            keyFingerprint: String(repeating: "e", count: 64), value: String(repeating: "f", count: 128))
    }

    @Test func everyKindIsCovered() {
        #expect(Set(Self.everyEvent.map(\.kind)) == Set(EventKind.allCases))
    }

    /// The schema table is the one description of every record: the fields it
    /// names are exactly the ones written, in the order written, with the
    /// optional ones present only when they apply.
    @Test func theSchemaTableDescribesExactlyWhatIsWritten() {
        func paths(_ value: JSONValue, prefix: String = "") -> [String] {
            guard case let .object(members) = value else { return [] }
            return members.flatMap { key, member -> [String] in
                let path = prefix.isEmpty ? key : prefix + "." + key
                if case .object = member { return paths(member, prefix: path) }
                return [path]
            }
        }
        for event in Self.everyEvent {
            let schema = RecordSchema.of(event.kind)
            let written = paths(EventData.encode(event))
            let described = schema.fields.map(\.path).filter(written.contains)
            #expect(written == described, "\(event.kind.rawValue): written \(written), described \(schema.fields.map(\.path))")
            for field in schema.fields where !field.isOptional {
                #expect(written.contains(field.path), "\(event.kind.rawValue) lacks \(field.path)")
            }
        }
    }

    @Test func theDecoderChecksEachFieldAgainstItsDomain() {
        func refusal(_ type: EventKind, _ data: String) -> String? {
            do {
                _ = try EventData.decode(type: type.rawValue, version: 1, data: try JSONParser.parse(data))
                return nil
            } catch {
                return "\(error)"
            }
        }
        #expect(refusal(.screeningAnswered, #"{"question":"keloid","answer":"maybe"}"#)?.contains("one of \"yes\", \"no\"") == true)
        #expect(refusal(.adverseEventReported, #"{"description":"x","severity":"catastrophic","action":"y"}"#)?.contains("\"mild\"") == true)
        #expect(refusal(.depthSet, #"{"zone":"cheek","depth_um":-5}"#)?.contains("depth in micrometres") == true)
        #expect(refusal(.depthSet, #"{"zone":"Cheek!","depth_um":500}"#)?.contains("an id of a-z") == true)
        #expect(refusal(.noteAdded, "{\"text\":\"\(String(repeating: "x", count: 501))\"}")?.contains("at most 500 characters") == true)
        #expect(refusal(.recordCorrected, #"{"seq":0,"field":"reason","old":"a","new":"b","reason":"c"}"#)?.contains("1 or more") == true)
        #expect(refusal(.noteAdded, #"{"text":"fine"}"#) == nil)
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
        #expect(throws: EventData.DecodingFailure(type: "screening.answered", reason: "field \"answer\" must be one of \"yes\", \"no\"")) {
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
