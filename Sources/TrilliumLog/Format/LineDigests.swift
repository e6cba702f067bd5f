import TrilliumCore

/// The digests of a log's lines in order, as replay shows them (the line
/// under the cursor, the head of the screen's status). Read from the log's
/// own bytes where replay holds them; else held as their 32 bytes each, not
/// as 64-digit strings (a 100,000-record log's took 11 MB as strings).
public struct LineDigests: RandomAccessCollection, ExpressibleByArrayLiteral, Sendable, Equatable {
    private enum Storage: Sendable {
        case bytes([UInt8])
        case log(ReplayLog)
    }

    private let storage: Storage

    public init(arrayLiteral digests: String...) {
        self.init(digests)
    }

    /// Digests given as 64 lowercase hex digits each.
    public init<Digests: Sequence<String>>(_ digests: Digests) {
        var bytes: [UInt8] = []
        for digest in digests {
            let digits = Array(digest.utf8)
            precondition(Digest.isWellFormed(digits[...]), "not a line digest: \(digest)")
            for pair in stride(from: 0, to: 64, by: 2) {
                bytes.append(Digest.value(ofHexDigit: digits[pair]) << 4 | Digest.value(ofHexDigit: digits[pair + 1]))
            }
        }
        storage = .bytes(bytes)
    }

    /// The digests of a log replay holds, read from its lines when asked for.
    init(_ log: ReplayLog) {
        storage = .log(log)
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int {
        switch storage {
        case let .bytes(bytes): bytes.count / 32
        case let .log(log): log.count
        }
    }

    /// The digest at `index` as the log writes it: 64 lowercase hex digits.
    public subscript(index: Int) -> String {
        precondition(indices.contains(index), "no digest at \(index)")
        switch storage {
        case let .bytes(bytes): return Digest.hexString(bytes[(index * 32)..<(index * 32 + 32)])
        case let .log(log): return log.digest(at: index)
        }
    }

    public static func == (lhs: LineDigests, rhs: LineDigests) -> Bool {
        lhs.elementsEqual(rhs)
    }
}
