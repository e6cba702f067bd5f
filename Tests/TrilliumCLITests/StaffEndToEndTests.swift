import Foundation
import Testing
import TrilliumCore
import TrilliumLog

/// Staff accounts through the binary: `trillium users`, sign-in in the app,
/// an override only a director's PIN allows, sign-off with the PIN, a
/// director's co-signature, and `verify` checking every signature.
@Suite("Staff accounts and signatures end to end")
struct StaffEndToEndTests {
    /// A data directory with an administrator, an operator and a director.
    static func clinic() throws -> String {
        let data = Command.temporaryDirectory()
        let environment = ["TRILLIUM_DATA": data]
        let steps: [([String], String)] = [
            (["users", "init", "ada", "--name", "Ada Admin"], "ada-pin-1\n"),
            (["users", "add", "olly", "--name", "Olly Operator", "--role", "operator", "--as", "ada"], "ada-pin-1\nolly-pin-1\n"),
            (["users", "add", "dana", "--name", "Dr Dana Director", "--role", "director", "--as", "ada"], "ada-pin-1\ndana-pin-1\n"),
        ]
        for (arguments, input) in steps {
            let result = try Command.run(arguments, environment: environment, input: input)
            #expect(result.status == 0, "\(arguments): \(result.error)")
        }
        return data
    }

    @Test func usersRefuseWhatTheyMustAndWriteNothing() throws {
        let data = try Self.clinic()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let environment = ["TRILLIUM_DATA": data]
        let before = try Data(contentsOf: URL(fileURLWithPath: data + "/users.tlog"))
        let refusals: [([String], String, Int32, String)] = [
            (["users", "init", "eve", "--name", "Eve"], "eve-pin-1\n", 1, "already exist"),
            (["users", "add", "pat", "--name", "Pat", "--role", "operator", "--as", "ada"], "wrong-pin\npat-pin-1\n", 1, "Wrong PIN"),
            (["users", "add", "pat", "--name", "Pat", "--role", "operator", "--as", "olly"], "olly-pin-1\npat-pin-1\n", 1, "not an administrator"),
            (["users", "add", "pat", "--name", "Pat", "--role", "operator", "--as", "ada"], "ada-pin-1\n12345\n", 1, "at least 6"),
            (["users", "add", "olly", "--name", "Olly Again", "--role", "operator", "--as", "ada"], "ada-pin-1\nolly-pin-2\n", 1, "already exists"),
            // A role that does not exist is refused, as the issue asks (exit 1), before any PIN; no role at all is a usage error.
            (["users", "add", "pat", "--name", "Pat", "--role", "wizard", "--as", "ada"], "", 1, "unknown role wizard"),
            (["users", "roles", "olly", "--role", "operator", "surgeon", "--as", "ada"], "", 1, "unknown role surgeon"),
            (["users", "add", "pat", "--name", "Pat", "--as", "ada"], "", 2, "--role"),
            (["users", "add", "ghost", "--name", "G", "--role", "operator", "--as", "nobody"], "whatever\nghost-pin-1\n", 1, "No account"),
            (["users", "disable", "dana", "--as", "ada"], "", 2, "standard input ended"),
            // A name the staff log cannot hold is refused before anything is written (it once said "Added" and lost it).
            (["users", "add", "pat", "--name", String(repeating: "P", count: RecordSchema.Limit.operatorName + 1), "--role", "operator",
              "--as", "ada"], "ada-pin-1\npat-pin-1\n", 1, "at most \(RecordSchema.Limit.operatorName) characters"),
            (["users", "add", "pat", "--name", " ", "--role", "operator", "--as", "ada"], "ada-pin-1\npat-pin-1\n", 1, "name is needed"),
            // Bytes that were not UTF-8 reach a command as the carried scalars U+10FF80 and up: never recorded as a name.
            (["users", "add", "pat", "--name", "Pat\u{10FFFE}", "--role", "operator", "--as", "ada"], "ada-pin-1\npat-pin-1\n", 1,
             "--name is not UTF-8 text"),
            (["users", "disable", "olly", "--as", "ada", "--reason", "left\u{1B}[31m"], "ada-pin-1\n", 1, "--reason must not contain control"),
        ]
        for (arguments, input, status, message) in refusals {
            let result = try Command.run(arguments, environment: environment, input: input)
            #expect(result.status == status, "\(arguments) exited \(result.status): \(result.error)")
            #expect(result.error.contains(message), "\(arguments): \(result.error)")
        }
        // Standard input that is not a PIN a line: endless, or not UTF-8 (which
        // once became U+FFFD, so that any invalid byte matched any other).
        let endless = try Command.run(["users", "add", "pat", "--name", "Pat", "--role", "operator", "--as", "ada"], environment: environment,
                                      inputFile: "/dev/zero")
        #expect(endless.status == 1 && endless.error.contains("at most \(PINRule.maximumLength) characters"), "\(endless.error)")
        let notText = try Command.run(["users", "add", "pat", "--name", "Pat", "--role", "operator", "--as", "ada"], environment: environment,
                                      inputBytes: Array("ada-pin-1\npat".utf8) + [0xFF] + Array("pin-1\n".utf8))
        #expect(notText.status == 1 && notText.error.contains("UTF-8"), "\(notText.error)")
        let wrongByte = try Command.run(["users", "disable", "olly", "--as", "ada"], environment: environment,
                                        inputBytes: Array("ada".utf8) + [0xFE] + Array("pin-1\n".utf8))
        #expect(wrongByte.status == 1 && wrongByte.error.contains("UTF-8"), "\(wrongByte.error)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: data + "/users.tlog")) == before)
        let list = try Command.run(["users", "list"], environment: environment)
        #expect(list.output.contains("olly") && list.output.contains("Dr Dana Director") && list.output.contains("director"))
        #expect(!list.output.contains("pbkdf2"))
        let promoted = try Command.run(["users", "roles", "dana", "--role", "director", "operator", "--as", "ada"], environment: environment,
                                       input: "ada-pin-1\n")
        #expect(promoted.status == 0 && promoted.output.contains("operator, director"), "\(promoted.error)")
        let lastAdmin = try Command.run(["users", "roles", "ada", "--role", "operator", "--as", "ada"], environment: environment, input: "ada-pin-1\n")
        #expect(lastAdmin.status == 1 && lastAdmin.error.contains("last administrator"))
        let disabled = try Command.run(["users", "disable", "olly", "--as", "ada"], environment: environment, input: "ada-pin-1\n")
        #expect(disabled.status == 0)
        #expect(try Command.run(["users", "list"], environment: environment).output.contains("disabled"))
        let cosign = try Command.run(["users", "pin", "olly"], environment: environment, input: "olly-pin-1\nnew-pin-22\n")
        #expect(cosign.status == 1 && cosign.error.contains("disabled"))
        let verify = try Command.run(["verify"], environment: environment)
        #expect(verify.status == 0 && verify.output.contains("valid (staff log)") && verify.output.contains("valid (access log)"))
    }

