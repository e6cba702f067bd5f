import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// PINs for a command: one a line from standard input when it is not a
/// terminal (a script, a test), else asked for on the terminal without echo.
/// A PIN is never an argument: arguments show in `ps` and shell history.
final class PINInput {
    private let isTerminal = isatty(0) == 1

    /// The next PIN, asked for with `prompt` on a terminal.
    func next(_ prompt: String) throws -> String {
        if !isTerminal {
            guard let line = readLine(strippingNewline: true) else {
                throw CommandFailure("standard input ended before the PIN for: \(prompt)", code: 2)
            }
            return line
        }
        Output.writeError(prompt + ": ")
        var original = termios()
        tcgetattr(0, &original)
        var silent = original
        silent.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(0, TCSAFLUSH, &silent)
        // Echo comes back on every way out, an interrupted read included.
        defer {
            tcsetattr(0, TCSAFLUSH, &original)
            Output.writeError("\n")
        }
        guard let line = readLine(strippingNewline: true) else { throw CommandFailure("no PIN was entered", code: 2) }
        return line
    }

    /// A new PIN: on a terminal, asked twice so a slip of a gloved finger is caught.
    func newPIN(_ prompt: String) throws -> String {
        let pin = try next(prompt)
        if isTerminal, try next(prompt + " (again)") != pin { throw CommandFailure("the two PINs differ: nothing was changed", code: 1) }
        return pin
    }
}
