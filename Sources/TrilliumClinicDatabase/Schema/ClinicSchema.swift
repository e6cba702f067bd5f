import Foundation
import PostgresNIO

/// The clinic database's tables, created and migrated by Trillium itself.
///
/// Each migration is applied once, in order, in one transaction with the
/// row that records it in `trillium_schema`; a database's version is the
/// highest row there. Commands refuse a database that is older (run
/// `trillium db migrate`) or newer (update Trillium) than `currentVersion`.
///
/// The records table keeps each record's exact line (its JSON, one space
/// and its digest, without the LF), so the copy is verified by the rules
/// the files are, and an auditor needs only SQL and SHA-256:
///
///     SELECT session_id, seq FROM records
///     WHERE encode(sha256(substring(line FROM 1 FOR length(line) - 65)), 'hex') <> digest
///        OR encode(substring(line FROM length(line) - 63), 'escape') <> digest;
public enum ClinicSchema {
    /// Each version's statements, one at a time: the extended protocol takes one per query.
    public static let migrations: [[String]] = [version1, version2]

    /// Version 1: workstations, protocols, sessions and their records, staff changes, attachments.
    /// No statement here holds a semicolon but the one that ends it.
    static let version1 = statements(of: """
        CREATE TABLE workstations (
            fingerprint text PRIMARY KEY CHECK (fingerprint ~ '^[0-9a-f]{64}$'),
            public_key  text NOT NULL,
            name        text NOT NULL,
            first_seen  timestamptz NOT NULL DEFAULT now(),
            last_copy   timestamptz
        );
        CREATE TABLE protocols (
            digest text PRIMARY KEY CHECK (digest ~ '^[0-9a-f]{64}$'),
            text   text NOT NULL
        );
        CREATE TABLE sessions (
            session_id      text PRIMARY KEY,
            workstation     text NOT NULL REFERENCES workstations,
            file_name       text NOT NULL,
            patient         text NOT NULL,
            operator        text NOT NULL,
            started_at      timestamptz NOT NULL,
            status          text NOT NULL,
            head_seq        integer NOT NULL DEFAULT 0 CHECK (head_seq >= 0),
            head_digest     text NOT NULL CHECK (head_digest ~ '^[0-9a-f]{64}$'),
            protocol_digest text NOT NULL,
            diverged_at_seq integer,
            diverged_detail text,
            diverged_at     timestamptz
        );
        CREATE TABLE records (
            session_id text NOT NULL REFERENCES sessions,
            seq        integer NOT NULL CHECK (seq > 0),
            digest     text NOT NULL CHECK (digest ~ '^[0-9a-f]{64}$'),
            prev       text NOT NULL CHECK (prev ~ '^[0-9a-f]{64}$'),
            type       text NOT NULL,
            at         timestamptz NOT NULL,
            by         text NOT NULL,
            line       bytea NOT NULL,
            PRIMARY KEY (session_id, seq)
        );
        CREATE INDEX records_by_type ON records (type);
        CREATE TABLE staff_logs (
            workstation     text PRIMARY KEY REFERENCES workstations,
            head_seq        integer NOT NULL DEFAULT 0 CHECK (head_seq >= 0),
            head_digest     text NOT NULL CHECK (head_digest ~ '^[0-9a-f]{64}$'),
            diverged_at_seq integer,
            diverged_detail text,
            diverged_at     timestamptz
        );
        CREATE TABLE staff_records (
            workstation text NOT NULL REFERENCES staff_logs,
            seq         integer NOT NULL CHECK (seq > 0),
            digest      text NOT NULL CHECK (digest ~ '^[0-9a-f]{64}$'),
            prev        text NOT NULL CHECK (prev ~ '^[0-9a-f]{64}$'),
            type        text NOT NULL,
            at          timestamptz NOT NULL,
            by          text NOT NULL,
            line        bytea NOT NULL,
            PRIMARY KEY (workstation, seq)
        );
        CREATE TABLE attachments (
            digest text PRIMARY KEY CHECK (digest ~ '^[0-9a-f]{64}$'),
            size   bigint NOT NULL,
            bytes  bytea NOT NULL
        );
        """)

    /// The tables that only ever grow: what was copied is never changed nor
    /// removed, by Trillium or anyone else, without first taking the guard
    /// off (which the clinic-wide views look for: `appendOnlyGuardIsOn`).
    public static let appendOnlyTables = ["records", "staff_records", "attachments", "protocols"]
    public static let appendOnlyTrigger = "trillium_append_only"

    /// Version 2: the clinic's copy is append-only in the database itself.
    static let version2 = [
        """
        CREATE FUNCTION trillium_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'the clinic''s copy is append-only: % on % refused', TG_OP, TG_TABLE_NAME
                USING ERRCODE = 'insufficient_privilege';
        END
        $$
        """,
    ] + appendOnlyTables.map { table in
        "CREATE TRIGGER \(appendOnlyTrigger) BEFORE UPDATE OR DELETE OR TRUNCATE ON \(table) "
            + "FOR EACH STATEMENT EXECUTE FUNCTION trillium_refuse_change()"
    }

