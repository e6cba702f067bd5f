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
        replay.records.indices.filter { matches(replay.records[$0], query, replay.treatmentProtocol) }
    }

    /// The next match after `index` (or before it), wrapping round the log,
    /// with which match it is (1-based) and how many there are.
    static func find(_ query: String, in replay: SessionReplay, from index: Int, forward: Bool) -> (index: Int, rank: Int, total: Int)? {
        let found = matches(query, in: replay)
        guard let first = found.first, let last = found.last else { return nil }
        let next = forward ? (found.first { $0 > index } ?? first) : (found.last { $0 < index } ?? last)
        return (next, found.firstIndex(of: next)! + 1, found.count)
    }
}
