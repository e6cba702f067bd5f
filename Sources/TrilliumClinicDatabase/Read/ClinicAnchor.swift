import NIOCore
import PostgresNIO
import TrilliumCore
import TrilliumLog

/// What the clinic's copy says of a local log: the proof `verify --database`
/// adds to the log's own checks. A log's chain shows that no record was
/// changed alone; only a copy the workstation cannot reach shows that its
/// end was not cut off, nor the whole rewritten with fresh digests.
public enum Anchoring: Sendable, Equatable {
    /// The clinic holds records #1 to #`clinicHead`, the same as the log's.
    case anchored(clinicHead: Int)
    /// As `anchored`, in a session the clinic flagged as diverged (another copy of it differed): for someone to look into.
    case anchoredButFlagged(clinicHead: Int, detail: String)
    /// The clinic holds nothing of this log (not copied yet).
    case notCopied
    /// A log the clinic never takes (the access log stays on the workstation).
    case notCopiedByDesign(String)
    /// The log and the clinic's copy part at `seq`: records cut from its end, or rewritten.
    case parted(seq: Int, detail: String)
    /// The clinic's own copy does not check out (a row changed or missing in the database): nothing to anchor to.
    case clinicCopyDamaged(seq: Int, detail: String)

    public var isDefect: Bool {
        switch self {
        case .parted, .clinicCopyDamaged: true
        case .anchored, .anchoredButFlagged, .notCopied, .notCopiedByDesign: false
        }
    }

    public var summary: String {
        switch self {
        case let .anchored(head): "anchored: the clinic's copy holds #1–#\(head), the same records"
        case let .anchoredButFlagged(head, detail): "anchored: the clinic's copy holds #1–#\(head), the same records; but \(detail)"
        case .notCopied: "not in the clinic's copy yet (trillium sync sends it)"
        case let .notCopiedByDesign(reason): reason
        case let .parted(seq, detail): "corrupt: parts from the clinic's copy at seq \(seq): \(detail)"
        case let .clinicCopyDamaged(seq, detail): "not anchored: the clinic's copy is damaged at seq \(seq): \(detail)"
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
        // Every row the clinic holds, checked as an auditor's script checks them, then compared with the log's:
        // the head alone could name records the database no longer holds.
        let rows = try await run(PostgresQuery(unsafeSQL: """
            SELECT seq, digest, prev, line FROM \(target.recordsTable) WHERE \(target.keyColumn) = $1 ORDER BY seq
            """, binds: Self.binds(target.key)))
        var previous = Digest.genesis
        for (index, row) in rows.enumerated() {
            guard let (seq, digest, prev, line) = try? row.decode((Int, String, String, ByteBuffer).self) else {
                throw .failed("a records row of an unexpected shape")
            }
            if let problem = ClinicMirror.problem(seq: seq, expected: index + 1, digest: digest, prev: prev, previous: previous,
                                                  line: Array(line.readableBytesView)) {
                return .clinicCopyDamaged(seq: index + 1, detail: problem)
            }
            if index < log.lines.count, log.lines[index].digest != digest {
                return .parted(seq: seq, detail: "record #\(seq) differs from the clinic's copy of it: the log was rewritten from there")
            }
            previous = digest
        }
        guard rows.count == head.seq, previous == head.digest else {
            return .clinicCopyDamaged(seq: rows.count + 1, detail: "its head names #\(head.seq) but it holds \(rows.count) records that end elsewhere")
        }
        if log.lines.count < head.seq {
            return .parted(seq: log.lines.count + 1,
                           detail: "the clinic holds \(head.seq) records and this log ends at #\(log.lines.count): records were cut from its end")
        }
        if let seq = head.divergedAtSeq {
            return .anchoredButFlagged(clinicHead: head.seq, detail: "flagged in the clinic's database as diverged at seq \(seq): \(head.divergedDetail ?? "")")
        }
        return .anchored(clinicHead: head.seq)
    }
}
