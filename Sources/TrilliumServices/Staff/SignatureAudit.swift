import Foundation
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
    public static func findings(_ verification: LogVerification, trusted: TrustedKeys) -> [SignatureFinding] {
        var findings = verification.signatures.map { claim in
            let verdict = SignatureCheck.verdict(on: claim, trusting: trusted)
            return SignatureFinding(line: SignatureCheck.describe(claim, verdict), isGood: verdict.isGood)
        }
        if let seq = verification.unsignedSignOffSeq {
            findings.append(SignatureFinding(
                line: "sign-off #\(seq) has no signature, in a session opened by a signed-in account: it was removed", isGood: false))
        }
        return findings
    }

    /// The findings that do not check out: what makes a log's record untrustworthy.
    public static func problems(_ verification: LogVerification, trusted: TrustedKeys) -> [String] {
        findings(verification, trusted: trusted).filter { !$0.isGood }.map(\.line)
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
    /// that do not check out against the keys this data directory trusts.
    public func signatureProblems(of verification: LogVerification) -> [String] {
        SignatureAudit.problems(verification, trusted: SignatureAudit.trustedKeys(forLogAt: verification.path, dataDirectory: directory, files: files))
    }
}
