import Foundation
import NIOCore
import PostgresNIO
import TrilliumCore
import TrilliumLog

/// The workstation a copy comes from, named by its signing key's fingerprint.
public struct ClinicWorkstation: Sendable, Equatable {
    public var fingerprint: String
    /// The raw Ed25519 public key, hex: what the clinic checks this workstation's signatures with.
    public var publicKey: String
    public var name: String

    public init(fingerprint: String, publicKey: String, name: String) {
        self.fingerprint = fingerprint
        self.publicKey = publicKey
        self.name = name
    }
}

/// What copying one log did.
public struct CopyResult: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        /// The clinic's copy now holds every record the log does; `sent` of them went in this run.
        case copied(sent: Int, head: Int)
        /// The log and the clinic's copy part at `seq`: nothing was written but the flag.
        case diverged(seq: Int, detail: String)
        /// Flagged as diverged before (by this run or an earlier one, from this room or another): nothing written.
        case flagged(seq: Int, detail: String)
        /// Not this workstation's to copy, or the clinic's copy is damaged: nothing written, nothing flagged.
        case refused(String)
        /// Nothing to copy (an empty log).
        case notCopied(String)
    }

    public var fileName: String
    public var outcome: Outcome
    /// The local log's own verdict: a torn tail or a corrupt line stops the copy there.
    public var localStatus: LogStatus
    /// How many of its records passed every check.
    public var validRecords = 0
    /// The clinic's head is the log's own, as its current index entry
    /// gives it: settled without reading the log's records or comparing them.
    public var isMatchedByHead = false
}

/// A session of this workstation's as the clinic holds it: its head, and the
/// digest of the record the head names (nil when the clinic lacks it).
struct HeldHead: Sendable, Equatable {
    var seq: Int
    var digest: String
    var recordDigest: String?
}

extension ClinicConnection {
    /// How many records go in one COPY and one transaction: a killed copy loses at most one batch's work.
    public static let defaultBatchSize = 5000

    /// Records this workstation and its public key (refreshed at each copy).
    public func register(_ workstation: ClinicWorkstation) async throws(ClinicDatabaseError) {
        try await run("""
            INSERT INTO workstations (fingerprint, public_key, name, last_copy) VALUES (\(workstation.fingerprint), \(workstation.publicKey), \(workstation.name), now())
            ON CONFLICT (fingerprint) DO UPDATE SET name = excluded.name, last_copy = now()
            """)
    }

    /// Keeps a protocol's text under its digest (once).
    public func keepProtocol(digest: String, text: String) async throws(ClinicDatabaseError) {
        try await run("INSERT INTO protocols (digest, text) VALUES (\(digest), \(text)) ON CONFLICT (digest) DO NOTHING")
    }

    /// Copies a session log: what the clinic already holds must be the same
    /// (same digests), and what is new must extend the clinic's head.
    public func copySession(_ log: LocalLog, from workstation: ClinicWorkstation,
                            batchSize: Int = defaultBatchSize) async throws(ClinicDatabaseError) -> CopyResult {
        guard let opening = log.verification.opening, !log.lines.isEmpty else {
            return CopyResult(fileName: log.fileName, outcome: .notCopied("no record to copy"), localStatus: log.verification.status)
        }
        let target = CopiedLog.session(id: opening.sessionID)
        let outcome = try await copy(log, as: target, from: workstation, batchSize: batchSize) { () throws(ClinicDatabaseError) in
            let corrected = log.verification.correctedOpening ?? opening
            let started = RFC3339.format(wallMilliseconds: log.verification.firstStamp?.wallMilliseconds ?? 0)
            try await run("""
                INSERT INTO sessions (session_id, workstation, file_name, patient, operator, started_at, status, head_seq, head_digest, protocol_digest)
                VALUES (\(opening.sessionID), \(workstation.fingerprint), \(log.fileName), \(corrected.patientReference),
                        \(corrected.operatorID?.rawValue ?? corrected.operatorName), \(started)::timestamptz, \(log.sessionStatus), 0,
                        \(Digest.genesis), \(opening.protocolReference.digest))
                ON CONFLICT (session_id) DO NOTHING
                """)
        } advanced: { () throws(ClinicDatabaseError) in
            let corrected = log.verification.correctedOpening ?? opening
            try await run("""
                UPDATE sessions SET patient = \(corrected.patientReference), operator = \(corrected.operatorID?.rawValue ?? corrected.operatorName),
                    status = \(log.sessionStatus) WHERE session_id = \(opening.sessionID)
                """)
        }
        return CopyResult(fileName: log.fileName, outcome: outcome, localStatus: log.verification.status,
                          validRecords: log.verification.validRecords)
    }

