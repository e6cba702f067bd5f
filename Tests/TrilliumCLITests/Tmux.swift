import Foundation

/// One tmux server of its own per test, driving the real binary in a real
/// terminal: keys go in with send-keys, the screen comes out with
/// capture-pane, and every wait polls for what must appear.
final class Tmux {
    struct Timeout: Error, CustomStringConvertible {
        var waitingFor: String
        var screen: String
        var description: String { "timed out waiting for \"\(waitingFor)\"; the screen was:\n\(screen)" }
    }

    let socket = "trillium-e2e-\(UUID().uuidString.prefix(8))"

    /// Starts `command` in a shell that prints the exit status when it ends.
    init(_ command: String, width: Int = 80, height: Int = 24) throws {
        // After a SIGKILL the terminal is left raw (a line feed does not return
        // to column 0), so the status gets a line of its own with CR LF.
        let wrapped = "\(command); printf '\\r\\n\\033[KEXIT=%s\\033[K\\r\\n' \"$?\"; sleep 600"
        // The server this starts keeps whatever it inherits open: give it no pipe to hold.
        try run(["-f", "/dev/null", "new-session", "-d", "-s", "e2e", "-x", String(width), "-y", String(height), wrapped], capture: false)
    }

    deinit {
        _ = try? run(["kill-server"], capture: false)
        // tmux 3.3 leaves its socket file behind after kill-server.
        try? FileManager.default.removeItem(atPath: "/tmp/tmux-\(getuid())/\(socket)")
    }

    /// Runs tmux through posix_spawn and waitpid. (Foundation's Process waits
    /// on a descriptor that the tmux server, once forked, keeps open.)
    @discardableResult
    func run(_ arguments: [String], capture: Bool = true) throws -> String {
        let output = NSTemporaryDirectory() + "\(socket)-\(UUID().uuidString.prefix(6)).out"
        defer { try? FileManager.default.removeItem(atPath: output) }
        let quoted = (["tmux", "-L", socket] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let command = quoted.joined(separator: " ") + " </dev/null 2>/dev/null >" + (capture ? "'\(output)'" : "/dev/null")
        var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for fd: Int32 in 0...2 { posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0) }
        var pid: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sh"), strdup("-c"), strdup(command), nil]
        defer { argv.forEach { free($0) } }
        let status = posix_spawn(&pid, "/bin/sh", &actions, nil, argv, environ)
        guard status == 0 else { throw Timeout(waitingFor: "tmux to start (posix_spawn \(status))", screen: "") }
        var exitStatus: Int32 = 0
        while waitpid(pid, &exitStatus, 0) < 0 && errno == EINTR {}
        return capture ? ((try? String(contentsOfFile: output, encoding: .utf8)) ?? "") : ""
    }

    /// Sends tmux key names (Enter, Up, C-c) or text.
    func send(_ keys: String...) throws {
        try run(["send-keys", "-t", "e2e"] + keys)
    }

    /// Sends text exactly as typed.
    func type(_ text: String) throws {
        try run(["send-keys", "-t", "e2e", "-l", text])
    }

    func screen(escapes: Bool = false) throws -> String {
        try run(["capture-pane", "-p", "-t", "e2e"] + (escapes ? ["-e"] : []))
    }

    func display(_ format: String) throws -> String {
        try run(["display-message", "-p", "-t", "e2e", format]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func resize(width: Int, height: Int) throws {
        try run(["resize-window", "-t", "e2e", "-x", String(width), "-y", String(height)])
    }

    /// Polls the screen until `text` is on it; returns that screen.
    @discardableResult
    func waitFor(_ text: String, seconds: Double = 30) throws -> String {
        try waitUntil(text, seconds: seconds) { $0.contains(text) }
    }

    @discardableResult
    func waitUntil(_ description: String, seconds: Double = 30, _ condition: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(seconds)
        var last = ""
        while Date() < deadline {
            last = try screen()
            if condition(last) { return last }
            usleep(50_000)
        }
        throw Timeout(waitingFor: description, screen: last)
    }

    /// The pid of the program the shell is running (the app).
    func appPID() throws -> Int32 {
        let shell = try display("#{pane_pid}")
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            // The shell's child named trillium, from /proc.
            for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
                guard let pid = Int32(entry),
                      let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8) else { continue }
                let fields = stat.split(separator: " ")
                if fields.count > 3, fields[1] == "(trillium)", String(fields[3]) == shell { return pid }
            }
            usleep(50_000)
        }
        throw Timeout(waitingFor: "the app's pid", screen: try screen())
    }

    /// Whether the terminal is back to normal: off the alternate screen, cursor shown.
    func isRestored() throws -> Bool {
        try display("#{alternate_on} #{cursor_flag}") == "0 1"
    }
}
