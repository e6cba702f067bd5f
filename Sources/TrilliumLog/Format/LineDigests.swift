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
        append(hexDigits: Array(hex.utf8)[...])
    }

    /// Appends a digest given as the 64 lowercase hex digits of a line's end.
    mutating func append(hexDigits digits: ArraySlice<UInt8>) {
        precondition(Digest.isWellFormed(digits), "not a line digest: \(String(decoding: digits, as: UTF8.self))")
        digits.withUnsafeBufferPointer { append(verifiedHexDigits: $0) }
    }

    /// Appends the digest of a line already verified, whose 64 digits are known to be lowercase hex.
    mutating func append(verifiedHexDigits digits: UnsafeBufferPointer<UInt8>) {
        for pair in 0..<32 {
            bytes.append(Digest.value(ofHexDigit: digits[2 * pair]) << 4 | Digest.value(ofHexDigit: digits[2 * pair + 1]))
        }
    }

    /// The digests of `count` verified lines, the digits of each found by `digits`: written in one pass.
    init(count: Int, verifiedHexDigits digits: (Int) -> UnsafeBufferPointer<UInt8>) {
        bytes = [UInt8](unsafeUninitializedCapacity: count * 32) { buffer, initialized in
            for index in 0..<count {
                let hex = digits(index)
                for pair in 0..<32 {
                    buffer[index * 32 + pair] = Digest.value(ofHexDigit: hex[2 * pair]) << 4 | Digest.value(ofHexDigit: hex[2 * pair + 1])
                }
            }
            initialized = count * 32
        }
    }

    public mutating func reserveCapacity(_ count: Int) {
        bytes.reserveCapacity(count * 32)
    }
}
