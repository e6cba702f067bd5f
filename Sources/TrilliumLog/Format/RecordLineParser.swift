import TrilliumCore

/// The check a line failed, in the order they are made.
public enum LogCheck: String, Sendable, Equatable, CaseIterable {
    case lineFeed = "line feed"
    case framing
    case digest
    case json
    case seq
    case prev
    case schema

    public var explanation: String {
        switch self {
        case .lineFeed: "the line does not end in a line feed"
        case .framing: "the line is not JSON, one space and a 64-digit lowercase hex digest"
        case .digest: "the digest is not the SHA-256 of the line's JSON"
        case .json: "the JSON does not parse"
        case .seq: "seq does not follow the previous record"
        case .prev: "prev is not the previous line's digest"
        case .schema: "a field is missing, mistyped or unknown"
        }
    }
}

public struct LineDefect: Error, Sendable, Equatable {
    public var check: LogCheck
    public var detail: String
}

/// Reads one line (without its LF) back into a record, checking framing,
/// digest, JSON, the chain and the schema, in that order.
public enum RecordLineParser {
    public static func parse(
        _ line: ArraySlice<UInt8>, expectedSeq: Int, previousDigest: String
    ) throws(LineDefect) -> RecordLine {
        // Framing: the digest is the last 64 bytes, after a single space.
        guard line.count > 65, line[line.endIndex - 65] == UInt8(ascii: " ") else {
            throw LineDefect(check: .framing, detail: "no \" DIGEST\" at the end of the line")
        }
        let digestBytes = line[(line.endIndex - 64)...]
        guard Digest.isWellFormed(digestBytes) else {
            throw LineDefect(check: .framing, detail: "the digest is not 64 lowercase hex digits")
        }
        let json = Array(line[line.startIndex..<(line.endIndex - 65)])
        let digest = String(decoding: digestBytes, as: UTF8.self)
        let actual = Digest.hex(of: json)
        guard actual == digest else {
            throw LineDefect(check: .digest, detail: "SHA-256 of the JSON is \(actual)")
        }
        let value: JSONValue
        do {
            value = try JSONParser.parse(json)
        } catch {
            throw LineDefect(check: .json, detail: error.description)
        }
        guard case .object = value else { throw LineDefect(check: .json, detail: "not a JSON object") }
        guard let seq = value["seq"]?.integerValue else {
            throw LineDefect(check: .seq, detail: "no integer seq")
        }
        guard seq == expectedSeq else {
            throw LineDefect(check: .seq, detail: "seq \(seq) where \(expectedSeq) was due")
        }
        guard let prev = value["prev"]?.stringValue else { throw LineDefect(check: .prev, detail: "no prev") }
        guard prev == previousDigest else {
            throw LineDefect(check: .prev, detail: "prev \(prev.prefix(12))… is not \(previousDigest.prefix(12))…")
        }
        let record = try decodeRecord(value, seq: Int(seq))
        // Strict records: the decoded record, written again, must give back
        // exactly these bytes. One check refuses unknown fields anywhere in
        // `data`, reordered keys, stray whitespace and alternative escapes, so
        // every valid line means exactly what the schema says and nothing more.
        // Written again without hashing it again: the digest was checked above.
        let canonical = JSONWriter.bytes(RecordLine.envelope(of: record, previousDigest: prev))
        guard canonical == json else {
            throw LineDefect(check: .schema, detail: canonicalFormDefect(value, canonical: canonical))
        }
        return RecordLine(record: record, previousDigest: prev, json: json, digest: digest)
    }

    /// Why a line that decoded is not in its canonical form, as precisely as can be told.
    private static func canonicalFormDefect(_ value: JSONValue, canonical: [UInt8]) -> String {
        if let data = value["data"], let expected = try? JSONParser.parse(canonical)["data"],
           let unknown = unknownField(in: data, expected: expected, path: "data") {
            return "unknown field \"\(unknown)\""
        }
        let written = JSONWriter.bytes(value)
        return written == canonical
            ? "not in canonical form (extra whitespace or a different escape)"
            : "not in canonical form (fields out of order, or a value written differently)"
    }

    private static func unknownField(in value: JSONValue, expected: JSONValue, path: String) -> String? {
        guard case let .object(members) = value, case let .object(known) = expected else { return nil }
        for (key, member) in members {
            guard let expectedMember = known.first(where: { $0.0 == key })?.1 else { return path + "." + key }
            if let deeper = unknownField(in: member, expected: expectedMember, path: path + "." + key) { return deeper }
        }
        return nil
    }

    private static let envelopeKeys: Set<String> = ["seq", "prev", "id", "type", "v", "at", "mono_ns", "boot", "by", "data"]

    private static func decodeRecord(_ value: JSONValue, seq: Int) throws(LineDefect) -> SessionRecord {
        func schema(_ detail: String) -> LineDefect { LineDefect(check: .schema, detail: detail) }
        guard case let .object(members) = value else { throw schema("not an object") }
        if let unknown = members.first(where: { !envelopeKeys.contains($0.0) }) {
            throw schema("unknown field \"\(unknown.0)\"")
        }
        guard let id = value["id"]?.stringValue, !id.isEmpty else { throw schema("missing id") }
        guard let type = value["type"]?.stringValue else { throw schema("missing type") }
        guard let version = value["v"]?.integerValue else { throw schema("missing v") }
        guard let atText = value["at"]?.stringValue else { throw schema("missing at") }
        guard let at = RFC3339.parse(atText) else { throw schema("at \"\(atText)\" is not RFC 3339 UTC with milliseconds") }
        guard let mono = value["mono_ns"]?.integerValue, mono >= 0 else { throw schema("missing mono_ns") }
        guard let boot = value["boot"]?.stringValue else { throw schema("missing boot") }
        guard let by = value["by"]?.stringValue else { throw schema("missing by") }
        guard let data = value["data"] else { throw schema("missing data") }
        let event: SessionEvent
        do {
            event = try EventData.decode(type: type, version: Int(version), data: data)
        } catch {
            throw schema(error.description)
        }
        let stamp = EventStamp(wallMilliseconds: at, monotonicNanoseconds: UInt64(mono), bootID: boot)
        return SessionRecord(seq: seq, id: id, stamp: stamp, by: by, event: event)
    }
}
