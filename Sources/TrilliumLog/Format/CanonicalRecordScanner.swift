#if canImport(Glibc)
import Glibc
#endif
import TrilliumCore

/// The fast path of reading a record: checks a line's JSON byte by byte
/// against the one form the writer gives each record type (keys in the
/// schema's order, no whitespace, the writer's escapes, canonical numbers),
/// without building a JSON tree or allocating for each value.
///
/// It is a subset of `RecordLineParser`: whatever it accepts, the parser
/// accepts as the same record (a test and the record-line fuzz target hold it
/// to that). Whatever it does not recognise it hands back as nil, and the
/// parser, slower and exact, gives the verdict and says what is wrong. So it
/// need not understand everything: the first record (nested objects, dates,
/// the zone list), long texts near their limit and negative numbers all go
/// the slow way, and they are few.
public struct CanonicalRecordScanner {
    /// A value found in the line, by position: nothing is copied until a
    /// record is asked for.
    enum Value: Equatable, Sendable {
        case string(start: Int, end: Int, isEscaped: Bool)
        /// An array of ids, by the bytes between its brackets (`"a","b"`):
        /// ids hold no quote, comma or escape, so it is split at its commas.
        case identifiers(start: Int, end: Int)
        case integer(Int64)
        case boolean(Bool)
        case absent
    }

    /// What the scan established: enough to follow the chain and the
    /// session's condition, and where each value is for decoding.
    struct Scan {
        var kind: EventKind
        var wallMilliseconds: Int64
        var monotonicNanoseconds: Int64
        var id: Value
        var boot: Value
        var by: Value
        /// The seq a `record.corrected` names.
        var correctedSeq: Int?
        /// The lot a record of a consumable names (a product's, the
        /// anesthetic's): the reader gathers them for recall.
        var consumableLot: Value?
        /// The record's own seq.
        var seq: Int
        /// The kind's place in `EventKind.allCases`.
        var ordinal: Int
    }

    private var values: [Value] = []
    /// Whether the values are kept for `record`: a verify only checks them.
    private let keepsValues: Bool
    /// The schema compiled for scanning, held here rather than read from
    /// statics: a verify consults it for every line.
    private let layout = CompiledLayout.shared
    /// The day of the last timestamp read, by its "YYYY-MM-DD" bytes: most
    /// records share their day with the one before.
    private var lastDay: (bytes: UInt64, days: Int64) = (0, 0)
    /// The boot id of the last record built: every record of a boot names
    /// the same one, and they share this string rather than each holding a
    /// copy (a 100,000-record replay held 6 MB of them).
    private var lastBoot = ""
    /// Its bytes, compared with each record's: comparing the string's UTF-8
    /// view element by element cost a tenth of decoding a note.
    private var lastBootBytes: [UInt8] = []

    init(keepingValues: Bool = true) {
        keepsValues = keepingValues
        values.reserveCapacity(8)
    }

    /// The record a whole line (without its LF) holds, read by this fast
    /// path alone; nil when it leaves the line to `RecordLineParser`. For
    /// tests and the fuzzer, which hold the two to the same answers.
    public static func record(inLine line: ArraySlice<UInt8>, expectedSeq: Int, previousDigest: String) -> RecordLine? {
        var scanner = CanonicalRecordScanner()
        return line.withUnsafeBufferPointer { bytes -> RecordLine? in
            Array(previousDigest.utf8).withUnsafeBufferPointer { previous -> RecordLine? in
                guard let scan = scanner.scanLine(bytes, expectedSeq: expectedSeq, previousDigest: previous),
                      let record = scanner.record(scan, seq: expectedSeq, in: UnsafeBufferPointer(rebasing: bytes.dropLast(65)))
                else { return nil }
                return RecordLine(record: record, previousDigest: previousDigest, json: Array(line.dropLast(65)),
                                  digest: String(decoding: line.suffix(64), as: UTF8.self))
            }
        }
    }

