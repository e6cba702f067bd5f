import TrilliumCore
import TrilliumLog

/// Every session in a data directory, read once: for a patient's history
/// and for a cartridge-lot recall. Files that cannot be read are named, not skipped silently.
public struct SessionIndex {
    public struct Entry {
        public var path: String
        /// The opening with its corrections: what history and recall go by.
        public var opening: SessionOpening
        /// The opening as first recorded, when a correction changed it.
        public var recordedOpening: SessionOpening
        public var started: EventStamp
        public var state: SessionState?
        public var verification: LogVerification
    }

    public var entries: [Entry] = []
    /// "file: reason" for each file that could not be read or folded.
    public var problems: [String] = []

    /// The sessions whose opening, as recorded or as corrected, `matches`:
    /// found through the session index, so only they are read in full. Every
    /// log that is torn, corrupt or unreadable is named in `problems`.
    init(store: SessionStore, mentioning text: String, caseInsensitive: Bool,
         matching matches: (SessionOpening) -> Bool) throws(StoreError) {
        let listings: [LogIndex.Listing]
        do {
            listings = try LogIndex.listing(of: store.directory.path).logs
        } catch {
            throw .dataDirectory(error)
        }
        for listing in listings {
            let name = listing.path.split(separator: "/").last.map(String.init) ?? listing.path
            // A log whose entry cannot mention the patient or lot still has its defects named.
            guard listing.mightMention(text, caseInsensitive: caseInsensitive) else {
                if let glance = listing.glance, !glance.status.isValid {
                    problems.append("\(name): \(LogVerification.summary(of: glance.status, validRecords: glance.validRecords))")
                }
                continue
            }
            let verification: LogVerification
            switch listing.result {
            case let .failure(error):
                problems.append("\(name): \(StoreError.unreadable(path: listing.path, reason: error.description))")
                continue
            case let .success(verified): verification = verified
            }
            guard let recorded = verification.opening else {
                problems.append("\(name): no session.opened record")
                continue
            }
            if !verification.status.isValid { problems.append("\(name): \(verification.summary)") }
            guard matches(recorded) || verification.correctedOpening.map(matches) == true else { continue }
            do {
                let loaded = try store.load(path: listing.path)
                guard let opening = loaded.verification.opening, let started = loaded.verification.firstStamp else { continue }
                if loaded.state == nil { problems.append("\(name): its protocol is not in the data directory; zones shown without depths") }
                if let refusal = loaded.refusal { problems.append("\(name): \(loaded.integritySummary) (record \(refusal.seq))") }
                entries.append(Entry(path: listing.path, opening: loaded.state?.currentOpening ?? opening, recordedOpening: opening,
                                     started: started, state: loaded.state, verification: loaded.verification))
            } catch {
                problems.append("\(name): \(error.description)")
            }
        }
    }

    /// A patient's sessions, by their reference as recorded or as corrected.
    public init(store: SessionStore, patient: String) throws(StoreError) {
        try self.init(store: store, mentioning: patient, caseInsensitive: false) { $0.patientReference == patient }
    }

    /// The sessions that used a cartridge lot, in any case, as recorded or as corrected.
    public init(store: SessionStore, lot: String) throws(StoreError) {
        try self.init(store: store, mentioning: lot, caseInsensitive: true) { $0.cartridge.lot.compare(lot, caseInsensitive: true) }
    }

    public static func day(_ stamp: EventStamp) -> Int {
        CivilDate.daysSinceEpoch(wallMilliseconds: stamp.wallMilliseconds)
    }

    /// "Forehead 0.50, Cheek (left) 1.00, Chin skipped".
    public static func zoneSummary(_ entry: Entry) -> String {
        guard let state = entry.state else { return entry.opening.plannedZones.map(\.rawValue).joined(separator: ", ") }
        return state.plannedZones.map { zone in
            let progress = state.progress(of: zone.id)
            if progress.skipReason != nil { return "\(zone.name) skipped" }
            return "\(zone.name) \(progress.depth?.millimetreText ?? "-")"
        }.joined(separator: ", ")
    }

    public static func status(_ entry: Entry) -> String {
        switch entry.verification.status {
        case let .valid(condition): condition.rawValue + (entry.opening.isTraining ? " (training)" : "")
        case .tornTail: "open (torn tail)"
        case .corrupt: "CORRUPT"
        }
    }
}

