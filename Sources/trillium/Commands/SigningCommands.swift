import ArgumentParser
import Foundation
import TrilliumCore
import TrilliumIdentity
import TrilliumLog
import TrilliumServices

/// `trillium workstation`: this workstation's signing key, for the clinic to
/// place in other workstations' `keys/trusted/` (or an auditor's).
struct WorkstationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workstation",
        abstract: "Prints this workstation's public signing key and its fingerprint (made on first use).")
    @OptionGroup var data: DataOptions

    func run() throws {
        let key = try data.workstationKey()
        Output.line("public key  \(Hex.encode(key.publicKey.rawRepresentation))")
        Output.line("fingerprint \(key.fingerprint)")
        Output.singleLine("kept in     \(data.directory.keysPath)/\(WorkstationKey.privateFileName) (private, 0600) and \(WorkstationKey.publicFileName)")
    }
}

/// `trillium cosign SESSION --as DIRECTOR`: a director's review of a signed session.
struct CosignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cosign",
        abstract: "A medical director reviews and co-signs a signed session (standard input: the director's PIN).",
        discussion: "Records session.cosigned, meaning \"reviewed\", signed with this workstation's key. Exit 1 when refused.")
    @Argument(help: "The session: a file, a file name in the data directory, or the start of its id.") var session: String
    @Option(name: .customLong("as"), help: "The director's account id.") var director: String
    @OptionGroup var data: DataOptions

    func run() throws {
        let store = data.store()
        let path = try data.locate(session, in: store)
        let staff = try data.staff()
        let pin = try PINInput().next("PIN of \(director)")
        do {
            let (record, account, key) = try SessionSigning.cosign(sessionAt: path, in: store, staff: staff, director: director, pin: pin)
            Output.singleLine("Co-signed as record #\(record.seq) by \(account.name) (\(account.id)), reviewed, key \(key.fingerprint.prefix(16))….")
        } catch {
            // Refused (who, or what the session allows) is a finding; a file or key that cannot be used is an I/O error.
            switch error {
            case let .notAuthorised(inner):
                if case .store = inner { throw CommandFailure(error.description, code: 2) }
                throw CommandFailure(error.description, code: 1)
            case .notRecorded(.refused), .signaturesNotGood: throw CommandFailure(error.description, code: 1)
            case .session, .notRecorded, .key: throw CommandFailure(error.description, code: 2)
            }
        }
    }
}

extension DataOptions {
    func workstationKey() throws -> WorkstationKey {
        do {
            try directory.prepare()
            return try WorkstationKey.loadOrCreate(in: directory)
        } catch {
            throw CommandFailure("\(error)", code: 2)
        }
    }
}
