import Foundation
import Testing
import TrilliumCore
import TrilliumLog
import TrilliumSettings

/// The treatment-room app in a real terminal (tmux), as an operator uses it.
@Suite("The app end to end in tmux", .serialized)
struct TerminalEndToEndTests {
    /// The default protocol with dwell times in seconds, so tests need not wait half an hour.
    static func shortDwellProtocol(in directory: String, minimumMinutes: String = "0.05", maximumMinutes: String = "0.15") throws -> String {
        var text = DefaultProtocol.text
        for (minimum, maximum) in [("30", "60"), ("60", "120"), ("20", "30")] {
            text = text.replacingOccurrences(of: "minimum_dwell_minutes = \(minimum)\nmaximum_dwell_minutes = \(maximum)",
                                             with: "minimum_dwell_minutes = \(minimumMinutes)\nmaximum_dwell_minutes = \(maximumMinutes)")
        }
        text = text.replacingOccurrences(of: "id = \"trillium-default-microneedling\"", with: "id = \"e2e-short-dwell\"")
        let path = directory + "/short-dwell.toml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func app(_ arguments: String, data: String, environment: String = "TERM=xterm-256color LANG=C.UTF-8") -> String {
        "env -u NO_COLOR \(environment) TRILLIUM_DATA=\(data) \(Command.binary) \(arguments)"
    }

    /// Intake filled in and the session opened; returns at the screening screen.
    /// The device is the protocol's first, SkinPen Precision, unless `rollerNeedle`
    /// chooses the roller (two presses of Space) with that needle length.
    /// With `consultation` false it returns at the consultation, not yet recorded.
    static func openSession(_ tmux: Tmux, patient: String, zones: Int = 1, firstZone: Int = 0, rollerNeedle: String? = nil,
                            lot: String = "LOT-E2E", serial: String = "SP-1", consultation: Bool = true) throws {
        try tmux.waitFor("New session")
        try tmux.send("Enter")
        try tmux.waitFor("Patient reference")
        try tmux.type(patient)
        try tmux.send("Down")
        try tmux.type("E2E Operator")
        // The device is chosen, not typed.
        try tmux.send("Down")
        try tmux.waitFor("Space: next")
        if let rollerNeedle {
            try tmux.send("Space", "Space")
            try tmux.waitFor("Roller lot")
            try tmux.send("Down")
            try tmux.type(rollerNeedle)
        }
        try tmux.send("Down")
        try tmux.type(serial)
        try tmux.send("Down")
        try tmux.type(lot)
        try tmux.send("Down")
        try tmux.type("2099-12")
        try tmux.send("Tab")
        for _ in 0..<firstZone { try tmux.send("Down") }
        try tmux.send("Space")
        for _ in 1..<zones { try tmux.send("Down", "Down", "Down", "Down", "Down", "Down", "Down", "Space") }
        try tmux.send("Enter")
        if consultation { try recordConsultation(tmux) }
    }

    /// The consultation: skin type III, the first concern, goals, age confirmed; returns at the screening screen.
    static func recordConsultation(_ tmux: Tmux) throws {
        try tmux.waitFor("Fitzpatrick skin type")
        try tmux.send("3", "Down", "Space")
        try tmux.waitFor("[x] Fine lines")
        for _ in 0..<7 { try tmux.send("Down") }
        try tmux.type("Smoother skin before summer")
        try tmux.send("Down", "Space")
        try tmux.waitFor("[x] confirmed")
        try tmux.send("Enter")
        try tmux.waitFor("Contraindication screening")
    }

    /// On the agent just chosen: its dose, by default applied in the clinic, 5 g over 100 cm², with its lot and
    /// expiry; `minutesAtHome` makes it applied at home that long ago. Returns once the dwell timer shows.
    static func recordDose(_ tmux: Tmux, minutesAtHome: String? = nil, grams: String = "5", area: String = "100",
                           lot: String = "AN-E2E", expiry: String = "2099-12") throws {
        try tmux.waitFor("where was it applied?")
        if let minutesAtHome {
            try tmux.send("2")
            try tmux.waitFor("Minutes since the patient put it on")
            try tmux.type(minutesAtHome)
            try tmux.send("Enter")
        } else {
            try tmux.send("1")
        }
        try tmux.waitFor("Amount in grams")
        try tmux.type(grams)
        try tmux.send("Enter")
        try tmux.waitFor("Area covered in cm²")
        try tmux.type(area)
        try tmux.send("Enter")
        try tmux.waitFor("Lot, as printed")
        try tmux.type(lot)
        try tmux.send("Enter")
        try tmux.waitFor("Expiry, YYYY-MM")
        try tmux.type(expiry)
        try tmux.send("Enter")
        // Applied in the clinic it starts waiting; applied at home it may already be past its minimum.
        try tmux.waitFor(minutesAtHome == nil ? "WAITING: minimum dwell in" : "Anesthetic dwell")
    }

