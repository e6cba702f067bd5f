import Synchronization

/// A list that only grows, whose copies share what they hold in common.
///
/// A session's notes are the one part of its state that grows with every
/// record. Replay keeps a copy of the state every few thousand records, and
/// each copy held all the notes before it: a 100,000-note log's checkpoints
/// took about 80 MB. Here a copy shares its elements with the state it was
/// copied from; folding on from a checkpoint appends the very notes already
/// stored, which are recognised and shared rather than stored again. Only a
/// copy that goes its own way (a different element appended, an element
/// changed by a correction) takes its own storage.
///
/// The storage is behind a lock: copies of a state may be read on different threads.
public struct SharedHistory<Element: Sendable & Equatable>: Sendable, Equatable, RandomAccessCollection, ExpressibleByArrayLiteral {
    private final class Storage: Sendable {
        let elements: Mutex<[Element]>

        init(_ elements: [Element]) {
            self.elements = Mutex(elements)
        }
    }

    private var storage: Storage
    /// How many of the storage's elements are this list's: always a prefix.
    public private(set) var count: Int

    public init(arrayLiteral elements: Element...) {
        storage = Storage(elements)
        count = elements.count
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    public subscript(index: Int) -> Element {
        get {
            precondition(index >= 0 && index < count, "index \(index) out of 0..<\(count)")
            return storage.elements.withLock { $0[index] }
        }
        set {
            precondition(index >= 0 && index < count, "index \(index) out of 0..<\(count)")
            // Copies made before this change keep the element as it was.
            let prefix = storage.elements.withLock { Array($0[..<count]) }
            storage = Storage(prefix)
            storage.elements.withLock { $0[index] = newValue }
        }
    }

    public mutating func append(_ element: Element) {
        let count = count
        let shared = storage.elements.withLock { elements -> Bool in
            if elements.count == count {
                elements.append(element)
                return true
            }
            // Another copy went on from here: share its next element if it is this one.
            return elements[count] == element
        }
        if !shared {
            let prefix = storage.elements.withLock { Array($0[..<count]) }
            storage = Storage(prefix + [element])
        }
        self.count += 1
    }

    public static func == (lhs: SharedHistory, rhs: SharedHistory) -> Bool {
        lhs.count == rhs.count && lhs.elementsEqual(rhs)
    }
}
