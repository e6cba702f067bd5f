import ArgumentParser
import Foundation
import TrilliumClinicDatabase
import TrilliumIdentity
import TrilliumLog

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
            return address.withPassword(environment: environment, passwordFile: PasswordFile.load(environment: environment))
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

    /// The data options a clinic-wide view reads: this room's, or, with a
    /// database, the clinic's copy of every room's records, fetched and
    /// checked first (what did not check out is said on stderr).
    func view(of data: DataOptions) throws -> DataOptions {
        guard let address = try address() else { return data }
        let mirror = ClinicMirror(under: data.directory, for: address)
        let refresh = try withConnection(to: address) { connection throws(ClinicDatabaseError) in
            try await ClinicMirror(under: data.directory, for: address).refresh(from: connection)
        }
        for finding in refresh.findings { Output.error(finding) }
        var view = data
        view.dataDirectory = mirror.directory.path
        return view
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
