import Foundation
import Testing
import TrilliumCore

/// `trillium replay` in a real terminal (tmux), as a medical director reviews
/// a session: open, step, jump, find, play, switch to the screen, quit.
@Suite("Replay end to end in tmux", .serialized)
struct ReplayEndToEndTests {
    /// The terminal type tmux itself emulates, so Home and End arrive as ncurses expects them.
    static let terminal = "TERM=screen-256color LANG=C.UTF-8"

    /// A data directory of sample sessions, and the log of one that was signed.
    static func signedSample(seed: Int = 9) throws -> (String, String) {
        let data = Command.temporaryDirectory()
        let made = try Command.run(["sample", "--out", data, "--sessions", "4", "--seed", String(seed)])
        #expect(made.status == 0, "\(made.error)")
        let logs = try FileManager.default.contentsOfDirectory(atPath: data).filter { $0.hasSuffix(".tlog") }.sorted()
        for log in logs {
            let verified = try Command.run(["verify", data + "/" + log])
            if verified.output.contains("valid (signed)") { return (data, data + "/" + log) }
        }
        throw Tmux.Timeout(waitingFor: "a signed sample session", screen: logs.joined(separator: "\n"))
    }

    @Test func aReviewerStepsJumpsFindsAndPlaysASession() throws {
        let (data, log) = try Self.signedSample()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let tmux = try Tmux(TerminalEndToEndTests.app("replay \(log)", data: data, environment: Self.terminal))
        let first = try tmux.waitFor("REPLAY · READ-ONLY")
        #expect(first.contains("Log valid and sealed: signed"))
        let total = try #require(first.firstMatch(of: /#1\/(\d+)/)?.1)

        try tmux.send("Down", "Down")
        try tmux.waitFor("#3/\(total)")
        try tmux.send("g")
        try tmux.waitFor("Go to record #")
        try tmux.type("20")
        try tmux.send("Enter")
        try tmux.waitFor("#20/\(total)")

        try tmux.send("/")
        try tmux.type("endpoint")
        try tmux.send("Enter")
        let found = try tmux.waitFor("\"endpoint\": record #")
        #expect(found.contains("zone.endpoint"))

        try tmux.send("Home")
        try tmux.waitFor("#1/\(total)")
        try tmux.send("s", "s")
        try tmux.waitFor("paused 60x")
        try tmux.send("Space")
        try tmux.waitFor("PLAYING 60x")
        // Each record shows for about 130 ms at 60x: a loaded machine's poll can miss any one of them,
        // so what is asserted is that playing moves the cursor on, and that pausing holds it still.
        try tmux.waitUntil("playing to pass record #2") { screen in
            guard let shown = screen.firstMatch(of: /#(\d+)\//)?.1, let record = Int(shown) else { return false }
            return record >= 3
        }
        try tmux.send("Space")
        let paused = try tmux.waitFor("paused 60x")
        let heldAt = try #require((paused.firstMatch(of: /#(\d+)\//)?.1).flatMap { Int($0) })
        try tmux.send("Down")
        #expect(try tmux.waitFor("#\(heldAt + 1)/\(total)").contains("paused 60x"))

        try tmux.send("s", "Space")
        try tmux.waitFor("End of the log: record #\(total)", seconds: 60)
        try tmux.send("Tab")
        try tmux.waitFor("SESSION SIGNED AND SEALED")
        try tmux.send("q")
        try tmux.waitFor("EXIT=0")
        #expect(try tmux.isRestored())
    }

    /// A forger who rewrites a signed session and recomputes every digest
    /// gets a chain that holds: what must give them away, wherever the session
    /// is looked at, is the signature they could not make again.
    @Test func aSignedSessionRewrittenWithFreshDigestsIsCorruptInReplayReportAndReview() throws {
        let (data, log) = try Self.signedSample()
        defer { try? FileManager.default.removeItem(atPath: data) }
        try HostileInputTests.recraft(log, to: log) { record in
            if case var .opened(opening) = record.event {
                opening.patientReference = "P-REWRITTEN"
                record.event = .opened(opening)
            }
        }
        let chainOnly = try Command.run(["verify", log, "--data-dir", data])
        #expect(chainOnly.status == 1 && chainOnly.output.contains("signature BAD") && chainOnly.output.contains("valid (signed)"),
                "\(chainOnly.output)")

        let tmux = try Tmux(TerminalEndToEndTests.app("replay \(log)", data: data, environment: Self.terminal))
        let first = try tmux.waitFor("REPLAY · READ-ONLY")
        #expect(first.contains("CORRUPT: a signature does not check out"), "\(first)")
        #expect(!first.contains("valid and sealed"))
        try tmux.send("q")
        try tmux.waitFor("EXIT=1")
        #expect(try tmux.isRestored())

        let json = try Command.run(["report", log, "--data-dir", data, "--format", "json"])
        #expect(json.status == 1 && json.output.hasPrefix("{\"integrity_alert\":\"Log integrity: corrupt: signature BAD"), "\(json.output.prefix(200))")
        for format in ["text", "html"] {
            let report = try Command.run(["report", log, "--data-dir", data, "--format", format])
            #expect(report.status == 1, "\(format): \(report.error)")
            #expect(report.output.contains("corrupt: signature BAD"), "\(format)")
            #expect(report.error.contains("signature BAD"), "\(format): \(report.error)")
        }
        // Said first, above the intake's "Status: signed", not only in the integrity section at the end.
        let text = try Command.run(["report", log, "--data-dir", data]).output
        let alert = try #require(text.range(of: "!! Log integrity: corrupt: signature BAD"), "\(text.prefix(400))")
        #expect(alert.lowerBound < (text.range(of: "Intake")?.lowerBound ?? text.startIndex))
        #expect(try Command.run(["report", log, "--data-dir", data, "--format", "html"]).output
            .contains("Its signature does not vouch for this record."))

