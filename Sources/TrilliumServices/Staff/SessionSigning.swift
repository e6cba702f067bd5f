import TrilliumCore
import TrilliumIdentity
import TrilliumLog

/// Signatures made at this workstation: the signer proved who they are
/// (their PIN) just before, and the workstation's key signs the digest of
/// everything before the record, with the signer's claim.
public struct SessionSigning {
    public let key: WorkstationKey

    public init(key: WorkstationKey) {
        self.key = key
    }

    /// `session.signed` by `signer`, "performed by".
    @discardableResult
    public func signOff(_ recorder: SessionRecorder, by signer: StaffAccount, attestation: String) throws(RecordingError) -> SessionRecord {
        try recorder.record(by: signer.id.rawValue) { stamp, previous in
            .signed(SignOff(attestation: attestation, signature: key.signature(
                signer: signer, role: .operator, meaning: .performedBy, previousDigest: previous, at: stamp, attestation: attestation)))
        }
    }

    /// `session.cosigned` by a director, "reviewed".
    @discardableResult
    public func cosign(_ recorder: SessionRecorder, by director: StaffAccount) throws(RecordingError) -> SessionRecord {
        try recorder.record(by: director.id.rawValue) { stamp, previous in
            .cosigned(key.signature(signer: director, role: .director, meaning: .reviewed, previousDigest: previous, at: stamp, attestation: ""))
        }
    }

    /// The attestation a sign-off states, in the signer's name.
    public static func attestation(by signer: StaffAccount) -> String {
        "I, \(signer.name), confirm this record of the session is complete and accurate."
    }
}
