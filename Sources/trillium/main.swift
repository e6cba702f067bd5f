import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

// ArgumentParser reports usage errors with EX_USAGE (64); Trillium's
// contract is 0 success, 1 a finding (torn, corrupt, invalid), 2 usage or I/O.
do {
    var command = try Trillium.parseAsRoot()
    try command.run()
} catch {
    let code = Trillium.exitCode(for: error)
    let message = Trillium.fullMessage(for: error)
    if !message.isEmpty {
        if code == .success {
            print(message)
        } else {
            FileHandleOutput.standardError.write(message + "\n")
        }
    }
    exit(code == .validationFailure ? 2 : code.rawValue)
}
