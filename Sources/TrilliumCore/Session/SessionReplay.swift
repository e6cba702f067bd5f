/// A session's records with the state after each one, for stepping through a
/// log in any order. The state at a record is the fold of the log up to it,
/// the same fold the live app made. Folds restart from a checkpoint kept
/// every `checkpointInterval` records, so a jump costs at most that many
/// applies. The records are the source's, decoded when asked for, and the
/// states read their notes back from it, so a checkpoint costs little more
/// than the zones and answers it holds.
public struct SessionReplay: Sendable, Equatable {
    /// A record the core refused on replay: the log verifies but does not fold.
    public struct Refusal: Sendable, Equatable {
        public var seq: Int
        public var error: SessionError

        public init(seq: Int, error: SessionError) {
            self.seq = seq
            self.error = error
        }
    }

    /// Records that fold, in log order; seq n is at index n - 1.
    public let records: ReplayRecords
    /// The type of each of those records, held (a byte each): what the integrity panel counts.
    public let kinds: [EventKind]
    /// Everyone a record is by, as the records name them, in the order they first appear.
    public let authors: [String]
    public let treatmentProtocol: TreatmentProtocol
    /// The first record the core refused, with why: replay stops before it.
    public let refusal: Refusal?
    private let checkpoints: [SessionState]
    /// Records between checkpoints: 64, or more for logs longer than 128 × 64 records.
    public let checkpointInterval: Int
    /// For each corrected record's seq, the indexes of the corrections naming it.
    private let correctionIndexes: [Int: [Int]]
    /// 128 keeps a jump in a 100,000-record log under a millisecond (see trillium-bench).
    public static let maximumCheckpoints = 128
    /// Records decoded at a time while folding the whole log once: a source
    /// may decode a run on both cores, and no more than this is held at
    /// once. Small enough that a run's array stays under the size the
    /// allocator maps afresh for each (and the kernel faults in again).
    static let foldBatch = 512

    public init(records source: some RecordSource, treatmentProtocol: TreatmentProtocol) {
        let interval = max(64, (source.count + Self.maximumCheckpoints - 1) / Self.maximumCheckpoints)
        var state = SessionState(treatmentProtocol: treatmentProtocol, notesIn: SourceNotes(source: source))
        var kept = 0
        var checkpoints = [state]
        var refusal: Refusal?
        var correctionIndexes: [Int: [Int]] = [:]
        var authors: [String] = []
        // Nearly every record is by the one who made the record before it: compared with them first.
        var lastAuthor = ""
        // Each run is folded while the next is decoded: the fold is in
        // order, on one core, and the source decodes on the other.
        var batch = source.records(in: 0..<min(source.count, Self.foldBatch))
        var start = 0
        while !batch.isEmpty, refusal == nil {
            let next = (start + batch.count)..<min(source.count, start + batch.count + Self.foldBatch)
            let folded = batch
            batch = source.records(in: next) {
                for record in folded {
                    do throws(SessionError) {
                        try state.apply(record)
                    } catch {
                        refusal = Refusal(seq: record.seq, error: error)
                        return
                    }
                    if case let .recordCorrected(correction) = record.event {
                        correctionIndexes[correction.seq, default: []].append(kept)
                    }
                    if record.by != lastAuthor {
                        if !authors.contains(record.by) { authors.append(record.by) }
                        lastAuthor = record.by
                    }
                    kept += 1
                    if kept % interval == 0 {
                        // Kept without the type of every record before it: that is `kinds`, held once.
                        var checkpoint = state
                        checkpoint.recordKinds = []
                        checkpoints.append(checkpoint)
                    }
                }
            }
            start = next.lowerBound
        }
        self.records = ReplayRecords(source: source, count: kept)
        self.kinds = Array(state.recordKinds)
        self.authors = authors
        self.treatmentProtocol = treatmentProtocol
        self.refusal = refusal
        self.checkpoints = checkpoints
        self.checkpointInterval = interval
        self.correctionIndexes = correctionIndexes
    }

    /// Two replays are the same when they show the same records and refusal.
    public static func == (lhs: SessionReplay, rhs: SessionReplay) -> Bool {
        lhs.count == rhs.count && lhs.refusal == rhs.refusal && lhs.kinds == rhs.kinds
            && lhs.treatmentProtocol == rhs.treatmentProtocol && lhs.records.elementsEqual(rhs.records)
    }

    public var count: Int { records.count }

    /// The state once the record at `index` (0-based) is folded in.
    public func state(through index: Int) -> SessionState {
        precondition(records.indices.contains(index), "no record at index \(index)")
        let checkpoint = (index + 1) / checkpointInterval
        var state = checkpoints[checkpoint]
        state.recordKinds = Array(kinds[..<(checkpoint * checkpointInterval)])
        fold(&state, records: (checkpoint * checkpointInterval)..<(index + 1))
        return state
    }

    /// Folds the records at `indexes` into `state`, the state through the record
    /// before them: stepping forward costs one apply a record, in place.
    public func fold(_ state: inout SessionState, records indexes: Range<Int>) {
        for record in records.source.records(in: indexes) {
            do {
                try state.apply(record)
            } catch {
                preconditionFailure("record \(record.seq) folded once and was refused the second time: \(error)")
            }
        }
    }

    /// Time from the record at `index` to the next one, as the session lived
    /// it: the monotonic clock within a boot, wall time across boots.
    public func gap(after index: Int) -> Milliseconds? {
        guard index + 1 < records.count else { return nil }
        return max(0, records[index + 1].stamp.elapsed(since: records[index].stamp))
    }

    /// Time from the session's opening to the record at `index`.
    public func elapsed(at index: Int) -> Milliseconds {
        guard let first = records.first else { return 0 }
        return records[index].stamp.elapsed(since: first.stamp)
    }

    /// The corrections that name the record with `seq`, in log order.
    public func corrections(of seq: Int) -> [SessionRecord] {
        (correctionIndexes[seq] ?? []).map { records[$0] }
    }
}
