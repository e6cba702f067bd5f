import TrilliumCore
import TrilliumServices

/// The record under the replay cursor, in full: when, who, every data field,
/// the corrections made of it later in the log, what a
/// correction or a repair did, and where it sits in the hash chain.
enum RecordDetail {
    static func lines(_ model: ReplayModel, width: Int) -> [(String, Style)] {
        let record = model.record
        let replay = model.replay
        let p = replay.treatmentProtocol
        var lines: [(String, Style)] = []
        func add(_ text: String, _ style: Style) {
            for line in TerminalWidth.wrap(text, width: max(10, width)) { lines.append((line, style)) }
        }
        let separator = model.glyphs.separator
        add("\(Times.dateTime(record.stamp))\(separator)+\(Durations.clock(replay.elapsed(at: model.position))) since opening\(separator)by \(record.by)",
            Style(.text, [.bold]))
        add(RecordText.summary(record, p, arrow: model.glyphs.arrow), Style(.accent))
        if case let .object(fields) = EventData.encode(record.event) {
            for (name, value) in fields {
                add("\(name): \(text(of: value))", Style(.text))
            }
        }
        for correction in replay.corrections(of: record.seq) {
            guard case let .recordCorrected(c) = correction.event else { continue }
            add("Corrected by #\(correction.seq) (at \(Times.dateTime(correction.stamp)), \(correction.by)): \(c.field) \(c.oldValue) \(model.glyphs.arrow) \(c.newValue). Reason: \(c.reason)",
                Style(.warn, [.bold]))
        }
        switch record.event {
        case let .recordCorrected(c) where c.seq >= 1 && c.seq <= replay.count:
            let target = replay.records[c.seq - 1]
            add("Corrects #\(c.seq) \(target.event.kind.rawValue): \(RecordText.summary(target, p, arrow: model.glyphs.arrow))", Style(.warn))
        case let .logRepaired(repair):
            add("The log was repaired here: an interrupted write of \(repair.droppedBytes) bytes at byte \(repair.truncatedAt) was cut off and kept in \(repair.backupFile).",
                Style(.warn))
        default:
            break
        }
        add("id \(record.id)", Style(.muted))
        add("boot \(record.stamp.bootID), monotonic \(record.stamp.monotonicNanoseconds) ns", Style(.muted))
        add("line digest \(model.digests[model.position])", Style(.muted))
        return lines
    }

    static func text(of value: JSONValue) -> String {
        if case let .string(string) = value { return string }
        return JSONWriter.string(value)
    }
}
