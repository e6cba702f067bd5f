import ArgumentParser
import Foundation
import TrilliumCore
import TrilliumServices

extension AttachmentKind: ExpressibleByArgument {}

/// `trillium attach SESSION FILE… --kind photo|consent`: photos and the signed
/// consent kept with a session by their SHA-256.
struct AttachCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attach",
        abstract: "Keeps photos or a signed consent with a session, by SHA-256 (standard input: the PIN, where staff accounts exist).",
        discussion: """
            Copies each file into the data directory's attachments/ under its SHA-256 and records attachment.added
            (name, kind, digest, size) in the session's log. Reports check each file is still there with that digest.
            The session must not be open in the app. Exit 1 when refused (a PIN, a file name, an empty file), 2 for a file or
            session that cannot be used (a session open in the app included).
            """)
    @Argument(help: "The session: a file, a file name in the data directory, or the start of its id.") var session: String
    @Argument(help: "The files to attach.") var files: [String]
    @Option(help: "What the files are: photo or consent.") var kind: AttachmentKind
    @Option(name: .customLong("as"), help: "Your account id (where staff accounts exist).") var account: String?
    @Option(help: "Your name (where there are no staff accounts).") var by: String?
    @OptionGroup var data: DataOptions

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("Name at least one file to attach.") }
        guard account == nil || by == nil else { throw ValidationError("Either --as (an account) or --by (a name), not both.") }
    }

    func run() throws {
        let store = data.store()
        let path = try data.locate(session, in: store)
        let staff = try data.staff()
        let person: String
        if staff.hasAccounts {
            // Who attached it is proven, as for every record of an attributed session.
            guard let account else { throw CommandFailure("This data directory has staff accounts: say who you are with --as ID.", code: 2) }
            let pin = try PINInput().next("PIN of \(account)")
            do {
                person = try staff.authenticate(account, pin: pin).id.rawValue
            } catch {
                throw CommandFailure(error.description, code: 1)
            }
        } else {
            guard let by, !by.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw CommandFailure("Say who attaches the files with --by NAME.", code: 2)
            }
            // The name goes into the record's `by`: as at intake, no control characters, and an operator's length.
            guard !by.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }),
                  by.count <= RecordSchema.Limit.operatorName else {
                throw CommandFailure("--by: a name of at most \(RecordSchema.Limit.operatorName) characters, without control characters.", code: 2)
            }
            person = by
        }
        do {
            let records = try SessionAttachments.attach(files, kind: kind, toSessionAt: path, in: store, by: person)
            for record in records {
                if case let .attachmentAdded(attachment) = record.event {
                    Output.line("#\(record.seq) \(attachment.kind.rawValue) \(attachment.name): \(attachment.size) bytes, SHA-256 \(attachment.digest)")
                }
            }
        } catch {
            switch error {
            case .notRecorded(.refused), .refused: throw CommandFailure(error.description, code: 1)
            case .file, .session, .notRecorded: throw CommandFailure(error.description, code: 2)
            }
        }
    }
}
