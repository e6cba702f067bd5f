#if canImport(Glibc)
import Glibc
#endif
import TrilliumCore
import TrilliumLog

/// Why the staff log or the access log could not be read or changed.
public enum StaffStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case refused(StaffError)
    case notSaved(LogWriteError)
    case busy(path: String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason): "\(path): \(reason)"
        case let .refused(error): error.description
        case let .notSaved(error): error.description
        case let .busy(path): "\(path) is being written by another Trillium: try again"
        }
    }
}

/// A staff or access log: read whole and verified, and appended to under
/// its lock, opened and closed for each change. Held open, the app's lock on
/// the access log would shut out `trillium cosign` run beside it.
struct ChainedLog {
    let path: String
    let family: LogFamily
    let clock: SessionClock
    let ids: RecordIDSource
    let files: FileOperations
    let workstation: String
    let appVersion: String

    /// Every record, verified; none when the log does not exist yet. A torn
    /// tail (a write cut short) is read up to it; a corrupt log is refused.
    func records() throws(StaffStoreError) -> [SessionRecord] {
        guard files.exists(path) else { return [] }
        var records: [SessionRecord] = []
        let verification: LogVerification
        do {
            verification = try LogReader.readRecords(path: path, files: files) { record, _ in records.append(record) }
        } catch {
            throw .unreadable(path: path, reason: error.description)
        }
        if case let .corrupt(defect) = verification.status { throw .unreadable(path: path, reason: "corrupt: \(defect)") }
        if verification.validRecords > 0 && verification.family != family {
            throw .unreadable(path: path, reason: "a \(verification.family.rawValue) log, not the \(family.rawValue) log")
        }
        return records
    }

    /// Appends what `make` decides from the records so far, all under the
    /// lock so that nothing is decided on records another writer has since
    /// added; opens the log with its first record if it does not exist.
    /// Returns the records as they now are.
    @discardableResult
    func append(by person: String, _ make: ([SessionRecord]) throws(StaffStoreError) -> [SessionEvent]) throws(StaffStoreError) -> [SessionRecord] {
        var records: [SessionRecord] = []
        let writer: SessionLogWriter
        let events: [SessionEvent]
        if files.exists(path) {
            writer = try resume(into: &records)
            do {
                events = try make(records)
            } catch {
                writer.close()
                throw error
            }
        } else {
            // Decided before the log is made: a refused first change leaves no file at all.
            let opening = SessionRecord(seq: 1, id: ids.next(), stamp: clock.now(), by: person, event: openingEvent)
            events = try make([opening])
            guard !events.isEmpty else { return [] }
            do {
                writer = try SessionLogWriter.create(path: path, first: opening, files: files)
            } catch {
                if case .alreadyExists = error { return try append(by: person, make) }
                throw .notSaved(error)
            }
            records = [opening]
        }
        defer { writer.close() }
        for event in events {
            let record = SessionRecord(seq: records.count + 1, id: ids.next(), stamp: clock.now(), by: person, event: event)
            do {
                try writer.append(record)
            } catch {
                throw .notSaved(error)
            }
            records.append(record)
        }
        return records
    }

    private var openingEvent: SessionEvent {
        let opening = LogOpening(workstation: workstation, appVersion: appVersion)
        return family == .staff ? .staffOpened(opening) : .accessOpened(opening)
    }

    /// Reopens the log, waiting a little for another writer's lock (each
    /// holds it for one change); a torn tail is set aside and recorded.
    private func resume(into records: inout [SessionRecord]) throws(StaffStoreError) -> SessionLogWriter {
        for attempt in 0..<40 {
            var read: [SessionRecord] = []
            do {
                let resumed = try LogRecovery.resume(path: path, files: files) { read.append($0.record) }
                records = read
                if resumed.verification.family != family {
                    resumed.writer.close()
                    throw StaffStoreError.unreadable(path: path, reason: "a \(resumed.verification.family.rawValue) log, not the \(family.rawValue) log")
                }
                if let repair = resumed.repair {
                    let record = SessionRecord(seq: records.count + 1, id: ids.next(), stamp: clock.now(), by: "trillium", event: .logRepaired(repair))
                    do {
                        try resumed.writer.append(record)
                    } catch {
                        throw StaffStoreError.notSaved(error)
                    }
                    records.append(record)
                }
                return resumed.writer
            } catch let error as StaffStoreError {
                throw error
            } catch let error as ResumeError {
                if case .lockedByAnotherInstance = error, attempt < 39 {
                    usleep(50_000)
                    continue
                }
                if case .lockedByAnotherInstance = error { throw .busy(path: path) }
                throw .unreadable(path: path, reason: error.description)
            } catch {
                throw .unreadable(path: path, reason: "\(error)")
            }
        }
        throw .busy(path: path)
    }
}
