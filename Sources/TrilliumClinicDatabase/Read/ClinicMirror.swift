#if canImport(Glibc)
import Glibc
#endif
import Crypto
import PostgresNIO
import TrilliumCore
import TrilliumLog
import TrilliumSettings

/// The clinic's records as files: every room's sessions, their protocols,
/// attachments and the workstations' public keys, fetched from the database
/// into a data directory of their own (`clinic-copy/` in this one's), so
/// that `sessions`, `report`, `history`, `lots` and `replay` read them with
/// the very reader, index and checks they use for this room's files.
///
/// Each row is checked as it arrives (its line's digest, its seq, its
/// chain), and each session's file is then verified by the reader as every
/// log is. A file whose last digest is the clinic's head is kept: the chain
/// makes that digest commit to every record before it, and the reader
/// checks the chain. Only sessions whose head moved are fetched again, while
/// the database's append-only guard is on: without it a row may have been
/// changed in place, and every session is fetched and checked again.
public struct ClinicMirror {
    public let directory: DataDirectory
    let files: FileOperations

    /// The copy of `address`'s records kept under `root`: one folder per database.
    public init(under root: DataDirectory, for address: DatabaseAddress, files: FileOperations = POSIXFileOperations()) {
        let place = "\(address.endpoint)/\(address.database)"
        let name = Digest.hex(of: Array(place.utf8)).prefix(16)
        directory = DataDirectory(path: root.path + "/clinic-copy/" + name)
        self.files = files
    }

    /// What a refresh found.
    public struct Refresh: Sendable, Equatable {
        public var sessions = 0
        public var fetched = 0
        /// Sessions flagged as diverged, and rows or names that did not check out: said on stderr by every view.
        public var findings: [String] = []
        /// What is wrong with each kept file, by file name (its rows, its signatures, how it changed): kept between
        /// refreshes beside the files, so that a view says it every time, not only when the file is fetched.
        public var findingsByFile: [String: [String]] = [:]
    }

    /// The file that keeps each file's findings between refreshes.
    var findingsPath: String { directory.path + "/findings" }

