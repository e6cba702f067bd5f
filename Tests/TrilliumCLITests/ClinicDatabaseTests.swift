import Foundation
import Testing
import TrilliumCore
import TrilliumLog

/// The clinic's PostgreSQL copy (issue 13), against a real server the tests
/// start themselves: two rooms copied into one database, recall and history
/// across them, copies killed and re-run, logs cut or rewritten and caught.
@Suite("The clinic database on PostgreSQL", .serialized,
       .enabled(if: PostgresServer.isAvailable, PostgresServer.skipReason))
struct ClinicDatabaseTests {
    let server: PostgresServer

    init() throws {
        server = try PostgresServer.running()
    }

    /// A room: a data directory of sample sessions, each room with its own workstation key (from its seed).
    static func room(seed: UInt64, sessions: Int = 12, withoutStaff: Bool = false) throws -> String {
        let directory = Command.temporaryDirectory() + "/room"
        let made = try Command.run(["sample", "--out", directory, "--sessions", String(sessions), "--seed", String(seed), "--no-sync"]
                                   + (withoutStaff ? ["--without-staff"] : []))
        #expect(made.status == 0, "\(made.error)")
        return directory
    }

    /// A migrated database of its own.
    func migratedDatabase() throws -> String {
        let url = try server.newDatabase()
        let migrated = try Command.run(["db", "migrate", "--database", url])
        #expect(migrated.status == 0, "\(migrated.error)")
        return url
    }