    /// Whether the fast path reads `json` as record `seq` after
    /// `previousDigest`, checking its form and every field, not its digest:
    /// the writer asks before writing a record it has just made.
    static func accepts(json: [UInt8], seq: Int, previousDigest: String) -> Bool {
        var scanner = CanonicalRecordScanner(keepingValues: false)
        return json.withUnsafeBufferPointer { bytes in
            Array(previousDigest.utf8).withUnsafeBufferPointer { previous in
                scanner.scan(bytes, expectedSeq: seq, previousDigest: previous) != nil
            }
        }
    }

    /// Checks a whole line: the framing, the digest against the JSON, then
    /// the JSON as `scan` does.
    mutating func scanLine(_ line: UnsafeBufferPointer<UInt8>, expectedSeq: Int?,
                           previousDigest: UnsafeBufferPointer<UInt8>) -> Scan? {
        guard line.count > 65, line[line.count - 65] == UInt8(ascii: " ") else { return nil }
        let json = UnsafeBufferPointer(rebasing: line[..<(line.count - 65)])
        let digest = UnsafeBufferPointer(rebasing: line[(line.count - 64)...])
        guard Digest.matches(UnsafeRawBufferPointer(json), hex: digest) else { return nil }
        return scan(json, expectedSeq: expectedSeq, previousDigest: previousDigest)
    }

    /// Checks `json` as the record with `expectedSeq` (any seq when nil:
    /// the caller checks it) after the line whose digest (64 hex bytes) is
    /// `previousDigest`. Nil when the line is not in a form this fast path
    /// knows: the caller then asks the parser.
    mutating func scan(_ json: UnsafeBufferPointer<UInt8>, expectedSeq: Int?,
                       previousDigest: UnsafeBufferPointer<UInt8>) -> Scan? {
        values.removeAll(keepingCapacity: true)
        var cursor = Cursor(bytes: json)
        guard cursor.take("{\"seq\":"), let seq = cursor.integer(), seq >= 1, expectedSeq.map({ seq == $0 }) ?? true,
              cursor.take(",\"prev\":\""), cursor.take(previousDigest), cursor.take("\""),
              cursor.take(",\"id\":"), let id = cursor.string(), !id.isEmpty,
              cursor.take(",\"type\":"), let ordinal = layout.kindOrdinal(&cursor),
              let steps = layout.steps(ofKind: ordinal),
              cursor.take(",\"v\":"), let version = cursor.integer(), version == layout.kinds[ordinal].schemaVersion,
              cursor.take(",\"at\":\""), let at = timestamp(&cursor), cursor.take("\""),
              cursor.take(",\"mono_ns\":"), let mono = cursor.integer(),
              cursor.take(",\"boot\":"), let boot = cursor.string(),
              cursor.take(",\"by\":"), let by = cursor.string(),
              cursor.take(",\"data\":{")
        else { return nil }
        let kind = layout.kinds[ordinal]
        var correctedSeq: Int?
        var consumableLot: Value?
        let keys = layout.keys
        for step in layout.steps[steps] {
            guard cursor.take(UnsafeBufferPointer(rebasing: keys[step.key])) else {
                guard step.isOptional else { return nil }
                if keepsValues { values.append(.absent) }
                continue
            }
            guard let value = cursor.value(step.reader, choices: layout.choices) else { return nil }
            if keepsValues { values.append(value) }
            if step.reader == .seq, case let .integer(target) = value { correctedSeq = Int(target) }
            if step.isConsumableLot { consumableLot = value }
        }
        guard cursor.take("}}"), cursor.isAtEnd else { return nil }
        return Scan(kind: kind, wallMilliseconds: at, monotonicNanoseconds: mono,
                    id: id.value, boot: boot.value, by: by.value, correctedSeq: correctedSeq, consumableLot: consumableLot,
                    seq: Int(seq), ordinal: ordinal)
    }

