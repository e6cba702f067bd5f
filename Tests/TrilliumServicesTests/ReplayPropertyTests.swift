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
}
