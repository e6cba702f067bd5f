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
         matching matches: (SessionOpening) -> Bool, orLots lotMatches: ((String) -> Bool)? = nil) throws(StoreError) {
        let listings: [LogIndex.Listing]
        do {
            listings = try LogIndex.listing(of: store.directory.path).logs
        } catch {
            throw .dataDirectory(error)
        }
        // What the index says first, each entry searched on both cores; then
        // the sessions that match are read in full on both cores (a month's
        // cartridge lot is hundreds of them), and everything is put back in
        // the listing's order.
        typealias Candidate = (name: String, problems: [String], path: String?)
        let mention = LogIndex.Mention(text, caseInsensitive: caseInsensitive)
        let found = BothCores.map(listings) { listing -> Candidate? in
            // A log whose entry cannot mention the patient or lot still has its defects named.
            guard listing.mightMention(mention) else {
                guard let glance = listing.glance, !glance.status.isValid else { return nil }
                return (listing.name, ["\(listing.name): \(LogVerification.summary(of: glance.status, validRecords: glance.validRecords))"], nil)
            }
            let name = listing.name
            let verification: LogVerification
            switch listing.result {
            case let .failure(error):
                return (name, ["\(name): \(StoreError.unreadable(path: listing.path, reason: error.description))"], nil)
            case let .success(verified): verification = verified
            }
            guard let recorded = verification.opening else { return (name, ["\(name): no session.opened record"], nil) }
            let defects = verification.status.isValid ? [] : ["\(name): \(verification.summary)"]
            let isMatch = matches(recorded) || verification.correctedOpening.map(matches) == true
                || (lotMatches.map { verification.consumableLots.contains(where: $0) } ?? false)
            return isMatch || !defects.isEmpty ? (name, defects, isMatch ? listing.path : nil) : nil
        }.compactMap { $0 }
        let loaded = Self.load(found.map(\.path), store: store)
        // A session in two files (a copy, a link) is one treatment: counted once, from the first, and both named.
        var fileOfSession: [String: String] = [:]
        for (candidate, result) in zip(found, loaded) {
            problems += candidate.problems
            switch result {
            case nil: continue
            case let .failure(error)?: problems.append("\(candidate.name): \(error.description)")
            case let .success(session)?:
                guard let opening = session.verification.opening, let started = session.verification.firstStamp else { continue }
                if let first = fileOfSession[opening.sessionID] {
                    problems.append("\(candidate.name): the same session as \(first) (\(opening.sessionID)); counted once")
                    continue
                }
                fileOfSession[opening.sessionID] = candidate.name
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

    /// The sessions that used a lot of any consumable (cartridge or roller,
    /// anesthetic, product), in any case, as recorded or as corrected.
    public init(store: SessionStore, lot: String) throws(StoreError) {
        try self.init(store: store, mentioning: lot, caseInsensitive: true,
                      matching: { $0.cartridge.lot.compare(lot, caseInsensitive: true) },
                      orLots: { $0.compare(lot, caseInsensitive: true) })
    }

    public static func day(_ stamp: EventStamp) -> Int {
        CivilDate.daysSinceEpoch(wallMilliseconds: stamp.wallMilliseconds)
    }

    /// "Forehead 0.50, Cheek (left) 1.00, Chin skipped".
    public static func zoneSummary(_ entry: Entry) -> String {
        guard let state = entry.state else { return entry.opening.plannedZones.map(\.rawValue).joined(separator: ", ") }
        return zoneSummary(state)
    }

    public static func zoneSummary(_ state: SessionState) -> String {
        state.plannedZones.map { zone in
            let progress = state.progress(of: zone.id)
            if progress.skipReason != nil { return "\(zone.name) skipped" }
            return "\(zone.name) \(progress.depth?.millimetreText ?? "-")"
        }.joined(separator: ", ")
    }

    /// "Dermaroller 0.50 mm, type III, Lidocaine 4% 12 g": what the series' sessions were given with.
    public static func clinicalSummary(_ entry: Entry) -> String {
        guard let state = entry.state else { return entry.opening.device.model }
        return clinicalSummary(state, opening: entry.opening)
    }

    public static func clinicalSummary(_ state: SessionState, opening: SessionOpening) -> String {
        var parts = [state.device.isSingle ? opening.device.model : state.device.model]
        if let needle = state.rollerNeedleLength { parts[0] += " \(needle)" }
        if let consultation = state.consultation { parts.append("type \(consultation.consultation.skinType.rawValue)") }
        if let course = state.anesthetic {
            if course.declinedReason != nil {
                parts.append("no anesthetic")
            } else if let agent = course.agent.flatMap(state.treatmentProtocol.agent) {
                parts.append(agent.name + (course.dose.map { " " + Grams.text($0.amount) } ?? ""))
            }
        }
        return parts.joined(separator: ", ")
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
        guard !sessions.isEmpty else { return "No sessions for patient \(VisibleText.field(patient)).\n" + problems(index) }
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
            rows.append([CivilDate.text(days: day), SessionIndex.status(entry), treated ? "#\(series)" : "-", interval,
                         SessionIndex.clinicalSummary(entry), zones])
        }
        // What was asked for, as typed: a tab or line feed in it is shown, not let through to the terminal.
        var out = "Patient \(VisibleText.field(patient)): \(sessions.count) session(s), \(series) treatment(s) in the series\n"
        out += TextTable.render(headers: ["Date", "Status", "Series", "Interval", "Device, skin, anesthetic", "Zones and depths (mm)"], rows: rows)
        if let last = previousTreated, let followUp = lastFollowUp {
            out += SeriesSchedule(treatments: series, lastTreatedDay: last, followUp: followUp).summary + "\n"
        }
        return out + problems(index)
    }

    static func problems(_ index: SessionIndex) -> String {
        // One line each, whatever its file is called: a line feed or tab in a name is shown, never obeyed,
        // so no file can add a line of its own to a recall.
        index.problems.isEmpty ? "" : "Could not read fully:\n" + index.problems.map { "  \(VisibleText.field($0))\n" }.joined()
    }
}

/// Every session that used a lot, of whatever consumable touched the skin:
/// the cartridge or the roller, the anesthetic, the products in the channels.
/// What a manufacturer's recall needs. Lots are matched without regard to
/// case (labels are read and typed both ways), as recorded and as
/// corrected: a session whose lot was corrected to or away from this one is
/// listed, and says so.
public enum LotRecall {
    public static func render(_ index: SessionIndex, lot: String, includingTraining: Bool = false) -> String {
        let found = index.entries.compactMap { entry -> (SessionIndex.Entry, [String])? in
            guard includingTraining || !entry.opening.isTraining else { return nil }
            let uses = uses(of: lot, in: entry)
            return uses.isEmpty ? nil : (entry, uses)
        }.sorted { $0.0.started.wallMilliseconds < $1.0.started.wallMilliseconds }
        var out = "Lot \(VisibleText.field(lot)): \(found.count) session(s), \(Set(found.map(\.0.opening.patientReference)).count) patient(s)\n"
        if !found.isEmpty {
            out += TextTable.render(headers: ["Date", "Patient", "Operator", "Status", "Zones", "Used as"], rows: found.map { entry, uses in
                [CivilDate.text(days: SessionIndex.day(entry.started)), entry.opening.patientReference, entry.opening.operatorName,
                 SessionIndex.status(entry), SessionIndex.zoneSummary(entry), uses.joined(separator: "; ")]
            })
        }
        return out + PatientHistory.problems(index)
    }

    /// What in the session used `lot`: "cartridge", "anesthetic Lidocaine 4%", "product … on Forehead", with corrections said.
    static func uses(of lot: String, in entry: SessionIndex.Entry) -> [String] {
        func same(_ a: String) -> Bool { a.compare(lot, caseInsensitive: true) }
        /// "cartridge LOT-7", with what a correction changed: "(first recorded as …)", or "corrected to … (recorded as …)".
        func note(_ what: String, now: String, first: String) -> String? {
            guard same(now) || same(first) else { return nil }
            if now == first { return "\(what) \(now)" }
            return same(now) ? "\(what) \(now) (first recorded as \(first))" : "\(what) corrected to \(now) (recorded as \(first))"
        }
        var uses: [String] = []
        let consumable = entry.opening.device.needleLength != nil ? "roller" : "cartridge"
        if let use = note(consumable, now: entry.opening.cartridge.lot, first: entry.recordedOpening.cartridge.lot) { uses.append(use) }
        guard let state = entry.state else {
            // Without the protocol the fold is missing: the index's lots still say the session used it.
            if entry.verification.consumableLots.contains(where: same) { uses.append("anesthetic or product (protocol unavailable)") }
            return uses
        }
        let p = state.treatmentProtocol
        /// What the record `seq` held before any correction of its lot.
        func first(_ seq: Int, _ current: String) -> String {
            state.corrections(of: seq, field: "lot").first?.correction.oldValue ?? current
        }
        if let course = state.anesthetic, let dose = course.dose, let seq = course.appliedSeq,
           let use = note("anesthetic " + (course.agent.flatMap(p.agent)?.name ?? ""), now: dose.lot, first: first(seq, dose.lot)) {
            uses.append(use)
        }
        // One line a product and lot, with the zones it went on.
        var zones: [String: [String]] = [:]
        var order: [String] = []
        for entry in state.products {
            let a = entry.application
            guard let use = note("product \(a.name)", now: a.lot, first: first(entry.seq, a.lot)) else { continue }
            if zones[use] == nil { order.append(use) }
            zones[use, default: []].append(p.zone(a.zone)?.name ?? a.zone.rawValue)
        }
        uses += order.map { "\($0) on \(zones[$0]!.joined(separator: ", "))" }
        return uses
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
        // `sessions` lists every session of a clinic's years, 25,000 rows:
        // each cell is made visible and measured on both cores, then each
        // core writes its half of the rows as bytes, padded to the widths.
        let measured = BothCores.map([headers] + rows) { cells in
            cells.map { cell -> (text: String, count: Int) in
                let visible = VisibleText.field(cell)
                return (visible, DisplayWidth.columns(ofVisible: visible))
            }
        }
        let widths = headers.indices.map { column in measured.map { $0.count > column ? $0[column].count : 0 }.max() ?? 0 }
        let halves = BothCores.map(measured.count >= 4096 ? [0..<(measured.count / 2), (measured.count / 2)..<measured.count]
                                                          : [0..<measured.count], threshold: 2) { rows in
            var out: [UInt8] = []
            out.reserveCapacity(rows.count * (widths.reduce(0, +) + 2 * widths.count + 1))
            for cells in measured[rows] {
                for (index, cell) in cells.enumerated() {
                    out += cell.text.utf8
                    if index < cells.count - 1 { out += repeatElement(UInt8(ascii: " "), count: widths[index] - cell.count + 2) }
                }
                out.append(0x0A)
            }
            return out
        }
        var out = halves[0]
        for half in halves.dropFirst() { out += half }
        return String(decoding: out, as: UTF8.self)
    }
}