    /// At the dwell timer: once ready, the anesthetic removed and antisepsis confirmed; returns at the treatment screen.
    static func removeAnestheticAndStartTreatment(_ tmux: Tmux) throws {
        try tmux.waitFor("READY: minimum dwell reached")
        try tmux.send("r")
        try tmux.waitFor("Anesthetic removed completely?")
        try tmux.send("y")
        try tmux.waitFor("Antisepsis with 70% alcohol")
        try tmux.send("Space", "Enter")
        try tmux.waitFor("Zones")
    }

    /// From screening to the anesthetic's agent list: every answer no but the
    /// cold-sore history (prophylaxis confirmed), every preparation item confirmed.
    static func reachAnesthetic(_ tmux: Tmux) throws {
        try answerNoButColdSores(tmux, questions: 19)
        try confirmPreparation(tmux)
    }

    /// The next `questions` answered no, then the cold-sore history yes with
    /// its prophylaxis confirmed, and screening finished.
    static func answerNoButColdSores(_ tmux: Tmux, questions: Int) throws {
        for _ in 0..<questions { try tmux.send("n") }
        try tmux.send("y")
        try tmux.waitFor("YES: needs prophylaxis")
        try tmux.send("p")
        try tmux.waitFor("YES, prophylaxis ok")
        try tmux.send("Enter")
    }

    /// Every preparation item confirmed; returns at the agent list.
    static func confirmPreparation(_ tmux: Tmux) throws {
        try tmux.waitFor("5 of 5 still to confirm")
        for _ in 0..<5 { try tmux.send("Space") }
        try tmux.waitFor("All confirmed")
        try tmux.send("Enter")
        try tmux.waitFor("Topical anesthetic")
    }

    /// From screening to the treatment screen, with the anesthetic's short dwell.
    static func reachTreatment(_ tmux: Tmux) throws {
        try reachAnesthetic(tmux)
        try applyAndRemoveAnesthetic(tmux)
    }

    /// From the agent list: the first agent on, its short dwell out, antisepsis; returns at the treatment screen.
    static func applyAndRemoveAnesthetic(_ tmux: Tmux) throws {
        try tmux.send("Enter")
        try recordDose(tmux)
        try removeAnestheticAndStartTreatment(tmux)
    }

    /// On the treatment screen: the zone's depth, three passes, the endpoint, complete.
    static func treatZone(_ tmux: Tmux) throws {
        try tmux.send("d")
        try tmux.waitFor("(set)")
        for direction in ["1", "2", "3"] {
            try tmux.send("p")
            try tmux.waitFor("direction")
            try tmux.send(direction)
        }
        try tmux.waitFor("Passes 3/3")
        try tmux.send("e")
        try tmux.waitFor("Clinical endpoint on")
        try tmux.send("1")
        try tmux.waitFor("Endpoint: ")
        try tmux.send("c")
        try tmux.waitFor("complete")
    }

    /// From the treatment screen, every zone done: finish, every aftercare item, sign-off.
    static func finishAndSignOff(_ tmux: Tmux) throws {
        try finishToSignOff(tmux)
        try tmux.send("y")
        try tmux.waitFor("SESSION SIGNED AND SEALED")
    }

    /// From the treatment screen, every zone done: finish, every aftercare item; returns at the sign-off question.
    static func finishToSignOff(_ tmux: Tmux) throws {
        try tmux.send("Enter")
        try tmux.waitFor("Finish treatment?")
        try tmux.send("y")
        try tmux.waitFor("Go through each item with the patient")
        for _ in 0..<8 { try tmux.send("Space") }
        try tmux.waitFor("All confirmed")
        try tmux.send("Enter")
        try tmux.waitFor("Sign off and seal this session?")
    }

