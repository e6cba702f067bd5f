import TrilliumCore
import TrilliumLog

/// One line about a session file, from a verifying read (no protocol needed):
/// what the start screen, `trillium sessions` and the history commands show.
public struct SessionSummary: Sendable, Equatable {
    public var path: String
    public var verification: LogVerification?
    public var readError: String?

    public init(path: String) {
        self.path = path
        do {
            verification = try LogReader.verify(path: path)
        } catch {
            readError = error.description
        }
    }

    /// From the session index: the entry's verification, or why the log could not be read.
    public init(_ listing: LogIndex.Listing) {
        path = listing.path
        switch listing.result {
        case let .success(verification): self.verification = verification
        case let .failure(error): readError = error.description
        }
    }

    /// Every session in `directory`, oldest first, through the session index.
    public static func all(in directory: DataDirectory) throws(FileError) -> [SessionSummary] {
        try LogIndex.listing(of: directory.path).logs.map(SessionSummary.init)
    }

    public var fileName: String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return path }
        return String(path[path.utf8.index(after: slash)...])
    }
    public var opening: SessionOpening? { verification?.opening }
    public var unreadable: Bool { readError != nil }

    public var started: String {
        verification?.firstStamp.map { Times.dateTime($0, withZone: false) } ?? "—"
    }

    /// As corrected, with the value first recorded beside it: the start
    /// screen and `sessions` follow corrections too.
    public var patient: String {
        shown(verification?.correctedOpening?.patientReference, recorded: verification?.opening?.patientReference)
    }
    public var operatorName: String {
        shown(verification?.correctedOpening?.operatorName, recorded: verification?.opening?.operatorName)
    }

    /// The fields are taken one by one, not through a key path: that copied
    /// the whole verification for each, and `sessions` shows 25,000 rows.
    private func shown(_ corrected: String?, recorded: String?) -> String {
        guard let corrected else { return "—" }
        guard let recorded, recorded != corrected else { return corrected }
        return "\(corrected) (was \(recorded))"
    }
    public var phase: String { verification.map { $0.lastPhaseMarker.title } ?? "—" }

    /// "signed", "open", "aborted", "torn tail (resumable)", "CORRUPT", "unreadable".
    public var status: String {
        guard let verification else { return "unreadable: \(readError ?? "")" }
        switch verification.status {
        case let .valid(condition): return condition.rawValue + (opening?.isTraining == true ? " (training)" : "")
        case .tornTail: return verification.validRecords > 0 ? "torn tail (resume repairs it)" : "empty (no record saved)"
        case let .corrupt(defect): return "CORRUPT at line \(defect.line)"
        }
    }

    /// An unfinished session that `resume` can reopen.
    public var isResumable: Bool {
        guard let verification, verification.validRecords > 0, !verification.lastPhaseMarker.isSealed else { return false }
        switch verification.status {
        case .valid(.open), .tornTail: return true
        default: return false
        }
    }
}
