import Foundation
import Testing
import TrilliumCore
import TrilliumLog
import TrilliumServices
import TrilliumUI

/// A treatment in progress with what an auditor looks for: a repaired log,
/// a note, and a correction of that note.
enum ReplayFixture {
    static let noteText = "Pinpoint bleeding on the forehead, settled with pressure"

    static func records() -> [SessionRecord] {
        var f = SessionFixture.at(.treatment)
        f.apply(.logRepaired(LogRepair(droppedBytes: 143, truncatedAt: 9120, backupFile: "5e551011.tlog.torn-at-9120")))
        f.apply(.noteAdded(text: noteText, addendumReason: nil))
        let noteSeq = f.state.lastSeq
        f.apply(.recordCorrected(Correction(seq: noteSeq, field: "text", oldValue: noteText,
                                            newValue: "Pinpoint bleeding on the forehead and glabella, settled with pressure",
                                            reason: "Glabella left out")))
        return f.records
    }

    /// The chain's digests, as the writer would frame these records.
    static func digests(_ records: [SessionRecord]) -> [String] {
        var previous = String(repeating: "0", count: 64)
        return records.map { record in
            previous = RecordLine(record: record, previousDigest: previous).digest
            return previous
        }
    }

    static func model(size: Size = Size(width: 80, height: 24), glyphs: GlyphSet = .unicode,
                      integrity: ReplayIntegrity? = nil, validRecords: Int? = nil) -> ReplayModel {
        let all = records()
        let records = Array(all.prefix(validRecords ?? all.count))
        let replay = SessionReplay(records: records, treatmentProtocol: SessionFixture.treatmentProtocol)
        let digests = digests(records)
        return ReplayModel(
            replay: replay, digests: LineDigests(digests), path: "/var/lib/trillium/2026-03-02T09-00-00.000Z_5e551011.tlog",
            integrity: integrity ?? ReplayIntegrity(headline: "Log valid, open: never signed or aborted",
                                                    detail: "\(records.count) records, head \(digests.last!)", kind: .warning),
            size: size, glyphs: glyphs)
    }
}

extension ReplayModel {
    mutating func press(_ keys: [Key]) -> [ReplayEffect] {
        var effects: [ReplayEffect] = []
        for key in keys {
            let (next, more) = ReplayUpdate.update(self, .key(key))
            self = next
            effects += more
        }
        return effects
    }

    mutating func advance(_ milliseconds: Milliseconds) {
        (self, _) = ReplayUpdate.update(self, .advance(milliseconds))
    }
}

@Suite("Replay: update")
struct ReplayUpdateTests {
    @Test func stepsJumpsAndFoldsTheStateAtEveryRecord() {
        var model = ReplayFixture.model()
        #expect(model.record.seq == 1)
        #expect(model.state.phase == .screening)
        _ = model.press([.down, .down, .character("j")])
        #expect(model.record.seq == 4)
        #expect(model.state.lastSeq == 4)
        _ = model.press([.up])
        #expect(model.record.seq == 3)
        _ = model.press([.end])
        #expect(model.record.seq == model.count)
        #expect(model.state.phase == .treatment)
        #expect(model.state.notes.count == 1)
        _ = model.press([.pageUp])
        #expect(model.record.seq == model.count - 10)
        _ = model.press([.home, .up])
        #expect(model.record.seq == 1, "stepping stops at the first record")
        _ = model.press([.character("g")] + keys("30") + [.enter])
        #expect(model.record.seq == 30)
        #expect(model.state == ReplayFixture.model().replay.state(through: 29))
    }

    @Test func aRecordNumberOutsideTheLogIsRefusedWithTheRange() {
        var model = ReplayFixture.model()
        let effects = model.press([.character("#")] + keys("999") + [.enter])
        #expect(effects == [.bell])
        #expect(model.record.seq == 1)
        #expect(model.notice?.text == "No record \"999\" here: the records go from 1 to \(model.count).")
        _ = model.press([.character("g")] + keys("12") + [.escape])
        #expect(model.record.seq == 1, "Esc goes nowhere")
        #expect(model.entry == nil)
    }

