// Measures Trillium against the limits of issue 10 and prints one table:
// each figure, its limit and the ratio (at most 1.0 meets the limit).
// Run in release: swift run -c release trillium-bench
//
// Inputs are what `trillium sample` writes (the same generator, the same
// seeds), kept in $TRILLIUM_BENCH_INPUTS (default /tmp/trillium-bench-inputs)
// so later runs reuse them. Memory is measured in a child process per
// figure (this executable again, with a mode argument), so that one figure's
// peak does not hide another's.
#if canImport(Glibc)
import Glibc
#endif
import Crypto
import Foundation
import TrilliumClinicDatabase
import TrilliumCore
import TrilliumIdentity
import TrilliumLog
import TrilliumRuntime
import TrilliumServices
import TrilliumSettings
import TrilliumUI

// MARK: Measuring

func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

/// Seconds taken by `body`, the median of `runs`.
func median(runs: Int, _ body: () throws -> Void) rethrows -> Double {
    var times: [Double] = []
    for _ in 0..<runs {
        let start = now()
        try body()
        times.append(Double(now() - start) / 1e9)
    }
    return times.sorted()[times.count / 2]
}

/// Peak resident memory of this process so far (VmHWM), in MB.
func peakResidentMegabytes() -> Double {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
    return (Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) / 1024
}

/// Runs this executable with `arguments`; its last line of output.
func child(_ arguments: [String]) -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    try? process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: output, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
}

struct Row {
    var measure: String
    var figure: String
    var limit: String
    /// Figure over limit: at most 1 meets it; nil where there is no limit.
    var ratio: Double?
}

nonisolated(unsafe) var rows: [Row] = []
func record(_ measure: String, _ figure: String, _ limit: String = "", ratio: Double? = nil) {
    rows.append(Row(measure: measure, figure: figure, limit: limit, ratio: ratio))
    FileHandle.standardError.write(Data("  \(measure): \(figure)\n".utf8))
}

func ms(_ seconds: Double) -> String { String(format: "%.1f ms", seconds * 1000) }
func mb(_ megabytes: Double) -> String { String(format: "%.0f MB", megabytes) }

/// Seconds to handle one key (down and up in turn) and draw the screen: the median of 501.
func keyAndDraw<Model>(_ model: Model, update: (Model, Key) -> Model, render: (Model) -> Buffer) -> Double {
    var model = model
    let keys: [Key] = [.down, .up]
    var index = 0
    return median(runs: 501) {
        model = update(model, keys[index % 2])
        index += 1
        _ = render(model)
    }
}

// MARK: Child modes: one figure's memory each

let arguments = Array(CommandLine.arguments.dropFirst())
/// The sections to run (verify, append, startup, recall, replay, frames, memory, clinic); all without arguments.
func wants(_ section: String) -> Bool { arguments.isEmpty || arguments.contains(section) }
if arguments.first == "child-verify", arguments.count == 2 {
    let verification = try LogReader.verify(path: arguments[1])
    precondition(verification.status.isValid)
    print(peakResidentMegabytes())
    exit(0)
}
if arguments.first == "child-replay", arguments.count == 2 {
    let store = SessionStore(directory: DataDirectory(path: (arguments[1] as NSString).deletingLastPathComponent), appVersion: "bench")
    let before = peakResidentMegabytes()
    let start = now()
    let log = try store.readForReplay(path: arguments[1])
    let treatmentProtocol = try store.loadProtocol(digest: log.verification.opening!.protocolReference.digest, forLogAt: arguments[1])
    let replay = SessionReplay(records: log, treatmentProtocol: treatmentProtocol)
    let digests = log.digests
    let seconds = Double(now() - start) / 1e9
    precondition(replay.count == digests.count)
    print(seconds, peakResidentMegabytes() - before, peakResidentMegabytes())
    exit(0)
}
if arguments.first == "child-fold", arguments.count == 2 {
    let store = SessionStore(directory: DataDirectory(path: (arguments[1] as NSString).deletingLastPathComponent), appVersion: "bench")
    let loaded = try store.load(path: arguments[1])
    precondition(loaded.state != nil)
    print(peakResidentMegabytes())
    exit(0)
}
if arguments.first == "child-session", arguments.count == 2 {
    // A whole session through the app's store, state machine, writer and
    // screens (every record drawn at 80x24), as the app runs it less the terminal.
    var frames = 0
    let treatmentProtocol = ProtocolFile.defaultProtocol()
    var model = AppModel(size: Size(width: 80, height: 24), glyphs: .unicode,
                         now: EventStamp(wallMilliseconds: 0, monotonicNanoseconds: 0, bootID: "bench"),
                         treatmentProtocol: treatmentProtocol)
    _ = try SampleGenerator(sessionCount: 1, seed: 9).write(into: DataDirectory(path: arguments[1])) { path, record, state in
        let snapshot = SessionSnapshot(state: state, path: path, lastSavedSeq: record.seq, headDigest: "")
        model = AppUpdate.update(model, frames == 0 ? .sessionReady(snapshot, previousDepths: [:]) : .recorded(snapshot)).0
        frames += AppView.render(model).size.width > 0 ? 1 : 0
    }
    print(peakResidentMegabytes())
    exit(0)
}

