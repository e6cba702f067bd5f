import ArgumentParser

struct Trillium: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "trillium",
        abstract: "Guides a microneedling session and keeps its tamper-evident record.",
        discussion: """
            With no subcommand, opens the treatment-room app. Every session is an
            append-only log in the data directory (--data-dir, else TRILLIUM_DATA,
            else $XDG_DATA_HOME/trillium).
            Exit status: 0 success, 1 a finding (torn, corrupt or invalid), 2 usage or I/O error.
            """,
        version: version,
        subcommands: [
            RunCommand.self, ResumeCommand.self, VerifyCommand.self, SessionsCommand.self, ReportCommand.self,
            SampleCommand.self, ProtocolCommand.self, KeysCommand.self, ThemesCommand.self, HistoryCommand.self,
            LotsCommand.self, ReplayCommand.self,
        ],
        defaultSubcommand: RunCommand.self
    )
}
