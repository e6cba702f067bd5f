import TrilliumCore
import TrilliumServices

/// What happens to the app: keys, time, size, and the results of effects.
public enum AppMessage: Sendable, Equatable {
    case key(Key)
    /// Time passes: carries the clock's reading so `update` stays pure.
    case tick(EventStamp)
    case resized(Size)
    case startLoaded(StartData)
    case sessionReady(SessionSnapshot, previousDepths: [ZoneID: PreviousDepth], series: PatientSeries = PatientSeries())
    /// A record is durable; the snapshot is the state that includes it.
    case recorded(SessionSnapshot)
    /// The core refused: nothing was written, the session goes on.
    case refused(String)
    /// Saving failed: the session is read-only from now on.
    case saveFailed(SessionSnapshot, String)
    case openFailed(String)
    /// A person proved who they are (a PIN checked against the staff log).
    case signedIn(SignedInUser)
    /// A sign-in, an authorisation or a signature was refused: why, in their words.
    case signInRefused(String)
    /// A director's co-signature is durable: what the start screen says.
    case coSigned(String)
    /// The clinic's copy moved on, or the database stopped answering.
    case clinicCopyChanged(ClinicCopyStatus)
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
    /// Checks a PIN; `.signedIn` or `.signInRefused` comes back. Unlocking as
    /// someone else hands the open session over to them.
    case signIn(id: String, pin: String, unlocking: Bool)
    case signOut
    /// The idle lock came down: recorded in the access log.
    case lockScreen
    /// An override of a relative contraindication, once the director's PIN checks out.
    case authoriseOverride(question: QuestionID, reason: String, director: String, pin: String)
    /// Sign-off, once the signed-in person's PIN checks out: signed with the workstation's key.
    case signOff(pin: String)
    /// A director's co-signature of a signed session, once their PIN checks out.
    case cosign(path: String, pin: String)
}

/// The person signed in at the workstation.
public struct SignedInUser: Sendable, Equatable {
    public var id: StaffID
    public var name: String
    public var roles: Set<StaffRole>

    public init(id: StaffID, name: String, roles: Set<StaffRole>) {
        self.id = id
        self.name = name
        self.roles = roles
    }
}
