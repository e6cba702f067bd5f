#if canImport(Glibc)
import Glibc
#endif
import Crypto

/// What vouches for the session index's entries: the index is a cache, but
/// `lots` and `history` find sessions through it, so an entry rewritten to
/// name another lot or patient would hide a session from a recall while
/// every log and signature still checks out. A plain digest of the entries
/// vouches only against damage: anyone can compute it again.
///
/// Where this workstation has a signing key, the index is sealed with an
/// HMAC-SHA256 keyed from that key's file, so that forging an entry takes
/// the secret a forged signature takes. Where the data directory has staff
/// accounts (and so signs its sessions) but the key cannot be read, no
/// index is trusted or written: every log is read, slower but sound, rather
/// than trusting an index anyone could have sealed. A directory without
/// accounts or key signs nothing, and its logs can be rewritten as easily
/// as its index: there the plain digest is kept.
enum IndexSeal: Sendable {
    /// The key's 32 bytes (held as bytes: Crypto's `SymmetricKey` is not `Sendable`).
    case keyed([UInt8])
    case plain
    case untrusted

    /// Tells an index sealed by one key from every other: a key that was
    /// replaced leaves the old index unreadable, and it is rebuilt.
    private static let domain = Array("trillium session index seal 1\n".utf8)

    init(directory: DataDirectory, files: any FileOperations) {
        do {
            let keyFile = try files.readWholeFile(directory.workstationPrivateKeyPath, limit: 4096)
            self = .keyed(Array(SHA256.hash(data: Self.domain + keyFile)))
        } catch where error.code == ENOENT && !files.exists(directory.staffLogPath) {
            self = .plain
        } catch {
            self = .untrusted
        }
    }

    /// The header's last field for entries `body`: 64 lowercase hex digits; nil where no seal is trusted.
    func seal(of body: ArraySlice<UInt8>) -> String? {
        switch self {
        case let .keyed(key):
            body.withUnsafeBytes { Digest.hexString(HMAC<SHA256>.authenticationCode(for: $0, using: SymmetricKey(data: key))) }
        case .plain:
            Digest.hex(of: body)
        case .untrusted:
            nil
        }
    }
}
