#if canImport(Glibc)
import Glibc
#endif
import Crypto
import TrilliumCore
import TrilliumLog

/// The public keys a reader of logs trusts: this workstation's own and those
/// placed in `keys/trusted/` (one per file, 64 hex digits), by fingerprint.
public struct TrustedKeys: Sendable {
    public struct Entry: Sendable {
        public var name: String
        /// The 32 raw public bytes (the key type itself is not Sendable).
        public var rawKey: [UInt8]
    }

    public private(set) var entries: [String: Entry] = [:]
    /// Key files and folders that are there but could not be read: a
    /// signature by one of their keys would read as "key unknown" when the
    /// truth is that the reader could not look.
    public private(set) var unreadable: [String] = []

    public init() {}

    /// The keys of `directory`: its workstation's public key and its trusted ones.
    public static func load(from directory: DataDirectory, files: FileOperations = POSIXFileOperations(),
                            workstationName: String = "this workstation") -> TrustedKeys {
        var trusted = TrustedKeys()
        trusted.add(file: directory.keysPath + "/" + WorkstationKey.publicFileName, name: workstationName, files: files)
        do {
            for name in try files.directoryEntries(directory.trustedKeysPath).sorted() where !name.hasPrefix(".") {
                trusted.add(file: directory.trustedKeysPath + "/" + name, name: name, files: files)
            }
        } catch where error.code != ENOENT && error.code != ENOTDIR {
            trusted.unreadable.append("\(directory.trustedKeysPath): \(error)")
        } catch {}
        return trusted
    }

    /// Every key of `other` too.
    public mutating func add(_ other: TrustedKeys) {
        entries.merge(other.entries) { mine, _ in mine }
        unreadable += other.unreadable
    }

    public mutating func add(_ key: Curve25519.Signing.PublicKey, name: String) {
        entries[WorkstationKey.fingerprint(of: key)] = Entry(name: name, rawKey: Array(key.rawRepresentation))
    }

    private mutating func add(file: String, name: String, files: FileOperations) {
        // A file that is not a key is left out: a signature by it reads as "key unknown", never as good.
        let contents: [UInt8]
        do {
            contents = try files.readWholeFile(file, limit: 4096)
        } catch {
            // Missing, or not a regular file of a key's size: not a key. A key file that cannot be opened is said.
            if error.code == EACCES || error.code == EIO { unreadable.append("\(file): \(error)") }
            return
        }
        guard let raw = WorkstationKey.keyBytes(inFile: contents),
              let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw) else { return }
        add(key, name: name)
    }
}

/// What checking one signature established.
public enum SignatureVerdict: Sendable, Equatable {
    /// Made with a trusted key: by whom, with which key.
    case good(keyName: String)
    /// Its key is not among the trusted: nothing can be said for it.
    case unknownKey
    /// The key is trusted and the signature does not match what the log says was signed.
    case bad

    public var isGood: Bool { if case .good = self { return true } else { return false } }
}

public enum SignatureCheck {
    public static func verdict(on claim: SignatureClaim, trusting keys: TrustedKeys) -> SignatureVerdict {
        guard let entry = keys.entries[claim.signature.keyFingerprint] else { return .unknownKey }
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: entry.rawKey), let value = Hex.decode(claim.signature.value),
              key.isValidSignature(value, for: claim.message) else { return .bad }
        return .good(keyName: entry.name)
    }

    /// One line for `trillium verify`.
    public static func describe(_ claim: SignatureClaim, _ verdict: SignatureVerdict) -> String {
        let who = "#\(claim.seq) \(claim.kind.rawValue) by \(claim.signature.signerName) (\(claim.signature.signer)) as \(claim.signature.role.rawValue), \"\(claim.signature.meaning.rawValue)\""
        let key = String(claim.signature.keyFingerprint.prefix(16))
        switch verdict {
        case let .good(name): return "signature good: \(who), key \(key)… (\(name))"
        case .unknownKey: return "signature key unknown: \(who), key \(key)… is not this workstation's nor in keys/trusted/"
        case .bad: return "signature BAD: \(who), key \(key)…: the log is not what was signed"
        }
    }
}
