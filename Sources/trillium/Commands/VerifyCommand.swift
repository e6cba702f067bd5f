import ArgumentParser
import Foundation
import TrilliumLog

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verifies session logs: framing, digests and the hash chain.",
        discussion: "One line per file. Exit 0 when every file is valid, 1 when any is torn or corrupt, 2 for usage or I/O errors.")

    @Argument(help: "Session log files or directories of them.")
    var paths: [String]

    func validate() throws {
        if paths.isEmpty { throw ValidationError("name at least one file or directory") }
    }

    func run() throws {
        var sawDefect = false
        var sawError = false
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                print("\(path): error: no such file or directory")
                sawError = true
                continue
            }
            var files = [path]
            if isDirectory.boolValue {
                do {
                    files = try DataDirectory.logFiles(in: path)
                } catch {
                    print("\(path): error: \(error)")
                    sawError = true
                    continue
                }
                if files.isEmpty {
                    print("\(path): error: no session logs (*\(DataDirectory.logExtension)) in this directory")
                    sawError = true
                }
            }
            for file in files {
                do {
                    let verification = try LogReader.read(path: file)
                    print("\(file): \(verification.summary)")
                    if !verification.status.isValid { sawDefect = true }
                } catch {
                    print("\(file): error: \(error)")
                    sawError = true
                }
            }
        }
        if sawError { throw ExitCode(2) }
        if sawDefect { throw ExitCode(1) }
    }
}
