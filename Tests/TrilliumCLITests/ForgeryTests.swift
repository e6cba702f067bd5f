import Foundation
import Testing
import TrilliumCore
import TrilliumLog

/// What a forger with write access to a data directory, but without its
/// workstation's private key, tries beyond rewriting records with fresh
/// digests: each is caught, and nothing Trillium keeps is written over.
@Suite("Forgeries and the files Trillium keeps", .serialized)
struct ForgeryTests {
    /// `log` rewritten with `change`, its digests recomputed, and cut after
    /// its sign-off (a co-signature after it would give the forgery away by itself).
    static func forge(_ log: String, _ change: (inout SessionRecord) -> Void) throws {
        var signOffSeq = 0
        try HostileInputTests.recraft(log, to: log) { record in
            change(&record)
            if record.event.kind == .signed { signOffSeq = record.seq }
        }
        let lines = try #require(String(data: Data(contentsOf: URL(fileURLWithPath: log)), encoding: .utf8)).split(separator: "\n")
        try #require(signOffSeq > 0)
        try Data((lines.prefix(signOffSeq).joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: log))
    }

    @Test func aSignatureStrippedWithTheOpeningsAccountIsStillMissed() throws {
        let (data, log) = try ReplayEndToEndTests.signedSample()
        defer { try? FileManager.default.removeItem(atPath: data) }
        try Self.forge(log) { record in
            switch record.event {
            case var .opened(opening):
                // As if opened before there were accounts.
                opening.operatorID = nil
                record.event = .opened(opening)
            case let .signed(signOff):
                record.event = .signed(SignOff(attestation: signOff.attestation))
            default: break
            }
        }
        let verify = try Command.run(["verify", log, "--data-dir", data])
        #expect(verify.status == 1, "\(verify.output)")
        #expect(verify.output.contains("has no signature, but was made by account"), "\(verify.output)")
        let report = try Command.run(["report", log, "--data-dir", data])
        #expect(report.status == 1 && report.output.contains("!! Log integrity: corrupt: "), "\(report.output.prefix(300))")
        // Replay says what the signature check found, not only where the fold stopped.
        let tmux = try Tmux(TerminalEndToEndTests.app("replay \(log)", data: data, environment: ReplayEndToEndTests.terminal))
        let first = try tmux.waitFor("REPLAY · READ-ONLY")
        #expect(first.contains("CORRUPT: a signature does not check out"), "\(first)")
        try tmux.send("q")
        try tmux.waitFor("EXIT=1")
        #expect(try tmux.isRestored())
    }