    @Test func findsByTypeZoneAndTextAndWrapsRound() {
        var model = ReplayFixture.model()
        _ = model.press([.character("/")] + keys("cheek") + [.enter])
        // The anesthetic's dose names the zones it covered: the cheek is found there first.
        guard case let .anestheticApplied(_, _, dose?) = model.record.event, dose.zones.contains("cheek_left") else {
            Issue.record("the first match is the dose over the cheek, not \(model.record.event.kind)")
            return
        }
        _ = model.press([.character("n")])
        guard case let .depthSet(zone, _, _) = model.record.event else {
            Issue.record("the first match is the cheek's depth, not \(model.record.event.kind)")
            return
        }
        #expect(zone == "cheek_left")
        // The opening names the cheek among its planned zones, the dose among those it covered: four matches, from the top.
        #expect(model.notice?.text.contains("match 3 of 4") == true)
        _ = model.press([.character("n")])
        #expect(model.record.event.kind == .passRecorded)
        _ = model.press([.character("n")])
        #expect(model.record.seq == 1, "n wraps round to the opening")
        _ = model.press([.character("N")])
        #expect(model.record.event.kind == .passRecorded, "N goes back, round the end")
        _ = model.press([.character("/"), .control("u")] + keys("record.corrected") + [.enter])
        #expect(model.record.event.kind == .recordCorrected)
        _ = model.press([.home, .character("/"), .control("u")] + keys("GLABELLA") + [.enter])
        #expect(model.record.event.kind == .recordCorrected, "text inside a record's data is found, whatever its case")
        let effects = model.press([.character("/"), .control("u")] + keys("keloid scar") + [.enter])
        #expect(effects == [.bell])
        #expect(model.notice?.text == "No record matches \"keloid scar\".")

        // n and N step through what the search found, kept, without reading every record again.
        _ = model.press([.home, .character("/"), .control("u")] + keys("cheek") + [.enter])
        let found = model.lastMatches
        #expect(found.count == 4 && found == found.sorted())
        model.lastMatches = [2, 5]
        _ = model.press([.home, .character("n")])
        #expect(model.position == 2)
        _ = model.press([.character("n")])
        #expect(model.position == 5)
        #expect(model.notice?.text.contains("match 2 of 2") == true)
        _ = model.press([.character("N"), .character("N")])
        #expect(model.position == 5, "N goes back round the start to the last")
    }

    /// The search reads a long log a run at a time: every match is found, in
    /// order, whichever run it falls in, the first and last records included.
    @Test func aSearchOfALongLogFindsEveryMatchAcrossItsRuns() {
        var f = SessionFixture.at(.treatment)
        var expected: [Int] = []
        for index in 0..<1_300 {
            let marked = index % 97 == 0 || index == 1_299
            f.apply(.noteAdded(text: marked ? "Patient asked about Q7-marker \(index)" : "Routine observation \(index)", addendumReason: nil))
            if marked { expected.append(f.state.lastSeq - 1) }
        }
        let records = f.records
        #expect(records.count > 2 * 512, "more than two runs")
        let replay = SessionReplay(records: records, treatmentProtocol: SessionFixture.treatmentProtocol)
        var model = ReplayModel(replay: replay, digests: LineDigests(ReplayFixture.digests(records)), path: "/tmp/long.tlog",
                                integrity: ReplayIntegrity(headline: "Log valid", detail: "", kind: .info),
                                size: Size(width: 80, height: 24), glyphs: .unicode)
        _ = model.press([.character("/")] + keys("q7-MARKER") + [.enter])
        #expect(model.lastMatches == expected)
        #expect(model.position == expected[0])
    }

    @Test func playingKeepsTheRealSpacingBetweenRecordsAtTheChosenSpeed() {
        var model = ReplayFixture.model()
        // Anesthetic applied, then removed 32 minutes later: find the application.
        let applied = model.replay.records.firstIndex { $0.event.kind == .anestheticApplied }!
        _ = model.press([.character("g")] + keys(String(applied + 1)) + [.enter, .space])
        #expect(model.isPlaying)
        let gap = model.replay.gap(after: applied)!
        #expect(gap == 32 * 60_000 + 20_000, "the fixture's 32 minutes of dwell, after its usual 20 s")
        model.advance(gap - 1000)
        #expect(model.position == applied, "one second before the removal, still at the application")
        #expect(model.now.elapsed(since: model.record.stamp) == gap - 1000, "the dwell timer runs while playing")
        model.advance(1000)
        #expect(model.position == applied + 1)
        _ = model.press([.character("s")])
        #expect(model.speed == .tenTimes)
        model.advance(2000)
        // 20 s of session time: the records 20 s apart move on by one.
        #expect(model.position == applied + 2)
        _ = model.press([.space])
        #expect(!model.isPlaying)
        model.advance(600_000)
        #expect(model.position == applied + 2, "paused means paused")
    }

