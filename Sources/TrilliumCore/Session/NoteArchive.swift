/// Where a fold reads back the notes it does not hold: the log they were
/// read from. A session's notes are the one part of its state that grows
/// with every record; a fold given an archive keeps only their count and
/// the text of any corrected since, so folding a million-record log takes
/// no more memory than folding a short one. The core reads nothing itself:
/// the archive is handed to it (by `SessionStore`, over the log's bytes).
public protocol NoteArchive: Sendable {
    /// The note recorded as `seq`, as first recorded; nil if that record is not a note.
    func note(seq: Int) -> RecordedNote?
}

/// The notes a state leaves in the log: the archive, and the corrected text
/// of those corrected since (a correction names the note by seq).
struct ArchivedNotes: Sendable, Equatable {
    let archive: any NoteArchive
    var correctedTexts: [Int: String] = [:]

    /// Two states of the same log compare by what they changed: the archive is the log itself.
    static func == (lhs: ArchivedNotes, rhs: ArchivedNotes) -> Bool {
        lhs.correctedTexts == rhs.correctedTexts
    }

    func note(seq: Int) -> RecordedNote? {
        guard var note = archive.note(seq: seq) else { return nil }
        if let text = correctedTexts[seq] { note.text = text }
        return note
    }
}
