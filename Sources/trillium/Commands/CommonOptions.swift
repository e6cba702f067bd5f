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
            fail(error.description, code: 2)
        }
    }
}

/// Reads a whole text file or stops with an I/O error (exit 2).
func readText(_ path: String) throws -> String {
    guard let data = FileManager.default.contents(atPath: path) else {
        fail("cannot read \(path): \(errnoDescription(path))", code: 2)
    }
    guard let text = String(data: data, encoding: .utf8) else { fail("\(path) is not UTF-8 text", code: 2) }
    return text
}

private func errnoDescription(_ path: String) -> String {
    FileManager.default.fileExists(atPath: path) ? "permission denied or not a regular file" : "no such file"
}

/// Prints `message` to standard error and exits with `code`.
func fail(_ message: String, code: Int32) -> Never {
    FileHandleOutput.standardError.write("trillium: " + message + "\n")
    exit(code)
}

/// Writes `text` to `path` (0600, replacing it) or to standard output.
func emit(_ text: String, to path: String?) {
    guard let path else {
        FileHandleOutput.standardOutput.write(text)
        return
    }
    let created = FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
    if !created { fail("cannot write \(path)", code: 2) }
}

enum FileHandleOutput {
    case standardOutput
    case standardError

    func write(_ text: String) {
        let handle = self == .standardOutput ? FileHandle.standardOutput : FileHandle.standardError
        handle.write(Data(text.utf8))
    }
}
