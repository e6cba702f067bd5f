import TrilliumCore

/// One line of a session log: `JSON SP DIGEST LF`, DIGEST being the lowercase
/// hex SHA-256 of exactly the JSON bytes, and the JSON naming the previous
/// line's DIGEST as `prev`: a hash chain that any edit breaks.
public struct RecordLine: Sendable, Equatable {
    public var record: SessionRecord
    /// The DIGEST of the previous line (64 zeros for seq 1).
    public var previousDigest: String
    /// The JSON bytes exactly as written.
    public var json: [UInt8]
    /// The DIGEST of `json`.
    public var digest: String

    /// The bytes of the whole line, LF included.
    public var bytes: [UInt8] {
        var line = json
        line.reserveCapacity(json.count + 66)
        line.append(UInt8(ascii: " "))
        line.append(contentsOf: digest.utf8)
        line.append(0x0A)
        return line
    }

    /// Frames `record` after the line whose digest is `previousDigest`.
    public init(record: SessionRecord, previousDigest: String) {
        self.record = record
        self.previousDigest = previousDigest
        self.json = JSONWriter.bytes(Self.envelope(of: record, previousDigest: previousDigest))
        self.digest = Digest.hex(of: json)
    }

    init(record: SessionRecord, previousDigest: String, json: [UInt8], digest: String) {
        self.record = record
        self.previousDigest = previousDigest
        self.json = json
        self.digest = digest
    }

    /// The record's JSON object, fields in the documented order.
    static func envelope(of record: SessionRecord, previousDigest: String) -> JSONValue {
        .object([
            ("seq", .integer(Int64(record.seq))),
            ("prev", .string(previousDigest)),
            ("id", .string(record.id)),
            ("type", .string(record.event.kind.rawValue)),
            ("v", .integer(Int64(record.event.kind.schemaVersion))),
            ("at", .string(RFC3339.format(wallMilliseconds: record.stamp.wallMilliseconds))),
            ("mono_ns", .integer(Int64(bitPattern: record.stamp.monotonicNanoseconds))),
            ("boot", .string(record.stamp.bootID)),
            ("by", .string(record.by)),
            ("data", EventData.encode(record.event)),
        ])
    }
}