    /// Copies a workstation's staff log (`users.tlog`) by the same rules.
    public func copyStaffLog(_ log: LocalLog, from workstation: ClinicWorkstation,
                             batchSize: Int = defaultBatchSize) async throws(ClinicDatabaseError) -> CopyResult {
        guard !log.lines.isEmpty else {
            return CopyResult(fileName: log.fileName, outcome: .notCopied("no record to copy"), localStatus: log.verification.status)
        }
        let outcome = try await copy(log, as: .staff(workstation: workstation.fingerprint), from: workstation,
                                     batchSize: batchSize) { () throws(ClinicDatabaseError) in
            try await run("""
                INSERT INTO staff_logs (workstation, head_seq, head_digest) VALUES (\(workstation.fingerprint), 0, \(Digest.genesis))
                ON CONFLICT (workstation) DO NOTHING
                """)
        } advanced: { () throws(ClinicDatabaseError) in }
        return CopyResult(fileName: log.fileName, outcome: outcome, localStatus: log.verification.status,
                          validRecords: log.verification.validRecords)
    }

    /// The one procedure for both chains, a batch per transaction, the head
    /// row locked so that two copies of one log (the app's and a command's)
    /// take turns instead of racing.
    private func copy(_ log: LocalLog, as target: CopiedLog, from workstation: ClinicWorkstation, batchSize: Int,
                      create: () async throws(ClinicDatabaseError) -> Void,
                      advanced: () async throws(ClinicDatabaseError) -> Void) async throws(ClinicDatabaseError) -> CopyResult.Outcome {
        var sent = 0
        while true {
            let step = try await transaction { () throws(ClinicDatabaseError) -> CopyStep in
                // Made if missing (two first copies at once: one makes it, both then wait on its lock).
                try await create()
                guard let head = try await lockedHead(of: target) else { throw .failed("the head row of \(target.key) vanished") }
                if let seq = head.divergedAtSeq {
                    return .finished(.flagged(seq: seq, detail: head.divergedDetail ?? "diverged"))
                }
                if let owner = head.workstation, owner != workstation.fingerprint {
                    return .finished(.refused("the clinic holds this session from another workstation (key \(owner.prefix(16))…); "
                        + "a log copied between rooms is not this room's to send"))
                }
                // The head must name a record the clinic holds: a head over missing or changed rows is a damaged copy, never a base to extend.
                if head.seq > 0, try await digest(at: head.seq, of: target) != head.digest {
                    return .finished(.refused("the clinic's copy is damaged: its head names record #\(head.seq), which it does not hold as such"))
                }
                if let parting = try await parting(log, from: head, of: target) {
                    try await flag(target, at: parting.seq, detail: parting.detail)
                    return .finished(.diverged(seq: parting.seq, detail: parting.detail))
                }
                let batch = log.lines[head.seq..<min(log.lines.count, head.seq + max(1, batchSize))]
                guard let first = batch.first else { return .finished(.copied(sent: sent, head: head.seq)) }
                // The local chain was verified as it was read; this says so again where it matters.
                guard first.previousDigest == head.digest else {
                    let detail = "record #\(first.seq) does not follow the clinic's head #\(head.seq)"
                    try await flag(target, at: first.seq, detail: detail)
                    return .finished(.diverged(seq: first.seq, detail: detail))
                }
                try await send(batch, of: target)
                let last = batch[batch.endIndex - 1]
                try await run(PostgresQuery(unsafeSQL: """
                    UPDATE \(target.headTable) SET head_seq = $1, head_digest = $2 WHERE \(target.keyColumn) = $3
                    """, binds: Self.binds(last.seq, last.digest, target.key)))
                try await advanced()
                sent += batch.count
                // The last batch ends the copy here, without a transaction more to find nothing left.
                return last.seq == log.lines.count ? .finished(.copied(sent: sent, head: last.seq)) : .sent
            }
            if case let .finished(outcome) = step { return outcome }
        }
    }

    private enum CopyStep {
        /// A batch went in; more follow.
        case sent
        case finished(CopyResult.Outcome)
    }

    /// Where the local log stops agreeing with the clinic's copy, if it does:
    /// a record the clinic holds with another digest, or a log shorter than the clinic's.
    func parting(_ log: LocalLog, from head: ClinicHead, of target: CopiedLog) async throws(ClinicDatabaseError) -> (seq: Int, detail: String)? {
        guard head.seq > 0 else { return nil }
        let count = log.lines.count
        func localDigest(_ seq: Int) -> String { log.lines[seq - 1].digest }
        let shared = min(head.seq, count)
        if shared > 0, localDigest(shared) == (shared == head.seq ? head.digest : try await digest(at: shared, of: target)) {
            guard count < head.seq else { return nil }
            return (count + 1, "the clinic holds \(head.seq) records and this log ends at #\(count): records were cut from its end")
        }
        // The chain makes every digest commit to all before it: the first that differs is found by bisection.
        var agreeing = 0
        var differing = shared
        while differing - agreeing > 1 {
            let middle = (agreeing + differing) / 2
            if try await digest(at: middle, of: target) == localDigest(middle) { agreeing = middle } else { differing = middle }
        }
        let seq = max(differing, 1)
        return (seq, "record #\(seq) differs from the clinic's copy of it: the log was rewritten from there")
    }