    /// Brings the folder up to the clinic's copy. `check` gives what else is
    /// wrong with a file just fetched (the caller checks its signatures).
    public func refresh(from connection: ClinicConnection,
                        check: (String) -> [String] = { _ in [] }) async throws(ClinicDatabaseError) -> Refresh {
        do {
            try directory.prepare(files: files)
            try directory.prepareAttachments(files: files)
            try? files.makeDirectory(directory.keysPath, mode: 0o700)
            try? files.makeDirectory(directory.trustedKeysPath, mode: 0o700)
        } catch {
            throw .localFile("the clinic's copy cannot be kept in \(directory.path): \(error)")
        }
        var refresh = Refresh()
        var kept = loadFindings()
        // With the guard off, a row may have been changed in place under a head that did not move: nothing kept is trusted.
        let guarded = try await connection.appendOnlyGuardIsOn()
        if !guarded {
            refresh.findings.append("the clinic's database no longer keeps its records append-only (its guard, the "
                + "\(ClinicSchema.appendOnlyTrigger) trigger, was dropped or disabled): every session was fetched again and checked")
        }
        try await fetchKeys(connection)
        try await fetchProtocols(connection)
        let rows = try await connection.run("""
            SELECT session_id, file_name, head_seq, head_digest, diverged_at_seq, diverged_detail
            FROM sessions WHERE head_seq > 0 ORDER BY started_at, session_id
            """)
        var names: Set<String> = []
        for row in rows {
            guard let (id, name, headSeq, headDigest, divergedAt, detail) = try? row.decode((String, String, Int, String, Int?, String?).self) else {
                throw .failed("a sessions row of an unexpected shape")
            }
            refresh.sessions += 1
            if let divergedAt {
                refresh.findings.append("\(name): flagged in the clinic's database as diverged at seq \(divergedAt): \(detail ?? "")")
            }
            // A name is the session's start and the first 8 hex digits of its id, as the workstation wrote it, and names one session.
            let shortID = String(id.lowercased().filter(\.isHexDigit).prefix(8))
            guard Self.isLogName(name), name.hasSuffix("_\(shortID)\(DataDirectory.logExtension)"), names.insert(name).inserted else {
                refresh.findings.append("session \(VisibleText.field(id)): its file name \(VisibleText.field(name)) is not its own "
                    + "(another session's, or not a log's): left out of this view")
                continue
            }
            let path = directory.path + "/" + name
            let cached = lastDigest(of: path).map { (digest: $0, records: recordCount(of: path)) }
            if guarded, cached?.digest == headDigest { continue }
            let (bytes, digests, problem) = try await fetchLog(id, headSeq: headSeq, from: connection)
            var found: [String] = []
            if let problem { found.append("the clinic's copy \(problem)") }
            if let cached, cached.records > 0 {
                // A copy only ever grows: one that lost records, or changed those already read, was changed in the database.
                if digests.count < cached.records {
                    found.append("the clinic's copy went back from #\(cached.records) to #\(digests.count): records were removed in the database")
                } else if digests[cached.records - 1] != cached.digest {
                    found.append("the clinic's copy was rewritten in the database: record #\(cached.records) is not the one read before")
                }
            }
            do {
                try files.replaceDurably(path, with: bytes)
            } catch {
                throw .localFile("the clinic's copy of \(name) cannot be written: \(error)")
            }
            kept[name] = found + check(path)
            refresh.fetched += 1
        }
        kept = kept.filter { names.contains($0.key) && !$0.value.isEmpty }
        saveFindings(kept)
        refresh.findingsByFile = kept
        refresh.findings += kept.keys.sorted().flatMap { name in kept[name, default: []].map { "\(name): \($0)" } }
        try await fetchAttachments(connection)
        return refresh
    }

