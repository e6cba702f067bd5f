import Foundation
import Testing

/// The kill loop (Tests/Reliability/kill_loop.py): the real app in tmux,
/// killed with SIGKILL at random moments through whole sessions; after each
/// kill every record the screen showed as saved is in the log, the log
/// verifies or has only a repairable torn tail, and resume succeeds. CI runs
/// 50 kills; `kill_loop.py --kills 10000` runs the long version on demand.
@Suite("Killed at random moments")
struct KillLoopTests {
    @Test func fiftyKillsLoseNothingThatWasShownAsSaved() throws {
        let seed = String(UInt32.random(in: 1...UInt32.max))
        let result = try Command.run(
            ["python3", Command.packageRoot + "/Tests/Reliability/kill_loop.py", "--binary", Command.binary, "--kills", "50", "--seed", seed],
            executable: "/usr/bin/env", environment: ["PYTHONUNBUFFERED": "1"])
        #expect(result.status == 0, "seed \(seed):\n\(result.output.suffix(4000))\n\(result.error.suffix(2000))")
        #expect(result.output.contains("kill loop: 50 passed, 0 failed"), "\(result.output.suffix(2000))")
    }
}