// MARK: Inputs

let inputs = ProcessInfo.processInfo.environment["TRILLIUM_BENCH_INPUTS"] ?? "/tmp/trillium-bench-inputs"
let clinicSessions = 25_000

/// A data directory of samples, made once: `trillium sample --out DIR --sessions S --records R --seed 1 --no-sync`.
func samples(_ name: String, sessions: Int, records: Int = 0, withStaff: Bool = false) throws -> DataDirectory {
    let directory = DataDirectory(path: inputs + "/" + name)
    let done = directory.path + "/.complete"
    if FileManager.default.fileExists(atPath: done) { return directory }
    try? FileManager.default.removeItem(atPath: directory.path)
    // `trillium sample` writes the sample staff unless told not to.
    let staffOption = withStaff ? "" : " --without-staff"
    FileHandle.standardError.write(Data("writing inputs: trillium sample --out \(directory.path) --sessions \(sessions) --records \(records) --seed 1 --no-sync --without-attachments\(staffOption)\n".utf8))
    // Without photos: 25,000 sessions' attachments would time the file system, not Trillium.
    _ = try SampleGenerator(sessionCount: sessions, seed: 1, minimumRecords: records, isDurable: false, withStaff: withStaff, withAttachments: false)
        .write(into: directory)
    _ = FileManager.default.createFile(atPath: done, contents: nil)
    return directory
}

try FileManager.default.createDirectory(atPath: inputs, withIntermediateDirectories: true,
                                        attributes: [.posixPermissions: 0o700])
let million = try samples("million", sessions: 1, records: 1_000_000)
let millionLog = try million.sessionFiles()[0]
let hundredThousand = try samples("replay", sessions: 1, records: 100_000)
let replayLog = try hundredThousand.sessionFiles()[0]
let clinic = try samples("clinic", sessions: clinicSessions)
let empty = DataDirectory(path: inputs + "/empty")
try? FileManager.default.createDirectory(atPath: empty.path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])

// MARK: Verify
if wants("verify") {

    let size = Double((try FileManager.default.attributesOfItem(atPath: millionLog)[.size] as? Int) ?? 0)
    let verifyTime = try median(runs: 5) {
        let verification = try LogReader.verify(path: millionLog)
        precondition(verification.validRecords >= 1_000_000)
    }
    let hashTime = median(runs: 5) {
        // SHA-256 of the same bytes, read the same way, in this process.
        let fd = open(millionLog, O_RDONLY)
        defer { close(fd) }
        var hasher = SHA256()
        var chunk = [UInt8](repeating: 0, count: 4 << 20)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            chunk.withUnsafeBytes { hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[..<count])) }
        }
        _ = hasher.finalize()
    }
    let opensslTime = median(runs: 5) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = ["dgst", "-sha256", millionLog]
        process.standardOutput = FileHandle.nullDevice
        try? process.run()
        process.waitUntilExit()
    }
    let verifyMemory = Double(child(["child-verify", millionLog])) ?? .nan
    record("verify 1,000,000 records (\(Int(size / 1e6)) MB)", ms(verifyTime) + String(format: " (%.0f MB/s)", size / 1e6 / verifyTime),
           "2.0 × openssl = " + ms(2 * opensslTime), ratio: verifyTime / (2 * opensslTime))
    record("  SHA-256 of the same bytes, in process", ms(hashTime))
    record("  openssl dgst -sha256, same file", ms(opensslTime))
    record("verify: peak memory of the process", mb(verifyMemory), "50 MB", ratio: verifyMemory / 50)
}

