import Foundation
import Testing
import TrilliumLog

@Suite("The trillium command line", .serialized)
struct CommandLineTests {
    static func sampleDirectory(sessions: Int = 50, seed: Int = 7) throws -> String {
        let directory = Command.temporaryDirectory()
        let result = try Command.run(["sample", "--out", directory, "--sessions", String(sessions), "--seed", String(seed)])
        #expect(result.status == 0, "\(result.error)")
        return directory
    }

    @Test func fiftySampleSessionsVerify() throws {
        let directory = try Self.sampleDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let result = try Command.run(["verify", directory])
        #expect(result.status == 0)
        let lines = result.output.split(separator: "\n")
        let sessions = lines.filter { !$0.contains("users.tlog") }
        #expect(sessions.count == 50)
        #expect(sessions.allSatisfy { $0.contains(": valid (signed)") || $0.contains(": valid (aborted)") })
        #expect(sessions.contains { $0.contains("valid (aborted)") })
        // Every signed session's signatures check out against the sample workstation's key.
        #expect(sessions.filter { $0.contains("valid (signed)") }.allSatisfy { $0.contains("signature good: #") && !$0.contains("BAD") })
        #expect(lines.contains { $0.contains("users.tlog: valid (staff log)") })
    }

    @Test func anAuditorsScriptFromTheREADMEAcceptsEveryFile() throws {
        let directory = try Self.sampleDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let files = try DataDirectory.logFiles(in: directory)
        let result = try Command.run([Command.packageRoot + "/Tests/Audit/audit_log.py"] + files, executable: "/usr/bin/env",
                                     environment: [:])
        #expect(result.status == 0, "\(result.output)\(result.error)")
        #expect(result.output.split(separator: "\n").count == 50)
        // And it is a real check: it rejects a damaged file.
        var bytes = readAll(files[0])
        bytes[10] ^= 0x01
        _ = FileManager.default.createFile(atPath: files[0], contents: Data(bytes))
        let damaged = try Command.run([Command.packageRoot + "/Tests/Audit/audit_log.py", files[0]], executable: "/usr/bin/env")
        #expect(damaged.status == 1)
    }

    @Test func aChangedByteBeforeTheLastLineIsReportedWithFileLineAndCheck() throws {
        let directory = try Self.sampleDirectory(sessions: 3)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = try DataDirectory.logFiles(in: directory)[1]
        var bytes = readAll(file)
        let secondLine = bytes.firstIndex(of: 0x0A)! + 1
        bytes[secondLine + 30] ^= 0x04
        _ = FileManager.default.createFile(atPath: file, contents: Data(bytes))
        let result = try Command.run(["verify", file])
        #expect(result.status == 1)
        #expect(result.output.contains(file))
        #expect(result.output.contains("corrupt: line 2 (seq 2)"))
        #expect(result.output.contains("digest check failed"))
    }

    @Test func aCutLastLineIsATornTail() throws {
        let directory = try Self.sampleDirectory(sessions: 2)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = try DataDirectory.logFiles(in: directory)[0]
        let bytes = readAll(file)
        _ = FileManager.default.createFile(atPath: file, contents: Data(bytes.dropLast(20)))
        let result = try Command.run(["verify", directory])
        #expect(result.status == 1)
        #expect(result.output.contains("\(file): torn tail: line"))
        #expect(result.output.contains("line feed check failed"))
    }

