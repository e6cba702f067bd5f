import Foundation
import Testing
import TrilliumCore
import TrilliumLog
import TrilliumServices

/// A log written by the live app and replayed shows, at every seq, the state
/// the live app had once that record was saved: over 200 sample sessions
/// (signed, aborted, training, overrides, early removals, corrections,
/// sessions spread over several boots), read back from disk.
@Suite("Replay equals the live session")
struct ReplayPropertyTests {
    @Test func replayedStateAtEverySeqIsTheLiveState() throws {
        let root = NSTemporaryDirectory() + "trillium-replay-property-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let directory = DataDirectory(path: root)
        var live: [String: [SessionState]] = [:]
        let paths = try SampleGenerator(sessionCount: 200, seed: 2026).write(into: directory) { path, record, state in
            #expect(record.seq == (live[path]?.count ?? 0) + 1, "records are observed in order")
            live[path, default: []].append(state)
        }
        #expect(paths.count == 200)
        let store = SessionStore(directory: directory, appVersion: "test")
        var checked = 0
        var phases: Set<SessionPhase> = []
        for path in paths {
            // As the replay command reads it: the verified bytes, each record decoded when folded.
            let log = try store.readForReplay(path: path)
            #expect(log.verification.status.isValid)
            let treatmentProtocol = try store.loadProtocol(digest: try #require(log.verification.opening).protocolReference.digest)
            let replay = SessionReplay(records: log, treatmentProtocol: treatmentProtocol)
            let states = try #require(live[path])
            #expect(replay.refusal == nil)
            #expect(replay.count == states.count, "\(path): every saved record is replayed")
            // Out of order, as a reviewer jumps about: checkpoints must not leak state between seqs.
            for index in (0..<replay.count).reversed() {
                if replay.state(through: index) != states[index] {
                    Issue.record("\(path): the replayed state after record \(index + 1) differs from the live one")
                    break
                }
                checked += 1
            }
            phases.insert(states[states.count - 1].phase)
        }
        #expect(checked > 200 * 30)
        #expect(phases.isSuperset(of: [.signed, .aborted]), "the samples include signed and aborted sessions")
    }

    /// A log of thousands of records is folded a run at a time while the
    /// next run is decoded on the other core: the states are still the live
    /// ones at every seq, and a record the core refuses in the middle of a
    /// run stops the replay exactly there.
    @Test func aLongLogFoldedWhileItIsDecodedIsTheLiveSessionAndStopsAtARefusal() throws {
        let root = NSTemporaryDirectory() + "trillium-replay-long-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let directory = DataDirectory(path: root)
        var live: [SessionState] = []
        let path = try #require(try SampleGenerator(sessionCount: 1, seed: 7, minimumRecords: 3_000).write(into: directory) { _, _, state in
            live.append(state)
        }.first)
        let store = SessionStore(directory: directory, appVersion: "test")
        let log = try store.readForReplay(path: path)
        let treatmentProtocol = try store.loadProtocol(digest: try #require(log.verification.opening).protocolReference.digest)
        let replay = SessionReplay(records: log, treatmentProtocol: treatmentProtocol)
        #expect(live.count >= 3_000)
        #expect(replay.refusal == nil)
        #expect(replay.count == live.count)
        for index in stride(from: 0, to: live.count, by: 37) where replay.state(through: index) != live[index] {
            Issue.record("the replayed state after record \(index + 1) differs from the live one")
            break
        }
        // The same records in memory, folded without a second core, agree.
        let records = (0..<log.count).map(log.record(at:))
        #expect(SessionReplay(records: records, treatmentProtocol: treatmentProtocol) == replay)
        // Read a run at a time on both cores, as the search reads it: every record once, in order, each run where it belongs.
        var read: [SessionRecord] = []
        replay.records.forEachRun { offset, run in
            #expect(offset == read.count, "runs come in order, without a gap")
            read += run
        }
        #expect(read == Array(records.prefix(replay.count)))

        // Record 1,700 becomes a second opening of the treatment, which the core refuses; the chain is made whole again.
        var previous = Digest.genesis
        var crafted: [UInt8] = []
        for var record in records {
            if record.seq == 1_700 { record.event = .treatmentStarted }
            let framed = RecordLine(record: record, previousDigest: previous)
            crafted += framed.bytes
            previous = framed.digest
        }
        let craftedPath = root + "/2026-01-05T08-00-00.000Z_0000cccc.tlog"
        #expect(FileManager.default.createFile(atPath: craftedPath, contents: Data(crafted), attributes: [.posixPermissions: 0o600]))
        let refusedLog = try store.readForReplay(path: craftedPath)
        #expect(refusedLog.verification.status.isValid)
        let refused = SessionReplay(records: refusedLog, treatmentProtocol: treatmentProtocol)
        #expect(refused.refusal?.seq == 1_700)
        #expect(refused.count == 1_699)
        #expect(refused.state(through: 1_698) == live[1_698])
    }
}
