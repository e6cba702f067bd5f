/// The data of `session.signed`: the attestation, and in an attributed
/// session the signer's electronic signature over everything before it.
public struct SignOff: Sendable, Equatable {
    public var attestation: String
    /// Nil only in sessions from before staff accounts.
    public var signature: ElectronicSignature?

    public init(attestation: String, signature: ElectronicSignature? = nil) {
        self.attestation = attestation
        self.signature = signature
    }
}

/// What a signature means, shown to the signer before it is made (21 CFR 11.50).
public enum SignatureMeaning: String, Sendable, Equatable, CaseIterable {
    case performedBy = "performed by"
    case reviewed

    public var label: String {
        switch self {
        case .performedBy: "Performed by"
        case .reviewed: "Reviewed"
        }
    }
}

/// A person's signature as a record carries it: who, in which role, meaning
/// what, and an Ed25519 signature made with the workstation's key over
/// `message`. The core reads and checks its form; the crypto is the
/// identity module's.
public struct ElectronicSignature: Sendable, Equatable {
    public var signer: StaffID
    public var signerName: String
    public var role: StaffRole
    public var meaning: SignatureMeaning
    /// SHA-256 (hex) of the signing key's 32 raw public bytes.
    public var keyFingerprint: String
    /// The 64-byte Ed25519 signature, as 128 lowercase hex digits.
    public var value: String

    public init(signer: StaffID, signerName: String, role: StaffRole, meaning: SignatureMeaning, keyFingerprint: String, value: String) {
        self.signer = signer
        self.signerName = signerName
        self.role = role
        self.meaning = meaning
        self.keyFingerprint = keyFingerprint
        self.value = value
    }

    /// The exact bytes signed, documented in README so that an auditor can
    /// check a signature with any Ed25519 tool: one line each, LF-ended,
    /// after a fixed first line. `previousDigest` is the signed record's
    /// `prev`, the digest of the line before it, so the signature covers
    /// the whole log up to that line; the rest binds the signer's claim.
    public static func message(previousDigest: String, at: String, signer: StaffID, role: StaffRole,
                               meaning: SignatureMeaning, attestation: String) -> [UInt8] {
        Array("trillium-signature-v1\n\(previousDigest)\n\(at)\n\(signer.rawValue)\n\(role.rawValue)\n\(meaning.rawValue)\n\(attestation)\n".utf8)
    }
}

/// The data of `session.handed_over`: who hands the session to whom. The
/// record's `by` is the person taking over, signed in.
public struct HandOver: Sendable, Equatable {
    public var from: String
    public var to: StaffID
    public var toName: String

    public init(from: String, to: StaffID, toName: String) {
        self.from = from
        self.to = to
        self.toName = toName
    }
}

/// The first record of a staff log or an access log: where it was begun.
public struct LogOpening: Sendable, Equatable {
    public var workstation: String
    public var appVersion: String

    public init(workstation: String, appVersion: String) {
        self.workstation = workstation
        self.appVersion = appVersion
    }
}

/// The data of `user.added`.
public struct StaffAddition: Sendable, Equatable {
    public var user: StaffID
    public var name: String
    public var roles: [StaffRole]
    public var pinHash: String

    public init(user: StaffID, name: String, roles: [StaffRole], pinHash: String) {
        self.user = user
        self.name = name
        self.roles = roles
        self.pinHash = pinHash
    }
}