    private func send(_ batch: ArraySlice<LocalLog.Line>, of target: CopiedLog) async throws(ClinicDatabaseError) {
        var rows = CopyText()
        for line in batch {
            rows.text(target.key)
            rows.integer(line.seq)
            rows.text(line.digest)
            rows.text(line.previousDigest)
            rows.text(line.type)
            rows.text(RFC3339.format(wallMilliseconds: line.wallMilliseconds))
            rows.text(line.by)
            rows.binary(line.bytes)
            rows.endRow()
        }
        let bytes = rows.bytes
        try requireOpen()
        let (connection, address) = (self.connection, self.address)
        let (table, columns) = (target.recordsTable, [target.keyColumn, "seq", "digest", "prev", "type", "at", "by", "line"])
        try await answer(within: statementLimit, from: address) { () throws(ClinicDatabaseError) in
            do {
                try await connection.copyFrom(table: table, columns: columns, logger: Self.logger) { writer in
                    // A megabyte a message: the server takes COPY data in any chunks.
                    var offset = 0
                    while offset < bytes.count {
                        let end = min(bytes.count, offset + (1 << 20))
                        try await writer.write(ByteBuffer(bytes: bytes[offset..<end]))
                        offset = end
                    }
                }
            } catch {
                throw ClinicDatabaseError.from(error, address: address)
            }
        }
    }

    private func flag(_ target: CopiedLog, at seq: Int, detail: String) async throws(ClinicDatabaseError) {
        try await run(PostgresQuery(unsafeSQL: """
            UPDATE \(target.headTable) SET diverged_at_seq = $1, diverged_detail = $2, diverged_at = now() WHERE \(target.keyColumn) = $3
            """, binds: Self.binds(seq, detail, target.key)))
    }

    private func lockedHead(of target: CopiedLog) async throws(ClinicDatabaseError) -> ClinicHead? {
        let rows = try await run(PostgresQuery(unsafeSQL: """
            SELECT head_seq, head_digest, diverged_at_seq, diverged_detail, workstation
            FROM \(target.headTable) WHERE \(target.keyColumn) = $1 FOR UPDATE
            """, binds: Self.binds(target.key)))
        guard let row = rows.first else { return nil }
        return try ClinicHead(row)
    }

    /// This workstation's sessions the clinic holds unflagged, by file name, in one statement.
    func heldHeads(of workstation: ClinicWorkstation) async throws(ClinicDatabaseError) -> [String: [HeldHead]] {
        let rows = try await run("""
            SELECT s.file_name, s.head_seq, s.head_digest, r.digest FROM sessions s
            LEFT JOIN records r ON r.session_id = s.session_id AND r.seq = s.head_seq
            WHERE s.workstation = \(workstation.fingerprint) AND s.diverged_at_seq IS NULL
            """)
        var held: [String: [HeldHead]] = [:]
        for row in rows {
            guard let (name, seq, digest, recordDigest) = try? row.decode((String, Int, String, String?).self) else {
                throw .failed("a sessions row of an unexpected shape")
            }
            held[name, default: []].append(HeldHead(seq: seq, digest: digest, recordDigest: recordDigest))
        }
        return held
    }

    func head(of target: CopiedLog) async throws(ClinicDatabaseError) -> ClinicHead? {
        let rows = try await run(PostgresQuery(unsafeSQL: """
            SELECT head_seq, head_digest, diverged_at_seq, diverged_detail, workstation
            FROM \(target.headTable) WHERE \(target.keyColumn) = $1
            """, binds: Self.binds(target.key)))
        guard let row = rows.first else { return nil }
        return try ClinicHead(row)
    }

    func digest(at seq: Int, of target: CopiedLog) async throws(ClinicDatabaseError) -> String? {
        let rows = try await run(PostgresQuery(unsafeSQL: """
            SELECT digest FROM \(target.recordsTable) WHERE \(target.keyColumn) = $1 AND seq = $2
            """, binds: Self.binds(target.key, seq)))
        return rows.first.flatMap { try? $0.decode(String.self) }
    }

    static func binds(_ values: any PostgresNonThrowingEncodable...) -> PostgresBindings {
        var bindings = PostgresBindings()
        for value in values { bindings.append(value) }
        return bindings
    }
}

/// The clinic's head of one chain, and whether it was flagged.
struct ClinicHead: Sendable, Equatable {
    var seq: Int
    var digest: String
    var divergedAtSeq: Int?
    var divergedDetail: String?
    /// The workstation the clinic holds it from.
    var workstation: String?

    init(_ row: PostgresRow) throws(ClinicDatabaseError) {
        do {
            (seq, digest, divergedAtSeq, divergedDetail, workstation) = try row.decode((Int, String, Int?, String?, String?).self)
        } catch {
            throw .failed("a head row of an unexpected shape: \(error)")
        }
    }
}