    @Test func aCompleteSessionTypedAsKeysLeavesAVerifiedLog() throws {
        let data = Command.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let protocolFile = try Self.shortDwellProtocol(in: data)
        let tmux = try Tmux(Self.app("--protocol \(protocolFile)", data: data + "/sessions"))
        try Self.openSession(tmux, patient: "P-7001")
        try Self.reachTreatment(tmux)
        try Self.treatZone(tmux)
        try tmux.send("N")
        try tmux.waitFor("Note text")
        try tmux.type("Tolerated well <b>&\"")
        try tmux.send("Enter")
        try tmux.waitUntil("the note saved") { !$0.contains("Note text") }
        try Self.finishAndSignOff(tmux)
        try tmux.send("q")
        try tmux.waitFor("Quit Trillium?")
        try tmux.send("y")
        try tmux.waitFor("EXIT=0")
        #expect(try tmux.isRestored())

        let files = try DataDirectory.logFiles(in: data + "/sessions")
        #expect(files.count == 1)
        let verify = try Command.run(["verify", files[0]])
        #expect(verify.status == 0)
        #expect(verify.output.contains("valid (signed)"))
        var types: [String] = []
        _ = try LogReader.read(path: files[0]) { types.append($0.record.event.kind.rawValue) }
        let expected = ["session.opened", "consultation.recorded"] + Array(repeating: "screening.answered", count: 20)
            + ["screening.prophylaxis_confirmed", "screening.completed"] + Array(repeating: "prep.confirmed", count: 5)
            + ["prep.completed", "anesthetic.applied", "anesthetic.removed", "antisepsis.confirmed", "treatment.started",
               "zone.depth_set", "zone.pass", "zone.pass", "zone.pass", "zone.endpoint", "zone.completed", "note.added",
               "treatment.completed"] + Array(repeating: "aftercare.confirmed", count: 8) + ["session.signed"]
        #expect(types == expected)
    }

    /// Issue 9 end to end: the third agent (after which antisepsis once had
    /// no cursor), the cartridge lot corrected after screening through the
    /// typed dialog, and the session found by lots under the corrected lot.
    @Test func aCorrectedLotIsFoundByRecallAfterASessionWithTheThirdAgent() throws {
        let data = Command.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let protocolFile = try Self.shortDwellProtocol(in: data)
        let tmux = try Tmux(Self.app("--protocol \(protocolFile)", data: data + "/sessions"))
        try Self.openSession(tmux, patient: "P-7009")
        try Self.reachAnesthetic(tmux)

        // Correct the lot typed at intake: g jumps to the opening, the lot is the sixth field.
        try tmux.send("C")
        try tmux.waitFor("Correct which record?")
        try tmux.send("g")
        try tmux.waitFor("Record number")
        try tmux.type("1")
        try tmux.send("Enter")
        try tmux.waitFor("Cartridge or roller lot: LOT-E2E")
        try tmux.send("Down", "Down", "Down", "Down", "Down", "Enter")
        try tmux.waitFor("New cartridge or roller lot")
        try tmux.send("C-u")
        try tmux.type("LOT-E2E-9")
        try tmux.send("Enter")
        try tmux.waitFor("LOT-E2E → LOT-E2E-9")
        try tmux.type("Label misread at intake")
        try tmux.send("Enter")
        try tmux.waitUntil("the correction saved") { !$0.contains("Reason for the correction") }

        // The third agent, its short dwell, removal, and antisepsis with a cursor at once.
        try tmux.waitFor("Topical anesthetic")
        try tmux.send("Down", "Down", "Enter")
        try Self.recordDose(tmux)
        try tmux.waitFor("READY: minimum dwell reached")
        try tmux.send("r")
        try tmux.waitFor("Anesthetic removed completely?")
        try tmux.send("y")
        try tmux.waitFor("Antisepsis with 70% alcohol")
        try tmux.send("Space")
        try tmux.waitFor("All confirmed")
        try tmux.send("Enter")
        try tmux.waitFor("Zones")
        // Alt-s and an unknown escape sequence (F5) once ran as Esc then "s": skip zone. Now they are nothing.
        try tmux.send("M-s")
        try tmux.send("F5")
        try tmux.send("-")
        let moved = try tmux.waitFor("Depth 0.25 mm (not set")
        #expect(!moved.contains("Reason for skipping"))
        try Self.treatZone(tmux)
        try Self.finishAndSignOff(tmux)
        try tmux.send("q", "y")
        try tmux.waitFor("EXIT=0")

        let recall = try Command.run(["lots", "LOT-E2E-9", "--data-dir", data + "/sessions"])
        #expect(recall.status == 0, "\(recall.error)")
        #expect(recall.output.contains("1 session(s)"))
        #expect(recall.output.contains("P-7009"))
        #expect(recall.output.contains("LOT-E2E-9 (first recorded as LOT-E2E)"), "\(recall.output)")
        let files = try DataDirectory.logFiles(in: data + "/sessions")
        var agent = ""
        _ = try LogReader.read(path: files[0]) { if case let .anestheticApplied(id, _, _) = $0.record.event { agent = id.rawValue } }
        #expect(agent == "lidocaine_tetracaine_7")
    }

