import Foundation
import Testing
import TrilliumCore
import TrilliumIdentity
import TrilliumLog
import TrilliumServices
import TrilliumSettings

@Suite("PINs, staff accounts and sign-in")
struct StaffDirectoryTests {
    static func directory() -> (StaffDirectory, ManualClock, String) {
        let path = NSTemporaryDirectory() + "trillium-staff-\(UUID().uuidString)"
        let data = DataDirectory(path: path)
        try? data.prepare()
        let clock = ManualClock(wallMilliseconds: 1_767_600_000_000)
        return (StaffDirectory(directory: data, clock: clock, workstation: "room-1", appVersion: "test"), clock, path)
    }

    @Test func aPINIsKeptOnlyAsASlowSaltedHash() throws {
        let first = PINHasher.hash("482916")
        let second = PINHasher.hash("482916")
        #expect(first != second, "a fresh salt each time")
        #expect(PINHashText.parts(of: first)?.rounds == 600_000)
        #expect(PINHasher.matches("482916", hashText: first))
        #expect(PINHasher.matches("482916", hashText: second))
        #expect(!PINHasher.matches("482917", hashText: first))
        #expect(!PINHasher.matches("482916", hashText: "pbkdf2-sha256$1000$00$00"), "too few rounds is no hash at all")
        #expect(!PINHasher.matches("", hashText: "garbage"))
        #expect(PINRule.problem(with: "12345") != nil)
        #expect(PINRule.problem(with: "123456") == nil)
    }

    @Test func accountsAreMadeByAnAdministratorWithTheirPIN() throws {
        let (staff, _, path) = Self.directory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        // A refused first account leaves no staff log behind.
        #expect(throws: StaffStoreError.self) { try staff.createFirstAdministrator(id: "ada", name: "Ada\u{1B}[2J", pin: "admin-pin") }
        #expect(!FileManager.default.fileExists(atPath: path + "/users.tlog"))
        try staff.createFirstAdministrator(id: "ada", name: "Ada Admin", pin: "admin-pin")
        #expect(throws: StaffStoreError.self) { try staff.createFirstAdministrator(id: "eve", name: "Eve", pin: "eve-pin-1") }
        try staff.add(id: "olly", name: "Olly Operator", roles: [.operator], newPIN: "olly-pin", as: "ada", pin: "admin-pin")
        let before = try Data(contentsOf: URL(fileURLWithPath: path + "/users.tlog"))
        #expect(throws: AuthenticationError.self) {
            try staff.add(id: "pat", name: "Pat", roles: [.operator], newPIN: "pat-pin-1", as: "ada", pin: "not-the-pin")
        }
        #expect(throws: AuthenticationError.self) {
            try staff.add(id: "pat", name: "Pat", roles: [.operator], newPIN: "pat-pin-1", as: "olly", pin: "olly-pin")
        }
        #expect(throws: AuthenticationError.self) {
            try staff.add(id: "pat", name: "Pat", roles: [.operator], newPIN: "short", as: "ada", pin: "admin-pin")
        }
        #expect(throws: AuthenticationError.self) {
            try staff.add(id: "olly", name: "Another Olly", roles: [.operator], newPIN: "olly-pin-2", as: "ada", pin: "admin-pin")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path + "/users.tlog")) == before, "nothing written by a refused change")
        let text = String(decoding: before, as: UTF8.self)
        #expect(!text.contains("admin-pin") && !text.contains("olly-pin"), "no PIN in clear")
        #expect(try LogReader.verify(path: path + "/users.tlog").summary.hasPrefix("valid (staff log), 3 records"))
        #expect(try staff.roster().account("olly")?.roles == [.operator])
    }

    @Test func fiveWrongPINsLockTheAccountForFiveMinutes() throws {
        let (staff, clock, path) = Self.directory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try staff.createFirstAdministrator(id: "ada", name: "Ada Admin", pin: "admin-pin")
        try staff.add(id: "olly", name: "Olly", roles: [.operator], newPIN: "olly-pin", as: "ada", pin: "admin-pin")
        for attempt in 1...5 {
            #expect(throws: AuthenticationError.wrongPIN("olly", remaining: 5 - attempt)) { try staff.authenticate("olly", pin: "guess-\(attempt)") }
            clock.advance(milliseconds: 1000)
        }
        // Now even the right PIN is refused, until five minutes have passed since the lock.
        #expect(throws: AuthenticationError.locked("olly", untilWallMilliseconds: 1_767_600_000_000 + 4000 + 5 * 60_000)) {
            try staff.authenticate("olly", pin: "olly-pin")
        }
        #expect(try staff.authenticate("ada", pin: "admin-pin").id == "ada", "another account is not locked")
        clock.advance(milliseconds: 5 * 60_000)
        #expect(try staff.authenticate("olly", pin: "olly-pin").id == "olly")
        let kinds = try LogRecordKinds.of(path + "/access.tlog")
        #expect(kinds.filter { $0 == .signInFailed }.count == 6)
        #expect(kinds.filter { $0 == .accountLocked }.count == 1)
    }

    @Test func aDisabledOrUnknownAccountOrAMissingRoleIsRefused() throws {
        let (staff, _, path) = Self.directory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try staff.createFirstAdministrator(id: "ada", name: "Ada Admin", pin: "admin-pin")
        try staff.add(id: "olly", name: "Olly", roles: [.operator], newPIN: "olly-pin", as: "ada", pin: "admin-pin")
        #expect(throws: AuthenticationError.roleNotHeld("olly", .director)) { try staff.authenticate("olly", pin: "olly-pin", requiring: .director) }
        try staff.change(as: "ada", pin: "admin-pin", .userDisabled(user: "olly", reason: "Left the clinic"))
        #expect(throws: AuthenticationError.disabled("olly")) { try staff.authenticate("olly", pin: "olly-pin") }
        #expect(throws: AuthenticationError.unknownUser("nobody")) { try staff.authenticate("nobody", pin: "whatever") }
        #expect(throws: AuthenticationError.self) { try staff.authenticate("x\u{1B}[2J", pin: "whatever") }
        // A PIN typed into the account field, as gloved hands do: refused as no account, and never logged.
        #expect(throws: AuthenticationError.unknownUser("olly-pin-1234")) { try staff.authenticate("olly-pin-1234", pin: "") }
        let records = try LogRecordKinds.records(path + "/access.tlog").filter { $0.event.kind == .signInFailed }
        #expect(records.count == 5)
        let text = try String(contentsOfFile: path + "/access.tlog", encoding: .utf8)
        #expect(!text.contains("olly-pin-1234") && !text.contains("nobody") && !text.contains("\u{1B}"), "\(text)")
        // Each failure names the account where there is one, and nothing where what was typed names none.
        let named = records.map { record -> String in
            guard case let .signInFailed(user, _) = record.event else { return "?" }
            return record.by + "/" + user
        }
        #expect(named == ["olly/olly", "olly/olly", "unknown/", "unknown/", "unknown/"], "\(named)")
    }
}