    @Test func aSessionWithADirectorsOverrideSignedWithThePINAndCosigned() throws {
        let data = try Self.clinic()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let protocolFile = try TerminalEndToEndTests.shortDwellProtocol(in: data)
        let tmux = try Tmux(TerminalEndToEndTests.app("--protocol \(protocolFile)", data: data))
        try tmux.waitFor("Sign in")
        try tmux.type("olly")
        try tmux.send("Tab")
        try tmux.type("wrong-pin")
        try tmux.send("Enter")
        try tmux.waitFor("4 more wrong")
        try tmux.type("olly-pin-1")
        #expect(!(try tmux.screen()).contains("olly-pin-1"), "the PIN is masked")
        try tmux.send("Enter")
        try tmux.waitFor("Signed in: Olly Operator")
        try TerminalEndToEndTests.openSession(tmux, patient: "P-8101")
        // A relative contraindication: overridden on the director's authority, proven with her PIN.
        try tmux.send("y")
        try tmux.waitFor("YES: BLOCKS")
        try Self.override(tmux, authorisedBy: "olly", pin: "olly-pin-1")
        try tmux.waitFor("not a medical director")
        try Self.override(tmux, authorisedBy: "dana", pin: "dana-pin-1")
        try tmux.waitFor("YES, overridden")
        // An absolute one offers no override at all.
        try tmux.send("y")
        try tmux.waitFor("YES: NO TREATMENT")
        try tmux.send("o")
        try tmux.waitFor("never overridden")
        // The absolute one answered no after all, then the rest as every session answers them.
        try TerminalEndToEndTests.answerNoButColdSores(tmux, questions: 18)
        try TerminalEndToEndTests.confirmPreparation(tmux)
        try TerminalEndToEndTests.applyAndRemoveAnesthetic(tmux)
        try TerminalEndToEndTests.treatZone(tmux)
        try TerminalEndToEndTests.finishToSignOff(tmux)
        try tmux.waitFor("meaning \"performed by\"")
        try tmux.send("y")
        try tmux.waitFor("PIN of olly")
        try tmux.type("olly-pin-1")
        try tmux.send("Enter")
        try tmux.waitFor("SESSION SIGNED AND SEALED")
        try tmux.send("Enter")
        try tmux.waitFor("New session")
        // The director signs in and is shown what she would co-sign: the treatment, and the override among its warnings.
        try tmux.send("S")
        try tmux.waitFor("Sign in")
        try tmux.type("dana")
        try tmux.send("Tab")
        try tmux.type("dana-pin-1")
        try tmux.send("Enter")
        try tmux.waitFor("awaiting your review")
        try tmux.send("Down")
        try tmux.send("Enter")
        let review = try tmux.waitFor("Co-sign this session as reviewed?")
        for shown in ["Review P-8101", "Zones (mm): Forehead 0.50", "Given with: SkinPen Precision", "Warnings (1):",
                      "answered yes,", "Adverse events: none", "meaning \"reviewed\""] {
            #expect(review.contains(shown), "\(shown) in:\n\(review)")
        }
        try tmux.send("n")
        try tmux.send("q")
        try tmux.waitFor("Quit Trillium?")
        try tmux.send("y")
        try tmux.waitFor("EXIT=0")
        #expect(try tmux.isRestored())

        let environment = ["TRILLIUM_DATA": data]
        let log = try #require(try DataDirectory.logFiles(in: data).first)
        let refused = try Command.run(["cosign", log, "--as", "olly"], environment: environment, input: "olly-pin-1\n")
        #expect(refused.status == 1 && refused.error.contains("not a medical director"))
        let cosign = try Command.run(["cosign", log, "--as", "dana"], environment: environment, input: "dana-pin-1\n")
        #expect(cosign.status == 0, "\(cosign.error)")
        let verify = try Command.run(["verify", log], environment: environment)
        #expect(verify.status == 0, "\(verify.output)")
        #expect(verify.output.contains("signature good: #") && verify.output.contains("session.signed by Olly Operator (olly)"))
        #expect(verify.output.contains("session.cosigned by Dr Dana Director (dana) as director, \"reviewed\""))

        var records: [SessionRecord] = []
        _ = try LogReader.read(path: log) { records.append($0.record) }
        #expect(records.filter { $0.event.kind != .cosigned }.allSatisfy { $0.by == "olly" }, "every record is the signed-in operator's")
        #expect(records.last?.by == "dana")
        let override = records.compactMap { record -> StaffID? in
            if case let .screeningOverridden(_, _, director) = record.event { return director } else { return nil }
        }
        #expect(override == ["dana"])
        guard case let .opened(opening) = records[0].event else { Issue.record("no opening"); return }
        #expect(opening.operatorID == "olly" && opening.operatorName == "Olly Operator")

        // Copied elsewhere, without this workstation's key, nothing can be said for the signatures.
        let elsewhere = Command.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: elsewhere) }
        let copy = elsewhere + "/" + (log as NSString).lastPathComponent
        try FileManager.default.copyItem(atPath: log, toPath: copy)
        let unknown = try Command.run(["verify", copy, "--data-dir", elsewhere])
        #expect(unknown.status == 1 && unknown.output.contains("signature key unknown"), "\(unknown.output)")
        // With its public key placed in keys/trusted/, they are good again.
        try FileManager.default.createDirectory(atPath: elsewhere + "/keys/trusted", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: data + "/keys/workstation.pub", toPath: elsewhere + "/keys/trusted/room-1.pub")
        let trusted = try Command.run(["verify", copy, "--data-dir", elsewhere])
        #expect(trusted.status == 0 && trusted.output.contains("(room-1.pub)"), "\(trusted.output)")
    }

    /// `o` on the question under the cursor, a reason, then the director's id and PIN.
    static func override(_ tmux: Tmux, authorisedBy director: String, pin: String) throws {
        try tmux.send("o")
        try tmux.waitFor("Reason")
        try tmux.type("Stopped 8 months ago, GP letter seen")
        try tmux.send("Enter")
        try tmux.waitFor("Medical director's account id")
        try tmux.type(director)
        try tmux.send("Enter")
        try tmux.waitFor("PIN of \(director)")
        try tmux.type(pin)
        try tmux.send("Enter")
    }

    @Test func theIdleLockHidesThePatientAndAPINLiftsIt() throws {
        let data = try Self.clinic()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let tmux = try Tmux(TerminalEndToEndTests.app("--lock-after 1", data: data))
        try tmux.waitFor("Sign in")
        try tmux.type("olly")
        try tmux.send("Tab")
        try tmux.type("olly-pin-1")
        try tmux.send("Enter")
        try TerminalEndToEndTests.openSession(tmux, patient: "P-8102")
        // A minute without a key: the lock comes down by itself.
        let locked = try tmux.waitFor("Unlock (or sign in to take over)", seconds: 120)
        #expect(!locked.contains("P-8102") && !locked.contains("Olly Operator"), "\(locked)")
        #expect(locked.contains("Locked · Screening"))
        try tmux.type("dana-pin-1")
        try tmux.send("Enter")
        try tmux.waitFor("Wrong PIN for \"olly\"")
        try tmux.type("olly-pin-1")
        try tmux.send("Enter")
        try tmux.waitFor("P-8102")
        try tmux.send("q")
        try tmux.waitFor("Quit Trillium?")
        try tmux.send("y")
        try tmux.waitFor("EXIT=0")
        let access = try String(contentsOfFile: data + "/access.tlog", encoding: .utf8)
        #expect(access.contains("access.screen_locked") && access.contains("access.unlocked"))
    }
}
