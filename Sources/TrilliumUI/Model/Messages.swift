import TrilliumCore
import TrilliumServices

/// What happens to the app: keys, time, size, and the results of effects.
public enum AppMessage: Sendable, Equatable {
    case key(Key)
    /// Time passes: carries the clock's reading so `update` stays pure.
    case tick(EventStamp)
    case resized(Size)
    case startLoaded(StartData)
    case sessionReady(SessionSnapshot, previousDepths: [ZoneID: PreviousDepth])
    /// A record is durable; the snapshot is the state that includes it.
    case recorded(SessionSnapshot)
    /// The core refused: nothing was written, the session goes on.
    case refused(String)
    /// Saving failed: the session is read-only from now on.
    case saveFailed(SessionSnapshot, String)
    case openFailed(String)
}

/// What `update` asks the runtime to do; results come back as messages.
public enum Effect: Sendable, Equatable {
    case loadStart
    case openSession(Intake)
    case resumeSession(path: String)
    case record(SessionEvent)
    case removeAnesthetic(earlyRemovalReason: String?)
    case closeSession
    case bell
    case quit
}