    /// A roller session as the operator keys it: the roller and its needle
    /// length chosen at intake, a dose applied at home, the periorbital
    /// zone confirmed before its first pass, rolled (never stamped), and an
    /// unapproved serum with its reason; every one of them in the log and
    /// the report, and the roller's and serum's lots found by recall.
    @Test func aRollerSessionWithAPeriorbitalZoneAndAProduct() throws {
        let data = Command.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let protocolFile = try Self.shortDwellProtocol(in: data, minimumMinutes: "0.05", maximumMinutes: "60")
        let sessions = data + "/sessions"
        let tmux = try Tmux(Self.app("--protocol \(protocolFile)", data: sessions))
        // The fifth zone, periorbital (left): the one that asks its confirmation.
        try Self.openSession(tmux, patient: "P-7301", firstZone: 4, rollerNeedle: "0.5", lot: "RL-E2E", serial: "DR-1")
        try Self.reachAnesthetic(tmux)
        // Lidocaine 4% put on at home 1 minute ago: its dwell counts from then.
        try tmux.send("Enter")
        try Self.recordDose(tmux, minutesAtHome: "1", grams: "3", area: "30", lot: "AN-HOME", expiry: "2099-01")
        try Self.removeAnestheticAndStartTreatment(tmux)
        let treatment = try tmux.waitFor("Confirm first: Outside the orbital rim")
        #expect(treatment.contains("Depth 0.50 mm"), "the roller's needle length")
        try tmux.send("+")
        try tmux.waitFor("depth does not change")
        try tmux.send("d")
        try tmux.waitFor("(set)")
        // An unapproved serum: its lot, expiry and the reason.
        try tmux.send("a")
        try tmux.waitFor("Product applied to Periorbital (left)")
        try tmux.send("3")
        try tmux.waitFor("Lot, as printed")
        try tmux.type("VC-E2E")
        try tmux.send("Enter")
        try tmux.waitFor("Expiry, YYYY-MM")
        try tmux.type("2099-06")
        try tmux.send("Enter")
        try tmux.waitFor("is not approved for microneedling")
        try tmux.type("Patient's request after discussion")
        try tmux.send("Enter")
        try tmux.waitFor("lot VC-E2E, saved as record")
        // The first pass asks the confirmation first; then the directions are the roller's.
        try tmux.send("p")
        try tmux.waitFor("Confirm: Outside the orbital rim, never on the eyelids.")
        try tmux.send("y")
        try tmux.waitFor("Confirmation saved as record")
        for direction in ["1", "2", "3"] {
            try tmux.send("p")
            let choice = try tmux.waitFor("direction")
            #expect(!choice.contains("Stamping"))
            try tmux.send(direction)
        }
        try tmux.waitFor("Passes 3/3")
        try tmux.send("e")
        try tmux.waitFor("Clinical endpoint on")
        try tmux.send("1")
        try tmux.send("c")
        try tmux.waitFor("complete")
        try Self.finishAndSignOff(tmux)
        try tmux.send("q", "y")
        try tmux.waitFor("EXIT=0")

        let files = try DataDirectory.logFiles(in: sessions)
        var types: [String] = []
        _ = try LogReader.read(path: files[0]) { types.append($0.record.event.kind.rawValue) }
        for type in ["consultation.recorded", "anesthetic.applied", "product.applied", "zone.confirmed"] {
            #expect(types.contains(type), "\(type)")
        }
        let report = try Command.run(["report", files[0], "--data-dir", sessions])
        #expect(report.status == 0, "\(report.error)")
        for expected in ["Dermaroller (roller), serial DR-1, needles 0.50 mm", "the patient, at home, 1 min before it was recorded",
                         "Vitamin C serum, not approved for microneedling, used: Patient's request after discussion"] {
            #expect(report.output.contains(expected), "\(expected)")
        }
        for lot in ["RL-E2E", "VC-E2E", "AN-HOME"] {
            let recall = try Command.run(["lots", lot, "--data-dir", sessions])
            #expect(recall.output.contains("P-7301"), "\(lot): \(recall.output)")
        }
    }