/// The kinds of a log's records, in order.
enum LogRecordKinds {
    static func of(_ path: String) throws -> [EventKind] {
        var kinds: [EventKind] = []
        _ = try LogReader.readRecords(path: path) { record, _ in kinds.append(record.event.kind) }
        return kinds
    }

    static func records(_ path: String) throws -> [SessionRecord] {
        var records: [SessionRecord] = []
        _ = try LogReader.readRecords(path: path) { record, _ in records.append(record) }
        return records
    }
}

@Suite("Electronic signatures")
struct SignatureTests {
    /// A whole attributed session, signed by its operator with a fresh workstation key.
    static func signedSession() throws -> (path: String, key: WorkstationKey, directory: DataDirectory) {
        let path = NSTemporaryDirectory() + "trillium-signed-\(UUID().uuidString)"
        let directory = DataDirectory(path: path)
        try directory.prepare()
        let key = try WorkstationKey.loadOrCreate(in: directory)
        let clock = ManualClock(wallMilliseconds: 1_767_600_000_000)
        let store = SessionStore(directory: directory, clock: clock, appVersion: "test")
        let p = ProtocolFile.defaultProtocol()
        let recorder = try store.open(Intake(patientReference: "P-9", operatorName: "Olly Operator", workstation: "room-1",
                                             device: DeviceIdentity(model: "SkinPen Precision", serial: "S-1", profile: "skinpen"), cartridge: Cartridge(lot: "L-1", expiry: "2031-01"),
                                             plannedZones: ["forehead"], isTraining: false, operatorID: "olly"),
                                      treatmentProtocol: p, protocolText: DefaultProtocol.text)
        try recorder.record(.consultationRecorded(Consultation(skinType: .two, concerns: ["texture"], goals: "Smoother skin", ageConfirmed: true, minimumAge: 22)))
        for q in p.screening { try recorder.record(.screeningAnswered(question: q.id, answer: false)) }
        try recorder.record(.screeningCompleted)
        for item in p.preparation { try recorder.record(.preparationConfirmed(item: item.id)) }
        try recorder.record(.preparationCompleted)
        try recorder.record(.anestheticDeclined(reason: "Declined"))
        for item in p.antisepsis { try recorder.record(.antisepsisConfirmed(item: item.id)) }
        try recorder.record(.treatmentStarted)
        let depth = p.zone("forehead")!.defaultDepth
        try recorder.record(.depthSet(zone: "forehead", depth: depth, reason: nil))
        try recorder.record(.passRecorded(zone: "forehead", direction: p.directions[0].id, depth: depth))
        try recorder.record(.endpointReached(zone: "forehead", endpoint: p.endpoints[0].id))
        try recorder.record(.zoneCompleted(zone: "forehead"))
        try recorder.record(.treatmentCompleted)
        for item in p.aftercare { try recorder.record(.aftercareConfirmed(item: item.id)) }
        #expect(recorder.state.recordKinds.count == recorder.lastSavedSeq)
        let olly = StaffAccount(id: "olly", name: "Olly Operator", roles: [.operator], pinHash: "", addedBy: "ada", addedSeq: 3)
        try SessionSigning(key: key).signOff(recorder, by: olly, attestation: SessionSigning.attestation(by: olly))
        let dana = StaffAccount(id: "dana", name: "Dr Dana", roles: [.director], pinHash: "", addedBy: "ada", addedSeq: 4)
        try SessionSigning(key: key).cosign(recorder, by: dana)
        recorder.close()
        return (recorder.path, key, directory)
    }