    private func loadFindings() -> [String: [String]] {
        guard let bytes = try? files.readWholeFile(findingsPath, limit: 16 << 20) else { return [:] }
        var found: [String: [String]] = [:]
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: "\t", maxSplits: 1)
            if parts.count == 2 { found[String(parts[0]), default: []].append(String(parts[1])) }
        }
        return found
    }

    private func saveFindings(_ found: [String: [String]]) {
        let text = found.keys.sorted().flatMap { name in found[name, default: []].map { "\(name)\t\(VisibleText.field($0))\n" } }.joined()
        try? files.replaceDurably(findingsPath, with: Array(text.utf8))
    }

    /// How many lines a kept file holds.
    private func recordCount(of path: String) -> Int {
        (try? files.readWholeFile(path, limit: 1 << 30))?.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } ?? 0
    }

    /// A session's records in seq order, as a log file's bytes; and the first
    /// row that does not check out, if one does not (written all the same, so
    /// that the reader reports it in its own words).
    private func fetchLog(_ id: String, headSeq: Int, from connection: ClinicConnection) async throws(ClinicDatabaseError) -> ([UInt8], [String], String?) {
        let rows = try await connection.run("SELECT seq, digest, prev, line FROM records WHERE session_id = \(id) ORDER BY seq")
        var bytes: [UInt8] = []
        var digests: [String] = []
        var problem: String?
        var previous = Digest.genesis
        for (index, row) in rows.enumerated() {
            guard let (seq, digest, prev, line) = try? row.decode((Int, String, String, ByteBuffer).self) else {
                throw .failed("a records row of an unexpected shape")
            }
            let lineBytes = Array(line.readableBytesView)
            if problem == nil {
                problem = Self.problem(seq: seq, expected: index + 1, digest: digest, prev: prev, previous: previous, line: lineBytes)
            }
            previous = digest
            digests.append(digest)
            bytes += lineBytes
            bytes.append(0x0A)
        }
        if problem == nil, rows.count != headSeq {
            problem = "holds \(rows.count) records where its head says \(headSeq)"
        }
        return (bytes, digests, problem)
    }

    /// What is wrong with one row, checked as an auditor's script would: SQL and SHA-256.
    static func problem(seq: Int, expected: Int, digest: String, prev: String, previous: String, line: [UInt8]) -> String? {
        guard seq == expected else { return "lacks record #\(expected) (the next it holds is #\(seq))" }
        guard prev == previous else { return "record #\(seq) names prev \(prev.prefix(12))…, not the digest of #\(expected - 1)" }
        guard line.count > 65, line[line.count - 65] == UInt8(ascii: " "),
              String(decoding: line.suffix(64), as: UTF8.self) == digest else {
            return "record #\(seq) does not end in its digest"
        }
        guard Digest.hex(of: Array(line.prefix(line.count - 65))) == digest else {
            return "record #\(seq)'s line does not hash to its digest"
        }
        return nil
    }

    private func fetchProtocols(_ connection: ClinicConnection) async throws(ClinicDatabaseError) {
        for row in try await connection.run("SELECT digest, text FROM protocols") {
            guard let (digest, text) = try? row.decode((String, String).self) else { throw .failed("a protocols row of an unexpected shape") }
            // Kept only when the text is the one its digest names.
            guard ProtocolFile.digest(of: text) == digest else { continue }
            let path = directory.protocolPath(digest: digest)
            guard !files.exists(path) else { continue }
            try? files.replaceDurably(path, with: Array(text.utf8))
        }
    }

    /// The clinic's workstations' public keys, trusted for the signatures in their sessions.
    private func fetchKeys(_ connection: ClinicConnection) async throws(ClinicDatabaseError) {
        for row in try await connection.run("SELECT fingerprint, public_key FROM workstations") {
            guard let (fingerprint, key) = try? row.decode((String, String).self) else { throw .failed("a workstations row of an unexpected shape") }
            guard Digest.isWellFormed(ArraySlice(fingerprint.utf8)), Digest.isWellFormed(ArraySlice(key.utf8)) else { continue }
            try? files.replaceDurably(directory.trustedKeysPath + "/" + fingerprint + ".pub", with: Array((key + "\n").utf8))
        }
    }

    private func fetchAttachments(_ connection: ClinicConnection) async throws(ClinicDatabaseError) {
        let wanted = try await connection.run("SELECT digest FROM attachments").compactMap { try? $0.decode(String.self) }
            .filter { !files.exists(directory.attachmentPath(digest: $0)) }
        for digest in wanted {
            guard let row = try await connection.run("SELECT bytes FROM attachments WHERE digest = \(digest)").first,
                  let buffer = try? row.decode(ByteBuffer.self) else { continue }
            let bytes = Array(buffer.readableBytesView)
            // A file that is not the one its digest names is left out: the report then says it is missing.
            guard Digest.hex(of: bytes) == digest else { continue }
            try? files.replaceDurably(directory.attachmentPath(digest: digest), with: bytes)
        }
    }

    /// The digest at the end of a file's last line, read from its last 65 bytes.
    private func lastDigest(of path: String) -> String? {
        guard let (fd, status) = try? files.openForReading(path) else { return nil }
        defer { files.close(fd) }
        guard status.size >= 66 else { return nil }
        var tail = [UInt8](repeating: 0, count: 65)
        let count = tail.withUnsafeMutableBytes { (try? files.read(fd, into: $0, at: status.size - 65, path: path)) ?? 0 }
        guard count == 65, tail[64] == 0x0A else { return nil }
        return String(decoding: tail[0..<64], as: UTF8.self)
    }

    /// A log's name as the workstations write them: no folder, no dot file, `.tlog` at the end.
    static func isLogName(_ name: String) -> Bool {
        !name.isEmpty && !name.contains("/") && !name.hasPrefix(".") && name.hasSuffix(DataDirectory.logExtension)
            && name != DataDirectory.staffLogName && name != DataDirectory.accessLogName
            && !name.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
    }
}
