/// Where this room's records stand in the clinic's copy, as the status bar says it.
public enum ClinicCopyStatus: Sendable, Equatable {
    /// The clinic holds the log up to its last durable record (nil: every log of the room).
    case synced(seq: Int?)
    /// The first connection is being made: neither online nor known to be offline yet.
    case connecting(toSend: Int)
    /// Records durable here that the clinic does not hold yet: they go when it answers.
    case offline(toSend: Int)
    /// The clinic's copy and this log part at `seq` (0: the clinic refuses it for another reason): nothing more of it is copied.
    case diverged(seq: Int)
    /// Logs of this room whose copy the clinic refused (`trillium sync` names them).
    case divergedLogs(Int)

    public var text: String {
        switch self {
        case let .synced(seq?): "synced #\(seq)"
        case .synced(nil): "synced"
        case .connecting(0): "connecting to the clinic"
        case let .connecting(count): "connecting, \(count) to send"
        case let .offline(count): "offline, \(count) to send"
        case let .diverged(seq) where seq > 0: "NOT COPIED: differs at #\(seq)"
        case .diverged: "NOT COPIED: trillium sync says why"
        case let .divergedLogs(count): "NOT COPIED: \(count) log\(count == 1 ? "" : "s") differ"
        }
    }
}

/// The app's background copy to the clinic's database, as the runtime
/// sees it: told when a record is durable, asked how things stand. Neither
/// call waits on the network: the treatment room never waits for the clinic.
public protocol ClinicCopying: AnyObject, Sendable {
    /// Records up to `seq` of the log at `path` are durable here.
    func logIsDurable(_ path: String, through seq: Int)
    /// How the log at `path` stands (or, with none open, all of this room's logs).
    func status(of path: String?) -> ClinicCopyStatus
}