    @Test func usageAndIOErrorsExitWithTwo() throws {
        #expect(try Command.run(["verify"]).status == 2)
        #expect(try Command.run(["verify", "/nonexistent/file.tlog"]).status == 2)
        #expect(try Command.run(["report", "x", "--format", "pdf"]).status == 2)
        #expect(try Command.run(["sample", "--out", "/tmp/x", "--sessions", "0"]).status == 2)
        #expect(try Command.run(["frobnicate"]).status == 2)
        let empty = Command.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: empty) }
        let none = try Command.run(["verify", empty])
        #expect(none.status == 2)
        #expect(none.output.contains("no session logs"))
        let missing = try Command.run(["report", "nobody", "--data-dir", empty])
        #expect(missing.status == 2)
        #expect(missing.error.contains("no session \"nobody\""))
    }

    @Test func aBadProtocolIsRefusedWithItsKeyAndLine() throws {
        let directory = Command.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let good = try Command.run(["protocol", "show", "--raw"]).output
        let bad = good.replacingOccurrences(of: "max_depth_mm = 1.50\ndefault_depth_mm = 1.00", with: "max_depth_mm = 1.50\ndefault_depth_mm = 1.12")
        #expect(bad != good)
        let file = directory + "/clinic.toml"
        _ = FileManager.default.createFile(atPath: file, contents: Data(bad.utf8))
        let check = try Command.run(["protocol", "check", file])
        #expect(check.status == 1)
        let badLine = bad.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0 == "default_depth_mm = 1.12" }! + 1
        // 0.05 mm: the step SkinPen's 0.25 mm and Dermapen 4's 0.1 mm share.
        #expect(check.output.contains("\(file):\(badLine): zone[7].default_depth_mm: must be a multiple of 0.05 mm, a step every device shares"),
                "\(check.output)")
        let refused = try Command.run(["sample", "--out", directory + "/data", "--sessions", "1", "--protocol", file])
        #expect(refused.status == 2)
        #expect(!FileManager.default.fileExists(atPath: directory + "/data"), "nothing starts with a bad protocol")
        _ = FileManager.default.createFile(atPath: file, contents: Data(good.utf8))
        let valid = try Command.run(["protocol", "check", file])
        #expect(valid.status == 0)
        #expect(valid.output.contains("valid protocol trillium-default-microneedling"))
        #expect(try Command.run(["protocol", "check", directory + "/missing.toml"]).status == 2)
    }

    @Test func sessionsAndReportsReadTheDataDirectory() throws {
        let directory = try Self.sampleDirectory(sessions: 8, seed: 3)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let list = try Command.run(["sessions", "--data-dir", directory])
        #expect(list.status == 0)
        #expect(list.output.split(separator: "\n").count == 9)
        let file = try DataDirectory.logFiles(in: directory)[0]
        let name = (file as NSString).lastPathComponent
        for format in ["text", "markdown", "json"] {
            let out = directory + "/report.\(format)"
            let report = try Command.run(["report", name, "--format", format, "--out", out], environment: ["TRILLIUM_DATA": directory])
            #expect(report.status == 0, "\(report.error)")
            let text = String(decoding: readAll(out), as: UTF8.self)
            #expect(text.contains(try LogReader.verify(path: file).headDigest))
        }
    }
}

func readAll(_ path: String) -> [UInt8] {
    Array(FileManager.default.contents(atPath: path) ?? Data())
}

@Suite("Keys and themes on the command line")
struct KeysAndThemesCommandTests {
    @Test func keysPrintsEveryScreen() throws {
        let result = try Command.run(["keys"])
        #expect(result.status == 0)
        for title in ["Start", "Intake", "Screening", "Treatment", "Anesthesia: dwell timer", "Everywhere in a session"] {
            #expect(result.output.contains(title + "\n"))
        }
        #expect(result.output.contains("Record a pass, then choose its direction by key"))
    }

    @Test func themesAreListedAndChecked() throws {
        let list = try Command.run(["themes"])
        #expect(list.status == 0)
        for name in ["default-dark", "default-light", "high-contrast", "mono", "okabe-ito"] { #expect(list.output.contains(name)) }
        let directory = Command.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = directory + "/clinic.toml"
        try "name = \"clinic\"\nvariant = \"dark\"\nsparkle = 1\n[roles]\ntext = { fg = \"#777777\", bg = \"#ffffff\" }\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        let check = try Command.run(["themes", "check", file])
        #expect(check.status == 0)
        #expect(check.output.contains("\(file):3: sparkle: is not a known key (ignored)"))
        #expect(check.output.contains("text: contrast 4.48:1 is below 4.5:1"))
        try "name = \"clinic\"\n[roles]\ntext = { fg = \"nope\" }\n".write(toFile: file, atomically: true, encoding: .utf8)
        let bad = try Command.run(["themes", "check", file])
        #expect(bad.status == 1)
        #expect(bad.output.contains("\(file):3: roles.text.fg"))
        let unknown = try Command.run(["--theme", "no-such-theme"], environment: ["TERM": "xterm-256color"])
        #expect(unknown.status == 2)
        #expect(unknown.error.contains("no such theme"))
    }

    /// Issue 9, defect 10: options before the subcommand, and a sealed session never resumed.
    @Test func sharedOptionsGoBeforeTheSubcommandAndASealedSessionIsNotResumed() throws {
        let directory = try CommandLineTests.sampleDirectory(sessions: 6)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let before = try Command.run(["--data-dir", directory, "sessions"])
        #expect(before.status == 0, "\(before.error)")
        let after = try Command.run(["sessions", "--data-dir", directory])
        #expect(before.output == after.output)
        let sealed = try #require(try DataDirectory.logFiles(in: directory).first)
        let resumed = try Command.run(["--data-dir", directory, "resume", sealed])
        #expect(resumed.status == 1)
        #expect(resumed.error.contains("only an unfinished session can be resumed"), "\(resumed.error)")
    }

    /// Issue 9, defect 10: verify with no path verifies the data directory.
    @Test func verifyWithNoPathVerifiesTheDataDirectory() throws {
        let directory = try CommandLineTests.sampleDirectory(sessions: 3)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let result = try Command.run(["verify", "--data-dir", directory])
        #expect(result.status == 0, "\(result.error)")
        // The three sessions, and the sample clinic's staff log.
        #expect(result.output.split(separator: "\n").count == 4)
        #expect(result.output.contains("users.tlog: valid (staff log)"))
    }
}
