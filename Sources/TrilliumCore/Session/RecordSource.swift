/// A log's records by position, decoded when they are asked for. Replay
/// holds a log's verified bytes and where each line is rather than a record
/// of strings for each line (about 400 bytes each: 40 MB for 100,000), and
/// decodes the few it shows. An array of records is one too (tests, samples).
public protocol RecordSource: Sendable {
    var count: Int { get }
    /// The record at `index` (seq `index + 1`).
    func record(at index: Int) -> SessionRecord
    /// The records at `indexes`, in order: a source may decode a run of them faster than one by one.
    func records(in indexes: Range<Int>) -> [SessionRecord]
    /// The records at `indexes`, decoded while `meanwhile` runs (once,
    /// before this returns, on whichever thread): a source with a core to
    /// spare decodes the next run beside the fold of the last one.
    func records(in indexes: Range<Int>, while meanwhile: () -> Void) -> [SessionRecord]
}

extension RecordSource {
    public func records(in indexes: Range<Int>) -> [SessionRecord] {
        indexes.map(record(at:))
    }

    public func records(in indexes: Range<Int>, while meanwhile: () -> Void) -> [SessionRecord] {
        meanwhile()
        return records(in: indexes)
    }
}

extension Array: RecordSource where Element == SessionRecord {
    public func record(at index: Int) -> SessionRecord { self[index] }
}

/// The records replay shows: the first `count` of a source, as a collection.
public struct ReplayRecords: RandomAccessCollection, Sendable {
    let source: any RecordSource
    public let endIndex: Int
    public var startIndex: Int { 0 }

    init(source: any RecordSource, count: Int) {
        self.source = source
        endIndex = count
    }

    public subscript(index: Int) -> SessionRecord {
        precondition(index >= 0 && index < endIndex, "no record at index \(index)")
        return source.record(at: index)
    }

    /// Every record once, in log order, a run at a time: each run is
    /// decoded while `body` reads the run before it, on both cores where
    /// the source has them, and no more than two runs are held at once.
    /// What a search of the whole log is: one record at a time took 0.4 s for 50,000.
    public func forEachRun(_ body: (_ offset: Int, _ run: [SessionRecord]) -> Void) {
        let length = SessionReplay.foldBatch
        var start = 0
        var run = source.records(in: 0..<Swift.min(endIndex, length))
        while !run.isEmpty {
            let read = run, offset = start
            let next = (offset + read.count)..<Swift.min(endIndex, offset + read.count + length)
            run = next.isEmpty ? [] : source.records(in: next) { body(offset, read) }
            if next.isEmpty { body(offset, read) }
            start = next.lowerBound
        }
    }
}

/// A replay's notes, read back from its source rather than held in every checkpoint.
struct SourceNotes: NoteArchive {
    let source: any RecordSource

    func note(seq: Int) -> RecordedNote? {
        guard seq >= 1, seq <= source.count else { return nil }
        let record = source.record(at: seq - 1)
        guard case let .noteAdded(text, addendumReason) = record.event else { return nil }
        return RecordedNote(seq: seq, stamp: record.stamp, by: record.by, text: text, addendumReason: addendumReason)
    }
}
