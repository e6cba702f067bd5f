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
        let summaries: [SessionSummary]
        do {
            summaries = try SessionSummary.all(in: data.directory)
        } catch {
            throw CommandFailure("\(error)", code: 2)
        }
        let rows = BothCores.map(summaries) { s in
            [s.started, s.patient, s.operatorName, s.phase, s.status, s.fileName]
        }
        Output.write(TextTable.render(headers: ["Started (UTC)", "Patient", "Operator", "Phase", "Status", "File"], rows: rows))
        if summaries.isEmpty { Output.line("(no sessions in \(data.directory.path))") }
        if summaries.contains(where: { $0.unreadable }) { throw ExitCode(2) }
        // The clinic's copy did not check out somewhere (said on stderr): a finding.
        if !view.isClean { throw ExitCode(1) }
    }
}