// MARK: Durable append
if wants("append") {

    var appendTimes: [Double] = []
    var rawTimes: [Double] = []
    do {
        let directory = DataDirectory(path: inputs + "/append-\(getpid())")
        defer { try? FileManager.default.removeItem(atPath: directory.path) }
        let store = SessionStore(directory: directory, appVersion: "bench")
        let treatmentProtocol = ProtocolFile.defaultProtocol()
        let intake = Intake(patientReference: "P-BENCH", operatorName: "Bench", workstation: "bench",
                            device: DeviceIdentity(model: "SkinPen Precision", serial: "SP-1", profile: "skinpen"), cartridge: Cartridge(lot: "L-1", expiry: "2099-01"),
                            plannedZones: ["forehead"], isTraining: true)
        let recorder = try store.open(intake, treatmentProtocol: treatmentProtocol, protocolText: DefaultProtocol.text)
        // Each acknowledged record is followed by a raw write + fdatasync of
        // the very line it wrote, to a file beside it: the two are measured
        // in turns, so that a disk that speeds up or slows down during the
        // run (this virtual one does, by half) weighs on both alike.
        let raw = directory.path + "/raw"
        let fd = open(raw, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        for index in 0..<2000 {
            let previousDigest = recorder.writer.headDigest
            let start = now()
            let record = try recorder.record(.noteAdded(text: "Observation \(index): skin response even across the zone, patient comfortable.",
                                                        addendumReason: nil), by: "Bench")
            appendTimes.append(Double(now() - start) / 1e9)
            let line = RecordLine(record: record, previousDigest: previousDigest).bytes
            let rawStart = now()
            _ = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            fdatasync(fd)
            rawTimes.append(Double(now() - rawStart) / 1e9)
        }
        close(fd)
        recorder.close()
    }
    func percentile(_ values: [Double], _ p: Double) -> Double { values.sorted()[min(values.count - 1, Int(Double(values.count) * p))] }
    let appendMedian = percentile(appendTimes, 0.5), rawMedian = percentile(rawTimes, 0.5)
    record("durable append, median (encode, hash, write, fdatasync)", String(format: "%.3f ms", appendMedian * 1000),
           String(format: "1.2 × raw = %.3f ms", 1.2 * rawMedian * 1000), ratio: appendMedian / (1.2 * rawMedian))
    record("  durable append, p99", String(format: "%.3f ms", percentile(appendTimes, 0.99) * 1000))
    record("  raw write + fdatasync, median / p99",
           String(format: "%.3f / %.3f ms", rawMedian * 1000, percentile(rawTimes, 0.99) * 1000))
}

// MARK: Start-up, sessions, recall and history
if wants("startup") {

    func performer(_ directory: DataDirectory) -> EffectPerformer {
        EffectPerformer(store: SessionStore(directory: directory, appVersion: "bench"), treatmentProtocol: ProtocolFile.defaultProtocol(),
                        protocolText: DefaultProtocol.text, workstation: "bench")
    }

    /// The app's first frame, as `trillium` makes it: the start data loaded, the screen drawn into the cell buffer.
    func firstFrame(_ performer: EffectPerformer) -> Buffer {
        let model = AppModel(size: Size(width: 80, height: 24), glyphs: .unicode, now: performer.store.clock.now(),
                             treatmentProtocol: ProtocolFile.defaultProtocol(), start: performer.startData())
        return AppView.render(model)
    }

    func startScreen(_ directory: DataDirectory) -> Buffer {
        firstFrame(performer(directory))
    }

    func sessionsListing(_ directory: DataDirectory) throws -> String {
        let listed = try SessionSummary.table(in: directory)
        return listed.text
    }

    try? FileManager.default.removeItem(atPath: clinic.path + "/" + LogIndex.fileName)
    let rebuildTime = try median(runs: 1) { _ = try LogIndex.listing(of: clinic.path) }
    let emptyStart = median(runs: 9) { _ = startScreen(empty) }
    let clinicStart = median(runs: 9) { _ = startScreen(clinic) }
    let emptySessions = try median(runs: 9) { _ = try sessionsListing(empty) }
    let clinicSessionsTime = try median(runs: 9) { _ = try sessionsListing(clinic) }
    // A clinic with staff accounts (the sample's, as `trillium sample` writes
    // them by default): the app opens on the sign-in screen, and lists the
    // logs for the start screen once someone has signed in.
    let staffedClinic = try samples("clinic-staffed", sessions: clinicSessions, withStaff: true)
    let staffed = performer(staffedClinic)
    let signInStart = median(runs: 9) { _ = firstFrame(staffed) }
    let operatorPIN = SampleStaff.operators[0]
    guard case .signedIn = staffed.perform(.signIn(id: operatorPIN.id.rawValue, pin: operatorPIN.pin, unlocking: false)).first else {
        fatalError("the sample operator could not sign in to \(staffedClinic.path)")
    }
    let signedInStart = median(runs: 9) { _ = firstFrame(staffed) }
    let firstFrameLimit = min(2 * emptyStart, 0.1)
    record("start screen, first frame: empty data directory", ms(emptyStart))
    record("first frame: \(clinicSessions) sessions, staff accounts (the sign-in screen)", ms(signInStart),
           "min(2 × empty, 100 ms) = " + ms(firstFrameLimit), ratio: signInStart / firstFrameLimit)
    record("start screen once signed in: \(clinicSessions) sessions", ms(signedInStart), "100 ms", ratio: signedInStart / 0.1)
    record("start screen, first frame: \(clinicSessions) sessions, no staff accounts", ms(clinicStart),
           "min(2 × empty, 100 ms) = " + ms(firstFrameLimit), ratio: clinicStart / firstFrameLimit)
    record("sessions: empty data directory", ms(emptySessions))
    record("sessions: \(clinicSessions) sessions", ms(clinicSessionsTime),
           "min(2 × empty, 100 ms) = " + ms(min(2 * emptySessions, 0.1)), ratio: clinicSessionsTime / min(2 * emptySessions, 0.1))
    record("  session index rebuilt from \(clinicSessions) logs (once)", ms(rebuildTime))
}

if wants("recall") {
    let clinicStore = SessionStore(directory: clinic, appVersion: "bench")
    let someOpening = try SessionSummary.all(in: clinic)[clinicSessions / 2].opening!
    let (somePatient, someLot) = (someOpening.patientReference, someOpening.cartridge.lot)
    var recalled = 0
    let lotsTime = try median(runs: 5) {
        let index = try SessionIndex(store: clinicStore, lot: someLot)
        recalled = index.entries.count
        _ = LotRecall.render(index, lot: someLot)
    }
    var historySessions = 0
    let historyTime = try median(runs: 5) {
        let index = try SessionIndex(store: clinicStore, patient: somePatient)
        historySessions = index.entries.count
        _ = PatientHistory.render(index, patient: somePatient)
    }
    record("lots \(someLot) over \(clinicSessions) sessions (\(recalled) found)", ms(lotsTime), "200 ms", ratio: lotsTime / 0.2)
    record("history \(somePatient) over \(clinicSessions) sessions (\(historySessions) found)", ms(historyTime), "200 ms",
           ratio: historyTime / 0.2)
}

// MARK: Replay
if wants("replay") {

    // A replay is opened in a fresh process each time (its memory is the process's): the median of five
    // openings, as the other times are medians, and the most memory any of them added.
    let openings = (0..<5).map { _ in child(["child-replay", replayLog]).split(separator: " ").compactMap { Double($0) } }
        .filter { $0.count == 3 }
    let replayFigures = openings.count == 5
        ? [openings.map { $0[0] }.sorted()[2], openings.map { $0[1] }.max()!, openings.map { $0[2] }.max()!] : []
    let foldMemory = Double(child(["child-fold", millionLog])) ?? .nan
    let replayStore = SessionStore(directory: hundredThousand, appVersion: "bench")
    let replayRecords = try replayStore.readForReplay(path: replayLog)
    let (replayVerification, replayDigests) = (replayRecords.verification, replayRecords.digests)
    // The log's own protocol, as the child measured and as replay reads it: the embedded one changes between versions.
    let replayProtocol = try replayStore.loadProtocol(digest: replayVerification.opening!.protocolReference.digest, forLogAt: replayLog)
    let replay = SessionReplay(records: replayRecords, treatmentProtocol: replayProtocol)
    precondition(replay.count == replayDigests.count, "the replay log does not fold under its own protocol")
    var generator = SystemRandomNumberGenerator()
    let jumps = 200
    var reached = 0
    let jumpTime = median(runs: 1) {
        for _ in 0..<jumps { reached &+= replay.state(through: Int.random(in: 0..<replay.count, using: &generator)).lastSeq }
    } / Double(jumps)
    if replayFigures.count == 3 {
        record("replay open, 100,000 records (read, verify, fold, checkpoints)", ms(replayFigures[0]), "200 ms", ratio: replayFigures[0] / 0.2)
        record("replay open: memory added", mb(replayFigures[1]), "50 MB", ratio: replayFigures[1] / 50)
    }
    record("replay jump to a random record", String(format: "%.2f ms", jumpTime * 1000), "5 ms", ratio: jumpTime / 0.005)
    record("fold of 1,000,000 records: peak memory of the process", mb(foldMemory), "flat (50 MB)", ratio: foldMemory / 50)


    // The first `/` reads every record (n and N then use what it found): a text no record holds reads them all.
    let searched = ReplayModel(replay: replay, digests: replayDigests, path: replayLog,
                               integrity: ReplayIntegrity(verification: replayVerification, replay: replay),
                               size: Size(width: 80, height: 24), glyphs: .unicode)
    let searchKeys: [Key] = [.character("/")] + "no record holds this".map { Key.character($0) } + [.enter]
    var searchNotice = ""
    let searchTime = median(runs: 3) {
        let found = searchKeys.reduce(searched) { ReplayUpdate.update($0, .key($1)).0 }
        searchNotice = found.notice?.text ?? ""
    }
    precondition(searchNotice.hasPrefix("No record matches"), "the search found \(searchNotice)")
    record("replay: the first / search, 100,000 records read", ms(searchTime), "1 s", ratio: searchTime / 1)

    for size in [Size(width: 80, height: 24), Size(width: 200, height: 60)] {
        let model = ReplayModel(replay: replay, digests: replayDigests, path: replayLog,
                                integrity: ReplayIntegrity(verification: replayVerification, replay: replay), size: size, glyphs: .unicode)
        let frame = keyAndDraw(model, update: { ReplayUpdate.update($0, .key($1)).0 }, render: ReplayView.render)
        record("replay screen (100,000 records): a key handled and drawn, \(size.width)×\(size.height)",
               String(format: "%.3f ms", frame * 1000), "1 ms", ratio: frame / 0.001)
    }
}

// MARK: Frames
if wants("frames") {
    /// A session at its treatment phase, from a sample session's own records.
    var treatmentSnapshot: SessionSnapshot?
    do {
        let directory = DataDirectory(path: inputs + "/frame-\(getpid())")
        defer { try? FileManager.default.removeItem(atPath: directory.path) }
        _ = try SampleGenerator(sessionCount: 1, seed: 2, isDurable: false).write(into: directory) { path, record, state in
            if state.phase == .treatment, (state.zones.values.map(\.passes.count).reduce(0, +)) >= 3, treatmentSnapshot == nil {
                treatmentSnapshot = SessionSnapshot(state: state, path: path, lastSavedSeq: record.seq, headDigest: String(repeating: "a", count: 64))
            }
        }
    }
    for size in [Size(width: 80, height: 24), Size(width: 200, height: 60)] {
        guard let snapshot = treatmentSnapshot else { break }
        var model = AppModel(size: size, glyphs: .unicode, now: snapshot.state.lastStamp!, treatmentProtocol: snapshot.state.treatmentProtocol)
        model = AppUpdate.update(model, .sessionReady(snapshot, previousDepths: [:])).0
        let frame = keyAndDraw(model, update: { AppUpdate.update($0, .key($1)).0 }, render: AppView.render)
        record("treatment screen: a key handled and drawn, \(size.width)×\(size.height)", String(format: "%.3f ms", frame * 1000), "1 ms",
               ratio: frame / 0.001)
        // One timer tick: the cells that change, which is what the diffing draw sends (plus cursor moves).
        let before = AppView.render(model)
        var later = snapshot.state.lastStamp!
        later.wallMilliseconds += 1000
        later.monotonicNanoseconds += 1_000_000_000
        let after = AppView.render(AppUpdate.update(model, .tick(later)).0)
        let changed = zip(before.cells, after.cells).filter { $0 != $1 }
        let bytes = changed.reduce(0) { $0 + String($1.1.character).utf8.count } + 8 * Set(changed.indices).count / max(1, changed.count)
        record("  treatment screen, one timer tick, \(size.width)×\(size.height)", "\(changed.count) cells changed, about \(bytes + 8) bytes")
    }
}

// MARK: The app's memory
if wants("memory") {

    // The real app in tmux at 80x24, driven through whole sessions by the kill loop's driver (no kills).
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let app = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("trillium").path
    let sessions = 3
    if FileManager.default.isExecutableFile(atPath: app) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", root.appendingPathComponent("Tests/Reliability/kill_loop.py").path, "--binary", app,
                             "--memory", String(sessions), "--seed", "1"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try? process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let line = output.split(separator: "\n").first { $0.hasPrefix("app peak resident memory: ") }
        let appMemory = line.flatMap { Double($0.split(separator: " ")[4]) } ?? .nan
        record("the app in tmux at 80×24, \(sessions) whole sessions typed as keys: peak resident memory", mb(appMemory), "30 MB",
               ratio: appMemory / 30)
    } else {
        record("the app in tmux: not measured (build it first: swift build -c release)", "", "30 MB")
    }
    let sessionMemory = Double(child(["child-session", inputs + "/session-\(getpid())"])) ?? .nan
    try? FileManager.default.removeItem(atPath: inputs + "/session-\(getpid())")
    record("  a whole session through store, state machine, writer and screens, in process: peak memory", mb(sessionMemory))
}

