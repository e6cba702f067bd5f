import Foundation
import Testing
import TrilliumCore
import TrilliumLog
import TrilliumSettings

/// Every command over crafted logs, protocols, themes and file names: what
/// reaches standard output and standard error never holds a byte that could
/// drive a terminal, and nothing traps (issue 8).
@Suite("Hostile input on the command line", .serialized)
struct HostileInputTests {
    /// Sets a window title, rings the bell, clears the screen, starts a C1
    /// CSI, reverses the text direction, and ends in DEL and NUL.
    static let hostile = "\u{1B}]0;pwned\u{07}\u{1B}[2J\u{9B}31m\u{202E}evil\u{7F}\u{0}end"
    /// The same, as an argument can carry it (no NUL).
    static let hostileArgument = hostile.replacingOccurrences(of: "\u{0}", with: "")

    /// The bytes that must never reach a terminal, as UTF-8: C0 but LF and
    /// TAB, DEL, C1, the bidirectional controls and line separators.
    static func rawControl(in bytes: [UInt8]) -> String? {
        let text = String(decoding: bytes, as: UTF8.self)
        for scalar in text.unicodeScalars where scalar != "\n" && scalar != "\t" {
            if VisibleText.isUnsafe(scalar) { return "U+\(String(scalar.value, radix: 16)) in: \(text.prefix(400))" }
        }
        return nil
    }

