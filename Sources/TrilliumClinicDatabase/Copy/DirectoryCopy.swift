import TrilliumCore
import TrilliumLog
import TrilliumServices
import TrilliumSettings

/// Copies what a data directory holds into the clinic's database: every
/// session log, the staff log, the protocols the sessions followed and the
/// attachments. What `trillium sync` runs, and the app's copier in the
/// background. Idempotent: what the clinic already holds is compared, not sent.
public struct DirectoryCopy {
    public let directory: DataDirectory
    public let workstation: ClinicWorkstation
    let files: FileOperations
    public var batchSize = ClinicConnection.defaultBatchSize

    public init(directory: DataDirectory, workstation: ClinicWorkstation, files: FileOperations = POSIXFileOperations()) {
        self.directory = directory
        self.workstation = workstation
        self.files = files
    }

    /// What one run did, log by log.
    public struct Report: Sendable, Equatable {
        public var results: [CopyResult] = []
        /// Logs that could not be read at all.
        public var unreadable: [String] = []
        public var attachmentsSent = 0

        public var recordsSent: Int {
            results.reduce(0) { total, result in
                if case let .copied(sent, _) = result.outcome { return total + sent }
                return total
            }
        }

        public var diverged: [CopyResult] {
            results.filter { if case .diverged = $0.outcome { return true } else { return false } }
        }
    }

    /// Copies every log here, telling `onResult` of each as it is done. A log
    /// the server refuses is reported and the others still go; only a lost
    /// connection stops the run (what was done stays done).
    public func copyAll(over connection: ClinicConnection,
                        onResult: @Sendable (CopyResult) -> Void = { _ in }) async throws(ClinicDatabaseError) -> Report {
        try await connection.register(workstation)
        var report = Report()
        let logs: [LogIndex.Listing]
        do {
            logs = try LogIndex.listing(of: directory.path, files: files).logs
        } catch {
            throw .localFile("the data directory \(directory.path) cannot be listed: \(error)")
        }
        let held = try await connection.heldHeads(of: workstation)
        var keptProtocols: Set<String> = []
        for listing in logs {
            if let unchanged = Self.unchanged(listing, heldAs: held[listing.name] ?? []) {
                onResult(unchanged)
                report.results.append(unchanged)
                continue
            }
            let path = listing.path
            guard let log = read(path, into: &report) else { continue }
            if let digest = log.verification.opening?.protocolReference.digest, keptProtocols.insert(digest).inserted {
                try await keepProtocol(digest, forLogAt: path, over: connection)
            }
            let result = try await refusedOrCopied(log) { () throws(ClinicDatabaseError) in
                try await connection.copySession(log, from: workstation, batchSize: batchSize)
            }
            onResult(result)
            report.results.append(result)
        }
        if files.exists(directory.staffLogPath), let log = read(directory.staffLogPath, into: &report) {
            let result = try await refusedOrCopied(log) { () throws(ClinicDatabaseError) in
                try await connection.copyStaffLog(log, from: workstation, batchSize: batchSize)
            }
            onResult(result)
            report.results.append(result)
        }
        report.attachmentsSent = try await copyAttachments(over: connection)
        return report
    }

    /// A log the clinic already holds whole, found without reading it: its
    /// index entry is current (the log has the size, times, inode and device
    /// it had when it was last verified) and its head is the clinic's, the
    /// head's record held with that digest and nothing flagged. The head
    /// digest stands for every record before it, so there is nothing to
    /// compare or send; a room of ten years' sessions is not read through at
    /// every start of the app. Anything else is read and chain-checked in full.
    static func unchanged(_ listing: LogIndex.Listing, heldAs heads: [HeldHead]) -> CopyResult? {
        guard !heads.isEmpty, case let .success(verification) = listing.result, case .valid = verification.status,
              verification.validRecords > 0 else { return nil }
        guard heads.contains(where: { $0.seq == verification.validRecords && $0.digest == verification.headDigest
                                      && $0.recordDigest == $0.digest }) else { return nil }
        return CopyResult(fileName: listing.name, outcome: .copied(sent: 0, head: verification.validRecords),
                          localStatus: verification.status, validRecords: verification.validRecords, isMatchedByHead: true)
    }

