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
                // The opening (nested objects), signed records (their signature is checked), records naming a
                // consumable's lot (gathered for recall), corrections and the clinical record's lists are left to the parser.
                let kind = parsed.record.event.kind
                let parsers: Set<EventKind> = [.opened, .signed, .cosigned, .recordCorrected, .anestheticApplied, .productApplied,
                                               .consultationRecorded, .attachmentAdded, .preparationConfirmed]
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
