import Foundation
import ArgumentParser
import TrilliumClinicDatabase
import TrilliumCore
import TrilliumIdentity
import TrilliumLog
import TrilliumServices

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verifies session logs: framing, digests and the hash chain.",
        discussion: """
            One line per file. With no path, verifies every log in the data directory, and its staff and access logs.
            Every electronic signature is checked against this workstation's key and those in keys/trusted/:
            a bad signature, one by an unknown key, or a sign-off whose signature was removed is corrupt.
            With --database, each log is also compared with the clinic's copy: a log shorter than the clinic's \
            (records cut from its end) or different from it (rewritten) is corrupt, with the seq where they part.
            Each record is checked against its type's schema (fields, types, lengths); whether the records follow \
            the protocol and one another (the state machine's rules) is what `replay` and `report` check: they \
            refuse a log that verifies but does not fold, and say at which record.
            Exit 0 when every file is valid, 1 when any is torn or corrupt, 2 for usage or I/O errors.
            """)

    @Argument(help: "Session log files or directories of them (default: the data directory).")
    var paths: [String] = []

    @OptionGroup var data: DataOptions
    @OptionGroup var clinic: ClinicOptions

    func run() throws {
        let files = POSIXFileOperations()
        var sawDefect = false
        var sawError = false
        var found: [(path: String, logs: [String])] = []
        for path in paths.isEmpty ? [data.directory.path] : paths {
            do {
                found.append((path, try Self.logs(at: path, files: files)))
            } catch {
                Output.singleLine("\(path): error: \(error)")
                sawError = true
            }
        }
        let anchorings = try anchor(found.flatMap(\.logs))
        // The keys and accounts a log's signatures are checked against are its folder's:
        // read once for each folder, not once for each of its thousands of logs.
        var signingContexts: [String: (trusted: TrustedKeys, staff: StaffRoster?, accountsBegan: EventStamp?)] = [:]
        func signingContext(of log: String) -> (trusted: TrustedKeys, staff: StaffRoster?, accountsBegan: EventStamp?) {
            let folder = SessionLogWriter.directoryPath(of: log)
            if let known = signingContexts[folder] { return known }
            let staff = SignatureAudit.staff(forLogAt: log, dataDirectory: data.directory, appVersion: Trillium.version, files: files)
            let context = (SignatureAudit.trustedKeys(forLogAt: log, dataDirectory: data.directory, files: files), staff,
                           SignatureAudit.accountsBegan(of: staff, besideLogAt: log, files: files))
            signingContexts[folder] = context
            return context
        }
        for (path, logs) in found {
            if logs.isEmpty {
                Output.singleLine("\(path): error: no session logs (*\(DataDirectory.logExtension)) in this directory")
                sawError = true
            }
            for log in logs {
                do {
                    let verification = try LogReader.verify(path: log, files: files)
                    let (trusted, staff, accountsBegan) = signingContext(of: log)
                    let findings = SignatureAudit.findings(verification, trusted: trusted, staff: staff, accountsBegan: accountsBegan)
                    let failed = findings.filter { !$0.isGood }.map(\.line)
                    let good = findings.filter(\.isGood).map(\.line)
                    // One line per file: what fails first, then the chain's verdict, then the good signatures.
                    let anchoring = anchorings[log]
                    let line = (failed.isEmpty ? "" : "corrupt: " + failed.joined(separator: "; ") + "; framing and chain: ")
                        + verification.summary + (good.isEmpty ? "" : "; " + good.joined(separator: "; "))
                        + (anchoring.map { "; " + $0.summary } ?? "")
                    Output.singleLine("\(log): \(line)")
                    if !verification.status.isValid || !failed.isEmpty || anchoring?.isDefect == true { sawDefect = true }
                    // Keys that are there but cannot be read leave the signatures unchecked: an I/O error, not a verdict.
                    if !trusted.unreadable.isEmpty, !verification.signatures.isEmpty {
                        Output.error("\(log): the signatures could not all be checked: " + trusted.unreadable.joined(separator: "; "))
                        sawError = true
                    }
                } catch {
                    Output.singleLine("\(log): error: \(error)")
                    sawError = true
                }
            }
        }
        if sawError { throw ExitCode(2) }
        if sawDefect { throw ExitCode(1) }
    }

    /// What the clinic's copy says of each log, with --database; none without.
    private func anchor(_ logs: [String]) throws -> [String: Anchoring] {
        guard let address = try clinic.address(), !logs.isEmpty else { return [:] }
        let workstation = try ClinicOptions.workstation(of: data)
        return try clinic.withConnection(to: address) { connection throws(ClinicDatabaseError) in
            var anchorings: [String: Anchoring] = [:]
            for path in logs {
                // A log that cannot be read gets its error from the verification below.
                guard let log = try? LocalLog.read(path) else { continue }
                anchorings[path] = try await connection.anchor(log, workstation: workstation)
            }
            return anchorings
        }
    }

    /// The logs a path names: itself, or the logs in it when it is a directory.
    /// What it is comes from `lstat` and then the reader's own checks, so a
    /// FIFO or a device is refused by name and never opened for blocking.
    static func logs(at path: String, files: FileOperations) throws(FileError) -> [String] {
        var status = try files.linkStatus(path)
        if status.kind == .symbolicLink, let target = try? files.openForReading(path) {
            files.close(target.fd)
            status = target.status
        }
        guard status.kind == .directory else { return [path] }
        // The staff and access logs are held to the same rules as the sessions'.
        let others = [DataDirectory.staffLogName, DataDirectory.accessLogName].map { path + "/" + $0 }.filter(files.exists)
        return try DataDirectory.logFiles(in: path, files: files) + others
    }
}