    /// Rewrites each record of `log` with `change`, chaining fresh digests:
    /// a crafted log that verifies, as anyone with write access could make.
    static func recraft(_ log: String, to path: String, _ change: (inout SessionRecord) -> Void) throws {
        var lines: [RecordLine] = []
        _ = try LogReader.read(path: log) { lines.append($0) }
        var previous = Digest.genesis
        var out: [UInt8] = []
        for line in lines {
            var record = line.record
            change(&record)
            let framed = RecordLine(record: record, previousDigest: previous)
            out += framed.bytes
            previous = framed.digest
        }
        try PlatformPath.withCString(path) { pointer in
            let fd = open(pointer, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            guard fd >= 0 else { throw CocoaError(.fileWriteUnknown) }
            _ = out.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            close(fd)
        }
    }

    /// Hostile text in every free-text field a session can record after its opening.
    static func poisonLaterFields(_ record: inout SessionRecord) {
        guard record.seq > 1 else { return }
        record.by = "J. Okafor" + hostile
        record.stamp.bootID += hostile
        record.id += hostile
        switch record.event {
        case let .noteAdded(text, reason): record.event = .noteAdded(text: text + hostile, addendumReason: reason.map { $0 + hostile })
        case let .screeningOverridden(question, reason, director): record.event = .screeningOverridden(question: question, reason: reason + hostile, authorisedBy: director)
        case let .zoneSkipped(zone, reason): record.event = .zoneSkipped(zone: zone, reason: reason + hostile)
        case let .anestheticDeclined(reason): record.event = .anestheticDeclined(reason: reason + hostile)
        case let .signed(signOff): record.event = .signed(SignOff(attestation: signOff.attestation + hostile, signature: signOff.signature))
        case let .aborted(reason): record.event = .aborted(reason: reason + hostile)
        case var .adverseEventReported(adverse):
            adverse.description += hostile
            adverse.actionTaken += hostile
            record.event = .adverseEventReported(adverse)
        case var .recordCorrected(correction):
            correction.reason += hostile
            // Only free text takes any character: an id or a number with text after it is refused, and the fold stops there.
            if !["direction", "depth_um", "agent", "endpoint", "answer", "severity", "occluded", "skin_type"].contains(correction.field) {
                correction.newValue += hostile
            }
            record.event = .recordCorrected(correction)
        // Goals and lots, like the intake's fields, refuse control characters; reasons, like notes, keep them.
        case var .consultationRecorded(consultation):
            consultation.earlyReturnReason = consultation.earlyReturnReason.map { $0 + hostile }
            record.event = .consultationRecorded(consultation)
        case var .productApplied(application):
            application.reason = application.reason.map { $0 + hostile }
            record.event = .productApplied(application)
        default: break
        }
    }

    static func poisonOpening(_ record: inout SessionRecord) {
        guard case var .opened(opening) = record.event else { return }
        opening.patientReference += hostile
        opening.operatorName += hostile
        opening.workstation += hostile
        opening.cartridge.lot += hostile
        opening.device.model += hostile
        // A zone no protocol has: well formed, so the log verifies, but the core refuses it.
        opening.plannedZones.append("not_a_zone")
        record.event = .opened(opening)
    }

    @Test func noCommandLetsARawControlCharacterThrough() throws {
        let root = Command.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let samples = root + "/samples"
        #expect(try Command.run(["sample", "--out", samples, "--sessions", "6", "--seed", "4", "--without-staff"]).status == 0)
        let logs = try DataDirectory.logFiles(in: samples)
        let data = root + "/data"
        try FileManager.default.createDirectory(atPath: data + "/protocols", withIntermediateDirectories: true)
        for file in try FileManager.default.contentsOfDirectory(atPath: samples + "/protocols") {
            try FileManager.default.copyItem(atPath: samples + "/protocols/" + file, toPath: data + "/protocols/" + file)
        }
        // A log whose later records carry hostile text, under a hostile name, and
        // the same under a name that is not UTF-8 (reached only by listing the
        // directory: an argument cannot carry such bytes from this test).
        let hostileName = data + "/2026-01-02T00-00-00.000Z_\u{1B}[2J.tlog"
        try Self.recraft(logs[0], to: hostileName, Self.poisonLaterFields)
        try Self.recraft(logs[3], to: data + "/2026-01-05T00-00-00.000Z_" + PlatformPath.decode([0xFF]) + "ab.tlog", Self.poisonLaterFields)
        // One whose opening is hostile too: it verifies, but the core refuses it.
        try Self.recraft(logs[1], to: data + "/2026-01-03T00-00-00.000Z_0pening1.tlog") {
            Self.poisonOpening(&$0)
            Self.poisonLaterFields(&$0)
        }
        // One whose third record has a hostile type name: corrupt, and said so.
        let corrupt = data + "/2026-01-04T00-00-00.000Z_c0rrupt1.tlog"
        var lines = String(decoding: FileManager.default.contents(atPath: logs[2])!, as: UTF8.self).split(separator: "\n").map(String.init)
        let json = String(lines[2].dropLast(65)).replacingOccurrences(of: "\"type\":\"", with: "\"type\":\"\\u001b[2J\\u009b")
        lines[2] = json + " " + Digest.hex(of: Array(json.utf8))
        try (lines.joined(separator: "\n") + "\n").write(toFile: corrupt, atomically: true, encoding: .utf8)

        // A protocol and a theme with hostile text wherever text is free.
        let escaped = "\\u001B]0;pwned\\u0007\\u001B[2J\\u009B31m\\u202Eevil\\u007F"
        let protocolFile = root + "/clinic.toml"
        let protocolText = DefaultProtocol.text
            .replacingOccurrences(of: "name = \"Forehead\"", with: "name = \"Forehead\(escaped)\"")
            .replacingOccurrences(of: "version = \"", with: "version = \"\(escaped)")
        try protocolText.write(toFile: protocolFile, atomically: true, encoding: .utf8)
        let brokenProtocol = root + "/broken.toml"
        try (protocolText + "\n[\(escaped)]\n").write(toFile: brokenProtocol, atomically: true, encoding: .utf8)
        let themeFile = root + "/theme.toml"
        let theme = try String(contentsOfFile: Command.packageRoot + "/Themes/default-dark.toml", encoding: .utf8)
            .replacingOccurrences(of: "name = \"default-dark\"", with: "name = \"dark\(escaped)\"\n\"unknown\(escaped)\" = 1")
        try theme.write(toFile: themeFile, atomically: true, encoding: .utf8)

        var runs: [[String]] = [
            ["verify", data], ["verify", hostileName], ["verify", corrupt], ["verify", "--data-dir", data],
            ["sessions", "--data-dir", data],
            ["history", "P-" + Self.hostileArgument, "--data-dir", data], ["lots", Self.hostileArgument, "--data-dir", data],
            ["protocol", "check", protocolFile], ["protocol", "check", brokenProtocol],
            ["protocol", "show", "--protocol", protocolFile], ["protocol", "show", "--protocol", brokenProtocol],
            ["themes", "check", themeFile], ["run", "--data-dir", data, "--theme", themeFile],
            ["replay", hostileName, "--data-dir", data], ["resume", hostileName, "--data-dir", data],
            ["report", Self.hostileArgument, "--data-dir", data], ["verify", root + "/" + Self.hostileArgument],
            ["report", "\u{1B}[2", "--data-dir", data],
            ["sample", "--out", root + "/crafted", "--sessions", "2", "--protocol", protocolFile, "--without-staff"],
            ["--" + Self.hostileArgument], [Self.hostileArgument],
        ]
        for log in try DataDirectory.logFiles(in: data) where VisibleText.field(log) == log || log == hostileName {
            for format in ["text", "markdown", "json", "html"] {
                runs.append(["report", log, "--format", format, "--data-dir", data])
            }
            runs.append(["replay", log, "--data-dir", data])
        }
        // The history and lot of the recrafted sessions, by their real values.
        for patient in ["P-1001", "P-1002", "P-1003"] { runs.append(["history", patient, "--data-dir", data]) }
        for run in runs {
            let result = try Command.run(run)
            #expect([0, 1, 2].contains(result.status), "\(run): status \(result.status): \(result.error.suffix(300))")
            #expect(Self.rawControl(in: Array(result.output.utf8)) == nil, "stdout of \(run)")
            #expect(Self.rawControl(in: Array(result.error.utf8)) == nil, "stderr of \(run)")
        }

        // A tab or line feed in what was asked for is shown in its echo, where the output's own lines and columns are not.
        let tabbedLot = try Command.run(["lots", "CL-1\tX\nY", "--data-dir", data])
        #expect(tabbedLot.output.hasPrefix("Lot CL-1␉X␊Y: 0 session(s)"), "\(tabbedLot.output.prefix(200))")
        let tabbedPatient = try Command.run(["history", "P-1\t", "--data-dir", data])
        #expect(tabbedPatient.output.hasPrefix("No sessions for patient P-1␉."), "\(tabbedPatient.output.prefix(200))")

        // A session copied in under a name with a tab and a line feed: named on one line among the
        // recall's problems ("the same session as"), so that no file adds a line of its own to a recall.
        try FileManager.default.copyItem(atPath: logs[4], toPath: data + "/2026-01-06T00-00-00.000Z_c0py0001.tlog")
        try FileManager.default.copyItem(atPath: logs[4], toPath: data + "/2026-01-07T00-00-00.000Z_b\tFAKE\nLINE.tlog")
        let copiedOpening = try #require(try LogReader.verify(path: logs[4]).opening)
        for run in [["history", copiedOpening.patientReference, "--data-dir", data], ["lots", copiedOpening.cartridge.lot, "--data-dir", data]] {
            let recall = try Command.run(run)
            #expect(recall.output.contains("b␉FAKE␊LINE.tlog: the same session as"), "\(run): \(recall.output)")
            #expect(!recall.output.split(separator: "\n").contains { $0.hasPrefix("LINE") }, "\(run): \(recall.output)")
        }

        // And the hostile text is shown, not dropped: an auditor sees that it was recorded.
        let report = try Command.run(["report", hostileName, "--data-dir", data])
        #expect(report.output.contains("␛]0;pwned␇␛[2J<U+009B>31m<U+202E>evil␡␀end"), "\(report.output.prefix(600))")
        let listing = try Command.run(["verify", data])
        #expect(listing.output.contains("_␛[2J.tlog: valid"), "\(listing.output)")
        #expect(listing.output.contains("_\\xFFab.tlog: valid"), "\(listing.output)")
        let byReference = try Command.run(["report", "\u{1B}[2", "--data-dir", data])
        #expect(byReference.output.contains("evil"), "found by the start of its id: \(byReference.error)")
        let refused = try Command.run(["report", data + "/2026-01-03T00-00-00.000Z_0pening1.tlog", "--data-dir", data])
        #expect(refused.status == 1)
        #expect(refused.output.contains("does not follow: record 1 is refused"))
        // Replay once trapped building its model for such a log: now a message and exit 1, before any screen.
        let replay = try Command.run(["replay", data + "/2026-01-03T00-00-00.000Z_0pening1.tlog", "--data-dir", data])
        #expect(replay.status == 1, "\(replay.error)")
        #expect(replay.error.contains("nothing to replay: record 1 does not follow"))
        let broken = try Command.run(["verify", corrupt])
        #expect(broken.status == 1)
        #expect(broken.output.contains("␛[2J<U+009B>"), "\(broken.output)")
    }

    @Test func protocolNumbersThatOnceTrappedAreRefusedWithTheirKeyAndLine() throws {
        let root = Command.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let text = DefaultProtocol.text
        let cases: [(String, String, String)] = [
            ("min_depth_mm = 0.25", "min_depth_mm = inf", "must be a finite number"),
            ("min_depth_mm = 0.25", "min_depth_mm = nan", "must be a finite number"),
            ("min_depth_mm = 0.25", "min_depth_mm = 1e300", "must be more than 0 and at most 10 mm"),
            ("min_depth_mm = 0.25", "min_depth_mm = -1e300", "must be more than 0 and at most 10 mm"),
            ("min_depth_mm = 0.25", "min_depth_mm = 9223372036854775807", "must be more than 0 and at most 10 mm"),
            ("depth_step_mm = 0.25", "depth_step_mm = +inf", "must be a finite number"),
            // Values below what the app records: a limit no dose could meet, a step of no micrometres.
            ("depth_step_mm = 0.25", "depth_step_mm = 0.0000001", "must be at least 0.001 mm (1 µm, the smallest depth recorded)"),
            ("maximum_amount_g = 40 ", "maximum_amount_g = 0.0001 ", "must be at least 0.001 g (1 mg, the smallest amount recorded)"),
            ("maximum_amount_g = 40 ", "maximum_amount_g = 0.0005 ", "in whole milligrams"),
            ("maximum_interval_weeks = 6", "maximum_interval_weeks = 9223372036854775807", "must be 1 to 520"),
            ("series_maximum = 6", "series_maximum = -9223372036854775808", "must be 1 to 100"),
        ]
        for (original, replacement, message) in cases {
            #expect(text.contains(original), "the embedded protocol has \(original)")
            let path = root + "/p.toml"
            try text.replacingOccurrences(of: original, with: replacement).write(toFile: path, atomically: true, encoding: .utf8)
            for run in [["protocol", "check", path], ["protocol", "show", "--protocol", path],
                        ["sample", "--out", root + "/s", "--sessions", "1", "--protocol", path], ["run", "--protocol", path]] {
                let result = try Command.run(run)
                #expect(result.status == 1 || result.status == 2, "\(replacement): \(run[0]) exited \(result.status)")
                let said = result.output + result.error
                #expect(said.contains(message), "\(replacement): \(said)")
                #expect(said.contains("p.toml:"), "names the file and line: \(said)")
            }
        }
    }

    /// Every crash the fuzzers found (kept in their seed corpora as found-*):
    /// refused with a message, never an abort.
    @Test func whatTheFuzzersFoundIsRefusedCleanly() throws {
        for (folder, command) in [("protocol-file", ["protocol", "check"]), ("theme-file", ["themes", "check"])] {
            let directory = Command.packageRoot + "/Fuzz/Corpus/" + folder
            let found = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix("found-") }
            #expect(!found.isEmpty)
            for name in found {
                let result = try Command.run(command + [directory + "/" + name])
                #expect(result.status == 1, "\(name): exit \(result.status) \(result.error.suffix(300))")
                #expect(result.output.contains(name + ":"), "\(name): \(result.output)")
            }
        }
    }