    /// One log's copy; a statement the server refuses for this log alone is this log's result, not the run's end.
    private func refusedOrCopied(_ log: LocalLog, _ copy: () async throws(ClinicDatabaseError) -> CopyResult) async throws(ClinicDatabaseError) -> CopyResult {
        do {
            return try await copy()
        } catch {
            guard case let .failed(reason) = error else { throw error }
            return CopyResult(fileName: log.fileName, outcome: .refused("the clinic's database refused it: \(reason)"), localStatus: log.verification.status)
        }
    }

    private func read(_ path: String, into report: inout Report) -> LocalLog? {
        do {
            return try LocalLog.read(path, files: files)
        } catch {
            report.unreadable.append("\(path): \(error)")
            return nil
        }
    }

    /// Copies one session log: what the app does after each durable record.
    /// Without `keepingProtocol`, the protocol is taken to be in the clinic already (copied with the log before).
    public func copy(_ path: String, over connection: ClinicConnection,
                     keepingProtocol: Bool = true) async throws(ClinicDatabaseError) -> CopyResult {
        let log: LocalLog
        do {
            log = try LocalLog.read(path, files: files)
        } catch {
            throw .localFile("\(path): \(error)")
        }
        if keepingProtocol, let digest = log.verification.opening?.protocolReference.digest {
            try await keepProtocol(digest, forLogAt: path, over: connection)
        }
        return try await connection.copySession(log, from: workstation, batchSize: batchSize)
    }

    /// The protocol's text, from the protocols kept here (or the embedded one), checked against its digest.
    private func keepProtocol(_ digest: String, forLogAt path: String, over connection: ClinicConnection) async throws(ClinicDatabaseError) {
        let candidates = [SessionLogWriter.directoryPath(of: path) + "/protocols/" + digest + ".toml", directory.protocolPath(digest: digest)]
        for candidate in candidates {
            if let bytes = try? files.readWholeFile(candidate, limit: 1 << 20), let text = String(validating: bytes, as: UTF8.self),
               ProtocolFile.digest(of: text) == digest {
                return try await connection.keepProtocol(digest: digest, text: text)
            }
        }
        if DefaultProtocol.digest == digest { try await connection.keepProtocol(digest: digest, text: DefaultProtocol.text) }
    }

    /// Photos and consent forms the clinic does not hold yet; each is checked against its digest before it goes.
    private func copyAttachments(over connection: ClinicConnection) async throws(ClinicDatabaseError) -> Int {
        guard let names = try? files.directoryEntries(directory.attachmentsPath) else { return 0 }
        let local = names.filter { Digest.isWellFormed(ArraySlice($0.utf8)) }
        guard !local.isEmpty else { return 0 }
        let held = Set(try await connection.attachmentDigests())
        var sent = 0
        for digest in local where !held.contains(digest) {
            guard let bytes = try? files.readWholeFile(directory.attachmentPath(digest: digest), limit: AttachmentStore.sizeLimit),
                  Digest.hex(of: bytes) == digest else { continue }
            try await connection.keepAttachment(digest: digest, bytes: bytes)
            sent += 1
        }
        return sent
    }
}

import PostgresNIO

extension ClinicConnection {
    func attachmentDigests() async throws(ClinicDatabaseError) -> [String] {
        try await run("SELECT digest FROM attachments").compactMap { try? $0.decode(String.self) }
    }

    func keepAttachment(digest: String, bytes: [UInt8]) async throws(ClinicDatabaseError) {
        try await run("""
            INSERT INTO attachments (digest, size, bytes) VALUES (\(digest), \(bytes.count), \(ByteBuffer(bytes: bytes))) ON CONFLICT (digest) DO NOTHING
            """)
    }
}
