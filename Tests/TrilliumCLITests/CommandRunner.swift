import Foundation

/// Runs the built `trillium` binary (beside this test bundle) and captures its output.
struct CommandResult {
    var status: Int32
    var output: String
    var error: String
}

enum Command {
    static var binary: String {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var directory = (executable as NSString).deletingLastPathComponent
        // The test runner may live inside the .xctest bundle directory.
        while !FileManager.default.isExecutableFile(atPath: directory + "/trillium"), directory.count > 1 {
            directory = (directory as NSString).deletingLastPathComponent
        }
        return directory + "/trillium"
    }

    static var packageRoot: String {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }

    @discardableResult
    static func run(_ arguments: [String], executable: String = Command.binary, environment: [String: String] = [:],
                    input: String? = nil, inputBytes: [UInt8]? = nil, inputFile: String? = nil) throws -> CommandResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["TRILLIUM_DATA"] = nil
        env["TRILLIUM_DATABASE"] = nil
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let stdin = Pipe()
        let bytes = inputBytes ?? input.map { Array($0.utf8) }
        if let inputFile {
            // A file or a device (/dev/zero: an input that never ends).
            guard let file = FileHandle(forReadingAtPath: inputFile) else { throw CocoaError(.fileReadNoSuchFile) }
            process.standardInput = file
        } else {
            process.standardInput = bytes == nil ? FileHandle.nullDevice : stdin
        }
        try process.run()
        if let bytes, inputFile == nil {
            stdin.fileHandleForWriting.write(Data(bytes))
            try stdin.fileHandleForWriting.close()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CommandResult(status: process.terminationStatus,
                             output: String(decoding: outData, as: UTF8.self),
                             error: String(decoding: errData, as: UTF8.self))
    }

    static func temporaryDirectory() -> String {
        let path = NSTemporaryDirectory() + "trillium-cli-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