    /// Training mode: a banner on every screen, and every session a training one.
    @Test func trainingModeSaysSoOnEveryScreen() throws {
        let data = Command.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let tmux = try Tmux(Self.app("--training", data: data + "/sessions"))
        let start = try tmux.waitFor("New session")
        #expect(start.split(separator: "\n").first?.contains("TRAINING") == true, "\(start)")
        try tmux.send("Enter")
        let intake = try tmux.waitFor("Patient reference")
        #expect(intake.split(separator: "\n").first?.contains("TRAINING") == true)
        #expect(intake.contains("[x] practice only"), "\(intake)")
        try tmux.send("Escape")
        try tmux.waitFor("New session")
        try tmux.send("q")
        try tmux.waitFor("Quit Trillium?")
        try tmux.send("y")
        try tmux.waitFor("EXIT=0")
    }

    @Test func killedDuringTreatmentItResumesToTheSameScreenAndState() throws {
        let data = Command.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let protocolFile = try Self.shortDwellProtocol(in: data)
        let first = try Tmux(Self.app("--protocol \(protocolFile)", data: data))
        try Self.openSession(first, patient: "P-7002", zones: 2)
        try Self.reachTreatment(first)
        try first.send("d")
        try first.waitFor("(set)")
        try first.send("p")
        try first.waitFor("direction")
        try first.send("2")
        try first.waitFor("Passes 1/3")
        let before = try first.screen()
        let zoneRows = before.split(separator: "\n").filter { $0.contains("Forehead ") || $0.contains("Cheek (left)") }.map { String($0.prefix(45)) }
        let saved = try #require(before.range(of: "saved #[0-9]+", options: .regularExpression).map { String(before[$0]) })
        kill(try first.appPID(), SIGKILL)
        try first.waitFor("EXIT=137")

        let second = try Tmux(Self.app("", data: data))
        try second.waitFor("Resume P-7002")
        try second.send("Down", "Enter")
        let after = try second.waitFor("Zones")
        #expect(after.contains(saved), "the same records are saved")
        let rowsAfter = after.split(separator: "\n").filter { $0.contains("Forehead ") || $0.contains("Cheek (left)") }.map { String($0.prefix(45)) }
        #expect(rowsAfter == zoneRows)
        #expect(after.contains("Passes 1/3"))
        #expect(after.contains("Depth 0.50 mm (set)"))
        try second.send("q", "y")
        try second.waitFor("EXIT=0")
    }

    @Test func killedDuringTheDwellTheTimerCarriesOnFromTheLog() throws {
        let data = Command.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let protocolFile = try Self.shortDwellProtocol(in: data, minimumMinutes: "0.5", maximumMinutes: "1")
        let first = try Tmux(Self.app("--protocol \(protocolFile)", data: data))
        try Self.openSession(first, patient: "P-7003")
        try Self.reachAnesthetic(first)
        try first.send("Enter")
        try Self.recordDose(first)
        try first.waitUntil("a few seconds of dwell") { $0.range(of: "DWELL 00:2[0-5] left", options: .regularExpression) != nil }
        kill(try first.appPID(), SIGKILL)
        try first.waitFor("EXIT=137")

        // The start screen says the anesthetic is still on, before the names a narrow screen would cut.
        let start = try Tmux(Self.app("", data: data))
        try start.waitFor("Resume P-7003 · ANESTHETIC ON 0 min ·")
        try start.send("q", "y")
        try start.waitFor("EXIT=0")

        let second = try Tmux(Self.app("resume", data: data))
        let countdown = "DWELL 00:[0-9][0-9] left"
        let screen = try second.waitUntil("the dwell countdown") { $0.range(of: countdown, options: .regularExpression) != nil }
        let remaining = try #require(screen.range(of: countdown, options: .regularExpression).map { String(screen[$0]) })
        let seconds = Int(remaining.dropLast(" left".count).suffix(2))!
        #expect(seconds <= 25, "the countdown went on from the application time in the log, not from a fresh minute (\(remaining))")
        try second.waitFor("READY: minimum dwell reached", seconds: 40)
        try second.send("q", "y")
        try second.waitFor("EXIT=0")
    }

