import TrilliumCore
import TrilliumServices

/// What the screen shows of an open session: its folded state and the log's.
public struct SessionSnapshot: Sendable, Equatable {
    public var state: SessionState
    public var path: String
    public var lastSavedSeq: Int
    public var headDigest: String
    /// Set when saving failed: the session is read-only from then on.
    public var readOnlyReason: String?
    /// The latest records, newest last, for choosing what to correct.
    public var recentRecords: [SessionRecord]

    public init(state: SessionState, path: String, lastSavedSeq: Int, headDigest: String,
                readOnlyReason: String? = nil, recentRecords: [SessionRecord] = []) {
        self.state = state
        self.path = path
        self.lastSavedSeq = lastSavedSeq
        self.headDigest = headDigest
        self.readOnlyReason = readOnlyReason
        self.recentRecords = recentRecords
    }
}

/// A depth used on a zone in this patient's earlier session.
public struct PreviousDepth: Sendable, Equatable {
    public var depth: Depth
    public var date: String

    public init(depth: Depth, date: String) {
        self.depth = depth
        self.date = date
    }
}

/// One line of the start screen.
public struct StartEntry: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case newSession
        case resume(path: String)
        /// A signed session for the director signed in to review and co-sign.
        case review(path: String)
    }

    public var kind: Kind
    public var label: String
    /// What is shown before acting on it: a session's treatment, warnings
    /// and adverse events, for the director who co-signs it as reviewed.
    public var details: [String]

    public init(kind: Kind, label: String, details: [String] = []) {
        self.kind = kind
        self.label = label
        self.details = details
    }
}

/// What the runtime found in the data directory for the start screen.
public struct StartData: Sendable, Equatable {
    public var resumable: [StartEntry]
    public var today: [String]
    public var unreadable: [String]
    /// Operator and device of the most recent session, to prefill intake.
    public var lastOperator: String
    public var lastDevice: DeviceIdentity?
    /// Whether the data directory has staff accounts: then nobody works here without signing in.
    public var hasStaffAccounts = false
    /// Signed sessions of the last two weeks no director has co-signed: shown to a director.
    public var awaitingReview: [StartEntry] = []

    public init(resumable: [StartEntry] = [], today: [String] = [], unreadable: [String] = [],
                lastOperator: String = "", lastDevice: DeviceIdentity? = nil) {
        self.resumable = resumable
        self.today = today
        self.unreadable = unreadable
        self.lastOperator = lastOperator
        self.lastDevice = lastDevice
    }
}

public struct IntakeForm: Sendable, Equatable {
    public enum Field: Int, Sendable, CaseIterable {
        case patient, operatorName, deviceModel, needleLength, deviceSerial, lot, expiry, training

        public var label: String {
            switch self {
            case .patient: "Patient reference"
            case .operatorName: "Operator"
            case .deviceModel: "Device"
            case .needleLength: "Needle length mm"
            case .deviceSerial: "Device serial"
            case .lot: "Cartridge lot"
            case .expiry: "Cartridge expiry"
            case .training: "Training session"
            }
        }
    }

    public var values: [Field: TextField]
    /// What the form opened with (from the last session): leaving keeps nothing typed since.
    public var prefilled: [Field: String]
    public var focus: Field = .patient
    public var zonesFocused = false
    public var zoneCursor = 0
    public var plannedZones: [ZoneID]
    public var isTraining = false
    /// The protocol's device chosen (`[[device]]`): Space or the arrows change it.
    public var deviceIndex = 0

    public init(operatorName: String, device: DeviceIdentity?, plannedZones: [ZoneID], devices: [DeviceProfile] = []) {
        values = [
            .patient: TextField(limit: 40), .operatorName: TextField(operatorName, limit: 60),
            .deviceModel: TextField(device?.model ?? "", limit: 60), .deviceSerial: TextField(device?.serial ?? "", limit: 40),
            .needleLength: TextField(device?.needleLength?.millimetreText ?? "", limit: 5),
            .lot: TextField(limit: 40), .expiry: TextField(limit: 10),
        ]
        prefilled = values.mapValues(\.text)
        self.plannedZones = plannedZones
        // The last session's device, where it is still one of the protocol's.
        deviceIndex = devices.firstIndex { $0.id == device?.profile } ?? 0
    }

    public func value(_ field: Field) -> String { values[field]?.trimmed ?? "" }

    /// The chosen profile, where the protocol lists devices.
    public func device(in treatmentProtocol: TreatmentProtocol) -> DeviceProfile? {
        guard treatmentProtocol.hasDeviceProfiles else { return nil }
        return treatmentProtocol.devices[min(deviceIndex, treatmentProtocol.devices.count - 1)]
    }

    /// The fields shown, in order: the needle length only for a roller.
    public func fields(in treatmentProtocol: TreatmentProtocol) -> [Field] {
        let isRoller = device(in: treatmentProtocol)?.kind == .roller
        return Field.allCases.filter { $0 != .needleLength || isRoller }
    }

    /// A field's label for the device chosen: a roller's lot is its own.
    public func label(_ field: Field, in treatmentProtocol: TreatmentProtocol) -> String {
        guard device(in: treatmentProtocol)?.kind == .roller else { return field.label }
        switch field {
        case .lot: return "Roller lot"
        case .expiry: return "Roller expiry"
        default: return field.label
        }
    }
}

/// The sign-in form: an account id and its PIN.
public struct SignInForm: Sendable, Equatable {
    public var id = TextField(limit: RecordSchema.Limit.staffID)
    public var pin = TextField.secret()
    public var isOnPIN = false

    public init(id: String = "") {
        self.id = TextField(id, limit: RecordSchema.Limit.staffID)
        isOnPIN = !id.isEmpty
    }
}

