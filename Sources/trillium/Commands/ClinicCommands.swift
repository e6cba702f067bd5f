import ArgumentParser
import TrilliumClinicDatabase
import TrilliumLog

/// `trillium db migrate` and `trillium db status`: the clinic database's schema.
struct DatabaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db", abstract: "The clinic's PostgreSQL database: its schema.",
        subcommands: [MigrateCommand.self, StatusCommand.self])

    struct MigrateCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "migrate",
            abstract: "Creates the clinic database's tables, or brings them to this Trillium's schema version.",
            discussion: "Safe to run again, and from several workstations at once. Exit 2 when the database cannot be reached or is newer.")
        @OptionGroup var clinic: ClinicOptions

        func run() throws {
            let address = try clinic.requiredAddress()
            let (from, to) = try clinic.withConnection(to: address, checkingSchema: false) { connection throws(ClinicDatabaseError) in
                try await connection.migrate(appVersion: Trillium.version)
            }
            Output.singleLine(from == to
                ? "\(address): schema version \(to), already current"
                : "\(address): schema migrated from version \(from) to \(to)")
        }
    }

    struct StatusCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status", abstract: "The clinic database's schema version and what it holds.")
        @OptionGroup var clinic: ClinicOptions

        func run() throws {
            let address = try clinic.requiredAddress()
            let status = try clinic.withConnection(to: address) { connection throws(ClinicDatabaseError) in
                try await connection.status()
            }
            Output.singleLine("\(address): schema version \(ClinicSchema.currentVersion)")
            Output.line("\(status.workstations) workstations, \(status.sessions) sessions, \(status.records) records, \(status.diverged) flagged as diverged")
        }
    }
}

/// `trillium sync`: sends this room's logs to the clinic's copy.
struct SyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Copies every log in the data directory to the clinic's database, checking each chain.",
        discussion: """
            For each session the clinic's copy must be a prefix of the local log: the records it holds must have the \
            same digests, and each new one must follow the clinic's head. A session that differs is never overwritten: \
            it is reported with the first differing seq and flagged in the database. Running it again sends nothing new.
            Exit 0 when every log is copied, 1 when one diverged, was refused, or is torn or corrupt here, \
            2 when the database cannot be used.
            """)
    @OptionGroup var clinic: ClinicOptions
    @OptionGroup var data: DataOptions

    func run() throws {
        let address = try clinic.requiredAddress()
        let (directory, workstation) = (data.directory, try ClinicOptions.workstation(of: data))
        // Each log is said as it is done: a run that loses its connection still says what it did.
        let report = try clinic.withConnection(to: address) { connection throws(ClinicDatabaseError) in
            try await DirectoryCopy(directory: directory, workstation: workstation).copyAll(over: connection) { result in
                Output.singleLine("\(result.fileName): \(Self.describe(result))")
            }
        }
        let finding = report.results.contains { result in
            if case .copied = result.outcome { return !result.localStatus.isValid }
            if case .notCopied = result.outcome { return !result.localStatus.isValid }
            return true
        }
        for unreadable in report.unreadable { Output.error(unreadable) }
        Output.singleLine("\(address): \(report.recordsSent) records and \(report.attachmentsSent) attachments sent from \(report.results.count) logs")
        if !report.unreadable.isEmpty { throw ExitCode(2) }
        if finding { throw ExitCode(1) }
    }

    /// What a copy did, in one line's words.
    static func describe(_ result: CopyResult) -> String {
        let line = switch result.outcome {
        case let .copied(_, head) where result.isMatchedByHead: "up to date, the clinic holds #1–#\(head): the same head here, nothing to compare"
        case let .copied(sent, head) where sent == 0: "up to date, the clinic holds #1–#\(head)"
        case let .copied(sent, head): "sent \(sent) record\(sent == 1 ? "" : "s"), the clinic holds #1–#\(head)"
        case let .diverged(seq, detail): "DIVERGED at seq \(seq): \(detail); not copied, flagged in the clinic's database"
        case let .flagged(seq, detail): "DIVERGED at seq \(seq), flagged in the clinic's database earlier: \(detail); not copied"
        case let .refused(reason): "NOT COPIED: \(reason)"
        case let .notCopied(reason): "not copied: \(reason)"
        }
        guard !result.localStatus.isValid else { return line }
        // The valid records a torn or corrupt log holds are the ones the copy could send.
        return line + "; here: " + LogVerification.summary(of: result.localStatus, validRecords: result.validRecords)
    }
}
