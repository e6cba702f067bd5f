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
            LotsCommand.self, ReplayCommand.self, UsersCommand.self, WorkstationCommand.self, CosignCommand.self, AttachCommand.self,
            DatabaseCommand.self, SyncCommand.self,
        ],
        defaultSubcommand: RunCommand.self
    )
}

extension Trillium {
    /// Options every subcommand that takes them understands, given before the
    /// subcommand's name (`trillium --data-dir X resume`): moved after it, as
    /// the argument parser expects, instead of refusing the line.
    static let sharedOptions: Set<String> = ["--data-dir", "--protocol", "--theme", "--database"]

    static func movingSharedOptions(_ arguments: [String]) -> [String] {
        let names = Set(configuration.subcommands.compactMap { $0.configuration.commandName })
        var leading: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            let name = argument.split(separator: "=", maxSplits: 1).first.map(String.init) ?? argument
            guard sharedOptions.contains(name) else { break }
            leading.append(argument)
            if !argument.contains("="), index + 1 < arguments.count {
                leading.append(arguments[index + 1])
                index += 1
            }
            index += 1
        }
        guard !leading.isEmpty, index < arguments.count, names.contains(arguments[index]) else { return arguments }
        return [arguments[index]] + leading + arguments[(index + 1)...]
    }
}