// MARK: The clinic's copy
//
// A PostgreSQL server of its own, in a temporary folder on a Unix socket (as
// the postgres user when run as root, which PostgreSQL requires), with its
// default durability. Trillium's copy of the 100,000-record log is timed
// against psql's COPY of the very same rows into a table of the same shape.
if wants("clinic") {
    func shell(_ command: String) -> (status: Int32, output: String) {
        let output = inputs + "/shell-\(getpid()).out"
        defer { unlink(output) }
        var pid: pid_t = 0
        let words: [String] = ["/bin/sh", "-c", "(\(command)) </dev/null >'\(output)' 2>&1"]
        var argv: [UnsafeMutablePointer<CChar>?] = words.map { word in strdup(word) }
        argv.append(nil)
        defer { argv.forEach { free($0) } }
        guard posix_spawn(&pid, "/bin/sh", nil, nil, argv, environ) == 0 else { return (-1, "") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        return (status, (try? String(contentsOfFile: output, encoding: .utf8)) ?? "")
    }
    let versions = ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []).compactMap(Int.init).sorted()
    if let version = versions.last {
        let bin = "/usr/lib/postgresql/\(version)/bin"
        let folder = shell("mktemp -d /tmp/trillium-bench-pg.XXXXXX").output.trimmingCharacters(in: .whitespacesAndNewlines)
        let asServer = getuid() == 0 ? "runuser -u postgres -- " : ""
        if getuid() == 0 { _ = shell("chown postgres: '\(folder)'") }
        _ = shell("cd /tmp && \(asServer)\(bin)/initdb -D '\(folder)/data' --auth=trust -U postgres -E UTF8 --locale=C.UTF-8")
        let started = shell("cd /tmp && \(asServer)\(bin)/pg_ctl -D '\(folder)/data' -l '\(folder)/log' -w -o \"-k '\(folder)' -c listen_addresses=''\" start")
        defer { _ = shell("cd /tmp && \(asServer)\(bin)/pg_ctl -D '\(folder)/data' -m fast -w stop"); _ = shell("rm -rf '\(folder)'") }
        let psql = "\(bin)/psql -h '\(folder)' -U postgres -v ON_ERROR_STOP=1 -At"
        if started.status == 0, shell("\(psql) -d postgres -c 'CREATE DATABASE bench'").status == 0 {
            let address = DatabaseAddress(endpoint: .unixSocket(folder: folder, port: 5432), user: "postgres", database: "bench", tlsMode: .disable)
            let key = try WorkstationKey.loadOrCreate(in: hundredThousand)
            let workstation = ClinicWorkstation(fingerprint: key.fingerprint, publicKey: Hex.encode(key.publicKey.rawRepresentation), name: "bench")
            let records = try LogReader.verify(path: replayLog).validRecords
            let copySeconds = try Blocking.wait { () throws(ClinicDatabaseError) -> Double in
                let connection = try await ClinicConnection.open(address)
                _ = try await connection.migrate(appVersion: "bench")
                let start = now()
                let report = try await DirectoryCopy(directory: hundredThousand, workstation: workstation).copyAll(over: connection)
                let seconds = Double(now() - start) / 1e9
                precondition(report.recordsSent == records)
                await connection.close()
                return seconds
            }
            // The same rows, out to a file and into a table of the same shape by psql's COPY.
            let rows = folder + "/rows.copy"
            _ = shell("\(psql) -d bench -c \"\\\\copy records TO '\(rows)'\"")
            _ = shell("\(psql) -d bench -c 'CREATE TABLE raw_records (LIKE records INCLUDING ALL)'")
            let copyStart = now()
            let copied = shell("\(psql) -d bench -c \"\\\\copy raw_records FROM '\(rows)'\"")
            let psqlSeconds = Double(now() - copyStart) / 1e9
            let rate = Double(records) / copySeconds, psqlRate = Double(records) / psqlSeconds
            if copied.status == 0 {
                record("copy to PostgreSQL: records per second (\(records) records: read, verified, chain-checked, COPY)",
                       String(format: "%.0f /s", rate), String(format: "½ × psql COPY = %.0f /s", psqlRate / 2), ratio: (psqlRate / 2) / rate)
                record("  psql COPY of the same rows", String(format: "%.0f /s (%.2f s)", psqlRate, psqlSeconds))
            }

            // The delay from a durable record to the clinic's copy, as the app's copier makes it.
            let room = DataDirectory(path: inputs + "/clinic-room-\(getpid())")
            defer { try? FileManager.default.removeItem(atPath: room.path) }
            let store = SessionStore(directory: room, appVersion: "bench")
            let intake = Intake(patientReference: "P-BENCH", operatorName: "Bench", workstation: "bench",
                                device: DeviceIdentity(model: "SkinPen Precision", serial: "SP-1", profile: "skinpen"),
                                cartridge: Cartridge(lot: "L-1", expiry: "2099-01"), plannedZones: ["forehead"], isTraining: true)
            let recorder = try store.open(intake, treatmentProtocol: ProtocolFile.defaultProtocol(), protocolText: DefaultProtocol.text)
            let copier = ClinicCopier(address: address, directory: room, workstation: workstation)
            copier.start()
            var delays: [Double] = []
            for index in 0..<200 {
                try recorder.record(.noteAdded(text: "Observation \(index)", addendumReason: nil), by: "Bench")
                let start = now()
                copier.logIsDurable(recorder.path, through: recorder.lastSavedSeq)
                while copier.status(of: recorder.path) != .synced(seq: recorder.lastSavedSeq), now() - start < 10_000_000_000 { usleep(200) }
                delays.append(Double(now() - start) / 1e9)
            }
            copier.stop()
            recorder.close()
            let sorted = delays.sorted()
            let median = sorted[sorted.count / 2], p99 = sorted[min(sorted.count - 1, sorted.count * 99 / 100)]
            record("app: a durable record to the clinic's copy, median", ms(median), "1 s", ratio: median / 1)
            record("  the same, p99", ms(p99), "1 s", ratio: p99 / 1)
        } else {
            record("copy to PostgreSQL: not measured (the server did not start: \(started.output.prefix(120)))", "", "")
        }
    } else {
        record("copy to PostgreSQL: not measured (no /usr/lib/postgresql: install postgresql)", "", "")
    }
}

// MARK: The table

print("| Measure | Figure | Limit | Ratio |")
print("|---|---|---|---|")
for row in rows {
    let ratio = row.ratio.map { String(format: "%.2f%@", $0, $0 <= 1 ? "" : " (over)") } ?? ""
    print("| \(row.measure) | \(row.figure) | \(row.limit) | \(ratio) |")
}