/// A patient's sessions over time, against the protocol's interval and series.
public enum PatientHistory {
    public static func render(_ index: SessionIndex, patient: String, includingTraining: Bool = false) -> String {
        // By the patient reference as corrected, or as first recorded (a note says which).
        // Training sessions are rehearsals, not treatments: left out unless asked for.
        let sessions = index.entries.filter {
            ($0.opening.patientReference == patient || $0.recordedOpening.patientReference == patient)
                && (includingTraining || !$0.opening.isTraining)
        }.sorted { $0.started.wallMilliseconds < $1.started.wallMilliseconds }
        guard !sessions.isEmpty else { return "No sessions for patient \(patient).\n" + problems(index) }
        var rows: [[String]] = []
        var previousTreated: Int?
        var series = 0
        var lastFollowUp: FollowUp?
        for entry in sessions {
            let day = SessionIndex.day(entry.started)
            let treated = entry.state?.phase == .signed && !entry.opening.isTraining
            var interval = ""
            if let previous = previousTreated, treated {
                let days = day - previous
                interval = "\(days) d"
                if let followUp = entry.state?.treatmentProtocol.followUp {
                    if days < followUp.minimumWeeks * 7 { interval += " (early)" }
                    else if days > followUp.maximumWeeks * 7 { interval += " (late)" }
                    else { interval += " (in window)" }
                }
            }
            if treated {
                series += 1
                previousTreated = day
                lastFollowUp = entry.state?.treatmentProtocol.followUp
            }
            var zones = SessionIndex.zoneSummary(entry)
            if entry.opening.patientReference != entry.recordedOpening.patientReference {
                zones += " (patient reference corrected from \(entry.recordedOpening.patientReference) to \(entry.opening.patientReference))"
            }
            rows.append([CivilDate.text(days: day), SessionIndex.status(entry), treated ? "#\(series)" : "-", interval, zones])
        }
        var out = "Patient \(patient): \(sessions.count) session(s), \(series) treatment(s) in the series\n"
        out += TextTable.render(headers: ["Date", "Status", "Series", "Interval", "Zones and depths (mm)"], rows: rows)
        if let last = previousTreated, let followUp = lastFollowUp {
            if series >= followUp.seriesMaximum {
                out += "Series complete (\(series) of \(followUp.seriesMinimum)-\(followUp.seriesMaximum)).\n"
            } else {
                out += "Next session due between \(CivilDate.text(days: last + followUp.minimumWeeks * 7)) and \(CivilDate.text(days: last + followUp.maximumWeeks * 7)) (series \(series) of \(followUp.seriesMinimum)-\(followUp.seriesMaximum)).\n"
            }
        }
        return out + problems(index)
    }

    static func problems(_ index: SessionIndex) -> String {
        index.problems.isEmpty ? "" : "Could not read fully:\n" + index.problems.map { "  \($0)\n" }.joined()
    }
}

/// Every session that used a cartridge lot: what a manufacturer recall
/// needs. Lots are matched without regard to case (labels are read and typed
/// both ways), under their corrected value; a session first recorded under
/// another lot says so, and one whose lot was corrected away from this one is
/// listed too, so that a recall of either value finds it.
public enum LotRecall {
    public static func render(_ index: SessionIndex, lot: String, includingTraining: Bool = false) -> String {
        func same(_ a: String) -> Bool { a.compare(lot, caseInsensitive: true) }
        let sessions = index.entries.filter {
            (same($0.opening.cartridge.lot) || same($0.recordedOpening.cartridge.lot)) && (includingTraining || !$0.opening.isTraining)
        }
            .sorted { $0.started.wallMilliseconds < $1.started.wallMilliseconds }
        var out = "Cartridge lot \(lot): \(sessions.count) session(s), \(Set(sessions.map(\.opening.patientReference)).count) patient(s)\n"
        if !sessions.isEmpty {
            out += TextTable.render(headers: ["Date", "Patient", "Operator", "Status", "Zones", "Lot"], rows: sessions.map { entry in
                let recorded = entry.recordedOpening.cartridge.lot
                let current = entry.opening.cartridge.lot
                let lotNote = recorded == current ? current
                    : same(current) ? "\(current) (first recorded as \(recorded))" : "corrected to \(current) (recorded as \(recorded))"
                return [CivilDate.text(days: SessionIndex.day(entry.started)), entry.opening.patientReference, entry.opening.operatorName,
                        SessionIndex.status(entry), SessionIndex.zoneSummary(entry), lotNote]
            })
        }
        return out + PatientHistory.problems(index)
    }
}

extension String {
    func compare(_ other: String, caseInsensitive: Bool) -> Bool {
        caseInsensitive ? lowercased() == other.lowercased() : self == other
    }
}

/// Left-aligned columns separated by two spaces, for the command line's
/// listings. Each cell is one line: what it holds (a patient reference, a
/// file name) is shown through `VisibleText`, so no cell can start a row.
public enum TextTable {
    public static func render(headers: [String], rows: [[String]]) -> String {
        let all = ([headers] + rows).map { $0.map { VisibleText.field($0) } }
        let widths = headers.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}
