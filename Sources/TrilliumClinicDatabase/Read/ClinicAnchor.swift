import TrilliumCore
import TrilliumLog

/// What the clinic's copy says of a local log: the proof `verify --database`
/// adds to the log's own checks. A log's chain shows that no record was
/// changed alone; only a copy the workstation cannot reach shows that its
/// end was not cut off, nor the whole rewritten with fresh digests.
public enum Anchoring: Sendable, Equatable {
    /// The clinic holds records #1 to #`clinicHead`, the same as the log's.
    case anchored(clinicHead: Int)
    /// The clinic holds nothing of this log (not copied yet).
    case notCopied
    /// A log the clinic never takes (the access log stays on the workstation).
    case notCopiedByDesign(String)
    /// The log and the clinic's copy part at `seq`: records cut from its end, or rewritten.
    case parted(seq: Int, detail: String)

    public var isDefect: Bool {
        if case .parted = self { return true }
        return false
    }

    public var summary: String {
        switch self {
        case let .anchored(head): "anchored: the clinic's copy holds #1–#\(head), the same records"
        case .notCopied: "not in the clinic's copy yet (trillium sync sends it)"
        case let .notCopiedByDesign(reason): reason
        case let .parted(seq, detail): "corrupt: parts from the clinic's copy at seq \(seq): \(detail)"
        }
    }
}

extension ClinicConnection {
    /// Compares a local log with the clinic's copy of the same chain.
    public func anchor(_ log: LocalLog, workstation: ClinicWorkstation) async throws(ClinicDatabaseError) -> Anchoring {
        let target: CopiedLog
        switch log.verification.family {
        case .session:
            guard let opening = log.verification.opening else { return .notCopied }
            target = .session(id: opening.sessionID)
        case .staff:
            target = .staff(workstation: workstation.fingerprint)
        case .access:
            return .notCopiedByDesign("an access log: it stays on the workstation and is not anchored")
        }
        guard let head = try await head(of: target), head.seq > 0 else { return .notCopied }
        if let parting = try await parting(count: log.lines.count, localDigest: { log.lines[$0 - 1].digest }, from: head, of: target) {
            return .parted(seq: parting.seq, detail: parting.detail)
        }
        return .anchored(clinicHead: head.seq)
    }
}
