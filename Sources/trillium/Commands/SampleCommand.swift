import ArgumentParser
import TrilliumLog
import TrilliumServices

struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Writes realistic sample sessions through the real state machine and writer.",
        discussion: "Deterministic for a seed. DIR is used as a data directory.")

    @Option(help: "The data directory to write into.")
    var out: String

    @Option(help: "How many sessions.")
    var sessions: Int = 20

    @Option(help: "The seed: the same seed gives the same sessions.")
    var seed: UInt64 = 1

    @Option(help: "Make each log hold at least this many records (for benchmarks).")
    var records: Int = 0

    @Flag(help: "Do not sync each record to disk: for benchmark inputs only, never for a record anyone relies on.")
    var noSync = false

    @Flag(help: "Sessions as before staff accounts: typed operator names, no signatures, no users.tlog.")
    var withoutStaff = false

    @Flag(help: "No before-photos or consent forms in attachments/ (for benchmark inputs of many sessions).")
    var withoutAttachments = false

    @OptionGroup var protocolOptions: ProtocolOptions

    func validate() throws {
        // Bounded before anything is planned: a count in the billions once asked for more memory than exists and trapped.
        guard (1...1_000_000).contains(sessions) else { throw ValidationError("--sessions must be 1 to 1,000,000") }
        guard (0...10_000_000).contains(records) else { throw ValidationError("--records must be 0 to 10,000,000") }
    }

    func run() throws {
        let (treatmentProtocol, text) = try protocolOptions.load()
        let generator = SampleGenerator(
            sessionCount: sessions, seed: seed, minimumRecords: records,
            treatmentProtocol: treatmentProtocol, protocolText: text, isDurable: !noSync, withStaff: !withoutStaff,
            withAttachments: !withoutAttachments)
        do {
            let paths = try generator.write(into: DataDirectory(path: out))
            Output.line("wrote \(paths.count) sessions to \(out)" + (withoutStaff ? "" : " with the sample staff (PINs in README) and their signatures"))
        } catch {
            throw CommandFailure(error.description, code: 2)
        }
    }
}
