import Crypto
import _CryptoExtras
import TrilliumCore

/// PINs are kept only as a salted PBKDF2-HMAC-SHA256 hash, 600,000 rounds
/// (OWASP's figure): slow enough that a stolen staff file gives up no PIN
/// quickly, fast enough (about a third of a second here) for a sign-in.
public enum PINHasher {
    public static let rounds = PINHashText.minimumRounds

    /// A new hash of `pin`, with a fresh random salt, in `PINHashText`'s form.
    public static func hash(_ pin: String, rounds: Int = rounds) -> String {
        var generator = SystemRandomNumberGenerator()
        return hash(pin, salt: (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }, rounds: rounds)
    }

    /// A hash with the salt given: for sample staff, made the same for a seed.
    public static func hash(_ pin: String, salt: [UInt8], rounds: Int = rounds) -> String {
         "\(PINHashText.scheme)$\(rounds)$\(Hex.encode(salt))$\(Hex.encode(derive(pin, salt: salt, rounds: rounds)))"
    }

    /// Whether `pin` is the one `hashText` was made from. Compared in
    /// constant time; a malformed hash matches nothing.
    public static func matches(_ pin: String, hashText: String) -> Bool {
        guard let parts = PINHashText.parts(of: hashText), let salt = Hex.decode(parts.salt), let expected = Hex.decode(parts.hash)
        else { return false }
        let derived = derive(pin, salt: salt, rounds: parts.rounds)
        guard derived.count == expected.count else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(derived, expected) { difference |= a ^ b }
        return difference == 0
    }

    private static func derive(_ pin: String, salt: [UInt8], rounds: Int) -> [UInt8] {
        // The rounds are never below the minimum (PINHashText refuses fewer), so the checked call cannot refuse them.
        guard let key = try? KDF.Insecure.PBKDF2.deriveKey(
            from: Array(pin.utf8), salt: salt, using: .sha256, outputByteCount: 32, rounds: rounds)
        else { return [] }
        return key.withUnsafeBytes { Array($0) }
    }
}

/// Lowercase hexadecimal, both ways.
public enum Hex {
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The bytes of lowercase hex text, or nil when it is not that.
    public static func decode(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        func value(_ digit: UInt8) -> UInt8? {
            switch digit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
            default: nil
            }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = value(digits[index]), let low = value(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }
}
