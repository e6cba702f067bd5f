import Foundation
import TrilliumCore
import TrilliumIdentity
import TrilliumLog

/// One thing a log's electronic signatures establish, in `trillium verify`'s words.
public struct SignatureFinding: Sendable, Equatable {
    public var line: String
    /// Made with a trusted key over exactly what the log holds before it.
    public var isGood: Bool

    public init(line: String, isGood: Bool) {
        self.line = line
        self.isGood = isGood
    }
}

/// Checks the signatures a reading of a log found against the keys its
/// reader trusts. The chain alone cannot tell a log rewritten with fresh
/// digests from the one that was written: only a signature can, so whatever
/// vouches for a session (verify, a report, a replay, a co-signature) asks
/// here first.
public enum SignatureAudit {
    /// What the signatures of a log say, one finding each; a sign-off whose
    /// signature was removed is a finding too.
    ///
    /// `staff`, the accounts of the data directory the log was written in,
    /// checks what a signature does not cover: the signer's name shown beside
    /// the id (the signature covers the id, the role, the meaning and the
    /// attestation), and a sign-off made by an account without a signature
    /// even where the opening no longer names the account.
    ///
    /// `accountsBegan`, when staff accounts began in the folder the log lies
    /// in (`accountsBegan(of:besideLogAt:)`), flags a session opened without
    /// an account after then.
    public static func findings(_ verification: LogVerification, trusted: TrustedKeys, staff: StaffRoster? = nil,
                                accountsBegan: EventStamp? = nil) -> [SignatureFinding] {
        var findings = verification.signatures.map { claim in
            let verdict = SignatureCheck.verdict(on: claim, trusting: trusted)
            // "Unknown" may only mean that the key could not be read: said, so that nobody takes one for the other.
            let unread = verdict == .unknownKey && !trusted.unreadable.isEmpty
                ? " (and these could not be read: " + trusted.unreadable.joined(separator: "; ") + ")" : ""
            return SignatureFinding(line: SignatureCheck.describe(claim, verdict) + unread, isGood: verdict.isGood)
        }
        for claim in verification.signatures {
            if let account = staff?.account(claim.signature.signer.rawValue), account.name != claim.signature.signerName {
                findings.append(SignatureFinding(
                    line: "#\(claim.seq) \(claim.kind.rawValue) names its signer \"\(claim.signature.signerName)\", but account "
                        + "\(account.id) is \(account.name): the name was changed", isGood: false))
            }
        }
        if let finding = unattributedSince(verification, accountsBegan: accountsBegan) {
            findings.append(finding)
        }
        if let seq = verification.unsignedSignOffSeq {
            findings.append(SignatureFinding(
                line: "sign-off #\(seq) has no signature, in a session opened by a signed-in account: it was removed", isGood: false))
        } else if let unsigned = verification.unsignedSignOff, staff?.account(unsigned.by) != nil {
            findings.append(SignatureFinding(
                line: "sign-off #\(unsigned.seq) has no signature, but was made by account \(unsigned.by): it was removed", isGood: false))
        }
        return findings
    }

    /// A session that reads as one from before staff accounts, opened after
    /// they began in its data directory. Since then the app opens a session
    /// only for a signed-in account and signs it off with a signature, so a
    /// session without either is one whose attribution and signature were
    /// taken out, and every digest recomputed: the one rewrite that needs
    /// no private key. (One back-dated as well is the clinic's copy's to catch.)
    static func unattributedSince(_ verification: LogVerification, accountsBegan: EventStamp?) -> SignatureFinding? {
        guard let began = accountsBegan, let opening = verification.opening, opening.operatorID == nil,
              let opened = verification.firstStamp, opened.wallMilliseconds > began.wallMilliseconds else { return nil }
        return SignatureFinding(
            line: "opened \(Times.dateTime(opened)) without an account, but staff accounts began here at "
                + "\(Times.dateTime(began)): a session opened since then names its operator's account "
                + "(its attribution was removed, or it was copied here from a workstation without accounts)",
            isGood: false)
    }