    public static var currentVersion: Int { migrations.count }

    private static func statements(of migration: String) -> [String] {
        migration.split(separator: ";").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }

    static let versionTable = """
        CREATE TABLE IF NOT EXISTS trillium_schema (
            version    integer PRIMARY KEY,
            applied_at timestamptz NOT NULL DEFAULT now(),
            applied_by text NOT NULL
        )
        """
}

extension ClinicConnection {
    /// The schema's version: 0 when Trillium has never migrated this database.
    /// Trillium's tables without a version were changed outside Trillium: a
    /// migration over them would fail half-way, so that is said instead.
    public func schemaVersion() async throws(ClinicDatabaseError) -> Int {
        let version = try await recordedVersion()
        // Trillium's tables, not a table that happens to be called records: all three of these names together.
        if version == 0, try await exists("records"), try await exists("staff_records"), try await exists("workstations") {
            throw .schemaUnrecorded
        }
        return version
    }

    private func recordedVersion() async throws(ClinicDatabaseError) -> Int {
        guard try await exists("trillium_schema") else { return 0 }
        let rows = try await run("SELECT coalesce(max(version), 0) FROM trillium_schema")
        return (rows.first.flatMap { try? $0.decode(Int.self) }) ?? 0
    }

    private func exists(_ table: String) async throws(ClinicDatabaseError) -> Bool {
        let rows = try await run("SELECT to_regclass(\(table)) IS NOT NULL")
        return (rows.first.flatMap { try? $0.decode(Bool.self) }) == true
    }

    /// Refuses a database that is not at this Trillium's version.
    public func requireCurrentSchema() async throws(ClinicDatabaseError) {
        let found = try await schemaVersion()
        if found < ClinicSchema.currentVersion { throw .schemaTooOld(found: found, wanted: ClinicSchema.currentVersion) }
        if found > ClinicSchema.currentVersion { throw .schemaTooNew(found: found, wanted: ClinicSchema.currentVersion) }
    }

    /// Applies the migrations the database lacks; returns the versions applied.
    /// Two workstations migrating at once are serialised by a lock on the version table.
    public func migrate(appVersion: String) async throws(ClinicDatabaseError) -> (from: Int, to: Int) {
        // Created only where it is missing: a role that may read but not create is told what it lacks only when something is to be done.
        if try await schemaVersion() == 0 { try await run(PostgresQuery(unsafeSQL: ClinicSchema.versionTable)) }
        return try await transaction { () throws(ClinicDatabaseError) in
            try await run("LOCK TABLE trillium_schema IN EXCLUSIVE MODE")
            let found = try await schemaVersion()
            if found > ClinicSchema.currentVersion { throw .schemaTooNew(found: found, wanted: ClinicSchema.currentVersion) }
            for version in (found + 1)...max(found + 1, ClinicSchema.currentVersion) where version <= ClinicSchema.currentVersion {
                for statement in ClinicSchema.migrations[version - 1] {
                    try await run(PostgresQuery(unsafeSQL: statement))
                }
                try await run("INSERT INTO trillium_schema (version, applied_by) VALUES (\(version), \("trillium " + appVersion))")
            }
            return (found, ClinicSchema.currentVersion)
        }
    }
}

extension ClinicConnection {
    /// Whether every append-only table still has its guard, enabled: a
    /// trigger dropped or disabled is how a row is changed in place, which
    /// a reader that kept its copy would not otherwise see.
    public func appendOnlyGuardIsOn() async throws(ClinicDatabaseError) -> Bool {
        let tables = ClinicSchema.appendOnlyTables.map { "to_regclass('\($0)')" }.joined(separator: ", ")
        let rows = try await run(PostgresQuery(unsafeSQL: """
            SELECT count(*) FROM pg_trigger
            WHERE tgname = '\(ClinicSchema.appendOnlyTrigger)' AND tgenabled IN ('O', 'A') AND tgrelid IN (\(tables))
            """))
        return (rows.first.flatMap { try? $0.decode(Int.self) }) == ClinicSchema.appendOnlyTables.count
    }
}

/// What the clinic's database holds, counted.
public struct ClinicStatus: Sendable, Equatable {
    public var workstations: Int
    public var sessions: Int
    public var records: Int
    public var diverged: Int
}

extension ClinicConnection {
    /// Whether the server still answers.
    public func ping() async throws(ClinicDatabaseError) {
        try await run("SELECT 1")
    }

    public func status() async throws(ClinicDatabaseError) -> ClinicStatus {
        let rows = try await run("""
            SELECT (SELECT count(*) FROM workstations), (SELECT count(*) FROM sessions), (SELECT count(*) FROM records),
                   (SELECT count(*) FROM sessions WHERE diverged_at_seq IS NOT NULL)
            """)
        guard let row = rows.first, let (w, s, r, d) = try? row.decode((Int, Int, Int, Int).self) else {
            throw .failed("the counts came back in an unexpected shape")
        }
        return ClinicStatus(workstations: w, sessions: s, records: r, diverged: d)
    }
}
