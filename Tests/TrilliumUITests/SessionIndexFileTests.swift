import Foundation
import Testing
import TrilliumCore
import TrilliumLog
import TrilliumRuntime
import TrilliumServices
import TrilliumSettings
import TrilliumUI

/// The session index beside the logs is a cache and never the record:
/// deleted, truncated, corrupted, foreign or out of date, it is rebuilt or
/// read past, and the start screen and `sessions` show exactly what reading
/// every log shows.
@Suite("The session index is only a cache")
struct SessionIndexFileTests {
    /// Sample sessions, plus a torn log and a corrupt one.
    static func dataDirectory() throws -> (DataDirectory, EffectPerformer, [String]) {
        let root = NSTemporaryDirectory() + "trillium-index-\(UUID().uuidString)"
        let directory = DataDirectory(path: root)
        var paths = try SampleGenerator(sessionCount: 10, seed: 5).write(into: directory)
        let original = try #require(FileManager.default.contents(atPath: paths[0]))
        let torn = root + "/2026-09-01T08-00-00.000Z_0000aaaa.tlog"
        // Cut mid-way, inside a line: a torn tail before the sign-off, so the session is resumable.
        _ = FileManager.default.createFile(atPath: torn, contents: original.prefix(original.count / 2), attributes: [.posixPermissions: 0o600])
        var damaged = Array(original)
        damaged[damaged.count / 2] ^= 0x01
        let corrupt = root + "/2026-09-02T08-00-00.000Z_0000bbbb.tlog"
        _ = FileManager.default.createFile(atPath: corrupt, contents: Data(damaged), attributes: [.posixPermissions: 0o600])
        paths += [torn, corrupt]
        let store = SessionStore(directory: directory, clock: ManualClock(wallMilliseconds: Int64(CivilDate.days(year: 2026, month: 1, day: 8)) * 86_400_000,
                                                                          bootID: "index-test"), appVersion: "test")
        let performer = EffectPerformer(store: store, treatmentProtocol: ProtocolFile.defaultProtocol(),
                                        protocolText: DefaultProtocol.text, workstation: "test")
        return (directory, performer, paths)
    }

    /// What `trillium sessions` prints for each log, read in full without the index.
    static func rowsReadingEveryLog(_ paths: [String]) -> [[String]] {
        paths.sorted().map(SessionSummary.init(path:)).map(row)
    }

    static func row(_ s: SessionSummary) -> [String] {
        [s.started, s.patient, s.operatorName, s.phase, s.status, s.fileName]
    }

    static func rowsThroughIndex(_ directory: DataDirectory) throws -> ([[String]], LogIndex.Statistics) {
        let (logs, statistics) = try LogIndex.listing(of: directory.path)
        return (logs.map(SessionSummary.init).map(row), statistics)
    }