    /// When staff accounts began where the log at `log` lies, from `staff`
    /// (what `staff(forLogAt:)` read): only where that folder keeps a staff
    /// log of its own. A log read from another folder (a room without
    /// accounts, an export, the clinic's copy) is never held to this
    /// data directory's beginning.
    public static func accountsBegan(of staff: StaffRoster?, besideLogAt log: String,
                                     files: FileOperations = POSIXFileOperations()) -> EventStamp? {
        files.exists(DataDirectory(path: SessionLogWriter.directoryPath(of: log)).staffLogPath) ? staff?.accountsBegan : nil
    }

    /// The findings that do not check out: what makes a log's record untrustworthy.
    public static func problems(_ verification: LogVerification, trusted: TrustedKeys, staff: StaffRoster? = nil,
                                accountsBegan: EventStamp? = nil) -> [String] {
        findings(verification, trusted: trusted, staff: staff, accountsBegan: accountsBegan).filter { !$0.isGood }.map(\.line)
    }

    /// The accounts of the data directory the log at `log` lies in, where it
    /// has a staff log; else those of `dataDirectory`; nil where neither has one.
    public static func staff(forLogAt log: String, dataDirectory: DataDirectory, appVersion: String,
                             files: FileOperations = POSIXFileOperations()) -> StaffRoster? {
        let own = DataDirectory(path: SessionLogWriter.directoryPath(of: log))
        for directory in [own, dataDirectory] where files.exists(directory.staffLogPath) {
            return try? StaffDirectory(directory: directory, workstation: "", appVersion: appVersion).roster()
        }
        return nil
    }

    /// The keys a log's signatures are checked against: the data directory's
    /// (this workstation's and keys/trusted/), and those of the directory
    /// the log itself lies in, when that is another data directory.
    public static func trustedKeys(forLogAt log: String, dataDirectory: DataDirectory,
                                   files: FileOperations = POSIXFileOperations()) -> TrustedKeys {
        var trusted = TrustedKeys.load(from: dataDirectory, files: files)
        let own = DataDirectory(path: SessionLogWriter.directoryPath(of: log))
        // The same folder however it was named ("." and its full path): the same inode on the same device.
        func identity(_ path: String) -> (UInt64, UInt64)? { (try? files.linkStatus(path)).map { ($0.inode, $0.device) } }
        let isDataDirectory = own.path == dataDirectory.path
            || (identity(own.path).map { ownIdentity in identity(dataDirectory.path).map { $0 == ownIdentity } ?? false } ?? false)
        // Named by its full path: "the workstation of ." says nothing to whoever reads the findings later.
        let shown = own.path.hasPrefix("/") ? own.path
            : FileManager.default.currentDirectoryPath + (own.path == "." ? "" : "/" + own.path)
        if !isDataDirectory { trusted.add(TrustedKeys.load(from: own, files: files, workstationName: "the workstation of \(shown)")) }
        return trusted
    }
}

extension SessionStore {
    /// The signatures of the log at `path`, as `verification` read them,
    /// that do not check out against the keys this data directory trusts,
    /// and, unless `onlyKeysTrustedHere`, the keys of the data directory the
    /// log lies in (a log read where it was written, copied out with its folder).
    public func signatureProblems(of verification: LogVerification, onlyKeysTrustedHere: Bool = false) -> [String] {
        let trusted = onlyKeysTrustedHere ? TrustedKeys.load(from: directory, files: files)
            : SignatureAudit.trustedKeys(forLogAt: verification.path, dataDirectory: directory, files: files)
        let staff = SignatureAudit.staff(forLogAt: verification.path, dataDirectory: directory, appVersion: appVersion, files: files)
        return SignatureAudit.problems(verification, trusted: trusted, staff: staff,
                                       accountsBegan: SignatureAudit.accountsBegan(of: staff, besideLogAt: verification.path, files: files))
    }
}