    /// Stopped while the anesthetic is on: quitting says that no timer runs
    /// while the app is closed, and the abort records the removal (with the
    /// dwell it measured) before it seals the session.
    @Test func abortedDuringTheDwellTheAnestheticsRemovalIsRecordedFirst() throws {
        let data = Command.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let tmux = try Tmux(Self.app("", data: data))
        try Self.openSession(tmux, patient: "P-7004")
        try Self.reachAnesthetic(tmux)
        try tmux.send("Enter")
        try Self.recordDose(tmux)
        try tmux.waitUntil("the dwell countdown") { $0.range(of: "DWELL [0-9][0-9]:[0-9][0-9] left", options: .regularExpression) != nil }
        try tmux.send("q")
        try tmux.waitFor("no timer or alarm runs until")
        try tmux.send("n")
        try tmux.send("A")
        try tmux.waitFor("Reason for aborting")
        try tmux.type("Patient felt faint")
        try tmux.send("Enter")
        try tmux.waitFor("its removal is recorded")
        try tmux.send("y")
        try tmux.waitFor("ABORTED")
        try tmux.send("q", "y")
        try tmux.waitFor("EXIT=0")

        let files = try DataDirectory.logFiles(in: data)
        var events: [SessionEvent] = []
        _ = try LogReader.read(path: files[0]) { events.append($0.record.event) }
        let kinds = events.suffix(2).map(\.kind)
        #expect(kinds == [.anestheticRemoved, .aborted], "\(kinds)")
        guard case let .anestheticRemoved(removal)? = events.dropLast().last else { return }
        #expect(removal.earlyRemovalReason == "Session aborted before the minimum dwell")
        #expect(removal.dwell > 0)
    }

    @Test func resizingReflowsAtOnce() throws {
        let data = Command.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let tmux = try Tmux(Self.app("", data: data))
        try tmux.waitFor("New session")
        try tmux.send("Enter")
        try tmux.waitFor("Planned zones")
        try tmux.resize(width: 120, height: 40)
        try tmux.waitUntil("the 120-column layout") { screen in
            screen.split(separator: "\n").contains { $0.contains("Planned zones") && $0.count > 100 }
        }
        try tmux.resize(width: 60, height: 20)
        try tmux.waitFor("Terminal too small")
        try tmux.waitFor("this one is 60x20")
        try tmux.resize(width: 80, height: 24)
        let back = try tmux.waitFor("Planned zones")
        #expect(!back.contains("Terminal too small"))
        try tmux.send("Escape")
        try tmux.waitFor("New session")
        try tmux.send("q", "y")
        try tmux.waitFor("EXIT=0")
        #expect(try tmux.isRestored())
    }

    @Test(arguments: [("TERM", Int32(15)), ("HUP", Int32(1)), ("QUIT", Int32(3))])
    func aSignalLeavesTheTerminalRestored(signal: String, number: Int32) throws {
        let data = Command.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let tmux = try Tmux(Self.app("", data: data))
        try tmux.waitFor("New session")
        #expect(try tmux.display("#{alternate_on}") == "1")
        kill(try tmux.appPID(), number)
        try tmux.waitFor("EXIT=\(128 + number)")
        #expect(try tmux.isRestored())
    }

