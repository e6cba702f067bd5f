import ArgumentParser
import TrilliumServices

enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case markdown
    case json
    case html
}

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Reports a whole session: intake to sign-off, with corrections and the log's head digest.")

    @Argument(help: "A session file, its file name in the data directory, or the start of its session id.")
    var session: String

    @Option(help: "text, markdown, json, or html (one self-contained file to print or attach to a chart).")
    var format: ReportFormat = .text

    @Option(help: "Write the report to this file instead of standard output.")
    var out: String?

    @OptionGroup var data: DataOptions
    @OptionGroup var clinic: ClinicOptions

    func run() throws {
        let view = try clinic.view(of: self.data)
        let data = view.data
        let store = data.store()
        let loaded: LoadedSession
        do {
            loaded = try store.load(path: try store.locate(session), checkingSignatures: true)
        } catch {
            throw CommandFailure(error.description, code: 2)
        }
        guard let opening = loaded.verification.opening else {
            throw CommandFailure("\(loaded.verification.path): no valid first record, nothing to report: \(loaded.verification.summary)", code: 1)
        }
        guard let state = loaded.state else {
            let digest = opening.protocolReference.digest
            throw CommandFailure("\(loaded.verification.path): \(StoreError.protocolUnavailable(digest: digest))", code: 2)
        }
        // The staff log names the people behind the ids; a report reads without it. It is the staff log
        // beside the log (a log reported from another room's folder names that room's people), else this
        // data directory's: in the clinic-wide view, this room's names them, the clinic's people being the
        // same in every room.
        let staff = SignatureAudit.staff(forLogAt: loaded.verification.path, dataDirectory: self.data.directory,
                                         appVersion: Trillium.version)
        // Every attached file is checked against its recorded digest.
        let attachments = AttachmentStore(forLogAt: loaded.verification.path, dataDirectory: data.directory)
        let text: String
        switch format {
        case .text: text = TextReportRenderer.render(SessionReport(session: loaded, state: state, staff: staff, attachments: attachments))
        case .markdown: text = MarkdownReportRenderer.render(SessionReport(session: loaded, state: state, staff: staff, attachments: attachments))
        case .json: text = JSONReportRenderer.render(session: loaded, state: state, attachments: attachments)
        case .html: text = HTMLReportRenderer.render(session: loaded, state: state, staff: staff, attachments: attachments)
        }
        try emit(text, to: out, besides: self.data.directory)
        let damaged = attachments.check(state).filter { $0.1 != .present }
        for (entry, status) in damaged {
            Output.error("\(loaded.verification.path): attachment #\(entry.seq) \(entry.attachment.name): \(status.text)")
        }
        if !loaded.isTrustworthy {
            Output.error("\(loaded.verification.path): \(loaded.integritySummary)")
            throw ExitCode(1)
        }
        if !damaged.isEmpty || view.hasFindings(about: loaded.verification.path) { throw ExitCode(1) }
    }
}