        let before = try Data(contentsOf: URL(fileURLWithPath: log))
        let director = "madeyemi"
        let review = try Command.run(["cosign", log, "--as", director, "--data-dir", data], input: "director-1234\n")
        #expect(review.status == 1 && review.error.contains("signatures do not check out, so it cannot be reviewed"), "\(review.error)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: log)) == before, "a refused review writes nothing")
    }

    @Test func whatReplayCannotShowGetsAClearMessageAndNoScreen() throws {
        let (data, log) = try Self.signedSample()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let unknown = try Command.run(["replay", "no-such-session", "--data-dir", data])
        #expect(unknown.status == 2)
        #expect(unknown.error.contains("no session \"no-such-session\""))

        let noTTY = try Command.run(["replay", log, "--data-dir", data], environment: ["TERM": "xterm-256color"])
        #expect(noTTY.status == 2)
        #expect(noTTY.error.contains("need a terminal"))

        let garbage = data + "/garbage.tlog"
        try "not a record\n".write(toFile: garbage, atomically: true, encoding: .utf8)
        let empty = try Command.run(["replay", garbage, "--data-dir", data])
        #expect(empty.status == 1)
        #expect(empty.error.contains("nothing to replay"))

        // Without the protocol it followed, the screens cannot be rebuilt: say which protocol is missing.
        for file in try FileManager.default.contentsOfDirectory(atPath: data + "/protocols") {
            try FileManager.default.removeItem(atPath: data + "/protocols/" + file)
        }
        let custom = try Command.run(["sample", "--out", data + "/other", "--sessions", "1", "--seed", "3",
                                      "--protocol", TerminalEndToEndTests.shortDwellProtocol(in: data)])
        #expect(custom.status == 0, "\(custom.error)")
        let other = try FileManager.default.contentsOfDirectory(atPath: data + "/other").first { $0.hasSuffix(".tlog") } ?? ""
        // A log copied out with its protocols/ folder finds its protocol beside it, whatever --data-dir says:
        // it gets as far as asking for a terminal.
        let beside = try Command.run(["replay", data + "/other/" + other, "--data-dir", data])
        #expect(beside.status == 2)
        #expect(beside.error.contains("need a terminal"), "\(beside.error)")
        for file in try FileManager.default.contentsOfDirectory(atPath: data + "/other/protocols") {
            try FileManager.default.removeItem(atPath: data + "/other/protocols/" + file)
        }
        let missing = try Command.run(["replay", data + "/other/" + other, "--data-dir", data])
        #expect(missing.status == 2)
        #expect(missing.error.contains("is neither in the protocols/ folder beside the log nor in the data directory's"))
    }

    @Test func aCorruptLogIsReplayedUpToItsLastValidRecordAndSaysSo() throws {
        let (data, log) = try Self.signedSample()
        defer { try? FileManager.default.removeItem(atPath: data) }
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: log)))
        let lineStarts = [0] + bytes.indices.filter { bytes[$0] == 0x0A }.map { $0 + 1 }
        bytes[lineStarts[11] + 20] ^= 0x02
        try Data(bytes).write(to: URL(fileURLWithPath: log))

        let tmux = try Tmux(TerminalEndToEndTests.app("replay \(log)", data: data, environment: Self.terminal))
        try tmux.waitFor("CORRUPT at seq 12: replayed up to record 11, the last valid")
        try tmux.send("End")
        try tmux.waitFor("#11/11")
        try tmux.send("q")
        try tmux.waitFor("EXIT=1")
        #expect(try tmux.isRestored())
    }
}
