import Testing
import TrilliumCore
import TrilliumLog
import TrilliumServices

/// The fast path may leave any line to the parser, but whatever it accepts
/// the parser must accept as the very same record: otherwise `verify` and
/// a report could disagree about a log.
@Suite("The canonical scanner agrees with the parser")
struct CanonicalScannerTests {
    /// Every line of twenty sample sessions (overrides, corrections, notes,
    /// adverse events, aborts, addenda), with its seq and the digest before it.
    static func sampleLines(in directory: TemporaryDirectory) throws -> [(line: ArraySlice<UInt8>, seq: Int, previous: String)] {
        let paths = try SampleGenerator(sessionCount: 20, seed: 7).write(into: DataDirectory(path: directory.path))
        var lines: [(ArraySlice<UInt8>, Int, String)] = []
        for path in paths {
            var previous = Digest.genesis
            for (index, line) in readBytes(path).split(separator: 0x0A).enumerated() {
                lines.append((line, index + 1, previous))
                previous = String(decoding: line.suffix(64), as: UTF8.self)
            }
        }
        return lines
    }

    @Test func acceptsWhatTheWriterWritesAsTheSameRecord() throws {
        let directory = TemporaryDirectory()
        let lines = try Self.sampleLines(in: directory)
        var fast = 0
        for (line, seq, previous) in lines {
            let parsed = try RecordLineParser.parse(line, expectedSeq: seq, previousDigest: previous)
            guard let scanned = CanonicalRecordScanner.record(inLine: line, expectedSeq: seq, previousDigest: previous) else {
                // The opening (nested objects), signed records (their signature is checked), the anesthetic
                // (its dose is checked across fields), corrections and attachments' digests are left to the parser.
                let kind = parsed.record.event.kind
                let parsers: Set<EventKind> = [.opened, .signed, .cosigned, .recordCorrected, .anestheticApplied,
                                               .attachmentAdded, .preparationConfirmed]
                #expect(seq == 1 || parsers.contains(kind), "record \(seq) of kind \(kind) was left to the parser")
                continue
            }
            fast += 1
            #expect(scanned == parsed)
        }
        #expect(fast > lines.count * 3 / 4)
    }

    /// Each line changed at every byte, its digest made right again, so the
    /// change reaches the JSON: a line the scanner accepts is one the parser
    /// accepts, as the same record.
    @Test func neverAcceptsWhatTheParserRefuses() throws {
        let directory = TemporaryDirectory()
        // One line of each record type (the first of them), to keep the test quick.
        var kinds: Set<String> = []
        let lines = try Self.sampleLines(in: directory).filter { line in
            guard line.seq > 1, let kind = try? RecordLineParser.parse(line.line, expectedSeq: line.seq, previousDigest: line.previous)
                .record.event.kind.rawValue else { return false }
            return kinds.insert(kind).inserted
        }
        let replacements: [UInt8] = [0x00, 0x0A, 0x20, 0x22, 0x2D, 0x30, 0x31, 0x39, 0x5C, 0x61, 0x7B, 0x7D, 0x7F, 0xC3, 0xFF]
        var accepted = 0, refused = 0
        for (line, seq, previous) in lines {
            let json = Array(line.dropLast(65))
            for position in json.indices {
                for replacement in replacements where replacement != json[position] {
                    var changed = json
                    changed[position] = replacement
                    let whole = changed + Array(" ".utf8) + Array(Digest.hex(of: changed).utf8)
                    let parsed = try? RecordLineParser.parse(whole[...], expectedSeq: seq, previousDigest: previous)
                    guard let scanned = CanonicalRecordScanner.record(inLine: whole[...], expectedSeq: seq, previousDigest: previous) else {
                        if parsed == nil { refused += 1 }
                        continue
                    }
                    accepted += 1
                    #expect(scanned == parsed, "record \(seq), byte \(position) set to \(replacement)")
                }
            }
        }
        // Both answers occur: some changes keep a valid record (a letter of a note), most do not.
        #expect(accepted > 0)
        #expect(refused > accepted)
    }

