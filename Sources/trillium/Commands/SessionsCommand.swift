import ArgumentParser
import TrilliumCore
import TrilliumLog
import TrilliumServices

struct SessionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sessions",
        abstract: "Lists the sessions in the data directory, oldest first.")

    @OptionGroup var data: DataOptions
    @OptionGroup var clinic: ClinicOptions

    func run() throws {
        let view = try clinic.view(of: self.data)
        let data = view.data
        let table: (text: String, sessions: Int, anyUnreadable: Bool)
        do {
            table = try SessionSummary.table(in: data.directory)
        } catch {
            throw CommandFailure("\(error)", code: 2)
        }
        Output.write(table.text)
        if table.sessions == 0 { Output.line("(no sessions in \(data.directory.path))") }
        if table.anyUnreadable { throw ExitCode(2) }
        // The clinic's copy did not check out somewhere (said on stderr): a finding.
        if !view.isClean { throw ExitCode(1) }
    }
}
