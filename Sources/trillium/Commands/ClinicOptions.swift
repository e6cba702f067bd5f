import ArgumentParser
import Foundation
import TrilliumClinicDatabase
import TrilliumIdentity
import TrilliumLog
import TrilliumServices

/// `--database URL` (else `TRILLIUM_DATABASE`): the clinic's PostgreSQL
/// copy, for the commands that copy records or read them clinic-wide.
/// Without one, every command reads this room's files as before.
struct ClinicOptions: ParsableArguments {
    @Option(name: .customLong("database"),
            help: "The clinic's database: postgres://USER@HOST[:PORT]/DATABASE[?sslmode=…] (default: TRILLIUM_DATABASE; none: this room's files only).")
    var url: String?

    /// The address given, with its password from the URL, PGPASSWORD or the password file; nil when none is given.
    func address() throws -> DatabaseAddress? {
        let environment = ProcessInfo.processInfo.environment
        guard let url = url ?? environment["TRILLIUM_DATABASE"].flatMap({ $0.isEmpty ? nil : $0 }) else { return nil }
        do {
            let address = try DatabaseAddress(url: url, defaultUser: Self.loginName(environment))
            // Looked for only when neither the URL nor PGPASSWORD gives the password, as libpq does.
            let passwordFile = address.password != nil || environment["PGPASSWORD"].map({ !$0.isEmpty }) == true
                ? nil : PasswordFile.load(environment: environment, warn: { Output.error("warning: " + $0) })
            return address.withPassword(environment: environment, passwordFile: passwordFile)
        } catch {
            throw CommandFailure(error.description, code: 2)
        }
    }

    /// As `address`, for commands that need one.
    func requiredAddress() throws -> DatabaseAddress {
        guard let address = try address() else {
            throw CommandFailure("name the clinic's database with --database URL or TRILLIUM_DATABASE", code: 2)
        }
        return address
    }

    /// Connects, checks the schema is this Trillium's, runs `work` and closes; any fault exits 2.
    func withConnection<T: Sendable>(to address: DatabaseAddress, checkingSchema: Bool = true,
                                     _ work: @escaping @Sendable (ClinicConnection) async throws(ClinicDatabaseError) -> T) throws -> T {
        do throws(ClinicDatabaseError) {
            return try Blocking.wait { () throws(ClinicDatabaseError) -> T in
                let connection = try await ClinicConnection.open(address)
                do throws(ClinicDatabaseError) {
                    if checkingSchema { try await connection.requireCurrentSchema() }
                    let result = try await work(connection)
                    await connection.close()
                    return result
                } catch {
                    await connection.close()
                    throw error
                }
            }
        } catch {
            throw CommandFailure(error.description, code: 2)
        }
    }

    /// What a clinic-wide view reads, and what it must say besides.
    struct View {
        var data: DataOptions
        /// What did not check out, for standard error.
        var findings: [String] = []
        /// The same, by the file it concerns.
        var findingsByFile: [String: [String]] = [:]

        var isClean: Bool { findings.isEmpty }

        /// Whether anything was found about the file at `path`.
        func hasFindings(about path: String) -> Bool {
            findingsByFile[(path as NSString).lastPathComponent] != nil
        }
    }

    /// The data options a clinic-wide view reads: this room's, or, with a
    /// database, the clinic's copy of every room's records, fetched and
    /// checked first: each row, each fetched file's signatures against the
    /// keys the clinic and this workstation hold, and whether this room has
    /// records the clinic's copy lacks. What did not check out is said on
    /// standard error (each command decides what it makes the exit status).
    func view(of data: DataOptions) throws -> View {
        guard let address = try address() else { return View(data: data) }
        let mirror = ClinicMirror(under: data.directory, for: address)
        let own = data.directory
        let refresh = try withConnection(to: address) { connection throws(ClinicDatabaseError) in
            let mirror = ClinicMirror(under: own, for: address)
            // Read once, at the first file to check: by then the refresh has fetched the clinic's keys.
            var trusted: TrustedKeys?
            return try await mirror.refresh(from: connection) { path in
                guard let verification = try? LogReader.verify(path: path) else { return [] }
                if trusted == nil {
                    var keys = TrustedKeys.load(from: mirror.directory, workstationName: "a workstation of the clinic's database")
                    keys.add(TrustedKeys.load(from: own))
                    trusted = keys
                }
                return SignatureAudit.problems(verification, trusted: trusted ?? TrustedKeys())
            }
        }
        var view = View(data: data, findings: refresh.findings, findingsByFile: refresh.findingsByFile)
        view.data.dataDirectory = mirror.directory.path
        if let missing = Self.notYetCopied(from: own, to: mirror.directory) { view.findings.append(missing) }
        for finding in view.findings { Output.error(finding) }
        return view
    }

    /// This room's records that the clinic's copy lacks: a recall or a history
    /// read from the clinic while they wait to be sent would miss them.
    static func notYetCopied(from own: DataDirectory, to copy: DataDirectory) -> String? {
        guard let local = try? LogIndex.listing(of: own.path).logs, let clinic = try? LogIndex.listing(of: copy.path).logs else { return nil }
        var held: [String: Int] = [:]
        for listing in clinic { held[(listing.path as NSString).lastPathComponent] = listing.glance?.validRecords ?? 0 }
        let behind = local.filter { listing in
            (listing.glance?.validRecords ?? 0) > held[(listing.path as NSString).lastPathComponent, default: 0]
        }
        guard !behind.isEmpty else { return nil }
        return "\(behind.count) session\(behind.count == 1 ? "" : "s") of this room \(behind.count == 1 ? "has" : "have") records the clinic's copy "
            + "does not hold yet, left out of this view: run trillium sync"
    }

    /// This workstation as the clinic knows it: its signing key's fingerprint (the key is made on first use).
    static func workstation(of data: DataOptions) throws -> ClinicWorkstation {
        let key = try data.workstationKey()
        return ClinicWorkstation(fingerprint: key.fingerprint, publicKey: Hex.encode(key.publicKey.rawRepresentation),
                                 name: ProcessInfo.processInfo.hostName)
    }

    /// libpq's default user: the login name.
    static func loginName(_ environment: [String: String]) -> String {
        if let pw = getpwuid(getuid()), let name = pw.pointee.pw_name { return String(cString: name) }
        return environment["USER"] ?? environment["LOGNAME"] ?? ""
    }
}