public enum Screen: Sendable, Equatable {
    case signIn(SignInForm)
    case start(StartData, selection: Int)
    case intake(IntakeForm)
    case session
}

public enum NoticeKind: Sendable, Equatable {
    case info
    case warning
    case danger
}

public struct Notice: Sendable, Equatable {
    public var text: String
    public var kind: NoticeKind

    public init(_ text: String, _ kind: NoticeKind) {
        self.text = text
        self.kind = kind
    }
}

/// Where the dwell timer stands; a change of stage rings the bell.
public enum DwellStage: Sendable, Equatable {
    case waiting(remaining: Milliseconds)
    case ready(since: Milliseconds)
    case overMaximum(by: Milliseconds)

    public var name: String {
        switch self {
        case .waiting: "waiting"
        case .ready: "ready"
        case .overMaximum: "over"
        }
    }
}

/// The whole UI state. `update` changes it; `view` draws it; neither does I/O.
public struct AppModel: Sendable, Equatable {
    public var size: Size
    public var glyphs: GlyphSet
    public var now: EventStamp
    public var treatmentProtocol: TreatmentProtocol
    public var screen: Screen
    public var session: SessionSnapshot?
    public var previousDepths: [ZoneID: PreviousDepth] = [:]
    /// The patient's treatments before this session.
    public var patientSeries = PatientSeries()
    /// The consultation being filled in, while it is not yet recorded.
    public var consultationForm = ConsultationForm()
    public var overlay: Overlay?
    public var notice: Notice?
    /// The highlighted row of the current list.
    public var cursor = 0
    public var cursorContext: KeyContext?
    /// Occlusion chosen on the agent list (for agents that leave it optional).
    public var occlusion = false
    public var zoneCursor = 0
    /// The depth shown for each zone before it is set with `d`.
    public var pendingDepth: [ZoneID: Depth] = [:]
    public var dwellStage: String?
    public var isQuitting = false
    /// `trillium --training`: every session is a training session, under a banner on every screen.
    public var isTrainingMode = false
    /// Who is signed in; nil where the data directory has no staff accounts.
    public var signedIn: SignedInUser?
    /// The idle lock: after this long without a key the screen hides patient data.
    public var lockAfter: Milliseconds = 5 * 60_000
    /// When the last key came (the clock of the tick before it).
    public var lastKeyAt: EventStamp?
    /// Down: only the phase and the dwell timer show, and a PIN lifts it.
    public var lock: SignInForm?
    /// `trillium resume` where staff accounts exist: the session opens once someone has signed in.
    public var pendingResume: String?
    /// Where the clinic's copy stands; nil where the room has no clinic database.
    public var clinicCopy: ClinicCopyStatus?

    public init(size: Size, glyphs: GlyphSet, now: EventStamp, treatmentProtocol: TreatmentProtocol,
                start: StartData = StartData()) {
        self.size = size
        self.glyphs = glyphs
        self.now = now
        self.treatmentProtocol = treatmentProtocol
        screen = .start(start, selection: 0)
    }

    public static let minimumSize = Size(width: 80, height: 24)

    public var isTooSmall: Bool {
        size.width < Self.minimumSize.width || size.height < Self.minimumSize.height
    }

    public var state: SessionState? { session?.state }
    public var isReadOnly: Bool { session?.readOnlyReason != nil }

    /// The key context in force: the overlay's, else the screen's.
    public var context: KeyContext {
        if lock != nil { return .signIn }
        return overlay?.context ?? screenContext
    }

    /// The screen's own key context, whatever overlay is open.
    public var screenContext: KeyContext {
        switch screen {
        case .signIn: return .signIn
        case .start: return .start
        case .intake: return .intake
        case .session:
            guard let state else { return .start }
            switch state.phase {
            case .intake: return .screening
            case .screening:
                // The consultation comes first, where the protocol asks for one.
                return state.treatmentProtocol.consultation != nil && state.consultation == nil ? .consultation : .screening
            case .preparation: return .preparation
            case .anesthesia:
                guard let course = state.anesthetic else { return .anesthetic }
                return course.isOn ? .dwell : .antisepsis
            case .treatment: return .treatment
            case .aftercare: return .aftercare
            case .signed, .aborted: return .sealed
            }
        }
    }

    /// The dwell timer's stage at `now`, while the anesthetic is on.
    public var dwellStageNow: DwellStage? {
        // The agent as the session's own protocol defines it (a resumed session may follow another protocol than new ones).
        guard let state, let course = state.anesthetic, course.isOn, let appliedAt = course.appliedAt,
              let agent = course.agent.flatMap(state.treatmentProtocol.agent)
        else { return nil }
        let elapsed = max(0, now.elapsed(since: appliedAt)) + course.dwellBeforeRecord
        if elapsed < agent.minimumDwell { return .waiting(remaining: agent.minimumDwell - elapsed) }
        if elapsed <= agent.maximumDwell { return .ready(since: elapsed - agent.minimumDwell) }
        return .overMaximum(by: elapsed - agent.maximumDwell)
    }

    /// The zone highlighted on the treatment screen.
    public var selectedZone: Zone? {
        guard let zones = state?.plannedZones, !zones.isEmpty else { return nil }
        return zones[min(zoneCursor, zones.count - 1)]
    }

    /// The depth shown for `zone`: typed, set, a roller's needle length, or the zone's default on the device's steps.
    public func shownDepth(for zone: Zone) -> Depth {
        guard let state else { return zone.defaultDepth }
        return pendingDepth[zone.id] ?? state.progress(of: zone.id).depth ?? state.rollerNeedleLength ?? zone.defaultDepth(on: state.device.limits)
    }
}
