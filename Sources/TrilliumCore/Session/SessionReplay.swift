/// A session's records with the state after each one, for stepping through a
/// log in any order. The state at a record is the fold of the log up to it,
/// the same fold the live app made. Folds restart from a checkpoint kept
/// every `checkpointInterval` records, so a jump costs at most that many
/// applies. The checkpoints share their notes (`SharedHistory`), so one costs
/// little more than the zones and answers it holds.
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
    public let records: [SessionRecord]
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

    public init(records: [SessionRecord], treatmentProtocol: TreatmentProtocol) {
        let interval = max(64, (records.count + Self.maximumCheckpoints - 1) / Self.maximumCheckpoints)
        var state = SessionState(treatmentProtocol: treatmentProtocol)
        var kept: [SessionRecord] = []
        var checkpoints = [state]
        var refusal: Refusal?
        var correctionIndexes: [Int: [Int]] = [:]
        kept.reserveCapacity(records.count)
        for record in records {
            do {
                try state.apply(record)
            } catch {
                refusal = Refusal(seq: record.seq, error: error)
                break
            }
            if case let .recordCorrected(correction) = record.event {
                correctionIndexes[correction.seq, default: []].append(kept.count)
            }
            kept.append(record)
            if kept.count % interval == 0 { checkpoints.append(state) }
        }
        self.records = kept
        self.treatmentProtocol = treatmentProtocol
        self.refusal = refusal
        self.checkpoints = checkpoints
        self.checkpointInterval = interval
        self.correctionIndexes = correctionIndexes
    }

    public var count: Int { records.count }

    /// The state once the record at `index` (0-based) is folded in.
    public func state(through index: Int) -> SessionState {
        precondition(records.indices.contains(index), "no record at index \(index)")
        let checkpoint = (index + 1) / checkpointInterval
        var state = checkpoints[checkpoint]
        fold(&state, records: (checkpoint * checkpointInterval)..<(index + 1))
        return state
    }

    /// Folds the records at `indexes` into `state`, the state through the record
    /// before them: stepping forward costs one apply a record, in place.
    public func fold(_ state: inout SessionState, records indexes: Range<Int>) {
        for record in records[indexes] {
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
