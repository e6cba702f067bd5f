import TrilliumCore
import TrilliumLog

/// Why a record was not made.
public enum RecordingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The core refused it: nothing was written, the session goes on.
    case refused(SessionError)
    /// Writing failed: nothing more will be saved; the log is intact up to `lastSavedSeq`.
    case notSaved(LogWriteError)

    public var description: String {
        switch self {
        case let .refused(error): error.description
        case let .notSaved(error): error.description
        }
    }
}

/// One open session: the state and the log kept in step. `record` checks the
/// event against the core, makes it durable, and only then folds it into the
/// state it returns, so whatever the screen shows as done is on disk.
public final class SessionRecorder {
    public private(set) var state: SessionState
    public let writer: SessionLogWriter
    public let clock: SessionClock
    private let ids: RecordIDSource
    /// The default `by` of every record: the account running the session
    /// (the one that opened it, or the last it was handed to), or in a
    /// session from before staff accounts the name typed at intake.
    public var operatorName: String { state.currentOperator }
    /// The latest records, newest last (for choosing one to correct).
    public private(set) var recentRecords: [SessionRecord]
    static let recentLimit = 50
    /// Told of every record once it is durable and folded, with the state that
    /// includes it: what the screen shows next (the replay property test watches this).
    public var didCommit: ((SessionRecord, SessionState) -> Void)?

    init(state: SessionState, writer: SessionLogWriter, clock: SessionClock, ids: RecordIDSource,
         recentRecords: [SessionRecord] = []) {
        self.state = state
        self.recentRecords = Array(recentRecords.suffix(Self.recentLimit))
        self.writer = writer
        self.clock = clock
        self.ids = ids
    }

    public var path: String { writer.path }
    public var lastSavedSeq: Int { writer.lastSeq }
    public var isReadOnly: Bool { writer.isStopped }

    /// Records `event` now. Returns the saved record; throws without side
    /// effects on the state when refused or not saved.
    @discardableResult
    public func record(_ event: SessionEvent, by person: String? = nil) throws(RecordingError) -> SessionRecord {
        try record(event, at: clock.now(), by: person)
    }

    private func record(_ event: SessionEvent, at stamp: EventStamp, by person: String?) throws(RecordingError) -> SessionRecord {
        let record = SessionRecord(
            seq: state.lastSeq + 1, id: ids.next(), stamp: stamp, by: person ?? operatorName, event: event)
        try commit(record)
        return record
    }

    /// Trial against the core, durable write, then fold: the one path by which
    /// a record becomes part of the session.
    func commit(_ record: SessionRecord) throws(RecordingError) {
        do {
            try state.validate(record)
        } catch {
            throw .refused(error)
        }
        do {
            try writer.append(record)
        } catch {
            throw .notSaved(error)
        }
        do {
            try state.apply(record)
        } catch {
            // validate() accepted this very record against this very state.
            preconditionFailure("the core accepted a record on trial and refused it on apply: \(error)")
        }
        recentRecords.append(record)
        if recentRecords.count > Self.recentLimit { recentRecords.removeFirst() }
        didCommit?(record, state)
    }

    /// Records an event made from the moment it is stamped and the digest
    /// it will follow: a signature covers both, so it is made only then.
    @discardableResult
    public func record(by person: String? = nil, _ make: (_ stamp: EventStamp, _ previousDigest: String) -> SessionEvent) throws(RecordingError) -> SessionRecord {
        let stamp = clock.now()
        return try record(make(stamp, writer.headDigest), at: stamp, by: person)
    }

    /// Takes the anesthetic off now; the dwell is measured by the core from the log's stamps.
    @discardableResult
    public func removeAnesthetic(earlyRemovalReason: String?) throws(RecordingError) -> SessionRecord {
        // One reading of the clock for both the dwell and the record's stamp.
        let stamp = clock.now()
        let removal: AnestheticRemoval
        do {
            removal = try state.anestheticRemoval(at: stamp, earlyRemovalReason: earlyRemovalReason)
        } catch {
            throw .refused(error)
        }
        return try record(.anestheticRemoved(removal), at: stamp, by: nil)
    }

    public func close() {
        writer.close()
    }
}
