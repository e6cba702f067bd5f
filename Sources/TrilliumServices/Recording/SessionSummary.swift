import TrilliumCore
import TrilliumLog

/// One line about a session file, from a verifying read (no protocol needed):
/// what the start screen, `trillium sessions` and the history commands show.
///
/// A summary from the session index holds the row only (status, phase,
/// start, patient, operator): `sessions` lists 25,000 of them, and the
/// whole verification of each is decoded only where it is asked for.
public struct SessionSummary {
    public var readError: String?
    /// What a row shows; nil when the log could not be read.
    public var row: LogIndex.Row?
    private let source: Source

    private enum Source {
        case verified(path: String, LogVerification?)
        case listed(LogIndex.Listing)
    }

    public init(path: String) {
        do {
            let verification = try LogReader.verify(path: path)
            row = LogIndex.Row(verification)
            source = .verified(path: path, verification)
        } catch {
            readError = error.description
            source = .verified(path: path, nil)
        }
    }

    /// From the session index: the entry's row, or why the log could not be read.
    /// Its path is made only when asked for: `sessions` shows the names of 25,000 logs, not their paths.
    public init(_ listing: LogIndex.Listing) {
        source = .listed(listing)
        row = listing.row
        if row == nil, case let .failure(error) = listing.result { readError = error.description }
    }

    /// Every session in `directory`, oldest first, through the session index
    /// (each entry's row decoded on both cores).
    public static func all(in directory: DataDirectory) throws(FileError) -> [SessionSummary] {
        BothCores.map(try LogIndex.listing(of: directory.path).logs, SessionSummary.init)
    }

    /// `trillium sessions`: every session in `directory`, oldest first, as
    /// a table, and whether any log could not be read. Each row is made
    /// from its listing on both cores and kept only as its cells: 25,000
    /// summaries gathered into an array first were copied twice over.
    public static func table(in directory: DataDirectory) throws(FileError) -> (text: String, sessions: Int, anyUnreadable: Bool) {
        let rows = BothCores.map(try LogIndex.listing(of: directory.path).logs) { listing in
            let summary = SessionSummary(listing)
            return (cells: [summary.started, summary.patient, summary.operatorName, summary.phase, summary.status, summary.fileName],
                    unreadable: summary.unreadable)
        }
        let text = TextTable.render(headers: ["Started (UTC)", "Patient", "Operator", "Phase", "Status", "File"], rows: rows.map(\.cells))
        return (text, rows.count, rows.contains { $0.unreadable })
    }

    /// The log's whole verification, decoded now from the index where it came from there.
    public var verification: LogVerification? {
        switch source {
        case let .verified(_, verification): verification
        case let .listed(listing): try? listing.result.get()
        }
    }

    public var path: String {
        switch source {
        case let .verified(path, _): path
        case let .listed(listing): listing.path
        }
    }

    public var fileName: String {
        if case let .listed(listing) = source { return listing.name }
        let path = path
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return path }
        return String(path[path.utf8.index(after: slash)...])
    }
    public var opening: SessionOpening? { verification?.opening }
    public var unreadable: Bool { readError != nil }

    public var started: String {
        row?.glance.startedWallMilliseconds.map { Times.dateTime(wallMilliseconds: $0, withZone: false) } ?? "—"
    }

    /// As corrected, with the value first recorded beside it: the start
    /// screen and `sessions` follow corrections too.
    public var patient: String { shown(row?.correctedPatient, recorded: row?.patient) }
    public var operatorName: String { shown(row?.correctedOperator, recorded: row?.operatorName) }

    private func shown(_ corrected: String?, recorded: String?) -> String {
        guard let corrected else { return "—" }
        guard let recorded, recorded != corrected else { return corrected }
        return "\(corrected) (was \(recorded))"
    }
    public var phase: String { row.map { $0.glance.lastPhaseMarker.title } ?? "—" }

    /// "signed", "open", "aborted", "torn tail (resumable)", "CORRUPT", "unreadable".
    public var status: String {
        guard let row else { return "unreadable: \(readError ?? "")" }
        switch row.glance.status {
        case let .valid(condition): return condition.rawValue + (row.isTraining ? " (training)" : "")
        case .tornTail: return row.glance.validRecords > 0 ? "torn tail (resume repairs it)" : "empty (no record saved)"
        case let .corrupt(defect): return "CORRUPT at line \(defect.line)"
        }
    }

    /// An unfinished session that `resume` can reopen.
    public var isResumable: Bool {
        guard let glance = row?.glance, glance.validRecords > 0, !glance.lastPhaseMarker.isSealed else { return false }
        switch glance.status {
        case .valid(.open), .tornTail: return true
        default: return false
        }
    }
}
