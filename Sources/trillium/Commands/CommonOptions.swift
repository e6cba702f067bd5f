import ArgumentParser
import Foundation
import TrilliumCore
import TrilliumLog
import TrilliumServices
import TrilliumSettings

/// Options every command that touches sessions shares.
struct DataOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "The data directory (default: TRILLIUM_DATA, else $XDG_DATA_HOME/trillium).")
    var dataDirectory: String?

    var directory: DataDirectory {
        DataDirectory.resolve(explicit: dataDirectory, environment: ProcessInfo.processInfo.environment)
    }

    func store() -> SessionStore {
        SessionStore(directory: directory, appVersion: Trillium.version)
    }

    /// The session log a command names (a file, a file name here, the start of its id); exit 2 when none is found.
    func locate(_ session: String, in store: SessionStore) throws -> String {
        do {
            return try store.locate(session)
        } catch {
            throw CommandFailure(error.description, code: 2)
        }
    }

    /// The staff accounts and sign-ins of this data directory, which is prepared (made private) first.
    func staff() throws -> StaffDirectory {
        do {
            try directory.prepare()
        } catch {
            throw CommandFailure("\(error)", code: 2)
        }
        return StaffDirectory(directory: directory, workstation: ProcessInfo.processInfo.hostName, appVersion: Trillium.version)
    }
}



struct ProtocolOptions: ParsableArguments {
    @Option(name: .customLong("protocol"), help: "A clinic's protocol file (TOML); default: the embedded one.")
    var protocolFile: String?

    /// The protocol in force and its exact text; a bad file stops here, before anything starts.
    func load() throws -> (TreatmentProtocol, String) {
        guard let protocolFile else { return (ProtocolFile.defaultProtocol(), DefaultProtocol.text) }
        let text = try readText(protocolFile)
        do {
            return (try ProtocolFile.parse(text, file: protocolFile), text)
        } catch {
            throw CommandFailure(error.description, code: 2)
        }
    }
}

/// Reads a whole text file (a protocol, a theme) or stops with an I/O
/// error (exit 2): through the file seam, so a FIFO or a device is refused
/// without blocking and a huge file without being held in memory.
func readText(_ path: String) throws -> String {
    let bytes: [UInt8]
    do {
        bytes = try POSIXFileOperations().readWholeFile(path, limit: SessionStore.protocolSizeLimit)
    } catch {
        throw CommandFailure(error.description, code: 2)
    }
    guard let text = String(validating: bytes, as: UTF8.self) else { throw CommandFailure("\(path) is not UTF-8 text", code: 2) }
    return text
}
