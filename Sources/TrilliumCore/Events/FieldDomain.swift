/// The formats a field's text must have, whoever checks it: the decoder for
/// a record read from a log, the correction dialog for a value typed now.
public enum FieldDomain {
    /// 100 mm: far beyond any device; the protocol's own limits are checked by the state machine.
    public static let maximumDepthMicrometres: Int64 = 100_000

    /// Why `text` is not a value of `kind`, or nil when it is.
    public static func problem(with text: String, for kind: FieldKind) -> String? {
        switch kind {
        case let .text(maximumLength):
            // No more bytes than the limit is no more characters: most text is counted without breaking graphemes.
            return text.utf8.count <= maximumLength || text.count <= maximumLength ? nil : "at most \(maximumLength) characters"
        case let .choice(choices):
            return choices.contains { $0.value == text } ? nil : "one of " + choices.map { "\"\($0.value)\"" }.joined(separator: ", ")
        case .zone, .agent, .question, .checklistItem, .direction, .endpoint, .device, .product:
            return isIdentifier(text) ? nil : "an id of a-z, 0-9, _ and -"
        case .staff:
            return isStaffID(text) ? nil : "an account id of 1 to \(RecordSchema.Limit.staffID) characters a-z, 0-9, _ and -"
        case .pinHash:
            return PINHashText.isWellFormed(text) ? nil : "a PIN hash as pbkdf2-sha256$ROUNDS$SALT$HASH"
        case .signature:
            return text.utf8.count == 128 && text.utf8.allSatisfy(isLowercaseHexDigit) ? nil : "128 lowercase hex digits"
        case .roleList:
            return "a list of roles"
        case .count:
            guard let number = Int64(text), number >= 0 else { return "a whole number, not negative" }
            return nil
        case .expiry:
            return CivilDate.parseExpiry(text) != nil ? nil : "a date as YYYY-MM or YYYY-MM-DD"
        case .date:
            return CivilDate.parseDay(text) != nil ? nil : "a date as YYYY-MM-DD"
        case .digest:
            return text.utf8.count == 64 && text.utf8.allSatisfy(isLowercaseHexDigit) ? nil : "64 lowercase hex digits"
        case .boolean:
            return text == "true" || text == "false" ? nil : "true or false"
        case .depth:
            guard let micrometres = Int64(text), (0...maximumDepthMicrometres).contains(micrometres) else {
                return "a depth in micrometres"
            }
            return nil
        case .milliseconds, .byteCount:
            guard let number = Int64(text), number >= 0 else { return "a whole number, not negative" }
            return nil
        case .seq:
            guard let number = Int64(text), number >= 1 else { return "a record number, 1 or more" }
            return nil
        case .zoneList:
            return "a list of zones"
        case .identifierList:
            return "a list of ids"
        case .digestList:
            return "a list of SHA-256 digests"
        }
    }

    /// Protocol ids: what `ProtocolFile` accepts.
    public static func isIdentifier(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= RecordSchema.Limit.identifier && text.utf8.allSatisfy(isIdentifierByte)
    }

    /// An account id: short enough to type with gloves on and read across the room.
    public static func isStaffID(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= RecordSchema.Limit.staffID && text.utf8.allSatisfy(isIdentifierByte)
    }

    /// a-z, 0-9, `_` and `-`: the bytes of an id.
    public static func isIdentifierByte(_ byte: UInt8) -> Bool {
        (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) || byte == 0x5F || byte == 0x2D
    }

    /// 0-9 and a-f: the digits of a digest, and of the log's `\u00xx` escapes.
    public static func isLowercaseHexDigit(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x61...0x66).contains(byte)
    }
}

/// The text form of a PIN's hash: `pbkdf2-sha256$ROUNDS$SALT$HASH`, salt and
/// hash in lowercase hex. Its form is the core's to check; making and
/// checking a hash is the identity module's (it needs the crypto).
public enum PINHashText {
    public static let scheme = "pbkdf2-sha256"
    /// OWASP's figure for PBKDF2-HMAC-SHA256 (2023): never fewer.
    public static let minimumRounds = 600_000

    public struct Parts: Sendable, Equatable {
        public var rounds: Int
        public var salt: String
        public var hash: String
    }

    public static func parts(of text: String) -> Parts? {
        let pieces = text.split(separator: "$", omittingEmptySubsequences: false)
        guard pieces.count == 4, pieces[0] == scheme, let rounds = Int(pieces[1]), rounds >= minimumRounds, rounds <= 100_000_000,
              String(rounds) == pieces[1] else { return nil }
        let salt = String(pieces[2]), hash = String(pieces[3])
        guard (32...128).contains(salt.utf8.count), salt.utf8.count % 2 == 0, salt.utf8.allSatisfy(FieldDomain.isLowercaseHexDigit),
              hash.utf8.count == 64, hash.utf8.allSatisfy(FieldDomain.isLowercaseHexDigit) else { return nil }
        return Parts(rounds: rounds, salt: salt, hash: hash)
    }

    public static func isWellFormed(_ text: String) -> Bool { parts(of: text) != nil }
}
