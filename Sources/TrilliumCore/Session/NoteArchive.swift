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

/// A state's notes: held in it, or left in the log and read back from an
/// archive. Two states with the same notes are equal however they keep them.
struct NoteStore: Sendable, Equatable {
    private(set) var held: SharedHistory<RecordedNote> = []
    private(set) var archived: ArchivedNotes?
    private(set) var count = 0

    init(archive: (any NoteArchive)? = nil) {
        archived = archive.map { ArchivedNotes(archive: $0) }
    }

    var isArchived: Bool { archived != nil }

    /// Counts a note, and holds it unless it stays in the log: a note a
    /// fold leaves in the log is never made (its strings copied and let go
    /// again for every note of a long replay).
    mutating func append(_ note: @autoclosure () -> RecordedNote) {
        count += 1
        if archived == nil { held.append(note()) }
    }

    /// The notes held, dropped from a trial copy that cannot name them.
    mutating func forgetHeld() {
        held = []
    }

    mutating func correct(seq: Int, text: String) {
        if archived != nil {
            archived?.correctedTexts[seq] = text
        } else if let index = held.index(ofSeq: seq, \.seq) {
            held[index].text = text
        }
    }

    /// The note recorded as `seq`, as it stands.
    func note(seq: Int) -> RecordedNote? {
        if let archived { return archived.note(seq: seq) }
        return held.index(ofSeq: seq, \.seq).map { held[$0] }
    }

    static func == (lhs: NoteStore, rhs: NoteStore) -> Bool {
        guard lhs.count == rhs.count else { return false }
        switch (lhs.archived, rhs.archived) {
        case (nil, nil): return lhs.held == rhs.held
        case let (left?, right?): return left == right
        case let (archived?, nil): return rhs.held.allSatisfy { archived.note(seq: $0.seq) == $0 }
        case let (nil, archived?): return lhs.held.allSatisfy { archived.note(seq: $0.seq) == $0 }
        }
    }
}

extension RandomAccessCollection where Index == Int {
    /// The index of the element recorded as `seq`, in a collection in log
    /// order (by the seq `seqOf` gives): found by halving. For the notes a
    /// state holds and the lines an archive knows.
    public func index(ofSeq seq: Int, _ seqOf: (Element) -> Int) -> Int? {
        var low = startIndex, high = endIndex
        while low < high {
            let middle = (low + high) / 2
            if seqOf(self[middle]) < seq { low = middle + 1 } else { high = middle }
        }
        return low < endIndex && seqOf(self[low]) == seq ? low : nil
    }
}