    /// "YYYY-MM-DDTHH:MM:SS.mmmZ" with a four-digit year from 1000: exactly
    /// what the writer prints for the milliseconds it stands for.
    private mutating func timestamp(_ cursor: inout Cursor) -> Int64? {
        let bytes = cursor.bytes
        let start = cursor.index
        guard bytes.count - start >= 24 else { return nil }
        let b = UnsafeBufferPointer(rebasing: bytes[start..<(start + 24)])
        guard b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"), b[10] == UInt8(ascii: "T"), b[13] == UInt8(ascii: ":"),
              b[16] == UInt8(ascii: ":"), b[19] == UInt8(ascii: "."), b[23] == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for i in range {
                let digit = b[i] &- UInt8(ascii: "0")
                guard digit < 10 else { return nil }
                value = value * 10 + Int(digit)
            }
            return value
        }
        guard let hour = number(11..<13), hour < 24, let minute = number(14..<16), minute < 60,
              let second = number(17..<19), second < 60, let milli = number(20..<23) else { return nil }
        // The date's first eight bytes ("YYYY-MM-") and its day ("DD").
        let datePrefix = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(b)[0..<8]).loadUnaligned(as: UInt64.self)
        let dateKey = datePrefix ^ (UInt64(b[8]) << 8 | UInt64(b[9])).byteSwapped
        let days: Int64
        if dateKey == lastDay.bytes && lastDay.bytes != 0 {
            days = lastDay.days
        } else {
            guard let year = number(0..<4), year >= 1000, let month = number(5..<7), (1...12).contains(month),
                  let day = number(8..<10), day >= 1, day <= CivilDate.daysIn(year: year, month: month) else { return nil }
            days = Int64(CivilDate.days(year: year, month: month, day: day))
            lastDay = (dateKey, days)
        }
        cursor.index += 24
        return days * 86_400_000 + Int64(hour * 3_600_000 + minute * 60_000 + second * 1000 + milli)
    }

    /// The record a successful `scan` of `json` found, built from the values
    /// it located; `EventData.decode` makes the event, as for any record.
    mutating func record(_ scan: Scan, seq: Int, in json: UnsafeBufferPointer<UInt8>) -> SessionRecord? {
        guard let event = event(scan, in: json) else { return nil }
        let isLastBoot = if case let .string(start, end, false) = scan.boot, end - start == lastBootBytes.count {
            memcmp(json.baseAddress! + start, lastBootBytes, end - start) == 0
        } else {
            false
        }
        if !isLastBoot {
            lastBoot = Self.text(scan.boot, in: json)
            lastBootBytes = Array(lastBoot.utf8)
        }
        return SessionRecord(seq: seq, id: Self.text(scan.id, in: json), stamp: stamp(scan, bootID: lastBoot),
                             by: Self.text(scan.by, in: json), event: event)
    }

    /// The event of a scanned record. A note is made straight from its two
    /// values: notes are what make a log long (all but a few dozen of a
    /// 100,000-record replay), and the tree `EventData.decode` reads cost
    /// three allocations and a lookup by name for each of them. Every other
    /// type is decoded from the values as the parser decodes its tree.
    private func event(_ scan: Scan, in json: UnsafeBufferPointer<UInt8>) -> SessionEvent? {
        let steps = layout.steps[layout.steps(ofKind: scan.ordinal) ?? 0..<0]
        if scan.kind == .noteAdded, layout.notesAreDirect, values.count == 2 {
            let addendumReason: String? = if case .absent = values[1] { nil } else { Self.text(values[1], in: json) }
            return .noteAdded(text: Self.text(values[0], in: json), addendumReason: addendumReason)
        }
        var members: [(String, JSONValue)] = []
        members.reserveCapacity(steps.count)
        // The values follow the steps; an optional field the scanner leaves to the parser has no step.
        for (step, value) in zip(steps, values) {
            let path = layout.paths[step.field]
            switch value {
            case .absent: continue
            case let .integer(number): members.append((path, .integer(number)))
            case let .boolean(flag): members.append((path, .bool(flag)))
            case .string: members.append((path, .string(Self.text(value, in: json))))
            case let .identifiers(start, end):
                let items = start == end ? [] : json[start..<end].split(separator: UInt8(ascii: ","))
                members.append((path, .array(items.map { .string(String(decoding: $0.dropFirst().dropLast(), as: UTF8.self)) })))
            }
        }
        // Each value was checked against its field as it was read (`Cursor.value`): not again.
        return try? EventData.decode(kind: scan.kind, version: scan.kind.schemaVersion, data: .object(members), fieldsChecked: true)
    }

    /// A located string's text, its escapes undone.
    static func text(_ value: Value, in json: UnsafeBufferPointer<UInt8>) -> String {
        guard case let .string(start, end, isEscaped) = value else { return "" }
        let raw = UnsafeBufferPointer(rebasing: json[start..<end])
        guard isEscaped else { return String(decoding: raw, as: UTF8.self) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(raw.count)
        var index = 0
        while index < raw.count {
            let byte = raw[index]
            guard byte == UInt8(ascii: "\\") else {
                bytes.append(byte)
                index += 1
                continue
            }
            switch raw[index + 1] {
            case UInt8(ascii: "n"): bytes.append(0x0A)
            case UInt8(ascii: "r"): bytes.append(0x0D)
            case UInt8(ascii: "t"): bytes.append(0x09)
            case UInt8(ascii: "u"):
                // Only \u00XX reaches here: the scan accepted nothing else.
                bytes.append(Cursor.hexValue(raw[index + 4]) << 4 | Cursor.hexValue(raw[index + 5]))
                index += 4
            default: bytes.append(raw[index + 1])
            }
            index += 2
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The record types by ordinal, as `Scan.ordinal` numbers them.
    static let kinds = EventKind.allCases
}

/// The schema table compiled for the scanner: each record type's `data` as
/// the writer lays it out, its keys as bytes. Made once from `RecordSchema`,
/// so the schema table stays the one description of what a record holds.
/// Plain values in flat buffers, allocated once for the life of the process
/// (the one instance is never released): scanning a line retains nothing.
///
/// Unchecked Sendable: its buffers are written once, in `init`, and only read after.
private final class CompiledLayout: @unchecked Sendable {
    static let shared = CompiledLayout()

    /// How a value is read and checked, as `EventData.decode` checks it.
    enum Reader: Equatable {
        case text(limit: Int)
        /// One of the values in `choices[set]`.
        case choice(set: Int)
        case identifier, boolean, depth, count, seq
        /// A staff account's id: an identifier of at most `Limit.staffID` bytes.
        case staffID
        /// "YYYY-MM" or "YYYY-MM-DD" (`.expiry`), or "YYYY-MM-DD" alone (`.date`), a day of the calendar.
        case expiry, date
        /// An array of distinct ids.
        case identifierList
    }

    /// One field: its key with what comes before it (`,"zone":`), where
    /// those bytes are in `keys`, and how its value is read.
    struct Step {
        var key: Range<Int>
        var reader: Reader
        var isOptional: Bool
        /// The field's path, by its place in `paths`.
        var field: Int
        /// The lot of a consumable the record names.
        var isConsumableLot: Bool
    }

    let kinds = CanonicalRecordScanner.kinds
    /// The names of the record types, by ordinal: where each is in `nameBytes`.
    let names: UnsafeBufferPointer<Range<Int>>
    let nameBytes: UnsafeBufferPointer<UInt8>
    let keys: UnsafeBufferPointer<UInt8>
    let steps: UnsafeBufferPointer<Step>
    /// Each type's steps in `steps`; nil for a type left to the parser
    /// (the opening, with its nested objects, date and zone list).
    let layouts: [Range<Int>?]
    let choices: [[[UInt8]]]
    /// Every step's field path (`data`'s key), as `EventData.decode` names it.
    let paths: [String]
    /// Whether a note's steps are its text then its optional addendum reason,
    /// the two values `CanonicalRecordScanner.event` makes a note of directly.
    let notesAreDirect: Bool

    private init() {
        var nameBytes: [UInt8] = []
        var names: [Range<Int>] = []
        for kind in EventKind.allCases {
            names.append(nameBytes.count..<(nameBytes.count + kind.rawValue.utf8.count))
            nameBytes += Array(kind.rawValue.utf8)
        }
        self.names = UnsafeBufferPointer(Self.permanent(names))
        self.nameBytes = UnsafeBufferPointer(Self.permanent(nameBytes))
        var keys: [UInt8] = []
        var steps: [Step] = []
        var choices: [[[UInt8]]] = []
        var layouts: [Range<Int>?] = []
        var paths: [String] = []
        for kind in EventKind.allCases {
            let first = steps.count
            var compiled = true
            var emitted = 0
            for field in RecordSchema.of(kind).fields {
                let reader: Reader
                switch field.kind {
                case let .text(maximumLength): reader = .text(limit: maximumLength)
                case let .choice(values):
                    choices.append(values.map { Array($0.value.utf8) })
                    reader = .choice(set: choices.count - 1)
                case .zone, .agent, .question, .checklistItem, .direction, .endpoint, .device, .product: reader = .identifier
                case .boolean: reader = .boolean
                case .depth: reader = .depth
                case .milliseconds, .byteCount, .count: reader = .count
                case .seq: reader = .seq
                case .staff: reader = .staffID
                case .expiry: reader = .expiry
                case .date: reader = .date
                case .identifierList: reader = .identifierList
                // Left to the parser: rare, or checked in ways the scanner does not repeat.
                case .digest, .zoneList, .roleList, .pinHash, .signature, .digestList:
                    // An optional one is left out of the steps: a line without it (most) is scanned, and a
                    // line with it meets a key the steps do not expect, so the scan fails and the parser reads it.
                    if field.isOptional && !field.path.contains(".") { continue }
                    compiled = false; reader = .boolean
                }
                guard compiled, !field.path.contains(".") else { compiled = false; break }
                let key = Array(((emitted == 0 ? "" : ",") + "\"" + field.path + "\":").utf8)
                emitted += 1
                steps.append(Step(key: keys.count..<(keys.count + key.count), reader: reader, isOptional: field.isOptional,
                                  field: paths.count, isConsumableLot: kind.namesConsumableLot && field.path == "lot"))
                paths.append(field.path)
                keys += key
            }
            // A signed record is always the parser's: the reader hands its signature on to be checked.
            if kind == .signed || kind == .cosigned { compiled = false }
            // So is the anesthetic's: its dose is all there or not at all, a
            // check across fields that decoding makes and a verify (which
            // does not decode what the scanner vouched for) would not.
            if kind == .anestheticApplied { compiled = false }
            layouts.append(compiled ? first..<steps.count : nil)
        }
        self.keys = UnsafeBufferPointer(Self.permanent(keys))
        self.steps = UnsafeBufferPointer(Self.permanent(steps))
        self.layouts = layouts
        self.choices = choices
        self.paths = paths
        let noteSteps = EventKind.allCases.firstIndex(of: .noteAdded).flatMap { layouts[$0] }.map { Array(steps[$0]) } ?? []
        notesAreDirect = noteSteps.map { paths[$0.field] } == ["text", "addendum_reason"]
            && !noteSteps[0].isOptional && noteSteps[1].isOptional
    }

    private static func permanent<Element>(_ elements: [Element]) -> UnsafeMutableBufferPointer<Element> {
        let buffer = UnsafeMutableBufferPointer<Element>.allocate(capacity: elements.count)
        _ = buffer.initialize(from: elements)
        return buffer
    }

    func steps(ofKind ordinal: Int) -> Range<Int>? {
        layouts[ordinal]
    }

    /// The ordinal of the record type named by the string at the cursor.
    fileprivate func kindOrdinal(_ cursor: inout Cursor) -> Int? {
        guard let span = cursor.string(), case let .string(start, end, false) = span.value else { return nil }
        for (ordinal, candidate) in names.enumerated() where candidate.count == end - start {
            if memcmp(nameBytes.baseAddress! + candidate.lowerBound, cursor.bytes.baseAddress! + start, end - start) == 0 { return ordinal }
        }
        return nil
    }
}

/// A position in a line's bytes, and the canonical forms read from there.
private struct Cursor {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    var isAtEnd: Bool { index == bytes.count }

    struct StringSpan {
        var value: CanonicalRecordScanner.Value
        /// Bytes once its escapes are undone: an upper bound on its characters.
        var decodedLength: Int
        var isEmpty: Bool { decodedLength == 0 }
    }

    mutating func take(_ literal: StaticString) -> Bool {
        literal.withUTF8Buffer { take($0) }
    }

    /// Consumes `expected` when the next bytes are exactly it.
    mutating func take(_ expected: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count - index >= expected.count else { return false }
        if expected.count > 16 {
            guard memcmp(bytes.baseAddress! + index, expected.baseAddress!, expected.count) == 0 else { return false }
        } else {
            // Keys are short: a loop beats a call to memcmp.
            for offset in 0..<expected.count where bytes[index + offset] != expected[offset] { return false }
        }
        index += expected.count
        return true
    }

    /// A non-negative integer as the writer prints one: no sign, no leading
    /// zero, at most 18 digits (so it cannot overflow). Anything else, a
    /// negative number included, is left to the parser.
    mutating func integer() -> Int64? {
        let start = index
        var value: Int64 = 0
        while index < bytes.count, bytes[index] &- UInt8(ascii: "0") < 10, index - start < 18 {
            // Eighteen digits at most: no overflow to check for (a checked
            // multiply kept the value in memory, a fifth of a line's scan).
            value = value &* 10 &+ Int64(bytes[index] &- UInt8(ascii: "0"))
            index &+= 1
        }
        let digits = index - start
        guard digits > 0, digits == 1 || bytes[start] != UInt8(ascii: "0") else { return nil }
        if index < bytes.count, bytes[index] &- UInt8(ascii: "0") < 10 { return nil }
        return value
    }

    /// A string in the writer's form: raw UTF-8 except `"`, `\`, C0 controls
    /// and DEL, which must be escaped as `\"`, `\\`, `\n`, `\r`, `\t` or
    /// `\u00xx` (lowercase hex).
    mutating func string() -> StringSpan? {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
        index += 1
        let start = index
        var decoded = 0
        var isEscaped = false
        while index < bytes.count {
            // Eight bytes at a time while none of them needs a second look.
            while bytes.count - index >= 8 {
                let word = UnsafeRawPointer(bytes.baseAddress! + index).loadUnaligned(as: UInt64.self)
                guard !Self.needsLook(word) else { break }
                index += 8
                decoded += 8
            }
            guard index < bytes.count else { break }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let span = StringSpan(value: .string(start: start, end: index, isEscaped: isEscaped), decodedLength: decoded)
                index += 1
                return span
            }
            if byte == UInt8(ascii: "\\") {
                guard escape() else { return nil }
                isEscaped = true
                decoded += 1
                continue
            }
            if byte < 0x80 {
                guard byte >= 0x20, byte != 0x7F else { return nil }
                index += 1
                decoded += 1
                continue
            }
            guard let length = utf8Sequence() else { return nil }
            index += length
            decoded += length
        }
        return nil
    }

    /// Whether any of eight bytes is a quote, a backslash, a control
    /// character, DEL or not ASCII (the classic word-at-a-time tests).
    private static func needsLook(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        func hasZeroByte(_ v: UInt64) -> Bool { (v &- ones) & ~v & highs != 0 }
        let belowSpace = (word &- ones &* 0x20) & ~word & highs
        let delOrWide = (((word & ~highs) &+ ones) | word) & highs
        return belowSpace | delOrWide != 0 || hasZeroByte(word ^ (ones &* 0x22)) || hasZeroByte(word ^ (ones &* 0x5C))
    }

    private mutating func escape() -> Bool {
        guard index + 1 < bytes.count else { return false }
        switch bytes[index + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            index += 2
            return true
        case UInt8(ascii: "u"):
            guard index + 5 < bytes.count, bytes[index + 2] == UInt8(ascii: "0"), bytes[index + 3] == UInt8(ascii: "0"),
                  FieldDomain.isLowercaseHexDigit(bytes[index + 4]), FieldDomain.isLowercaseHexDigit(bytes[index + 5])
            else { return false }
            let scalar = Self.hexValue(bytes[index + 4]) << 4 | Self.hexValue(bytes[index + 5])
            // The writer escapes only C0 controls (those with a short form
            // that way) and DEL this way.
            guard (scalar < 0x20 && scalar != 0x0A && scalar != 0x0D && scalar != 0x09) || scalar == 0x7F else { return false }
            index += 6
            return true
        default:
            return false
        }
    }

    /// The length of the well-formed UTF-8 sequence starting here (no
    /// overlong form, no surrogate, nothing past U+10FFFF), or nil.
    private func utf8Sequence() -> Int? {
        let lead = bytes[index]
        let length: Int
        var low: UInt8 = 0x80, high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: return nil
        }
        guard index + length <= bytes.count else { return nil }
        guard (low...high).contains(bytes[index + 1]) else { return nil }
        for offset in 2..<max(2, length) where !(0x80...0xBF).contains(bytes[index + offset]) { return nil }
        return length
    }

    /// A value as `reader` reads it, checked against its domain as `EventData.decode` checks it.
    mutating func value(_ reader: CompiledLayout.Reader, choices: [[[UInt8]]]) -> CanonicalRecordScanner.Value? {
        switch reader {
        case let .text(limit):
            // Characters never outnumber bytes: within the limit in bytes is within it in characters.
            guard let span = string(), span.decodedLength <= limit else { return nil }
            return span.value
        case let .choice(set):
            guard let span = string(), case let .string(start, end, false) = span.value else { return nil }
            let text = UnsafeBufferPointer(rebasing: bytes[start..<end])
            guard choices[set].contains(where: { $0.elementsEqual(text) }) else { return nil }
            return span.value
        case .identifier:
            guard let span = string(), case let .string(start, end, false) = span.value,
                  end > start, end - start <= RecordSchema.Limit.identifier,
                  bytes[start..<end].allSatisfy(FieldDomain.isIdentifierByte) else { return nil }
            return span.value
        case .staffID:
            guard let span = string(), case let .string(start, end, false) = span.value,
                  end > start, end - start <= RecordSchema.Limit.staffID,
                  bytes[start..<end].allSatisfy(FieldDomain.isIdentifierByte) else { return nil }
            return span.value
        case .boolean:
            if take("true") { return .boolean(true) }
            if take("false") { return .boolean(false) }
            return nil
        case .depth:
            guard let number = integer(), number <= FieldDomain.maximumDepthMicrometres else { return nil }
            return .integer(number)
        case .count:
            return integer().map { .integer($0) }
        case .seq:
            guard let number = integer(), number >= 1 else { return nil }
            return .integer(number)
        case .expiry, .date:
            // Digits and hyphens in place, then the calendar's say, as the decoder asks it (a short string: no allocation).
            guard let span = string(), case let .string(start, end, false) = span.value,
                  end - start == 10 || (reader == .expiry && end - start == 7),
                  bytes[start..<end].enumerated().allSatisfy({ offset, byte in
                      offset == 4 || offset == 7 ? byte == UInt8(ascii: "-") : byte &- UInt8(ascii: "0") < 10
                  }) else { return nil }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
            guard (reader == .expiry ? CivilDate.parseExpiry(text) : CivilDate.parseDay(text)) != nil else { return nil }
            return span.value
        case .identifierList:
            return identifiers()
        }
    }

    /// `[]` or `["a","b"]`: ids as `.identifier` reads them, each once, no space.
    private mutating func identifiers() -> CanonicalRecordScanner.Value? {
        guard take("[") else { return nil }
        let start = index
        var items: [Range<Int>] = []
        if take("]") { return .identifiers(start: start, end: start) }
        repeat {
            guard let span = string(), case let .string(itemStart, itemEnd, false) = span.value,
                  itemEnd > itemStart, itemEnd - itemStart <= RecordSchema.Limit.identifier,
                  bytes[itemStart..<itemEnd].allSatisfy(FieldDomain.isIdentifierByte),
                  !items.contains(where: { bytes[$0].elementsEqual(bytes[itemStart..<itemEnd]) }) else { return nil }
            items.append(itemStart..<itemEnd)
        } while take(",")
        let end = index
        guard take("]") else { return nil }
        return .identifiers(start: start, end: end)
    }

    static func hexValue(_ byte: UInt8) -> UInt8 { Digest.value(ofHexDigit: byte) }
}

extension CanonicalRecordScanner {
    /// The stamp of a line a scan accepted.
    func stamp(_ scan: Scan, in json: UnsafeBufferPointer<UInt8>) -> EventStamp {
        stamp(scan, bootID: Self.text(scan.boot, in: json))
    }

    func stamp(_ scan: Scan, bootID: String) -> EventStamp {
        EventStamp(wallMilliseconds: scan.wallMilliseconds, monotonicNanoseconds: UInt64(scan.monotonicNanoseconds), bootID: bootID)
    }
}
