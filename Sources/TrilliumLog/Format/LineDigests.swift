import TrilliumCore

/// The digests of a log's lines in order, held as their 32 bytes each rather
/// than as 64-digit strings: replay keeps one for every record, and a
/// 100,000-record log's took 11 MB as strings, 3.2 MB here.
public struct LineDigests: RandomAccessCollection, ExpressibleByArrayLiteral, Sendable, Equatable {
    private var bytes: [UInt8] = []

    public init() {}

    public init(arrayLiteral digests: String...) {
        for digest in digests { append(digest) }
    }

    public init<Digests: Sequence<String>>(_ digests: Digests) {
        for digest in digests { append(digest) }
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { bytes.count / 32 }

    /// The digest at `index` as the log writes it: 64 lowercase hex digits.
    public subscript(index: Int) -> String {
        precondition(indices.contains(index), "no digest at \(index)")
        return Digest.hexString(bytes[(index * 32)..<(index * 32 + 32)])
    }

    /// Appends a digest given as 64 lowercase hex digits (as every verified line's is).
    public mutating func append(_ hex: String) {
        let digits = Array(hex.utf8)
        precondition(Digest.isWellFormed(digits[...]), "not a line digest: \(hex)")
        for pair in stride(from: 0, to: 64, by: 2) {
            bytes.append(Digest.value(ofHexDigit: digits[pair]) << 4 | Digest.value(ofHexDigit: digits[pair + 1]))
        }
    }

    public mutating func reserveCapacity(_ count: Int) {
        bytes.reserveCapacity(count * 32)
    }
}
