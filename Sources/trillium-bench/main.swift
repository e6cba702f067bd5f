// Measures the log: durable appends, verifying reads and folds of large logs,
// and the memory they take. Run in release: swift run -c release trillium-bench
#if canImport(Glibc)
import Glibc
#endif
import Foundation
import TrilliumCore
import TrilliumLog
import TrilliumServices
import TrilliumSettings

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// Peak resident memory so far, from /proc/self/status (VmHWM).
func peakResidentMegabytes() -> Double {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
    let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
    return kilobytes / 1024
}

let arguments = CommandLine.arguments
let records = arguments.count > 1 ? Int(arguments[1]) ?? 1_000_000 : 1_000_000
let directory = NSTemporaryDirectory() + "trillium-bench-\(getpid())"
defer { try? FileManager.default.removeItem(atPath: directory) }

// 1. Durable appends: one write + fdatasync per record, as in a session.
let appendCount = 2000
let appendTime = try seconds {
    let paths = try SampleGenerator(sessionCount: 1, seed: 1, minimumRecords: appendCount).write(into: DataDirectory(path: directory + "/append"))
    let written = try LogReader.verify(path: paths[0]).validRecords
    precondition(written >= appendCount)
}
print(String(format: "durable append: %d records in %.2f s = %.0f records/s (%.3f ms each, write + fdatasync)",
             appendCount, appendTime, Double(appendCount) / appendTime, appendTime * 1000 / Double(appendCount)))

// 2. A large log, written without a sync per record (it is input here, not what is measured).
let big = directory + "/big.tlog"
let treatmentProtocol = ProtocolFile.defaultProtocol()

/// Writes `count` records (an opening, then notes) straight to `path`, chained as the writer would.
func writeLargeLog(_ path: String, count: Int) throws {
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    _ = FileManager.default.createFile(atPath: path, contents: nil)
    guard let handle = FileHandle(forWritingAtPath: path) else { fatalError("cannot write \(path)") }
    defer { handle.closeFile() }
    var previous = Digest.genesis
    var stamp = EventStamp(wallMilliseconds: 1_767_600_000_000, monotonicNanoseconds: 1_000_000_000, bootID: "bench")
    var bytes: [UInt8] = []
    bytes.reserveCapacity(40 << 20)
    for seq in 1...count {
        let event: SessionEvent = seq == 1
            ? .opened(SessionOpening(sessionID: "bench", patientReference: "P-1", operatorName: "Bench", workstation: "w",
                                     device: DeviceIdentity(model: "m", serial: "s"), cartridge: Cartridge(lot: "l", expiry: "2099-01"),
                                     protocolReference: ProtocolReference(treatmentProtocol), plannedZones: ["forehead"],
                                     appVersion: "bench", isTraining: true))
            : .noteAdded(text: "Observation \(seq): skin response even across the zone, patient comfortable.", addendumReason: nil)
        let line = RecordLine(record: SessionRecord(seq: seq, id: "id-\(seq)", stamp: stamp, by: "Bench", event: event),
                              previousDigest: previous)
        previous = line.digest
        bytes.append(contentsOf: line.bytes)
        stamp.wallMilliseconds += 1000
        stamp.monotonicNanoseconds += 1_000_000_000
        if bytes.count > 32 << 20 {
            handle.write(Data(bytes))
            bytes.removeAll(keepingCapacity: true)
        }
    }
    handle.write(Data(bytes))
}
try writeLargeLog(big, count: records)
let size = Double((try FileManager.default.attributesOfItem(atPath: big)[.size] as? Int) ?? 0)
let baseline = peakResidentMegabytes()

// 3. Verify: streaming, constant memory.
var verification: LogVerification?
let verifyTime = try seconds { verification = try LogReader.verify(path: big) }
precondition(verification?.validRecords == records)
print(String(format: "verify: %d records, %.0f MB in %.2f s = %.0f MB/s, %.0f records/s; peak RSS %.0f MB (%.0f MB before)",
             records, size / 1e6, verifyTime, size / 1e6 / verifyTime, Double(records) / verifyTime, peakResidentMegabytes(), baseline))

// 4. Fold: the state of the whole log, as a resume or a report computes it.
func foldLog(_ path: String) throws -> SessionState {
    var state = SessionState(treatmentProtocol: treatmentProtocol)
    _ = try LogReader.read(path: path) { line in try? state.apply(line.record) }
    return state
}
var folded: SessionState?
let foldTime = try seconds { folded = try foldLog(big) }
precondition(folded?.lastSeq == records)
print(String(format: "verify + fold: %.2f s = %.0f records/s; peak RSS %.0f MB", foldTime, Double(records) / foldTime, peakResidentMegabytes()))

// 5. Replay: the records and checkpoints held in memory, then jumps and steps as a reviewer makes them.
/// Resident memory now, from /proc/self/status (VmRSS).
func residentMegabytes() -> Double {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
    return (Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) / 1024
}

let replayRecords = min(records, 100_000)
let replayLog = directory + "/replay.tlog"
try writeLargeLog(replayLog, count: replayRecords)
folded = nil
let beforeReplay = residentMegabytes()
var replay: SessionReplay?
let replayTime = try seconds {
    var lines: [SessionRecord] = []
    _ = try LogReader.read(path: replayLog) { lines.append($0.record) }
    replay = SessionReplay(records: lines, treatmentProtocol: treatmentProtocol)
}
guard let replay else { fatalError("no replay") }
print(String(format: "replay open: %d records read, verified and folded with %d checkpoints in %.2f s; resident memory +%.0f MB",
             replayRecords, (replayRecords + replay.checkpointInterval - 1) / replay.checkpointInterval, replayTime,
             residentMegabytes() - beforeReplay))
var generator = SystemRandomNumberGenerator()
let jumps = 200
var reached = 0
let jumpTime = seconds {
    for _ in 0..<jumps { reached &+= replay.state(through: Int.random(in: 0..<replayRecords, using: &generator)).lastSeq }
}
precondition(reached > 0)
var stepped = replay.state(through: 0)
let stepTime = seconds {
    for index in 1..<replayRecords { replay.fold(&stepped, records: index..<(index + 1)) }
}
precondition(stepped.lastSeq == replayRecords)
print(String(format: "replay jump to a random record: %.2f ms on average (at most %d applies); step: %.2f µs a record",
             jumpTime * 1000 / Double(jumps), replay.checkpointInterval, stepTime * 1e6 / Double(replayRecords - 1)))
