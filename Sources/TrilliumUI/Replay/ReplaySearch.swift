import TrilliumCore

/// Finding records by type, zone or text: a case-insensitive match against
/// the record type, the one-line summary (which names zones, questions and
/// items as the protocol calls them), the operator, and every data field.
enum ReplaySearch {
    static func matches(_ record: SessionRecord, _ query: String, _ p: TreatmentProtocol) -> Bool {
        let needle = query.lowercased()
        if record.event.kind.rawValue.contains(needle) { return true }
        if record.by.lowercased().contains(needle) { return true }
        if RecordText.summary(record, p).lowercased().contains(needle) { return true }
        return JSONWriter.string(EventData.encode(record.event)).lowercased().contains(needle)
    }

    /// The next match after `index` (or before it), wrapping round the log.
    static func find(_ query: String, in replay: SessionReplay, from index: Int, forward: Bool) -> Int? {
        let count = replay.count
        for step in 1...count {
            let candidate = ((index + (forward ? step : -step)) % count + count) % count
            if matches(replay.records[candidate], query, replay.treatmentProtocol) { return candidate }
        }
        return nil
    }

    /// Which match `index` is (1-based) and how many there are.
    static func rank(of index: Int, _ query: String, in replay: SessionReplay) -> (Int, Int) {
        var total = 0
        var rank = 0
        for (candidate, record) in replay.records.enumerated() where matches(record, query, replay.treatmentProtocol) {
            total += 1
            if candidate == index { rank = total }
        }
        return (rank, total)
    }
}
