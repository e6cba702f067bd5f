import TrilliumCore

/// Finding records by type, zone or text: a case-insensitive match against
/// the record type and its title, the one-line summary (which names zones,
/// questions and items as the protocol calls them), the operator, and every
/// data field as the record schema labels it ("Cartridge lot: CL-77").
enum ReplaySearch {
    static func matches(_ record: SessionRecord, _ query: String, _ p: TreatmentProtocol) -> Bool {
        let needle = query.lowercased()
        let schema = RecordSchema.of(record.event.kind)
        if schema.name.contains(needle) || schema.title.lowercased().contains(needle) { return true }
        if record.by.lowercased().contains(needle) { return true }
        if RecordText.summary(record, p).lowercased().contains(needle) { return true }
        return schema.fields.contains { field in
            let value = EventData.fieldText(field.path, of: record.event) ?? ""
            return (field.label + ": " + value).lowercased().contains(needle)
        }
    }

    /// The indexes of every record that matches, in log order.
    static func matches(_ query: String, in replay: SessionReplay) -> [Int] {
        var found: [Int] = []
        replay.records.forEachRun { offset, run in
            for (index, record) in run.enumerated() where matches(record, query, replay.treatmentProtocol) {
                found.append(offset + index)
            }
        }
        return found
    }

    /// The next of the matches `found` (in log order) after `index`, or
    /// before it, wrapping round the log, with which match it is (1-based)
    /// and how many there are: found by halving, not by reading the records again.
    static func next(in found: [Int], from index: Int, forward: Bool) -> (index: Int, rank: Int, total: Int)? {
        guard !found.isEmpty else { return nil }
        // The first match at or after `index`.
        var low = 0, high = found.count
        while low < high {
            let middle = (low + high) / 2
            if found[middle] < index { low = middle + 1 } else { high = middle }
        }
        let rank: Int
        if forward {
            let after = low < found.count && found[low] == index ? low + 1 : low
            rank = after < found.count ? after : 0
        } else {
            rank = low > 0 ? low - 1 : found.count - 1
        }
        return (found[rank], rank + 1, found.count)
    }
}
