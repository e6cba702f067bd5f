import Dispatch
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
        // What the index says first; then the sessions that match are read in
        // full on both cores (a month's cartridge lot is hundreds of them),
        // and everything is put back in the listing's order.
        var found: [(name: String, problems: [String], path: String?)] = []
        for listing in listings {
            // Made only for the logs named below: splitting 25,000 paths cost a tenth of a recall.
            var name: String { listing.path.split(separator: "/").last.map(String.init) ?? listing.path }
            // A log whose entry cannot mention the patient or lot still has its defects named.
            guard listing.mightMention(text, caseInsensitive: caseInsensitive) else {
                if let glance = listing.glance, !glance.status.isValid {
                    found.append((name, ["\(name): \(LogVerification.summary(of: glance.status, validRecords: glance.validRecords))"], nil))
                }
                continue
            }
            let verification: LogVerification
            switch listing.result {
            case let .failure(error):
                found.append((name, ["\(name): \(StoreError.unreadable(path: listing.path, reason: error.description))"], nil))
                continue
            case let .success(verified): verification = verified
            }
            guard let recorded = verification.opening else {
                found.append((name, ["\(name): no session.opened record"], nil))
                continue
            }
            let defects = verification.status.isValid ? [] : ["\(name): \(verification.summary)"]
            let isMatch = matches(recorded) || verification.correctedOpening.map(matches) == true
            if isMatch || !defects.isEmpty { found.append((name, defects, isMatch ? listing.path : nil)) }
        }
        let loaded = Self.load(found.map(\.path), store: store)
        for (candidate, result) in zip(found, loaded) {
            problems += candidate.problems
            switch result {
            case nil: continue
            case let .failure(error)?: problems.append("\(candidate.name): \(error.description)")
            case let .success(session)?:
                guard let opening = session.verification.opening, let started = session.verification.firstStamp else { continue }
                if session.state == nil { problems.append("\(candidate.name): its protocol is not in the data directory; zones shown without depths") }
                if let refusal = session.refusal { problems.append("\(candidate.name): \(session.integritySummary) (record \(refusal.seq))") }
                entries.append(Entry(path: candidate.path ?? session.verification.path, opening: session.state?.currentOpening ?? opening, recordedOpening: opening,
                                     started: started, state: session.state, verification: session.verification))
            }
        }
    }

    /// Each path's session, read and folded, half of them on each core; nil where there is no path.
    private static func load(_ paths: [String?], store: SessionStore) -> [Result<LoadedSession, StoreError>?] {
        var results = [Result<LoadedSession, StoreError>?](repeating: nil, count: paths.count)
        let workers = paths.count < 8 ? 1 : 2
        results.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let slots = buffer
            nonisolated(unsafe) let store = store
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                for index in stride(from: worker, to: paths.count, by: workers) {
                    guard let path = paths[index] else { continue }
                    slots[index] = Result { () throws(StoreError) in try store.load(path: path) }
                }
            }
        }
        return results
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
        let counts = all.map { $0.map(characterCount) }
        let widths = headers.indices.map { column in counts.map { $0[column] }.max() ?? 0 }
        // Written as bytes: `sessions` lists every session of a clinic's years, 25,000 rows.
        var out: [UInt8] = []
        out.reserveCapacity(all.count * (widths.reduce(0, +) + 2 * widths.count))
        for (row, cells) in all.enumerated() {
            for (index, cell) in cells.enumerated() {
                out += cell.utf8
                if index < cells.count - 1 { out += repeatElement(UInt8(ascii: " "), count: widths[index] - counts[row][index] + 2) }
            }
            out.append(0x0A)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Characters, counted without breaking graphemes where the text is ASCII.
    private static func characterCount(_ text: String) -> Int {
        text.utf8.allSatisfy { $0 < 0x80 } ? text.utf8.count : text.count
    }
}