    /// A terminal that goes away under the app (its window closed, the
    /// connection dropped, here its tmux server killed) sends no key, and its
    /// SIGHUP may never be handled (here it is blocked, as an app started
    /// under the test suite once had it): reads return at once, for ever. The
    /// app once went on reading and drawing at full speed; it ends as on SIGHUP.
    @Test func aTerminalThatGoesAwayEndsTheApp() throws {
        let data = Command.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let blockingHangUp = "python3 -c 'import os, signal, sys; signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGHUP}); os.execv(sys.argv[1], sys.argv[1:])'"
        let tmux = try Tmux("env -u NO_COLOR TERM=xterm-256color LANG=C.UTF-8 TRILLIUM_DATA=\(data) \(blockingHangUp) \(Command.binary)")
        try tmux.waitFor("New session")
        let app = try tmux.appPID()
        guard let server = Int32(try tmux.display("#{pid}")) else {
            Issue.record("the tmux server's pid was not shown")
            return
        }
        kill(server, SIGKILL)
        /// Gone, or a zombie its parent has not collected: either way it ended.
        func hasEnded() -> Bool {
            guard let stat = try? String(contentsOfFile: "/proc/\(app)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return true }
            return stat[stat.index(close, offsetBy: 2)...].hasPrefix("Z")
        }
        let deadline = Date().addingTimeInterval(20)
        while !hasEnded() && Date() < deadline { usleep(20_000) }
        #expect(hasEnded(), "the app was still running 20 s after its terminal went away")
        if !hasEnded() { kill(app, SIGKILL) }
    }

    @Test func quittingLeavesTheTerminalRestored() throws {
        let data = Command.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let tmux = try Tmux(Self.app("", data: data))
        try tmux.waitFor("New session")
        try tmux.send("C-c")
        try tmux.waitFor("Quit Trillium?")
        try tmux.send("n")
        try tmux.waitUntil("the question closed") { !$0.contains("Quit Trillium?") }
        try tmux.send("q", "y")
        try tmux.waitFor("EXIT=0")
        #expect(try tmux.isRestored())
    }

    @Test func noColorGivesMonochrome() throws {
        let data = Command.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let colour = try Tmux(Self.app("", data: data))
        try colour.waitFor("New session")
        let colourful = try colour.screen(escapes: true)
        #expect(colourful.range(of: "\u{1B}\\[[0-9;]*(38;5|48;5|3[0-7]|4[0-7])[;m]", options: .regularExpression) != nil,
                "the default theme does use colour (a control for the check below)")
        let mono = try Tmux(Self.app("", data: data, environment: "TERM=xterm-256color LANG=C.UTF-8 NO_COLOR=1"))
        try mono.waitFor("New session")
        let plain = try mono.screen(escapes: true)
        #expect(plain.range(of: "\u{1B}\\[[0-9;]*(38;5|48;5|3[0-7]|4[0-7])[;m]", options: .regularExpression) == nil)
        #expect(plain.contains("\u{1B}[7m") || plain.contains(";7m"), "states are shown in reverse video instead")
    }

    @Test func unusableTerminalsAreRefusedBeforeAnythingIsDrawn() throws {
        let data = Command.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let dumb = try Tmux(Self.app("", data: data, environment: "TERM=dumb LANG=C.UTF-8"))
        try dumb.waitFor("EXIT=2")
        #expect(try dumb.screen().contains("TERM=dumb cannot show Trillium's screens"))
        #expect(try dumb.isRestored())
        let unset = try Tmux("env -u TERM LANG=C.UTF-8 TRILLIUM_DATA=\(data) \(Command.binary)")
        try unset.waitFor("EXIT=2")
        #expect(try unset.screen().contains("TERM is not set"))
        let unknown = try Tmux(Self.app("", data: data, environment: "TERM=no-such-terminal LANG=C.UTF-8"))
        try unknown.waitFor("EXIT=2")
        #expect(try unknown.screen().contains("unknown terminal type \"no-such-terminal\""))
        let noTTY = try Command.run([], environment: ["TERM": "xterm-256color", "TRILLIUM_DATA": data])
        #expect(noTTY.status == 2)
        #expect(noTTY.error.contains("need a terminal"))
    }

    @Test func aNonUTF8LocaleGetsASCIIGlyphs() throws {
        let data = Command.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let tmux = try Tmux(Self.app("", data: data, environment: "TERM=xterm-256color LANG=C LC_ALL=C"))
        let screen = try tmux.waitFor("New session")
        #expect(screen.contains("> New session"))
        #expect(!screen.contains("▶"))
        // The intake's zone list draws its box and ranges in ASCII, with no "?" for what it cannot show.
        try tmux.send("Enter")
        let intake = try tmux.waitFor("Patient reference")
        #expect(intake.contains("+-"), "\(intake)")
        #expect(!intake.contains("??"))
        try tmux.send("Escape")
        try tmux.waitFor("New session")
        try tmux.send("q", "y")
        try tmux.waitFor("EXIT=0")
    }
}