    @Test func theFastestSpeedStepsARecordAFrameAndStopsAtTheEnd() {
        var model = ReplayFixture.model()
        _ = model.press([.character("s"), .character("s"), .character("s")])
        #expect(model.speed == .fastest)
        _ = model.press([.space])
        for _ in 0..<5 { model.advance(1) }
        #expect(model.position == 5)
        for _ in 0..<model.count { model.advance(1) }
        #expect(model.position == model.count - 1)
        #expect(!model.isPlaying)
        #expect(model.notice?.text.hasPrefix("End of the log") == true)
        _ = model.press([.space])
        #expect(model.position == 0 && model.isPlaying, "Space at the end plays again from the start")
    }

    @Test func resizingChangesTheLayoutNotThePlace() {
        var model = ReplayFixture.model()
        let pass = ReplayFixture.records().first { $0.event.kind == .passRecorded }!.seq
        _ = model.press([.character("g")] + keys(String(pass)) + [.enter])
        (model, _) = ReplayUpdate.update(model, .resized(Size(width: 60, height: 20)))
        #expect(ReplayView.render(model).text().contains("Terminal too small"))
        (model, _) = ReplayUpdate.update(model, .resized(Size(width: 120, height: 40)))
        #expect(model.isWide)
        #expect(model.record.seq == pass)
        let text = ReplayView.render(model).text()
        #expect(text.contains("Passes 1/3"), "the treatment screen")
        #expect(text.contains("Record #\(pass) zone.pass"), "the record in full")
        #expect(text.contains(" time      elapsed by  type"), "the timeline")
    }

    @Test func overlaysAndPanesAndQuit() {
        var model = ReplayFixture.model()
        _ = model.press([.tab])
        #expect(model.pane == .screen)
        _ = model.press([.character("?")])
        #expect(model.context == .help)
        _ = model.press([.down, .escape])
        #expect(model.helpScroll == nil)
        _ = model.press([.enter])
        #expect(model.context == .record)
        _ = model.press([.character("q")])
        #expect(model.recordScroll == nil, "q closes the record, it does not quit")
        #expect(model.press([.character("q")]) == [.quit])
    }
}

@Suite("Replay: screens")
struct ReplaySnapshotTests {
    static let sizes = [Size(width: 80, height: 24), Size(width: 120, height: 40)]
    static func at(_ kind: EventKind, _ model: ReplayModel) -> ReplayModel {
        var model = model
        model.go(to: model.replay.records.firstIndex { $0.event.kind == kind }!)
        return model
    }

    static let views: [(String, @Sendable (Size) -> ReplayModel)] = [
        ("replay-timeline", { ReplayFixture.model(size: $0) }),
        ("replay-dwell", { size in
            var model = at(.anestheticApplied, ReplayFixture.model(size: size))
            _ = model.press([.space])
            model.advance(12 * 60_000 + 5000)
            return model
        }),
        ("replay-screen", { size in
            var model = at(.passRecorded, ReplayFixture.model(size: size))
            _ = model.press([.tab])
            return model
        }),
        ("replay-corrected-note", { at(.noteAdded, ReplayFixture.model(size: $0)) }),
        ("replay-correction", { at(.recordCorrected, ReplayFixture.model(size: $0)) }),
        ("replay-repair", { at(.logRepaired, ReplayFixture.model(size: $0)) }),
        ("replay-find", { size in
            var model = ReplayFixture.model(size: size)
            _ = model.press([.character("/")] + keys("cheek"))
            return model
        }),
        ("replay-help", { size in
            var model = ReplayFixture.model(size: size)
            _ = model.press([.character("?")])
            return model
        }),
        ("replay-record", { size in
            var model = ReplayFixture.model(size: size)
            _ = model.press([.enter])
            return model
        }),
        ("replay-corrupt", { size in
            var model = ReplayFixture.model(size: size, integrity: ReplayIntegrity(
                headline: "CORRUPT at seq 31: replayed up to record 30, the last valid", detail: "line 31, byte 9120: digest check failed",
                kind: .danger), validRecords: 30)
            model.go(to: 29)
            return model
        }),
    ]

    @Test(arguments: 0..<views.count)
    func view(_ index: Int) {
        let (name, make) = Self.views[index]
        for size in Self.sizes {
            Snapshot.assertMatchesInEveryTheme(name, ReplayView.render(make(size)))
        }
    }

    /// The 80×24 audit for replay (issue 9, defect 6: the header's time and the
    /// record number were cut while playing): nothing cut without an ellipsis.
    @Test(arguments: 0..<views.count)
    func nothingIsCutWithoutAnEllipsisAt80x24(_ index: Int) {
        let (name, make) = Self.views[index]
        var playing = make(Size(width: 80, height: 24))
        for model in [make(Size(width: 80, height: 24)), { _ = playing.press([.space]); playing.advance(61_000); return playing }()] {
            let buffer = ReplayView.render(model)
            #expect(buffer.cutTexts.isEmpty, "\(name) cuts: \(buffer.cutTexts)")
        }
    }

