import TrilliumCore
import TrilliumLog

/// The notes of a log, left in it: where each note's line is, so that a
/// fold reads one back when a correction names it or a report lists it.
/// Sixteen bytes a note, where holding the note itself took a few hundred:
/// a million-record fold stays within tens of megabytes.
///
/// `@unchecked Sendable`: it is filled by the one read that folds the log,
/// before any state that holds it is handed on, and only read afterwards;
/// the file operations it reads through keep no state between calls.
final class LogNoteArchive: NoteArchive, @unchecked Sendable {
    let path: String
    private let files: FileOperations
    /// In log order, so found by halving.
    private var seqs: [Int] = []
    private var offsets: [Int] = []
    private var lengths: [Int32] = []

    init(path: String, files: FileOperations) {
        self.path = path
        self.files = files
    }

    /// Notes the line of note `seq`: where it starts and its length without the LF.
    func add(seq: Int, offset: Int, length: Int) {
        seqs.append(seq)
        offsets.append(offset)
        lengths.append(Int32(clamping: length))
    }

    func note(seq: Int) -> RecordedNote? {
        guard let index = seqs.index(ofSeq: seq, { $0 }),
              let record = LogReader.record(atOffset: offsets[index], length: Int(lengths[index]), seq: seq, path: path, files: files),
              case let .noteAdded(text, addendumReason) = record.event else { return nil }
        return RecordedNote(seq: seq, stamp: record.stamp, by: record.by, text: text, addendumReason: addendumReason)
    }
}