    /// A log copied in under a name with a tab, a backslash and a line feed
    /// has its name escaped in the index: its entry is still found and used,
    /// not read again at every start.
    @Test func aLogWithEscapedCharactersInItsNameIsListedFromTheIndex() throws {
        let (directory, _, paths) = try Self.dataDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory.path) }
        let odd = directory.path + "/2026-09-03T08-00-00.000Z_tab\tback\\slash\nline.tlog"
        try FileManager.default.copyItem(atPath: paths[1], toPath: odd)
        let expected = Self.rowsReadingEveryLog(paths + [odd])
        let (first, built) = try Self.rowsThroughIndex(directory)
        #expect(first == expected)
        #expect(built.read == paths.count + 1)
        let (second, used) = try Self.rowsThroughIndex(directory)
        #expect(second == expected)
        #expect(used == LogIndex.Statistics(fromIndex: paths.count + 1, read: 0, rebuilt: false))
    }

    @Test func aMissingIndexIsBuiltThenUsed() throws {
        let (directory, performer, paths) = try Self.dataDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory.path) }
        let expected = Self.rowsReadingEveryLog(paths)
        #expect(expected.contains { $0[4] == "CORRUPT at line 2" || $0[4].hasPrefix("CORRUPT") })
        #expect(expected.contains { $0[4].hasPrefix("torn tail") })

        let (first, built) = try Self.rowsThroughIndex(directory)
        #expect(first == expected)
        #expect(built == LogIndex.Statistics(fromIndex: 0, read: paths.count, rebuilt: true))
        let (second, used) = try Self.rowsThroughIndex(directory)
        #expect(second == expected)
        #expect(used == LogIndex.Statistics(fromIndex: paths.count, read: 0, rebuilt: false))

        // The start screen from the index is the start screen from the logs.
        let fromIndex = performer.startData()
        try FileManager.default.removeItem(atPath: directory.path + "/" + LogIndex.fileName)
        #expect(performer.startData() == fromIndex)
        #expect(fromIndex.unreadable.contains { $0.contains("0000bbbb") && $0.contains("CORRUPT") })
    }

    /// Where staff accounts exist the app opens on the sign-in screen, which
    /// shows nothing of the sessions: no log is listed, read or indexed until
    /// someone has signed in, and then the start screen is what it always was.
    @Test func nothingIsListedBeforeSomeoneSignsIn() throws {
        let root = NSTemporaryDirectory() + "trillium-index-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let directory = DataDirectory(path: root)
        let paths = try SampleGenerator(sessionCount: 3, seed: 5, withStaff: true, withAttachments: false).write(into: directory)
        var damaged = Array(try #require(FileManager.default.contents(atPath: paths[0])))
        damaged[damaged.count / 2] ^= 0x01
        _ = FileManager.default.createFile(atPath: root + "/2026-09-02T08-00-00.000Z_0000bbbb.tlog", contents: Data(damaged),
                                           attributes: [.posixPermissions: 0o600])
        try? FileManager.default.removeItem(atPath: root + "/" + LogIndex.fileName)
        let performer = EffectPerformer(store: SessionStore(directory: directory, appVersion: "test"), treatmentProtocol: ProtocolFile.defaultProtocol(),
                                        protocolText: DefaultProtocol.text, workstation: "test")

        var signInScreen = StartData()
        signInScreen.hasStaffAccounts = true
        #expect(performer.perform(.loadStart) == [.startLoaded(signInScreen)])
        #expect(!FileManager.default.fileExists(atPath: root + "/" + LogIndex.fileName), "no log was listed for the sign-in screen")

        let signedIn = performer.perform(.signIn(id: "jokafor", pin: "operator-1234", unlocking: false))
        #expect(signedIn.count == 1)
        guard case let .startLoaded(start)? = performer.perform(.loadStart).first else {
            Issue.record("no start screen after signing in")
            return
        }
        #expect(start.hasStaffAccounts)
        #expect(start.unreadable.contains { $0.contains("0000bbbb") && $0.contains("CORRUPT") }, "\(start.unreadable)")
        #expect(FileManager.default.fileExists(atPath: root + "/" + LogIndex.fileName))
    }

    /// Today's sessions on the start screen say their state before the
    /// patient and operator (a long name is cut first at 80 columns), and a
    /// sealed one's phase is not said twice ("Signed  signed").
    @Test func todaysSessionsSayTheirStateBeforeTheirNames() throws {
        let (directory, _, paths) = try Self.dataDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory.path) }
        let signed = try #require(paths.first { SessionSummary(path: $0).status == "signed" })
        let day = try #require(SessionSummary(path: signed).verification?.firstStamp)
        let store = SessionStore(directory: directory, clock: ManualClock(wallMilliseconds: day.wallMilliseconds + 3_600_000, bootID: "t"),
                                 appVersion: "test")
        let performer = EffectPerformer(store: store, treatmentProtocol: ProtocolFile.defaultProtocol(),
                                        protocolText: DefaultProtocol.text, workstation: "test")
        let summary = SessionSummary(path: signed)
        // The torn and the corrupt copies of the first session share its day: open ones say their phase too.
        let today = performer.startData().today
        let names = "  \(summary.patient)  \(summary.operatorName)"
        #expect(today.first == "\(Times.minute(day))  signed" + names, "\(today)")
        #expect(today.dropFirst().map { $0.hasSuffix(names) } == [true, true], "\(today)")
        #expect(today.contains { $0.hasPrefix("\(Times.minute(day))  torn tail (resume repairs it) · ") }, "\(today)")
        #expect(today.contains { $0.hasPrefix("\(Times.minute(day))  CORRUPT at line ") }, "\(today)")
    }

    @Test func aDamagedIndexIsRebuiltFromTheLogs() throws {
        let (directory, performer, paths) = try Self.dataDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory.path) }
        let expected = Self.rowsReadingEveryLog(paths)
        _ = try Self.rowsThroughIndex(directory)
        let startScreen = performer.startData()
        let indexPath = directory.path + "/" + LogIndex.fileName
        let good = try #require(FileManager.default.contents(atPath: indexPath))

        var damages: [(String, Data)] = [
            ("truncated", good.prefix(good.count / 2)),
            ("empty", Data()),
            ("another format", Data("trillium-session-index 99 0 x\n".utf8)),
            ("garbage", Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 131) })),
        ]
        // A patient reference changed in the index itself: the digest no longer matches.
        var edited = Array(good)
        let at = try #require(edited.indices.dropFirst(good.firstIndex(of: 0x0A)! + 1).first { edited[$0] == UInt8(ascii: "P") })
        edited[at] = UInt8(ascii: "Q")
        damages.append(("edited entry", Data(edited)))
        for (damage, bytes) in damages {
            _ = FileManager.default.createFile(atPath: indexPath, contents: bytes)
            let (rows, statistics) = try Self.rowsThroughIndex(directory)
            #expect(rows == expected, "\(damage)")
            #expect(statistics.rebuilt, "\(damage)")
            #expect(performer.startData() == startScreen, "\(damage)")
        }
        // A folder where the index should be: read past, every log read, nothing lost.
        try FileManager.default.removeItem(atPath: indexPath)
        try FileManager.default.createDirectory(atPath: indexPath, withIntermediateDirectories: false)
        #expect(try Self.rowsThroughIndex(directory).0 == expected)
    }

    /// Edited where it lies, to the same size, and its modification time put
    /// back (as `touch -r` does): size, time and inode say nothing changed,
    /// but the kernel moved the change time, and the log is read again.
    @Test func aLogEditedInPlaceWithItsTimePutBackIsReadAgain() throws {
        let (directory, _, paths) = try Self.dataDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory.path) }
        _ = try Self.rowsThroughIndex(directory)
        let edited = try #require(paths.first { SessionSummary(path: $0).status == "signed" })
        var before = stat()
        #expect(lstat(edited, &before) == 0)
        let handle = try #require(FileHandle(forUpdatingAtPath: edited))
        let read = try handle.readToEnd()
        let bytes = try #require(read)
        let at = try #require(Array(bytes).firstIndex(of: UInt8(ascii: "P")))
        try handle.seek(toOffset: UInt64(at))
        try handle.write(contentsOf: Data("Q".utf8))
        try handle.close()
        // The times put back to the nanosecond, as `touch -r` does.
        var times = [before.st_atim, before.st_mtim]
        #expect(utimensat(AT_FDCWD, edited, &times, 0) == 0)
        var after = stat()
        #expect(lstat(edited, &after) == 0)
        #expect(after.st_size == before.st_size && after.st_ino == before.st_ino)
        #expect(after.st_mtim.tv_sec == before.st_mtim.tv_sec && after.st_mtim.tv_nsec == before.st_mtim.tv_nsec)

        let (rows, statistics) = try Self.rowsThroughIndex(directory)
        #expect(statistics.read == 1)
        #expect(rows == Self.rowsReadingEveryLog(paths))
        #expect(rows.contains { $0[5] == (edited as NSString).lastPathComponent && $0[4].hasPrefix("CORRUPT") })
    }

    @Test func aLogThatChangedSinceItsEntryIsReadAgain() throws {
        let (directory, performer, paths) = try Self.dataDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory.path) }
        _ = try Self.rowsThroughIndex(directory)

        // A session resumed and added to: its size and time change.
        let store = SessionStore(directory: directory, appVersion: "test")
        let resumable = try #require(paths.first { SessionSummary(path: $0).isResumable })
        let recorder = try store.resume(path: resumable)
        try recorder.record(.noteAdded(text: "Added after the index was written", addendumReason: nil), by: "Tester")
        recorder.close()
        // A log replaced by another file under the same name and size.
        let replaced = paths[1]
        let bytes = try #require(FileManager.default.contents(atPath: replaced))
        try FileManager.default.removeItem(atPath: replaced)
        var changed = Array(bytes)
        changed[changed.count - 3] = changed[changed.count - 3] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
        _ = FileManager.default.createFile(atPath: replaced, contents: Data(changed), attributes: [.posixPermissions: 0o600])
        // A log removed, and a new one.
        try FileManager.default.removeItem(atPath: paths[2])
        let remaining = paths.filter { $0 != paths[2] }

        let (rows, statistics) = try Self.rowsThroughIndex(directory)
        #expect(rows == Self.rowsReadingEveryLog(remaining))
        #expect(statistics.read == 2)
        #expect(statistics.fromIndex == remaining.count - 2)
        #expect(rows.contains { $0[5] == (replaced as NSString).lastPathComponent && $0[4].hasPrefix("torn tail") })
        let afterwards = performer.startData()
        try FileManager.default.removeItem(atPath: directory.path + "/" + LogIndex.fileName)
        #expect(performer.startData() == afterwards)
    }
}

