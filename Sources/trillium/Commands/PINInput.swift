import Foundation
import TrilliumCore
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
            guard let line = try Self.readLine() else {
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
        guard let line = try Self.readLine() else { throw CommandFailure("no PIN was entered", code: 2) }
        return line
    }

    /// The longest line a PIN can be: its longest length in four-byte characters, and a carriage return.
    private static let longestLine = PINRule.maximumLength * 4 + 1

    /// One line of standard input, without its line feed (or CR LF); nil
    /// when the input has ended. Read a byte at a time: no more is taken
    /// than the line (the next PIN follows it), an endless input is refused
    /// at the longest line a PIN can be (`< /dev/zero` once grew to
    /// gigabytes), and bytes that are not UTF-8 are refused rather than
    /// turned into U+FFFD, which made any invalid byte match any other.
    private static func readLine() throws -> String? {
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while true {
            let count = read(0, &byte, 1)
            if count < 0 {
                if errno == EINTR { continue }
                throw CommandFailure("cannot read standard input: \(String(cString: strerror(errno)))", code: 2)
            }
            if count == 0 {
                if bytes.isEmpty { return nil }
                break
            }
            if byte == 0x0A { break }
            bytes.append(byte)
            guard bytes.count <= longestLine else {
                throw CommandFailure("a PIN may have at most \(PINRule.maximumLength) characters: the line on standard input is longer; nothing was changed", code: 1)
            }
        }
        if bytes.last == 0x0D { bytes.removeLast() }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw CommandFailure("a PIN must be UTF-8 text, and the line on standard input is not; nothing was changed", code: 1)
        }
        return text
    }

    /// A new PIN: on a terminal, asked twice so a slip of a gloved finger is caught.
    func newPIN(_ prompt: String) throws -> String {
        let pin = try next(prompt)
        if isTerminal, try next(prompt + " (again)") != pin { throw CommandFailure("the two PINs differ: nothing was changed", code: 1) }
        return pin
    }
}
