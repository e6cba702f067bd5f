import Crypto
import TrilliumCore

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

    static func hexString<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        var out = [UInt8]()
        out.reserveCapacity(64)
        for byte in digest {
            out.append(alphabet[Int(byte >> 4)])
            out.append(alphabet[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether `hex` (64 lowercase hex digits) is the SHA-256 of `bytes`:
    /// compared digit by digit, without making a string of either.
    public static func matches(_ bytes: UnsafeRawBufferPointer, hex: UnsafeBufferPointer<UInt8>) -> Bool {
        guard hex.count == 64 else { return false }
        return SHA256.hash(data: bytes).withUnsafeBytes { digest in
            // Lowercase hex by arithmetic: this runs for every line a verify reads.
            func digit(_ nibble: UInt8) -> UInt8 { nibble < 10 ? 0x30 + nibble : 0x57 + nibble }
            for index in 0..<32 {
                let byte = digest[index]
                guard hex[2 * index] == digit(byte >> 4), hex[2 * index + 1] == digit(byte & 0x0F) else { return false }
            }
            return true
        }
    }

    /// The value of a lowercase hex digit (one `FieldDomain.isLowercaseHexDigit` accepts).
    static func value(ofHexDigit byte: UInt8) -> UInt8 {
        byte <= 0x39 ? byte - 0x30 : byte - 0x61 + 10
    }

    /// Whether `bytes` are exactly 64 lowercase hex digits.
    public static func isWellFormed(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.count == 64 && bytes.allSatisfy(FieldDomain.isLowercaseHexDigit)
    }
}
