import Testing
import TrilliumCore

/// Copies of a state share their notes, yet each copy sees exactly its own.
@Suite("Shared history")
struct SharedHistoryTests {
    @Test func copiesShareWhatTheyHoldAndKeepTheirOwnAfter() {
        var original: SharedHistory<String> = ["a", "b"]
        let checkpoint = original
        original.append("c")
        #expect(Array(checkpoint) == ["a", "b"])
        #expect(Array(original) == ["a", "b", "c"])

        // Folding on from the checkpoint with the same element: shared, and equal.
        var refolded = checkpoint
        refolded.append("c")
        #expect(refolded == original)
        // A different element: the copy goes its own way, the others are untouched.
        var diverged = checkpoint
        diverged.append("x")
        #expect(Array(diverged) == ["a", "b", "x"])
        #expect(Array(original) == ["a", "b", "c"])
        original.append("d")
        #expect(Array(original) == ["a", "b", "c", "d"])
        #expect(Array(refolded) == ["a", "b", "c"])

        // A change (a correction) is seen only by the copy that made it.
        var corrected = original
        corrected[1] = "B"
        #expect(Array(corrected) == ["a", "B", "c", "d"])
        #expect(Array(original) == ["a", "b", "c", "d"])
        #expect(Array(checkpoint) == ["a", "b"])
        #expect(corrected != original)
    }
}
