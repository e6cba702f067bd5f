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

    /// Why a co-signature was not made.
    public enum CosignError: Error, CustomStringConvertible {
        case notAuthorised(AuthenticationError)
        case session(StoreError)
        case notRecorded(RecordingError)
        case key(FileError)
        /// The session's own signatures do not check out: a review cannot vouch for what nothing vouches for.
        case signaturesNotGood([String])

        public var description: String {
            switch self {
            case let .signaturesNotGood(problems):
                "the session's signatures do not check out, so it cannot be reviewed: " + problems.joined(separator: "; ")
            case let .notAuthorised(error): error.description
            case let .session(error): error.description
            case let .notRecorded(error): error.description
            case let .key(error): "the workstation's signing key is unavailable: \(error)"
            }
        }
    }

    /// A director's review of the signed session at `path`: their PIN and
    /// role checked, the log reopened under its lock, `session.cosigned`
    /// made with the workstation's key. What `trillium cosign` and the start
    /// screen both do.
    public static func cosign(sessionAt path: String, in store: SessionStore, staff: StaffDirectory,
                              director id: String, pin: String) throws(CosignError) -> (record: SessionRecord, director: StaffAccount, key: WorkstationKey) {
        let director: StaffAccount
        do {
            director = try staff.authenticate(id, pin: pin, requiring: .director)
        } catch {
            throw .notAuthorised(error)
        }
        let key: WorkstationKey
        do {
            key = try WorkstationKey.loadOrCreate(in: store.directory)
        } catch {
            throw .key(error)
        }
        let verification: LogVerification
        do {
            verification = try LogReader.verify(path: path, files: store.files)
        } catch {
            throw .session(.unreadable(path: path, reason: error.description))
        }
        // A review vouches with this workstation's key: only the keys this data directory
        // trusts count, never a key that came in a folder beside the log.
        let problems = store.signatureProblems(of: verification, onlyKeysTrustedHere: true)
        guard problems.isEmpty else { throw .signaturesNotGood(problems) }
        let recorder: SessionRecorder
        do {
            recorder = try store.resume(path: path)
        } catch {
            throw .session(error)
        }
        defer { recorder.close() }
        do {
            return (try SessionSigning(key: key).cosign(recorder, by: director), director, key)
        } catch {
            throw .notRecorded(error)
        }
    }

    /// The attestation a sign-off states, in the signer's name.
    public static func attestation(by signer: StaffAccount) -> String {
        "I, \(signer.name), confirm this record of the session is complete and accurate."
    }
}