    @Test func theBannerSaysReplayAndTheScreenIsTheLiveAppsOwn() {
        for size in Self.sizes {
            var model = Self.at(.zoneSkipped, ReplayFixture.model(size: size))
            if !model.isWide { _ = model.press([.tab]) }
            let text = ReplayView.render(model).text()
            #expect(text.hasPrefix(" REPLAY · READ-ONLY "))
            // The live treatment screen, drawn by AppView from the state folded up to this record.
            let live = AppView.render(model.screenModel).text().split(separator: "\n").map(String.init)
            let shown = text.split(separator: "\n").map(String.init)
            let zoneRows = live.filter { $0.contains("Forehead") || $0.contains("Chin") }
            #expect(!zoneRows.isEmpty)
            for row in zoneRows {
                #expect(shown.contains { $0.contains(row.trimmingCharacters(in: .whitespaces)) }, "\(size): \(row)")
            }
        }
    }

    @Test func asciiGlyphsAndNoFooterLost() {
        let model = ReplayFixture.model(glyphs: .ascii)
        let text = ReplayView.render(model).text()
        #expect(text.unicodeScalars.allSatisfy { $0.isASCII })
        let footer = text.split(separator: "\n", omittingEmptySubsequences: false)[23]
        #expect(footer.hasPrefix(" ? help"))
        #expect(footer.contains("q quit"))
    }
}

@Suite("Replay: integrity of real logs")
struct ReplayIntegrityTests {
    static func sample() throws -> (String, String, SessionStore) {
        let root = NSTemporaryDirectory() + "trillium-replay-\(UUID().uuidString)"
        let directory = DataDirectory(path: root)
        let paths = try SampleGenerator(sessionCount: 2, seed: 4).write(into: directory)
        return (root, paths[0], SessionStore(directory: directory, appVersion: "test"))
    }

    static func replay(_ path: String, _ store: SessionStore) throws -> (SessionReplay, ReplayIntegrity) {
        let log = try store.readForReplay(path: path)
        let p = try store.loadProtocol(digest: log.verification.opening!.protocolReference.digest)
        let replay = SessionReplay(records: log, treatmentProtocol: p)
        return (replay, ReplayIntegrity(verification: log.verification, replay: replay))
    }

    @Test func validTornAndCorruptLogsSayWhatTheyAreAndReplayWhatIsValid() throws {
        let (root, path, store) = try Self.sample()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (whole, valid) = try Self.replay(path, store)
        #expect(valid.headline.hasPrefix("Log valid and sealed"))
        #expect(valid.kind == .info)
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        let lineStarts = [0] + bytes.indices.filter { bytes[$0] == 0x0A }.map { $0 + 1 }.dropLast()

        // A torn tail: the last line cut in half.
        let torn = path + ".torn.tlog"
        try Data(bytes[..<(lineStarts.last! + 40)]).write(to: URL(fileURLWithPath: torn))
        let (tornReplay, tornIntegrity) = try Self.replay(torn, store)
        #expect(tornIntegrity.headline == "Torn tail: replayed up to record \(whole.count - 1), the last whole one")
        #expect(tornIntegrity.detail.hasPrefix("an interrupted last write at byte \(lineStarts.last!)"))
        #expect(tornIntegrity.kind == .warning)
        #expect(tornReplay.count == whole.count - 1)

        // Resumed, the torn tail is repaired and the repair recorded: replay says where.
        try store.resume(path: torn).close()
        let (repairedReplay, repaired) = try Self.replay(torn, store)
        #expect(repaired.headline == "Log valid, open: never signed or aborted")
        #expect(repaired.detail.hasSuffix("; torn tail repaired at #\(whole.count)"))
        #expect(repairedReplay.records.last?.event.kind == .logRepaired)

        // One byte changed in line 10: corrupt from seq 10, replayed up to 9.
        bytes[lineStarts[9] + 30] ^= 0x01
        let corrupt = path + ".corrupt.tlog"
        try Data(bytes).write(to: URL(fileURLWithPath: corrupt))
        let (corruptReplay, corruptIntegrity) = try Self.replay(corrupt, store)
        #expect(corruptIntegrity.headline == "CORRUPT at seq 10: replayed up to record 9, the last valid")
        #expect(corruptIntegrity.detail.hasPrefix("line 10, byte \(lineStarts[9]): "))
        #expect(corruptIntegrity.kind == .danger)
        #expect(corruptReplay.count == 9)
        #expect(corruptReplay.state(through: 8) == whole.state(through: 8))
    }
}