    @discardableResult
    func sql(_ query: String, _ url: String) throws -> String {
        try server.psql(query, database: PostgresServer.databaseName(of: url)).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A change made as someone with the server's superuser rights, past the
    /// append-only guard (triggers do not fire for a replica's session).
    @discardableResult
    func tamper(_ query: String, _ url: String) throws -> String {
        try sql("SET session_replication_role = replica; " + query, url)
    }

    static func logs(in directory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".tlog") && $0 != "users.tlog" && $0 != "access.tlog" }
            .sorted().map { directory + "/" + $0 }
    }

    static func recordCount(_ path: String) throws -> Int {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").count
    }

    // MARK: Schema and connection

    @Test("db migrate creates the schema once; a database without it, or with a newer one, is refused with exit 2")
    func schemaIsMigratedAndChecked() throws {
        let url = try server.newDatabase()
        let room = try Self.room(seed: 3, sessions: 2)
        let unmigrated = try Command.run(["sync", "--data-dir", room, "--database", url])
        #expect(unmigrated.status == 2)
        #expect(unmigrated.error.contains("no Trillium schema") && unmigrated.error.contains("trillium db migrate"), "\(unmigrated.error)")

        let first = try Command.run(["db", "migrate", "--database", url])
        #expect(first.status == 0 && first.output.contains("migrated from version 0 to 2"), "\(first.output)\(first.error)")
        let again = try Command.run(["db", "migrate", "--database", url])
        #expect(again.status == 0 && again.output.contains("already current"), "\(again.output)")
        #expect(try sql("SELECT string_agg(version::text, ',' ORDER BY version) FROM trillium_schema", url) == "1,2")
        let tables = try sql("SELECT string_agg(table_name, ',' ORDER BY table_name) FROM information_schema.tables WHERE table_schema = 'public'", url)
        #expect(tables == "attachments,protocols,records,sessions,staff_logs,staff_records,trillium_schema,workstations")

        // A newer Trillium migrated it: this one neither writes nor reads it.
        try sql("INSERT INTO trillium_schema (version, applied_by) VALUES (3, 'trillium 9.0')", url)
        for arguments in [["sync", "--data-dir", room], ["sessions", "--data-dir", room], ["db", "migrate"]] {
            let refused = try Command.run(arguments + ["--database", url])
            #expect(refused.status == 2, "\(arguments)")
            #expect(refused.error.contains("version 3, newer than this Trillium's 2"), "\(arguments): \(refused.error)")
        }
        #expect(try sql("SELECT count(*) FROM records", url) == "0", "nothing was written into the newer schema")

        // Trillium's tables with their versions' record removed outside Trillium: not migrated over, half-way, but said.
        try sql("DELETE FROM trillium_schema", url)
        for arguments in [["sessions", "--data-dir", room], ["db", "migrate"]] {
            let refused = try Command.run(arguments + ["--database", url])
            #expect(refused.status == 2, "\(arguments)")
            #expect(refused.error.contains("holds Trillium's tables but no record of their schema version"), "\(arguments): \(refused.error)")
        }
    }

    @Test("The clinic's copy is append-only in the database: a change or removal is refused, and a reader sees when the guard was taken off")
    func clinicCopyIsAppendOnly() throws {
        let url = try migratedDatabase()
        let room = try Self.room(seed: 43, sessions: 2)
        #expect(try Command.run(["sync", "--data-dir", room, "--database", url]).status == 0)
        for change in ["UPDATE records SET by = 'mallory' WHERE seq = 3", "DELETE FROM records WHERE seq > 40", "TRUNCATE records CASCADE",
                       "DELETE FROM attachments", "UPDATE protocols SET text = ''", "DELETE FROM staff_records"] {
            #expect(throws: PostgresServer.ServerUnavailable.self, "\(change)") { try sql(change, url) }
        }
        do {
            try sql("UPDATE records SET by = 'mallory'", url)
            Issue.record("the UPDATE was not refused")
        } catch let refusal as PostgresServer.ServerUnavailable {
            #expect(refusal.reason.contains("the clinic's copy is append-only: UPDATE on records refused"), "\(refusal.reason)")
        }
        let records = try sql("SELECT count(*) FROM records", url)

        // A reader that keeps its copy, and a row changed in place under a head that did not move, the guard taken off first.
        let reader = Command.temporaryDirectory()
        #expect(try Command.run(["sessions", "--data-dir", reader, "--database", url]).status == 0)
        try sql("ALTER TABLE records DISABLE TRIGGER trillium_append_only", url)
        try sql("UPDATE records SET line = overlay(line PLACING convert_to('X', 'UTF8') FROM 10 FOR 1) WHERE seq = 5 AND session_id = (SELECT min(session_id) FROM sessions)", url)
        let view = try Command.run(["sessions", "--data-dir", reader, "--database", url])
        #expect(view.status == 1)
        #expect(view.error.contains("no longer keeps its records append-only"), "\(view.error)")
        #expect(view.error.contains("record #5's line does not hash to its digest"), "the kept copy was not trusted: \(view.error)")
        try sql("ALTER TABLE records ENABLE TRIGGER trillium_append_only", url)
        #expect(try sql("SELECT count(*) FROM records", url) == records)
    }

    @Test("A server that is down, a wrong password and a bad URL: a clear message, exit 2, and the password never printed")
    func faultsAreClearAndSecret() throws {
        let room = try Self.room(seed: 4, sessions: 1)
        let nowhere = Command.temporaryDirectory()
        let down = try Command.run(["sync", "--data-dir", room, "--database", "postgres://postgres@/x?host=\(nowhere)"])
        #expect(down.status == 2)
        #expect(down.error.contains("cannot be reached: no server socket in that folder"), "\(down.error)")
        // Nothing listening on a TCP port: said in words, never NIO's type names.
        let closed = try Command.run(["sync", "--data-dir", room, "--database", "postgres://postgres@127.0.0.1:1/x?sslmode=disable"])
        #expect(closed.status == 2)
        #expect(closed.error.contains("cannot be reached: nothing is listening there (connection refused)"), "\(closed.error)")
        #expect(!closed.error.contains("SingleConnectionFailure") && !closed.error.contains("errno"), "\(closed.error)")

        let url = try migratedDatabase()
        let name = PostgresServer.databaseName(of: url)
        try sql("GRANT SELECT ON ALL TABLES IN SCHEMA public TO needs_password", url)
        let wrong = "postgres://needs_password:hunter2-wrong@/\(name)?host=\(server.folder)&port=\(server.port)"
        let refused = try Command.run(["sessions", "--data-dir", room, "--database", wrong])
        #expect(refused.status == 2)
        #expect(refused.error.contains("refused") || refused.error.contains("password"), "\(refused.error)")
        #expect(!(refused.output + refused.error).contains("hunter2"), "the password is never printed")

        // The password from PGPASSWORD, and from a password file that only its owner can read.
        let bare = "postgres://needs_password@/\(name)?host=\(server.folder)&port=\(server.port)"
        let withVariable = try Command.run(["db", "status", "--database", bare], environment: ["PGPASSWORD": "right-password"])
        #expect(withVariable.status == 0, "\(withVariable.error)")
        let passwordFile = nowhere + "/pgpass"
        try "# clinic\nlocalhost:\(server.port):\(name):needs_password:right-password\n".write(toFile: passwordFile, atomically: true, encoding: .utf8)
        chmod(passwordFile, 0o644)
        let readable = try Command.run(["db", "status", "--database", bare], environment: ["PGPASSFILE": passwordFile, "PGPASSWORD": ""])
        #expect(readable.status == 2, "a password file others may read is ignored, as libpq ignores it")
        #expect(readable.error.contains("may be read by others: it is not used (chmod 600 it)"), "and it says so: \(readable.error)")
        chmod(passwordFile, 0o600)
        let fromFile = try Command.run(["db", "status", "--database", bare], environment: ["PGPASSFILE": passwordFile, "PGPASSWORD": ""])
        #expect(fromFile.status == 0, "\(fromFile.error)")
        #expect(!fromFile.error.contains("warning"), "\(fromFile.error)")

        for bad in ["mysql://x/y", "postgres://u@h:99999/d", "postgres://u@h/d?sslmode=sometimes", "postgres://u:p%zz@h/d",
                    "postgres://u@/d?sslmode=require"] {
            let result = try Command.run(["sessions", "--data-dir", room, "--database", bad])
            #expect(result.status == 2, "\(bad)")
            #expect(result.error.contains("the database URL is not one Trillium can use"), "\(bad): \(result.error)")
            #expect(!result.error.contains("p%zz"), "the URL is never echoed: it may hold a password")
        }
    }

    @Test("Over TCP the connection is TLS (sslmode require, and verify-full against the server's certificate); without TLS the server refuses")
    func connectsOverTLS() throws {
        let url = try migratedDatabase()
        let name = PostgresServer.databaseName(of: url)
        let room = try Self.room(seed: 5, sessions: 1)
        let tcp = "postgres://postgres@localhost:\(server.port)/\(name)"
        let required = try Command.run(["sync", "--data-dir", room, "--database", tcp + "?sslmode=require"])
        #expect(required.status == 0, "\(required.error)")
        let verified = try Command.run(["db", "status", "--database", tcp + "?sslmode=verify-full&sslrootcert=\(server.folder)/server.crt"])
        #expect(verified.status == 0, "\(verified.error)")
        #expect(verified.output.contains("1 workstations, 1 sessions"), "\(verified.output)")
        let plain = try Command.run(["db", "status", "--database", tcp + "?sslmode=disable"])
        #expect(plain.status == 2)
        #expect(plain.error.contains("refused"), "the server takes TCP only over TLS: \(plain.error)")
        // verify-full with no root to check against: the self-signed certificate is not trusted.
        let untrusted = try Command.run(["db", "status", "--database", tcp + "?sslmode=verify-full"])
        #expect(untrusted.status == 2, "\(untrusted.output)")
    }

    // MARK: Copying

    @Test("Two rooms copy into one database; lots and history across both match what the files give")
    func twoRoomsShareOneRecord() throws {
        let url = try migratedDatabase()
        let roomA = try Self.room(seed: 11, sessions: 30)
        let roomB = try Self.room(seed: 12, sessions: 30)
        for room in [roomA, roomB] {
            let synced = try Command.run(["sync", "--data-dir", room, "--database", url])
            #expect(synced.status == 0, "\(synced.output)\(synced.error)")
        }
        let localRecords = try (Self.logs(in: roomA) + Self.logs(in: roomB)).map(Self.recordCount).reduce(0, +)
        #expect(try sql("SELECT count(*) FROM records", url) == String(localRecords))
        #expect(try sql("SELECT count(*) FROM workstations", url) == "2")
        #expect(try sql("SELECT count(DISTINCT workstation) FROM staff_logs", url) == "2")

        // The files of both rooms in one folder: what the clinic-wide view must agree with.
        let together = Command.temporaryDirectory() + "/together"
        try FileManager.default.createDirectory(atPath: together + "/protocols", withIntermediateDirectories: true)
        chmod(together, 0o700)
        for room in [roomA, roomB] {
            for log in try Self.logs(in: room) { try FileManager.default.copyItem(atPath: log, toPath: together + "/" + (log as NSString).lastPathComponent) }
            for file in try FileManager.default.contentsOfDirectory(atPath: room + "/protocols") where !FileManager.default.fileExists(atPath: together + "/protocols/" + file) {
                try FileManager.default.copyItem(atPath: room + "/protocols/" + file, toPath: together + "/protocols/" + file)
            }
        }
        // A lot and a patient that both rooms used.
        let lotsA = Set(try Self.cartridgeLots(in: roomA))
        let sharedLot = try #require(try Self.cartridgeLots(in: roomB).first(where: lotsA.contains), "the two rooms share a cartridge lot")
        let patientsA = Set(try Self.patients(in: roomA))
        let sharedPatient = try #require(try Self.patients(in: roomB).first(where: patientsA.contains), "the two rooms share a patient")

        let fromFiles = try Command.run(["lots", sharedLot, "--data-dir", together])
        let fromClinic = try Command.run(["lots", sharedLot, "--data-dir", roomA, "--database", url])
        #expect(fromClinic.status == 0, "\(fromClinic.error)")
        #expect(fromClinic.output == fromFiles.output)
        let roomOnly = try Command.run(["lots", sharedLot, "--data-dir", roomA])
        #expect(roomOnly.output != fromClinic.output, "the clinic-wide recall finds the other room's sessions too")

        let historyFromFiles = try Command.run(["history", sharedPatient, "--data-dir", together])
        let historyFromClinic = try Command.run(["history", sharedPatient, "--data-dir", roomB, "--database", url])
        #expect(historyFromClinic.status == 0, "\(historyFromClinic.error)")
        #expect(historyFromClinic.output == historyFromFiles.output)

        let sessions = try Command.run(["sessions", "--data-dir", roomA, "--database", url])
        #expect(sessions.status == 0)
        #expect(sessions.output.split(separator: "\n").count == 1 + 60, "a header and every session of both rooms")

        // A session of the other room reports and replays from the clinic's copy, its signature checked against that room's key.
        let other = try #require(try Self.logs(in: roomB).first { try String(contentsOfFile: $0, encoding: .utf8).contains("\"session.signed\"") })
        let name = (other as NSString).lastPathComponent
        let report = try Command.run(["report", name, "--data-dir", roomA, "--database", url])
        #expect(report.status == 0, "\(report.error)")
        // The same report but for the file it was read from: the clinic's copy, kept under clinic-copy/.
        func withoutFileLine(_ text: String) -> [Substring] { text.split(separator: "\n").filter { !$0.hasPrefix("File:") } }
        let fromRoom = try Command.run(["report", other, "--data-dir", roomB])
        #expect(withoutFileLine(report.output) == withoutFileLine(fromRoom.output))
        #expect(report.output.contains("File:        \(roomA)/clinic-copy/"))
        // And replays in the room that never had it.
        let replay = try Tmux(TerminalEndToEndTests.app("replay \(name) --database '\(url)'", data: roomA))
        let screen = try replay.waitFor("Log valid and sealed")
        #expect(screen.contains("REPLAY · READ-ONLY"), "\(screen)")
        try replay.send("q")
        try replay.waitFor("EXIT=0")

        let verify = try Command.run(["verify", "--data-dir", roomA + "/clinic-copy/" + (try FileManager.default.contentsOfDirectory(atPath: roomA + "/clinic-copy").first!)])
        #expect(verify.status == 0, "every file of the clinic's copy verifies, every signature by a key the clinic holds: \(verify.output)")
    }

    @Test("A copy killed midway finishes when run again; a second run sends nothing")
    func killedCopyFinishesOnTheNextRun() throws {
        let url = try migratedDatabase()
        let room = Command.temporaryDirectory() + "/room"
        #expect(try Command.run(["sample", "--out", room, "--sessions", "2", "--records", "60000", "--no-sync"]).status == 0)
        let total = try Self.logs(in: room).map(Self.recordCount).reduce(0, +)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: Command.binary)
        process.arguments = ["sync", "--data-dir", room, "--database", url]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Killed once some batches are in, and before the end.
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, process.isRunning, (Int(try sql("SELECT count(*) FROM records", url)) ?? 0) < 5000 { usleep(2000) }
        let wasRunning = process.isRunning
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let partial = Int(try sql("SELECT count(*) FROM records", url)) ?? -1
        if wasRunning { #expect(partial < total, "killed midway: \(partial) of \(total)") }
        // Whatever was committed is a whole chain prefix: the head matches the last record held.
        #expect(try sql("SELECT count(*) FROM sessions s WHERE head_seq <> (SELECT count(*) FROM records r WHERE r.session_id = s.session_id)", url) == "0")

        let rerun = try Command.run(["sync", "--data-dir", room, "--database", url])
        #expect(rerun.status == 0, "\(rerun.output)\(rerun.error)")
        #expect(try sql("SELECT count(*) FROM records", url) == String(total))
        let third = try Command.run(["sync", "--data-dir", room, "--database", url])
        #expect(third.output.contains(": 0 records and 0 attachments sent"), "\(third.output)")
        // Settled by their heads, from the session index: a room's years of logs are not read through at every start.
        let settled = third.output.split(separator: "\n").filter { $0.contains(".tlog: up to date") && !$0.hasPrefix("users.tlog") }
        #expect(settled.count == 2 && settled.allSatisfy { $0.contains("the same head here, nothing to compare") }, "\(third.output)")

        // A record added since: that log is read and its record sent; the others still settle by their heads.
        let log = try Self.logs(in: room)[0]
        let attached = room + "/../consent.pdf"
        try Data("consent".utf8).write(to: URL(fileURLWithPath: attached))
        let attach = try Command.run(["attach", log, attached, "--kind", "consent", "--as", "madeyemi", "--data-dir", room], input: "director-1234\n")
        #expect(attach.status == 0, "\(attach.error)")
        let fourth = try Command.run(["sync", "--data-dir", room, "--database", url])
        #expect(fourth.status == 0, "\(fourth.output)\(fourth.error)")
        #expect(fourth.output.contains((log as NSString).lastPathComponent + ": sent 1 record"), "\(fourth.output)")
        #expect(fourth.output.contains("nothing to compare"))
        #expect(try sql("SELECT count(*) FROM records", url) == String(total + 1))
    }

    // MARK: Anchoring and divergence

    @Test("verify --database catches a log cut at its end and one rewritten with fresh digests, with the seq where they part")
    func anchoringCatchesCutAndRewrittenLogs() throws {
        let url = try migratedDatabase()
        // Sessions without signatures: a rewrite that the log's own checks cannot see.
        let room = try Self.room(seed: 21, sessions: 3, withoutStaff: true)
        #expect(try Command.run(["sync", "--data-dir", room, "--database", url]).status == 0)
        let logs = try Self.logs(in: room)
        let anchored = try Command.run(["verify", "--data-dir", room, "--database", url])
        #expect(anchored.status == 0, "\(anchored.output)")
        #expect(anchored.output.components(separatedBy: "anchored: the clinic's copy holds").count - 1 == logs.count, "every session log")

        // Cut: the last records removed. The log alone still verifies; the clinic's copy shows what is gone.
        let cut = logs[0]
        let lines = try String(contentsOfFile: cut, encoding: .utf8).split(separator: "\n")
        try (lines.prefix(20).joined(separator: "\n") + "\n").write(toFile: cut, atomically: true, encoding: .utf8)
        #expect(try Command.run(["verify", cut]).status == 0, "alone, a cut log is a valid open session")
        let cutVerdict = try Command.run(["verify", cut, "--data-dir", room, "--database", url])
        #expect(cutVerdict.status == 1)
        #expect(cutVerdict.output.contains("corrupt: parts from the clinic's copy at seq 21") && cutVerdict.output.contains("cut from its end"), "\(cutVerdict.output)")

        // Rewritten: record 12 changed, every digest from it on made afresh.
        let rewritten = logs[1]
        try HostileInputTests.recraft(rewritten, to: rewritten) { record in
            if record.seq == 12 { record.by += " (edited)" }
        }
        #expect(try Command.run(["verify", rewritten]).status == 0, "alone, the rewritten log verifies")
        let rewrittenVerdict = try Command.run(["verify", rewritten, "--data-dir", room, "--database", url])
        #expect(rewrittenVerdict.status == 1)
        #expect(rewrittenVerdict.output.contains("parts from the clinic's copy at seq 12") && rewrittenVerdict.output.contains("rewritten"), "\(rewrittenVerdict.output)")
    }

    @Test("A diverged session is refused, reported with its first differing seq, flagged, and nothing of the clinic's copy overwritten")
    func divergedSessionIsRefused() throws {
        let url = try migratedDatabase()
        let room = try Self.room(seed: 31, sessions: 2)
        #expect(try Command.run(["sync", "--data-dir", room, "--database", url]).status == 0)
        let log = try Self.logs(in: room)[0]
        let before = try sql("SELECT string_agg(digest || encode(line, 'hex'), ',' ORDER BY seq) FROM records", url)

        try HostileInputTests.recraft(log, to: log) { record in
            if record.seq == 5 { record.by = "someone else" }
        }
        let diverged = try Command.run(["sync", "--data-dir", room, "--database", url])
        #expect(diverged.status == 1)
        #expect(diverged.output.contains("DIVERGED at seq 5") && diverged.output.contains("not copied, flagged"), "\(diverged.output)")
        #expect(try sql("SELECT string_agg(digest || encode(line, 'hex'), ',' ORDER BY seq) FROM records", url) == before, "nothing overwritten")
        #expect(try sql("SELECT diverged_at_seq FROM sessions WHERE diverged_at_seq IS NOT NULL", url) == "5")

        // Flagged stays flagged: run again, still refused, still nothing written.
        let again = try Command.run(["sync", "--data-dir", room, "--database", url])
        #expect(again.status == 1 && again.output.contains("DIVERGED at seq 5"), "\(again.output)")
        #expect(try sql("SELECT string_agg(digest || encode(line, 'hex'), ',' ORDER BY seq) FROM records", url) == before)
        // And the clinic-wide view says so.
        let sessions = try Command.run(["sessions", "--data-dir", room, "--database", url])
        #expect(sessions.error.contains("flagged in the clinic's database as diverged at seq 5"), "\(sessions.error)")
    }

    @Test("An auditor checks the clinic's copy with SQL and SHA-256 alone; a row changed in the database is caught by every reader")
    func auditorChecksWithSQLAlone() throws {
        let url = try migratedDatabase()
        let room = try Self.room(seed: 41, sessions: 3)
        #expect(try Command.run(["sync", "--data-dir", room, "--database", url]).status == 0)
        // README's query: each line hashes to its digest, ends in it, and names the digest before it.
        let audit = """
            SELECT count(*) FROM records r
            WHERE encode(sha256(substring(r.line FROM 1 FOR length(r.line) - 65)), 'hex') <> r.digest
               OR encode(substring(r.line FROM length(r.line) - 63), 'escape') <> r.digest
               OR r.prev <> coalesce((SELECT p.digest FROM records p WHERE p.session_id = r.session_id AND p.seq = r.seq - 1), repeat('0', 64))
            """
        #expect(try sql(audit, url) == "0")

        // Someone with the database's password edits a record in place.
        try tamper("UPDATE records SET line = overlay(line PLACING convert_to('X', 'UTF8') FROM 10 FOR 1) WHERE seq = 7 AND session_id = (SELECT min(session_id) FROM sessions)", url)
        #expect(try sql(audit, url) == "1")
        let sessions = try Command.run(["sessions", "--data-dir", room, "--database", url])
        #expect(sessions.error.contains("record #7's line does not hash to its digest"), "\(sessions.error)")
        #expect(sessions.output.contains("CORRUPT at line 7"), "the reader's own verdict on the fetched copy: \(sessions.output)")
    }

    @Test("A clinic's copy changed in the database is never an anchor nor a clean view: rows removed, a forged session re-signed by nobody, a name taken twice, a head moved back")
    func clinicCopyChangedInTheDatabaseIsCaught() throws {
        let url = try migratedDatabase()
        let room = try Self.room(seed: 61, sessions: 4)
        #expect(try Command.run(["sync", "--data-dir", room, "--database", url]).status == 0)
        let logs = try Self.logs(in: room)
        let reader = Command.temporaryDirectory()
        #expect(try Command.run(["sessions", "--data-dir", reader, "--database", url]).status == 0, "a clean copy reads clean")

        // Rows removed behind the head: the log is not "anchored" to them, nor does sync call it up to date.
        let id = { (log: String) in String((log as NSString).lastPathComponent.split(separator: "_").last!.prefix(8)) }
        try tamper("DELETE FROM records WHERE session_id LIKE '\(id(logs[0]))%' AND seq > 10", url)
        let damaged = try Command.run(["verify", logs[0], "--data-dir", room, "--database", url])
        #expect(damaged.status == 1)
        #expect(damaged.output.contains("not anchored: the clinic's copy is damaged at seq 11"), "\(damaged.output)")
        let refused = try Command.run(["sync", "--data-dir", room, "--database", url])
        #expect(refused.status == 1)
        #expect(refused.output.contains("NOT COPIED: the clinic's copy is damaged"), "\(refused.output)")

        // A session rewritten in the database with fresh digests (a lot changed, nothing re-signed): the chain holds, the signature does not.
        let forged = logs[1]
        let original = try String(contentsOfFile: forged, encoding: .utf8)
        try HostileInputTests.recraft(forged, to: forged) { record in
            if record.seq == 2 { record.by += " (forged)" }
        }
        try tamper("DELETE FROM records WHERE session_id LIKE '\(id(forged))%'", url)
        try sql("UPDATE sessions SET head_seq = 0, head_digest = repeat('0', 64) WHERE session_id LIKE '\(id(forged))%'", url)
        #expect(try Command.run(["sync", "--data-dir", room, "--database", url]).output.contains("\((forged as NSString).lastPathComponent): sent"))
        try original.write(toFile: forged, atomically: true, encoding: .utf8)
        let view = try Command.run(["sessions", "--data-dir", reader, "--database", url])
        #expect(view.status == 1)
        #expect(view.error.contains((forged as NSString).lastPathComponent) && view.error.contains("BAD"), "\(view.error)")
        let report = try Command.run(["report", (forged as NSString).lastPathComponent, "--data-dir", reader, "--database", url])
        #expect(report.status == 1, "the report of a session whose signature fails in the clinic's copy is a finding")

        // One file name for two sessions: the second is left out and said so.
        let names = logs.map { ($0 as NSString).lastPathComponent }
        try sql("UPDATE sessions SET file_name = '\(names[2])' WHERE session_id LIKE '\(id(logs[3]))%'", url)
        let twice = try Command.run(["sessions", "--data-dir", Command.temporaryDirectory(), "--database", url])
        #expect(twice.status == 1)
        #expect(twice.error.contains("is not its own"), "\(twice.error)")

        // A head moved back in the database after a reader kept the longer copy.
        try sql("UPDATE sessions SET file_name = '\(names[3])' WHERE session_id LIKE '\(id(logs[3]))%'", url)
        #expect(try Command.run(["sessions", "--data-dir", reader, "--database", url]).error.contains("BAD"))
        try tamper("DELETE FROM records WHERE session_id LIKE '\(id(logs[2]))%' AND seq > 20", url)
        try sql("UPDATE sessions SET head_seq = 20, head_digest = (SELECT digest FROM records WHERE session_id LIKE '\(id(logs[2]))%' AND seq = 20) WHERE session_id LIKE '\(id(logs[2]))%'", url)
        let back = try Command.run(["sessions", "--data-dir", reader, "--database", url])
        #expect(back.status == 1)
        #expect(back.error.contains("went back from #") && back.error.contains("to #20"), "\(back.error)")
    }

    @Test("A log copied into another room is not that room's to send; a room's own records not yet copied are said, not silently missing")
    func copiesAreTheirRoomsOwn() throws {
        let url = try migratedDatabase()
        let roomA = try Self.room(seed: 71, sessions: 2)
        #expect(try Command.run(["sync", "--data-dir", roomA, "--database", url]).status == 0)
        let roomB = try Self.room(seed: 72, sessions: 1)
        let log = try Self.logs(in: roomA)[0]
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        try (lines.prefix(30).joined(separator: "\n") + "\n").write(toFile: roomB + "/" + (log as NSString).lastPathComponent, atomically: true, encoding: .utf8)
        let fromB = try Command.run(["sync", "--data-dir", roomB, "--database", url])
        #expect(fromB.status == 1)
        #expect(fromB.output.contains("NOT COPIED: the clinic holds this session from another workstation"), "\(fromB.output)")
        #expect(try sql("SELECT count(*) FROM sessions WHERE diverged_at_seq IS NOT NULL", url) == "0", "room A's session is not flagged by room B")
        #expect(try Command.run(["sync", "--data-dir", roomA, "--database", url]).status == 0)

        // Room C has a session the clinic has never seen: its clinic-wide recall says so and is a finding.
        let roomC = try Self.room(seed: 73, sessions: 1)
        let lot = try #require(try Self.cartridgeLots(in: roomC).first)
        let recall = try Command.run(["lots", lot, "--data-dir", roomC, "--database", url])
        #expect(recall.status == 1)
        #expect(recall.error.contains("1 session of this room has records the clinic's copy does not hold yet"), "\(recall.error)")
    }

    // MARK: In the room

    @Test("The app copies each record in the background; with the server stopped it carries on offline, and catches up when it returns")
    func appCopiesInTheBackground() throws {
        let url = try migratedDatabase()
        let data = Command.temporaryDirectory()
        let tmux = try Tmux(TerminalEndToEndTests.app("", data: data,
                                                      environment: "TERM=xterm-256color LANG=C.UTF-8 TRILLIUM_DATABASE='\(url)'"))
        try tmux.waitFor("synced")
        try TerminalEndToEndTests.openSession(tmux, patient: "P-CLINIC-1")
        // The opening and the consultation, durable here and copied.
        try tmux.waitFor("saved #2 · synced #2")
        #expect(try sql("SELECT count(*) FROM records", url) == "2")

        // The clinic's server goes down mid-session: the screening goes on, and waits to be sent.
        server.stop()
        defer { try? server.start() }
        for _ in 0..<3 { try tmux.send("n") }
        try tmux.waitFor("saved #5 · offline, 3 to send")
        try tmux.send("n")
        try tmux.waitFor("saved #6 · offline, 4 to send")
        #expect(try tmux.screen().contains("Contraindication screening"), "the session carried on")

        try server.start()
        try tmux.waitFor("saved #6 · synced #6", seconds: 60)
        #expect(try sql("SELECT count(*) FROM records", url) == "6")
        let log = try #require(try Self.logs(in: data).first)
        let local = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map { String($0.suffix(64)) }
        #expect(try sql("SELECT string_agg(digest, ',' ORDER BY seq) FROM records", url) == local.joined(separator: ","),
                "the clinic holds exactly the records durable here")

        try Self.quit(tmux)
    }

    @Test("A consultation in one room sees the patient's treatments in the other rooms, from the clinic's copy")
    func consultationSeesOtherRooms() throws {
        let url = try migratedDatabase()
        let roomA = try Self.room(seed: 51, sessions: 12)
        #expect(try Command.run(["sync", "--data-dir", roomA, "--database", url]).status == 0)
        // A patient room A treated: the series as room A's history counts it.
        let patient = try #require(try Self.patients(in: roomA).first { patient in
            (try? Command.run(["history", patient, "--data-dir", roomA]).output.contains("signed")) == true
        })
        let history = try Command.run(["history", patient, "--data-dir", roomA]).output
        let treatments = try #require(history.split(separator: "\n").first?.split(separator: ",").dropFirst().first?
            .split(separator: " ").first.flatMap { Int($0) }, "\(history)")

        let roomB = Command.temporaryDirectory()
        let tmux = try Tmux(TerminalEndToEndTests.app("", data: roomB,
                                                      environment: "TERM=xterm-256color LANG=C.UTF-8 TRILLIUM_DATABASE='\(url)'"))
        try tmux.waitFor("synced")
        try TerminalEndToEndTests.openSession(tmux, patient: patient, consultation: false)
        let screen = try tmux.waitFor("earlier treatment(s) on record")
        #expect(screen.contains("\(treatments) earlier treatment(s) on record"), "room B has none of its own: \(screen)")
        try Self.quit(tmux)
    }

    // MARK: Helpers

    /// Quits the app as an operator does (Ctrl-C, then y); it exits 0 with the terminal restored.
    static func quit(_ tmux: Tmux) throws {
        try tmux.send("C-c")
        try tmux.waitFor("Quit Trillium?")
        try tmux.send("y")
        try tmux.waitFor("EXIT=0")
        #expect(try tmux.isRestored())
    }

    static func cartridgeLots(in room: String) throws -> [String] {
        try logs(in: room).compactMap { log in
            let first = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").first.map(String.init) ?? ""
            guard let range = first.range(of: "\"lot\":\"") else { return nil }
            return String(first[range.upperBound...].prefix { $0 != "\"" })
        }
    }

    static func patients(in room: String) throws -> [String] {
        try logs(in: room).compactMap { log in
            let first = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").first.map(String.init) ?? ""
            guard let range = first.range(of: "\"patient_ref\":\"") else { return nil }
            return String(first[range.upperBound...].prefix { $0 != "\"" })
        }
    }
}

extension PostgresServer {
    static var skipReason: Comment {
        if case let .failure(error) = shared { return Comment(rawValue: "\(error); .ci/run installs postgresql and sets TRILLIUM_REQUIRE_POSTGRES so that CI never skips these") }
        return "PostgreSQL is running"
    }
}