    /// A product's lot and expiry and the consultation's list of concerns
    /// and dates are read by the fast path too (a recall reads seven
    /// products a session), each value under its own field even where an
    /// optional field before it is absent.
    @Test func productsAndTheConsultationTakeTheFastPath() throws {
        let stamp = EventStamp(wallMilliseconds: 1_767_600_000_000, monotonicNanoseconds: 5, bootID: "boot")
        let events: [SessionEvent] = [
            .productApplied(ProductApplication(product: "hyaluronic-serum", name: "HA serum \"sterile\"", zone: "forehead",
                                               lot: "HA-2207\t1", expiry: "2029-02", reason: nil)),
            .productApplied(ProductApplication(product: "growth-factor", name: "GF", zone: "chin", lot: "GF-1", expiry: "2028-02-29",
                                               reason: "Patient's own, director agreed")),
            .consultationRecorded(Consultation(skinType: .three, concerns: ["fine_lines", "texture"], goals: "Smoother forehead",
                                               ageConfirmed: true, minimumAge: 18, previousSession: nil,
                                               earlyReturnReason: "Wedding next month")),
            .consultationRecorded(Consultation(skinType: .one, concerns: [], goals: "", ageConfirmed: false, minimumAge: 21,
                                               previousSession: "2026-11-02", earlyReturnReason: nil)),
        ]
        var previous = Digest.genesis
        for (index, event) in events.enumerated() {
            let written = RecordLine(record: SessionRecord(seq: index + 2, id: "id-\(index)", stamp: stamp, by: "amoreau", event: event),
                                     previousDigest: previous)
            let scanned = CanonicalRecordScanner.record(inLine: written.bytes.dropLast(), expectedSeq: index + 2, previousDigest: previous)
            #expect(scanned == written, "\(event)")
            previous = written.digest
        }
        // What the decoder refuses, the scanner leaves to it: a concern twice, a month that is not one, a day
        // past the month's end; and the same records made right, which both read as one record. Each is
        // also the second line of a log that is verified: a verify builds no record, so the scan alone must refuse.
        let directory = TemporaryDirectory()
        let sample = try #require(try SampleGenerator(sessionCount: 1, seed: 2).write(into: DataDirectory(path: directory.path)).first)
        let opening = try #require(readBytes(sample).split(separator: 0x0A).first)
        let openingDigest = String(decoding: opening.suffix(64), as: UTF8.self)
        func line(_ type: String, _ data: String) -> [UInt8] {
            let json = #"{"seq":2,"prev":"\#(openingDigest)","id":"x","type":"\#(type)","v":1,"at":"2026-01-05T08:00:00.000Z","mono_ns":5,"boot":"b","by":"a","data":\#(data)}"#
            return Array(json.utf8) + Array(" ".utf8) + Array(Digest.hex(of: Array(json.utf8)).utf8)
        }
        func verified(_ line: [UInt8]) throws -> LogVerification {
            let path = directory.file("probe.tlog")
            writeBytes(Array(opening) + [0x0A] + line + [0x0A], to: path)
            return try LogReader.verify(path: path)
        }
        let consultation = #"{"skin_type":"III","concerns":["acne",CONCERN],"goals":"","age_confirmed":true,"minimum_age":18}"#
        let product = #"{"product":"p","name":"P","zone":"chin","lot":"L","expiry":EXPIRY}"#
        for (type, wrong, right, reason) in [("consultation.recorded", consultation.replacingOccurrences(of: "CONCERN", with: #""acne""#),
                                              consultation.replacingOccurrences(of: "CONCERN", with: #""pores""#), "a concern twice"),
                                             ("product.applied", product.replacingOccurrences(of: "EXPIRY", with: #""2029-13""#),
                                              product.replacingOccurrences(of: "EXPIRY", with: #""2029-12""#), "month 13"),
                                             ("product.applied", product.replacingOccurrences(of: "EXPIRY", with: #""2027-02-29""#),
                                              product.replacingOccurrences(of: "EXPIRY", with: #""2028-02-29""#), "29 February 2027")] {
            let refused = line(type, wrong), accepted = line(type, right)
            #expect(CanonicalRecordScanner.record(inLine: refused[...], expectedSeq: 2, previousDigest: openingDigest) == nil, "\(reason)")
            #expect(throws: LineDefect.self, "\(reason)") {
                try RecordLineParser.parse(refused[...], expectedSeq: 2, previousDigest: openingDigest)
            }
            #expect(try verified(refused).validRecords == 1, "\(reason)")
            let scanned = CanonicalRecordScanner.record(inLine: accepted[...], expectedSeq: 2, previousDigest: openingDigest)
            #expect(scanned != nil, "\(reason), made right")
            #expect(scanned == (try? RecordLineParser.parse(accepted[...], expectedSeq: 2, previousDigest: openingDigest)), "\(reason)")
            #expect(try verified(accepted).validRecords == 2, "\(reason), made right")
        }
    }

    @Test func escapesAndWideTextTakeTheFastPath() throws {
        let texts = ["Tab\there, \"quoted\" and back\\slash", "Line one\nline two\r\n", "Bell \u{07} and delete \u{7F}",
                     "Peau réactive, 皮膚 😀", "Bidi \u{202E} and separator \u{2028}"]
        var previous = Digest.genesis
        for (index, text) in texts.enumerated() {
            let record = SessionRecord(seq: index + 2, id: "id-\(index)",
                                       stamp: EventStamp(wallMilliseconds: 1_767_600_000_000, monotonicNanoseconds: 5, bootID: "b\u{1}t"),
                                       by: "Ané", event: .noteAdded(text: text, addendumReason: index == 2 ? "late \"note\"" : nil))
            let written = RecordLine(record: record, previousDigest: previous)
            let line = written.bytes.dropLast()
            let scanned = CanonicalRecordScanner.record(inLine: line, expectedSeq: index + 2, previousDigest: previous)
            #expect(scanned == written, "\(text)")
            previous = written.digest
        }
    }
}