    /// The rewrite that needs no private key: every trace of the accounts
    /// taken out (the opening's account, the signature, the director's
    /// authorisation, each `by` turned into a typed name) and every digest
    /// recomputed, so that the session reads as one from before accounts.
    /// It was opened after this data directory's accounts began, which no
    /// session from before them can be: caught, and never co-signed.
    @Test func aSessionPassedOffAsOneFromBeforeAccountsIsCaught() throws {
        let (data, log) = try ReplayEndToEndTests.signedSample()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let names = ["amoreau": "A. Moreau", "jokafor": "J. Okafor", "slindqvist": "S. Lindqvist", "rtanaka": "R. Tanaka",
                     "madeyemi": "Dr M. Adeyemi"]
        try Self.forge(log) { record in
            record.by = names[record.by] ?? record.by
            switch record.event {
            case var .opened(opening):
                opening.operatorID = nil
                opening.patientReference = "P-9999"
                record.event = .opened(opening)
            case let .screeningOverridden(question, reason, _):
                record.event = .screeningOverridden(question: question, reason: reason, authorisedBy: nil)
            case let .signed(signOff):
                record.event = .signed(SignOff(attestation: signOff.attestation))
            default: break
            }
        }
        let verify = try Command.run(["verify", log, "--data-dir", data])
        #expect(verify.status == 1, "\(verify.output)")
        #expect(verify.output.contains("without an account, but staff accounts began here at"), "\(verify.output)")
        let report = try Command.run(["report", log, "--data-dir", data])
        #expect(report.status == 1 && report.output.contains("!! Log integrity: corrupt: opened "), "\(report.output.prefix(400))")
        let before = try Data(contentsOf: URL(fileURLWithPath: log))
        let review = try Command.run(["cosign", log, "--as", "madeyemi", "--data-dir", data], input: "director-1234\n")
        #expect(review.status == 1, "\(review.output)\(review.error)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: log)) == before, "nothing written")

        // A session from before the accounts began is still what it was: valid, with its typed operator.
        let legacy = Command.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: legacy) }
        #expect(try Command.run(["sample", "--out", legacy, "--sessions", "1", "--seed", "3", "--without-staff"]).status == 0)
        #expect(try Command.run(["users", "init", "admin", "--name", "Ada Admin", "--data-dir", legacy], input: "admin-1234\n").status == 0)
        let old = try #require(try FileManager.default.contentsOfDirectory(atPath: legacy).first { $0.hasSuffix(".tlog") && $0.contains("_") })
        let verified = try Command.run(["verify", legacy + "/" + old, "--data-dir", legacy])
        #expect(verified.status == 0, "\(verified.output)")

        // A room that never had accounts, read from the room that has them (its sessions are dated after this
        // room's accounts began): held to its own folder, which has none, never to this data directory's.
        let roomWithout = Command.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: roomWithout) }
        #expect(try Command.run(["sample", "--out", roomWithout, "--sessions", "1", "--seed", "4", "--without-staff"]).status == 0)
        let other = try #require(try DataDirectory.logFiles(in: roomWithout).first)
        for command in [["verify", other], ["report", other]] {
            let read = try Command.run(command + ["--data-dir", data])
            #expect(read.status == 0, "\(command[0]): \(read.output.prefix(300))")
        }
    }

    @Test func aSignersNameChangedBesideTheirIdIsCaught() throws {
        let (data, log) = try ReplayEndToEndTests.signedSample()
        defer { try? FileManager.default.removeItem(atPath: data) }
        try Self.forge(log) { record in
            // The signature covers the id, role, meaning and attestation, and is still good.
            if case let .signed(signOff) = record.event, var signature = signOff.signature {
                signature.signerName = "Dr Evil"
                record.event = .signed(SignOff(attestation: signOff.attestation, signature: signature))
            }
        }
        let verify = try Command.run(["verify", log, "--data-dir", data])
        #expect(verify.status == 1, "\(verify.output)")
        #expect(verify.output.contains("names its signer \"Dr Evil\", but account"), "\(verify.output)")
    }

    @Test func aReviewTrustsOnlyTheKeysOfItsOwnDataDirectory() throws {
        let (data, _) = try ReplayEndToEndTests.signedSample()
        defer { try? FileManager.default.removeItem(atPath: data) }
        // Another folder of sessions, signed with a key of its own: good by that folder's key, but not one this room trusts.
        let (elsewhere, foreign) = try ReplayEndToEndTests.signedSample(seed: 5)
        defer { try? FileManager.default.removeItem(atPath: elsewhere) }
        let before = try Data(contentsOf: URL(fileURLWithPath: foreign))
        let review = try Command.run(["cosign", foreign, "--as", "madeyemi", "--data-dir", data], input: "director-1234\n")
        #expect(review.status == 1 && review.error.contains("signature key unknown"), "\(review.error)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: foreign)) == before)
    }

    @Test func aReportIsNeverWrittenOverALogAKeyOrTheIndex() throws {
        let (data, log) = try ReplayEndToEndTests.signedSample()
        defer { try? FileManager.default.removeItem(atPath: data) }
        #expect(try Command.run(["sessions", "--data-dir", data]).status == 0)
        for target in [log, data + "/users.tlog", data + "/keys/workstation.key", data + "/keys/workstation.pub",
                       data + "/sessions.index", data + "/keys/report.txt", data + "/protocols/../keys/x.html"] {
            let before = try? Data(contentsOf: URL(fileURLWithPath: target))
            let written = try Command.run(["report", log, "--data-dir", data, "--out", target])
            #expect(written.status == 2 && written.error.contains("a report is never written over it"), "\(target): \(written.error)")
            #expect((try? Data(contentsOf: URL(fileURLWithPath: target))) == before, "\(target) unchanged")
        }
        // Beside the logs, under a name of its own, it is written.
        #expect(try Command.run(["report", log, "--data-dir", data, "--out", log + ".txt"]).status == 0)
    }

    @Test func aLostPrivateKeyIsNeverReplacedByANewOne() throws {
        let (data, log) = try ReplayEndToEndTests.signedSample()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let publicKey = try Data(contentsOf: URL(fileURLWithPath: data + "/keys/workstation.pub"))
        try FileManager.default.removeItem(atPath: data + "/keys/workstation.key")
        let review = try Command.run(["cosign", log, "--as", "madeyemi", "--data-dir", data], input: "director-1234\n")
        #expect(review.status == 2 && review.error.contains("private key is missing"), "\(review.error)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: data + "/keys/workstation.pub")) == publicKey)
        #expect(!FileManager.default.fileExists(atPath: data + "/keys/workstation.key"))
        #expect(try Command.run(["verify", log, "--data-dir", data]).status == 0, "the sessions signed with it still verify")
    }
}
