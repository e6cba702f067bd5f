import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import TrilliumLog

// ArgumentParser reports usage errors with EX_USAGE (64); Trillium's
// contract is 0 success, 1 a finding (torn, corrupt, invalid), 2 usage or I/O.
// This is the one place the process exits; everything else throws.
// Arguments are taken as bytes, like file names: a path that is not UTF-8
// still names its file (see PlatformPath).
let arguments: [String] = (1..<Int(CommandLine.argc)).compactMap { index in
    guard let argument = CommandLine.unsafeArgv[index] else { return nil }
    return PlatformPath.decode(UnsafeBufferPointer(start: argument, count: strlen(argument)).map { UInt8(bitPattern: $0) })
}

do {
    var command = try Trillium.parseAsRoot(Trillium.movingSharedOptions(arguments))
    try command.run()
} catch let failure as CommandFailure {
    Output.error(failure.message)
    exit(failure.code)
} catch {
    let code = Trillium.exitCode(for: error)
    let message = Trillium.fullMessage(for: error)
    if !message.isEmpty {
        if code == .success {
            Output.line(message)
        } else {
            Output.writeError(message + "\n")
        }
    }
    exit(code == .validationFailure ? 2 : code.rawValue)
}
