import Dispatch

/// Work over many items shared by the workstation's two cores, the results
/// in the items' order: `sessions` decodes and formats 25,000 rows.
public enum BothCores {
    /// `transform` of each item, in order. Below `threshold` items it is
    /// done in turn: threads would cost more than they save. `transform`
    /// runs on two threads at once, so it must only read what it shares.
    public static func map<Item, Mapped>(_ items: [Item], threshold: Int = 2048, _ transform: (Item) -> Mapped) -> [Mapped] {
        guard items.count >= threshold else { return items.map(transform) }
        let half = items.count / 2
        nonisolated(unsafe) var first: [Mapped] = []
        nonisolated(unsafe) var second: [Mapped] = []
        nonisolated(unsafe) let items = items
        withoutActuallyEscaping(transform) { transform in
            nonisolated(unsafe) let transform = transform
            DispatchQueue.concurrentPerform(iterations: 2) { part in
                if part == 0 { first = items[..<half].map(transform) } else { second = items[half...].map(transform) }
            }
        }
        return first + second
    }
}