    static func verdicts(_ path: String, _ directory: DataDirectory) throws -> [SignatureVerdict] {
        let verification = try LogReader.verify(path: path)
        let trusted = TrustedKeys.load(from: directory)
        return verification.signatures.map { SignatureCheck.verdict(on: $0, trusting: trusted) }
    }

    @Test func aSignatureVerifiesWithTheWorkstationsKey() throws {
        let (path, _, directory) = try Self.signedSession()
        defer { try? FileManager.default.removeItem(atPath: directory.path) }
        let verification = try LogReader.verify(path: path)
        #expect(verification.status == .valid(.signed))
        #expect(verification.signatures.map(\.kind) == [.signed, .cosigned])
        #expect(verification.signatures.map(\.signature.signer) == ["olly", "dana"])
        #expect(try Self.verdicts(path, directory) == [.good(keyName: "this workstation"), .good(keyName: "this workstation")])
        #expect(permissions(directory.keysPath + "/workstation.key") == 0o600)
        // Without the key, nothing can be said for the signatures: they are not good.
        #expect(SignatureCheck.verdict(on: verification.signatures[0], trusting: TrustedKeys()) == .unknownKey)
    }

    /// A rewrite of any earlier record with every digest recomputed is a valid
    /// hash chain, but no longer what was signed.
    @Test func anyChangeToAnEarlierRecordBreaksTheSignatureEvenWithRecomputedDigests() throws {
        let (path, _, directory) = try Self.signedSession()
        defer { try? FileManager.default.removeItem(atPath: directory.path) }
        let original = try String(contentsOfFile: path, encoding: .utf8)
        let lines = original.split(separator: "\n").map(String.init)
        // The patient, an answer, and who made the last record before the sign-off.
        for (index, changed) in [(0, ("\"P-9\"", "\"P-6\"")), (5, ("\"no\"", "\"yes\"")), (lines.count - 3, ("\"by\":\"olly\"", "\"by\":\"pat\""))] {
            var json = lines.map { String($0[..<$0.lastIndex(of: " ")!]) }
            let before = json[index]
            json[index] = json[index].replacingOccurrences(of: changed.0, with: changed.1)
            #expect(json[index] != before, "the change at line \(index + 1) applies")
            try Rechain.lines(json).write(toFile: path, atomically: false, encoding: .utf8)
            let verification = try LogReader.verify(path: path)
            #expect(verification.status.isValid, "the chain itself was recomputed: \(verification.summary)")
            #expect(try Self.verdicts(path, directory).allSatisfy { $0 == .bad }, "change at line \(index + 1)")
        }
        #expect(Rechain.lines(lines.map { String($0[..<$0.lastIndex(of: " ")!]) }) == original, "rechaining alone changes nothing")
        // Dropping the signature from the sign-off, chain recomputed, is caught too.
        var json = lines.map { String($0[..<$0.lastIndex(of: " ")!]) }
        let signOff = json.count - 2
        json[signOff] = String(json[signOff][..<json[signOff].range(of: ",\"signer\"")!.lowerBound]) + "}}"
        try Rechain.lines(Array(json[...signOff])).write(toFile: path, atomically: false, encoding: .utf8)
        let stripped = try LogReader.verify(path: path)
        #expect(stripped.status.isValid && stripped.signatures.isEmpty)
        #expect(stripped.unsignedSignOffSeq == signOff + 1)
    }

    @Test func aLogFromBeforeStaffAccountsStillVerifies() throws {
        let path = NSTemporaryDirectory() + "trillium-legacy-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let logs = try SampleGenerator(sessionCount: 6, seed: 3).write(into: DataDirectory(path: path))
        for log in logs {
            let verification = try LogReader.verify(path: log)
            #expect(verification.status.isValid)
            #expect(verification.signatures.isEmpty && verification.unsignedSignOffSeq == nil)
        }
    }
}

/// Frames JSON lines again with fresh digests and `prev`: what a forger with write access does.
enum Rechain {
    static func lines(_ json: [String]) -> String {
        var previous = Digest.genesis
        var out = ""
        for line in json {
            let start = line.range(of: "\"prev\":\"")!.upperBound
            let end = line.index(start, offsetBy: 64)
            let relinked = line.replacingCharacters(in: start..<end, with: previous)
            let digest = Digest.hex(of: Array(relinked.utf8))
            out += relinked + " " + digest + "\n"
            previous = digest
        }
        return out
    }
}

func permissions(_ path: String) -> Int {
    var info = stat()
    stat(path, &info)
    return Int(info.st_mode & 0o777)
}