/// An index rewritten to hide a session from a recall: where the
/// workstation has a key, the index is sealed with it, and an index sealed
/// any other way (its plain digest recomputed, as anyone could) is rebuilt
/// from the logs; where accounts exist but the key cannot be read, no index
/// is trusted at all.
@Suite("A forged session index hides nothing")
struct ForgedIndexTests {
    @Test func anEntryRewrittenAndResealedWithoutTheKeyIsRebuiltFromTheLogs() throws {
        let root = NSTemporaryDirectory() + "trillium-index-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let directory = DataDirectory(path: root)
        let paths = try SampleGenerator(sessionCount: 4, seed: 9, withStaff: true, withAttachments: false).write(into: directory)
        let store = SessionStore(directory: directory, appVersion: "test")
        let lot = try #require(try LogReader.verify(path: paths[1]).opening?.cartridge.lot)
        let recalled = try SessionIndex(store: store, lot: lot).entries.map(\.path)
        #expect(recalled.contains(paths[1]))
        let indexPath = root + "/" + LogIndex.fileName
        let sealed = try #require(FileManager.default.contents(atPath: indexPath))
        #expect(try LogIndex.listing(of: root).statistics == LogIndex.Statistics(fromIndex: paths.count), "a sealed index is used")

        // The lot renamed in the entries and the header's digest computed again, as the plain digest once let anyone.
        let text = String(decoding: sealed, as: UTF8.self)
        let headerEnd = try #require(text.firstIndex(of: "\n"))
        let body = String(text[text.index(after: headerEnd)...]).replacingOccurrences(of: lot, with: "CL-0000-0000")
        #expect(body != String(text[text.index(after: headerEnd)...]))
        let header = text[..<headerEnd].split(separator: " ").dropLast().joined(separator: " ")
        try Data((header + " " + Digest.hex(of: Array(body.utf8)) + "\n" + body).utf8).write(to: URL(fileURLWithPath: indexPath))

        #expect(try SessionIndex(store: store, lot: lot).entries.map(\.path) == recalled, "the recall still finds the session")
        #expect(try LogIndex.listing(of: root).statistics.fromIndex == paths.count, "rebuilt, sealed again, and used")

        // Accounts here but the key gone: no index is trusted or written, every log is read.
        try FileManager.default.removeItem(atPath: directory.workstationPrivateKeyPath)
        try Data((header + " " + Digest.hex(of: Array(body.utf8)) + "\n" + body).utf8).write(to: URL(fileURLWithPath: indexPath))
        #expect(try SessionIndex(store: store, lot: lot).entries.map(\.path) == recalled)
        #expect(try LogIndex.listing(of: root).statistics == LogIndex.Statistics(read: paths.count, rebuilt: true))
    }
}

