import Crypto

/// The log's digest: lowercase hex SHA-256 of exact bytes.
public enum Digest {
    /// The `prev` of the first record.
    public static let genesis = String(repeating: "0", count: 64)

    public static func hex<Bytes: Sequence>(of bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var hasher = SHA256()
        hasher.update(data: Array(bytes))
        return hexString(hasher.finalize())
    }

    public static func hex(of bytes: ArraySlice<UInt8>) -> String {
        bytes.withUnsafeBytes { buffer in
            hexString(SHA256.hash(data: buffer))
        }
    }

    public static func hex(of bytes: [UInt8]) -> String {
        bytes.withUnsafeBytes { buffer in
            hexString(SHA256.hash(data: buffer))
        }
    }

    private static let alphabet = Array("0123456789abcdef".utf8)

    private static func hexString<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        var out = [UInt8]()
        out.reserveCapacity(64)
        for byte in digest {
            out.append(alphabet[Int(byte >> 4)])
            out.append(alphabet[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether `bytes` are exactly 64 lowercase hex digits.
    public static func isWellFormed(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.count == 64 && bytes.allSatisfy {
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0)
        }
    }
}