    /// Found by attacking the binary: a line feed in a file name forged a
    /// whole line of verify's output; records after sign-off read as valid;
    /// recall exited 0 past logs it could not read.
    @Test func namesRecordsAndRecallThatOnceMisled() throws {
        let data = Command.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        #expect(try Command.run(["sample", "--out", data, "--sessions", "2", "--seed", "9", "--without-staff"]).status == 0)
        let logs = try DataDirectory.logFiles(in: data)
        let forged = data + "/a\nx.tlog: valid (signed), 99 records\nb.tlog"
        try FileManager.default.copyItem(atPath: logs[0], toPath: forged)
        let verify = try Command.run(["verify", data])
        #expect(verify.output.split(separator: "\n").count == 3, "one line per file: \(verify.output)")
        #expect(verify.output.contains("a␊x.tlog: valid (signed), 99 records␊b.tlog: valid"))
        let listing = try Command.run(["sessions", "--data-dir", data]).output
        #expect(!listing.contains("\nx.tlog"))
        try FileManager.default.removeItem(atPath: forged)

        // A record that is not an addendum after session.signed: refused by the reader itself.
        try Self.recraft(logs[0], to: logs[0] + ".tmp") { _ in }
        var lines = String(decoding: FileManager.default.contents(atPath: logs[0])!, as: UTF8.self).split(separator: "\n").map(String.init)
        var records: [SessionRecord] = []
        _ = try LogReader.read(path: logs[0]) { records.append($0.record) }
        let signed = try #require(records.firstIndex { $0.event.kind == .signed })
        var after = records[signed]
        after.seq = records.count + 1
        after.event = .aborted(reason: "after the fact")
        let previous = String(lines.last!.suffix(64))
        lines.append(String(decoding: RecordLine(record: after, previousDigest: previous).bytes.dropLast(), as: UTF8.self))
        try (lines.joined(separator: "\n") + "\n").write(toFile: logs[0], atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(atPath: logs[0] + ".tmp")
        let sealed = try Command.run(["verify", logs[0]])
        #expect(sealed.status == 1)
        #expect(sealed.output.contains("session.aborted after the session was signed"), "\(sealed.output)")

        // History and recall say they may have missed a session.
        let patient = try #require(records.first.flatMap { record -> String? in
            if case let .opened(opening) = record.event { return opening.patientReference }
            return nil
        })
        #expect(try Command.run(["history", patient, "--data-dir", data]).status == 1)
        #expect(try Command.run(["lots", "X", "--data-dir", data]).status == 1)
    }

    @Test func aHugeProtocolIsReadInLinearTime() throws {
        let root = Command.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        // 28,000 [[aftercare]] entries, just under the 1 MiB limit: once 24 s, quadratic.
        let path = root + "/many.toml"
        try (DefaultProtocol.text + "\n" + (0..<28_000).map { "[[aftercare]]\nid=\"a\($0)\"\ntext=\"a\"\n" }.joined())
            .write(toFile: path, atomically: true, encoding: .utf8)
        let result = try Command.run(["protocol", "check", path])
        #expect(result.status == 0, "\(result.output)\(result.error)")
    }

    @Test func aFIFOInTheDataDirectoryHangsNothing() throws {
        let data = Command.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        #expect(try Command.run(["sample", "--out", data, "--sessions", "2", "--seed", "9", "--without-staff"]).status == 0)
        let fifo = data + "/2026-12-31T00-00-00.000Z_ffffffff.tlog"
        #expect(mkfifo(fifo, 0o600) == 0)
        // Each of these once blocked in open() for ever.
        let verify = try Command.run(["verify", data])
        #expect(verify.status == 2)
        #expect(verify.output.contains("a FIFO, not a regular file"))
        #expect(try Command.run(["verify", fifo]).status == 2)
        let sessions = try Command.run(["sessions", "--data-dir", data])
        #expect(sessions.output.contains("P-"), "the readable sessions are still listed")
        #expect(try Command.run(["report", fifo, "--data-dir", data]).error.contains("a FIFO, not a regular file"))
        #expect(try Command.run(["history", "P-1001", "--data-dir", data]).status != 137)
        #expect(try Command.run(["lots", "X", "--data-dir", data]).status != 137)
        #expect(try Command.run(["resume", fifo, "--data-dir", data]).error.contains("a FIFO"))
        #expect(try Command.run(["protocol", "check", fifo]).error.contains("a FIFO, not a regular file"))
        #expect(try Command.run(["themes", "check", fifo]).error.contains("a FIFO, not a regular file"))
    }

    /// Replay holds the log it shows: a file larger than it holds (here a
    /// sparse one that claims 3 GiB) is refused before anything is read,
    /// with a message and exit 2, not an allocation that fails.
    @Test func replayRefusesALogLargerThanItHolds() throws {
        let data = Command.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let huge = data + "/2026-12-31T00-00-00.000Z_eeeeeeee.tlog"
        #expect(FileManager.default.createFile(atPath: huge, contents: nil))
        #expect(truncate(huge, 3 << 30) == 0)
        let replay = try Command.run(["replay", huge, "--data-dir", data])
        #expect(replay.status == 2)
        #expect(replay.error.contains("larger than \(ReplayLog.sizeLimit) bytes"))
    }

    @Test func aReportFindsItsProtocolBesideTheLog() throws {
        let root = Command.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let clinic = root + "/clinic.toml"
        try DefaultProtocol.text.replacingOccurrences(of: "id = \"trillium-default-microneedling\"", with: "id = \"clinic-own\"")
            .write(toFile: clinic, atomically: true, encoding: .utf8)
        #expect(try Command.run(["sample", "--out", root + "/copied", "--sessions", "1", "--protocol", clinic]).status == 0)
        let log = try DataDirectory.logFiles(in: root + "/copied")[0]
        // Read with another data directory: the protocol is found beside the log.
        let report = try Command.run(["report", log, "--data-dir", root + "/elsewhere"])
        #expect(report.output.contains("clinic-own"))
        // The photos stayed behind in the first data directory: said, and a finding, never passed over.
        let attached = report.output.contains("MISSING from attachments/")
        #expect(report.status == (attached ? 1 : 0), "\(report.error)")
        #expect(try Command.run(["report", log, "--data-dir", root + "/copied"]).status == 0)
    }

    @Test func aLogWhoseFirstLineIsBadSaysSo() throws {
        let data = Command.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let log = data + "/2026-01-01T00-00-00.000Z_00000000.tlog"
        try "{\"seq\":1}\n{\"seq\":2}\n".write(toFile: log, atomically: true, encoding: .utf8)
        let report = try Command.run(["report", log, "--data-dir", data])
        #expect(report.status == 1)
        // It once said "the protocol (SHA-256 unknown) is not in protocols/".
        #expect(report.error.contains("no valid first record"), "\(report.error)")
        #expect(!report.error.contains("unknown"))
    }
}