/// History and recall through the index find what reading every log finds:
/// an entry is passed over only when it cannot name the patient or the lot.
@Suite("History and recall through the session index")
struct IndexedLookupTests {
    static func lookups(_ store: SessionStore, patients: [String], lots: [String]) throws -> [String] {
        try patients.map { PatientHistory.render(try SessionIndex(store: store, patient: $0), patient: $0) }
            + lots.map { LotRecall.render(try SessionIndex(store: store, lot: $0), lot: $0) }
    }

    @Test func theyMatchReadingEveryLogForEachPatientAndLotInAnyCase() throws {
        let (directory, _, paths) = try SessionIndexFileTests.dataDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory.path) }
        let openings = paths.compactMap { SessionSummary(path: $0).opening }
        let patients = Array(Set(openings.map(\.patientReference))).sorted() + ["P-NOBODY", "p-1000"]
        let lots = Array(Set(openings.map(\.cartridge.lot))).sorted()
        let askedLots = lots + lots.map { $0.lowercased() } + ["CL-0000-0000"]
        let store = SessionStore(directory: directory, appVersion: "test")

        try? FileManager.default.removeItem(atPath: directory.path + "/" + LogIndex.fileName)
        let built = try Self.lookups(store, patients: patients, lots: askedLots)
        #expect(try LogIndex.listing(of: directory.path).statistics.fromIndex == paths.count)
        let fromIndex = try Self.lookups(store, patients: patients, lots: askedLots)
        #expect(fromIndex == built)
        // Every lot in any case finds its sessions, and the torn and corrupt logs are named every time.
        for (index, lot) in lots.enumerated() {
            // The same sessions under a title that repeats the lot as it was asked for.
            #expect(fromIndex[patients.count + index].split(separator: "\n").dropFirst()
                == fromIndex[patients.count + lots.count + index].split(separator: "\n").dropFirst())
            #expect(fromIndex[patients.count + index].contains(openings.first { $0.cartridge.lot == lot }!.patientReference))
        }
        #expect(fromIndex.allSatisfy { $0.contains("0000bbbb") && $0.contains("0000aaaa") })
    }

    /// A session is found by the start of its id, however much of it is
    /// given (a file name holds only its first eight digits); a start that
    /// fits several is said to, not guessed.
    @Test func aSessionIsFoundByAnyStartOfItsIdAndAnAmbiguousOneIsSaid() throws {
        let (directory, _, paths) = try SessionIndexFileTests.dataDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory.path) }
        let store = SessionStore(directory: directory, appVersion: "test")
        // One whose id no other file holds (the torn and corrupt logs here are copies of one session).
        let ids = paths.compactMap { SessionSummary(path: $0).opening?.sessionID }
        let signed = try #require(paths.first { path in
            SessionSummary(path: path).status == "signed" && ids.filter { $0 == SessionSummary(path: path).opening?.sessionID }.count == 1
        })
        let id = try #require(SessionSummary(path: signed).opening?.sessionID)
        #expect(try store.locate(id) == signed)
        #expect(try store.locate(String(id.prefix(13)).uppercased()) == signed)
        #expect(try store.locate(String(id.prefix(8))) == signed)
        #expect(throws: StoreError.self) { try store.locate("2") }
        do {
            _ = try store.locate("2")
        } catch {
            #expect(error.description.contains("fits \(paths.count) sessions"), "\(error)")
        }
        #expect(throws: StoreError.self) { try store.locate(id + "0") }
    }

    /// A log copied under another name is the same treatment, not a second
    /// one in the series or the recall: counted once, and both files named.
    @Test func aSessionInTwoFilesIsCountedOnce() throws {
        let (directory, _, paths) = try SessionIndexFileTests.dataDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory.path) }
        let store = SessionStore(directory: directory, appVersion: "test")
        let signed = try #require(paths.first { SessionSummary(path: $0).status == "signed" })
        let opening = try #require(SessionSummary(path: signed).opening)
        let before = try Self.lookups(store, patients: [opening.patientReference], lots: [opening.cartridge.lot])
        let copy = directory.path + "/2099-01-01T00-00-00.000Z_c0py0001.tlog"
        try FileManager.default.copyItem(atPath: signed, toPath: copy)

        let history = try SessionIndex(store: store, patient: opening.patientReference)
        #expect(history.entries.filter { $0.opening.sessionID == opening.sessionID }.count == 1)
        #expect(history.problems.contains { $0.hasPrefix("2099-01-01T00-00-00.000Z_c0py0001.tlog: the same session as ") })
        let after = try Self.lookups(store, patients: [opening.patientReference], lots: [opening.cartridge.lot])
        // The same sessions and series as before, with the copy named under them.
        for (was, now) in zip(before, after) {
            #expect(now.hasPrefix(was.split(separator: "\n").prefix(while: { !$0.contains("0000") }).joined(separator: "\n")))
            #expect(now.contains("c0py0001.tlog: the same session as"))
        }
    }
}
