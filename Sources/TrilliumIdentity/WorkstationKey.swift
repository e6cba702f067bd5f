#if canImport(Glibc)
import Glibc
#endif
import Crypto
import TrilliumCore
import TrilliumLog

/// The workstation's Ed25519 key: made on first use, its private part kept
/// owner-only (0600) in the data directory's `keys/`, its public part beside
/// it for the clinic to copy into other workstations' `keys/trusted/`.
public struct WorkstationKey {
    public let privateKey: Curve25519.Signing.PrivateKey
    public var publicKey: Curve25519.Signing.PublicKey { privateKey.publicKey }

    public static let privateFileName = DataDirectory.workstationPrivateKeyName
    public static let publicFileName = "workstation.pub"

    /// SHA-256 (hex) of the 32 raw public bytes: what a signature names its key by.
    public var fingerprint: String { Self.fingerprint(of: publicKey) }

    public static func fingerprint(of key: Curve25519.Signing.PublicKey) -> String {
        Hex.encode(SHA256.hash(data: Array(key.rawRepresentation)))
    }

    /// The key in `directory`'s `keys/`, made there first if there is none.
    /// `privateBytes` makes the key from those 32 bytes instead of at random: for sample data only.
    public static func loadOrCreate(in directory: DataDirectory, files: FileOperations = POSIXFileOperations(),
                                    privateBytes: [UInt8]? = nil) throws(FileError) -> WorkstationKey {
        let keys = directory.keysPath
        let privatePath = keys + "/" + privateFileName
        if files.exists(privatePath) { return try load(privatePath, files: files) }
        // The private part is written first: a public key without it is a
        // key lost, never a creation cut short. A new pair would replace the
        // public key every session signed here is checked against.
        let publicPath = keys + "/" + publicFileName
        if files.exists(publicPath) {
            throw FileError(operation: "open", path: privatePath, code: ENOENT,
                            reason: "the workstation's private key is missing while its public key is still here: restore it from its backup "
                                + "(a new key would leave every session signed with the old one unverifiable here)")
        }
        do {
            try files.makeDirectory(keys, mode: 0o700)
        } catch where error.code == EEXIST {}
        let privateKey = privateBytes.flatMap { try? Curve25519.Signing.PrivateKey(rawRepresentation: $0) } ?? Curve25519.Signing.PrivateKey()
        let key = WorkstationKey(privateKey: privateKey)
        // The private part appears whole or not at all: written and synced under a temporary name, then renamed.
        try writeNew(privatePath, Hex.encode(key.privateKey.rawRepresentation) + "\n", files: files)
        try writeNew(publicPath, Hex.encode(key.publicKey.rawRepresentation) + "\n", files: files)
        try files.syncDirectory(keys)
        return key
    }

    /// The key kept at `path`, refused unless it is private to its owner.
    static func load(_ path: String, files: FileOperations) throws(FileError) -> WorkstationKey {
        let status = try files.linkStatus(path)
        guard status.kind == .regular, status.permissions & 0o077 == 0 else {
            throw FileError(operation: "open", path: path, code: EPERM,
                            reason: "the workstation's private key must be a regular file only its owner can read (chmod 600)")
        }
        guard let bytes = keyBytes(inFile: try files.readWholeFile(path, limit: 256)),
              let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: bytes) else {
            throw FileError(operation: "read", path: path, code: EINVAL, reason: "not a workstation key (64 hex digits)")
        }
        return WorkstationKey(privateKey: key)
    }

    /// The 32 bytes of a key file: 64 hex digits, white space around them
    /// ignored (as `trillium workstation` and an editor leave them).
    static func keyBytes(inFile contents: [UInt8]) -> [UInt8]? {
        guard let bytes = Hex.decode(String(decoding: contents, as: UTF8.self).filter { !$0.isWhitespace }), bytes.count == 32 else { return nil }
        return bytes
    }

    private static func writeNew(_ path: String, _ text: String, files: FileOperations) throws(FileError) {
        let temporary = path + ".creating"
        try? files.remove(temporary)
        let fd = try files.open(temporary, flags: O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode: 0o600)
        do {
            try files.writeAll(fd, Array(text.utf8), path: temporary)
            try files.dataSync(fd, path: temporary)
            files.close(fd)
            try files.rename(temporary, to: path, replacing: false)
        } catch {
            files.close(fd)
            try? files.remove(temporary)
            throw error
        }
    }

    /// Signs `message`: the 64-byte Ed25519 signature as 128 hex digits.
    public func sign(_ message: [UInt8]) -> String {
        // Signing with a valid key over bytes in memory does not fail.
        Hex.encode((try? privateKey.signature(for: message)).map { Array($0) } ?? [])
    }

    /// The electronic signature a record carries for `signer`, over `message`'s parts.
    public func signature(signer: StaffAccount, role: StaffRole, meaning: SignatureMeaning, previousDigest: String,
                          at stamp: EventStamp, attestation: String) -> ElectronicSignature {
        let message = ElectronicSignature.message(
            previousDigest: previousDigest, at: RFC3339.format(wallMilliseconds: stamp.wallMilliseconds),
            signer: signer.id, role: role, meaning: meaning, attestation: attestation)
        return ElectronicSignature(signer: signer.id, signerName: signer.name, role: role, meaning: meaning,
                                   keyFingerprint: fingerprint, value: sign(message))
    }
}
