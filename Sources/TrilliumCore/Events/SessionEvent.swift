/// Everything a log records, one case per record type: a session's steps,
/// and the staff log's and the access log's changes, which are framed and
/// chained the same way so that one reader and any auditor's script read all
/// three. A record is never edited; a later `recordCorrected` names what it corrects.
///
/// The cases that carry a whole structure are `indirect`: held in a box of
/// their own, they do not make every record as big as the biggest of them.
/// Inline, an event took 249 bytes and a record 321, for a note of two
/// strings; replay and recall copy hundreds of thousands of records, and the
/// copying (of bytes that were nearly all empty) was most of a fold.
public enum SessionEvent: Sendable, Equatable {
    indirect case opened(SessionOpening)
    case screeningAnswered(question: QuestionID, answer: Bool)
    /// `authorisedBy`: the director who authorised overriding a relative contraindication (attributed sessions).
    case screeningOverridden(question: QuestionID, reason: String, authorisedBy: StaffID? = nil)
    case prophylaxisConfirmed(question: QuestionID)
    case screeningCompleted
    /// The consultation: skin type, concerns, goals, age; recorded in screening.
    indirect case consultationRecorded(Consultation)
    /// `attachments`: digests of the files of the item's kind attached so far (the before-photos, the consent).
    case preparationConfirmed(item: ChecklistItemID, attachments: [String] = [])
    case preparationCompleted
    /// `dose` is nil in sessions under protocols that do not record it.
    indirect case anestheticApplied(agent: AgentID, occluded: Bool, dose: AnestheticDose? = nil)
    case anestheticDeclined(reason: String)
    indirect case anestheticRemoved(AnestheticRemoval)
    case antisepsisConfirmed(item: ChecklistItemID)
    case treatmentStarted
    case depthSet(zone: ZoneID, depth: Depth, reason: String?)
    /// What the zone's protocol asks to be confirmed before its first pass, as confirmed.
    case zoneConfirmed(zone: ZoneID, statement: String)
    case passRecorded(zone: ZoneID, direction: DirectionID, depth: Depth)
    case endpointReached(zone: ZoneID, endpoint: EndpointID)
    case zoneCompleted(zone: ZoneID)
    case zoneSkipped(zone: ZoneID, reason: String)
    indirect case productApplied(ProductApplication)
    case treatmentCompleted
    case aftercareConfirmed(item: ChecklistItemID)
    case noteAdded(text: String, addendumReason: String?)
    indirect case adverseEventReported(AdverseEvent)
    indirect case recordCorrected(Correction)
    indirect case logRepaired(LogRepair)
    /// A photo or the signed consent, kept by its digest; may come after sign-off.
    indirect case attachmentAdded(Attachment)
    indirect case signed(SignOff)
    case aborted(reason: String)
    /// Another signed-in person takes over the session.
    indirect case handedOver(HandOver)
    /// A director's review of a signed session.
    indirect case cosigned(ElectronicSignature)

    // The staff log (users.tlog).
    indirect case staffOpened(LogOpening)
    indirect case userAdded(StaffAddition)
    case userPINChanged(user: StaffID, pinHash: String)
    case userRolesChanged(user: StaffID, roles: [StaffRole])
    case userDisabled(user: StaffID, reason: String)

    // The workstation's access log (access.tlog).
    indirect case accessOpened(LogOpening)
    case signedIn(user: StaffID)
    case signedOut(user: StaffID)
    /// `user` as typed: it may name no account.
    case signInFailed(user: String, reason: SignInFailure)
    case accountLocked(user: StaffID, minutes: Int)
    case screenLocked(user: StaffID)
    case screenUnlocked(user: StaffID)

    public var kind: EventKind {
        switch self {
        case .opened: .opened
        case .screeningAnswered: .screeningAnswered
        case .screeningOverridden: .screeningOverridden
        case .prophylaxisConfirmed: .prophylaxisConfirmed
        case .screeningCompleted: .screeningCompleted
        case .consultationRecorded: .consultationRecorded
        case .preparationConfirmed: .preparationConfirmed
        case .preparationCompleted: .preparationCompleted
        case .anestheticApplied: .anestheticApplied
        case .anestheticDeclined: .anestheticDeclined
        case .anestheticRemoved: .anestheticRemoved
        case .antisepsisConfirmed: .antisepsisConfirmed
        case .treatmentStarted: .treatmentStarted
        case .depthSet: .depthSet
        case .zoneConfirmed: .zoneConfirmed
        case .passRecorded: .passRecorded
        case .endpointReached: .endpointReached
        case .zoneCompleted: .zoneCompleted
        case .zoneSkipped: .zoneSkipped
        case .productApplied: .productApplied
        case .treatmentCompleted: .treatmentCompleted
        case .aftercareConfirmed: .aftercareConfirmed
        case .noteAdded: .noteAdded
        case .adverseEventReported: .adverseEventReported
        case .recordCorrected: .recordCorrected
        case .logRepaired: .logRepaired
        case .attachmentAdded: .attachmentAdded
        case .signed: .signed
        case .aborted: .aborted
        case .handedOver: .handedOver
        case .cosigned: .cosigned
        case .staffOpened: .staffOpened
        case .userAdded: .userAdded
        case .userPINChanged: .userPINChanged
        case .userRolesChanged: .userRolesChanged
        case .userDisabled: .userDisabled
        case .accessOpened: .accessOpened
        case .signedIn: .signedIn
        case .signedOut: .signedOut
        case .signInFailed: .signInFailed
        case .accountLocked: .accountLocked
        case .screenLocked: .screenLocked
        case .screenUnlocked: .screenUnlocked
        }
    }
}

/// The data of `session.opened`: who, on whom, with what.
public struct SessionOpening: Sendable, Equatable {
    public var sessionID: String
    public var patientReference: String
    public var operatorName: String
    /// The signed-in account that opened the session; nil in sessions from
    /// before staff accounts, whose operator is the name typed at intake.
    public var operatorID: StaffID?
    public var workstation: String
    public var device: DeviceIdentity
    /// The cartridge, or a roller's own lot: the consumable that touched the skin.
    public var cartridge: Cartridge
    public var protocolReference: ProtocolReference
    public var plannedZones: [ZoneID]
    public var appVersion: String
    /// A practice session: recorded like any other, marked everywhere as training.
    public var isTraining: Bool

    public init(
        sessionID: String, patientReference: String, operatorName: String, workstation: String,
        device: DeviceIdentity, cartridge: Cartridge, protocolReference: ProtocolReference,
        plannedZones: [ZoneID], appVersion: String, isTraining: Bool, operatorID: StaffID? = nil
    ) {
        self.operatorID = operatorID
        self.sessionID = sessionID
        self.patientReference = patientReference
        self.operatorName = operatorName
        self.workstation = workstation
        self.device = device
        self.cartridge = cartridge
        self.protocolReference = protocolReference
        self.plannedZones = plannedZones
        self.appVersion = appVersion
        self.isTraining = isTraining
    }
}

public struct DeviceIdentity: Sendable, Equatable {
    public var model: String
    public var serial: String
    /// The protocol's device profile chosen at intake; nil under protocols with a single `[device]`.
    public var profile: DeviceProfileID?
    /// A roller's needle length, fixed for the session.
    public var needleLength: Depth?

    public init(model: String, serial: String, profile: DeviceProfileID? = nil, needleLength: Depth? = nil) {
        self.model = model
        self.serial = serial
        self.profile = profile
        self.needleLength = needleLength
    }
}

public struct Cartridge: Sendable, Equatable {
    public var lot: String
    /// "YYYY-MM" or "YYYY-MM-DD", as printed on the packaging.
    public var expiry: String

    public init(lot: String, expiry: String) {
        self.lot = lot
        self.expiry = expiry
    }
}

public struct ProtocolReference: Sendable, Equatable {
    public var id: String
    public var version: String
    public var digest: String

    public init(id: String, version: String, digest: String) {
        self.id = id
        self.version = version
        self.digest = digest
    }

    public init(_ treatmentProtocol: TreatmentProtocol) {
        self.init(id: treatmentProtocol.id, version: treatmentProtocol.version, digest: treatmentProtocol.digest)
    }
}

public struct AnestheticRemoval: Sendable, Equatable {
    /// Dwell from application to removal, measured as `EventStamp.elapsed` does.
    public var dwell: Milliseconds
    /// Why it came off before the agent's minimum dwell, if it did.
    public var earlyRemovalReason: String?
    /// Whether the dwell passed the agent's maximum: recorded as a warning.
    public var exceededMaximum: Bool

    public init(dwell: Milliseconds, earlyRemovalReason: String?, exceededMaximum: Bool) {
        self.dwell = dwell
        self.earlyRemovalReason = earlyRemovalReason
        self.exceededMaximum = exceededMaximum
    }
}

public enum AdverseSeverity: String, Sendable, Equatable, CaseIterable {
    case mild
    case moderate
    case severe

    public var label: String {
        switch self {
        case .mild: "Mild"
        case .moderate: "Moderate"
        case .severe: "Severe"
        }
    }
}

public struct AdverseEvent: Sendable, Equatable {
    public var description: String
    public var severity: AdverseSeverity
    public var actionTaken: String
    /// Required once the session is sealed: why this is added afterwards.
    public var addendumReason: String?

    public init(description: String, severity: AdverseSeverity, actionTaken: String, addendumReason: String? = nil) {
        self.description = description
        self.severity = severity
        self.actionTaken = actionTaken
        self.addendumReason = addendumReason
    }
}

/// A correction names the record it corrects by seq; the original stays as written.
public struct Correction: Sendable, Equatable {
    public var seq: Int
    /// A field of the corrected record's data, dotted for nested ones ("cartridge.lot").
    public var field: String
    public var oldValue: String
    public var newValue: String
    public var reason: String

    public init(seq: Int, field: String, oldValue: String, newValue: String, reason: String) {
        self.seq = seq
        self.field = field
        self.oldValue = oldValue
        self.newValue = newValue
        self.reason = reason
    }
}

/// Written by recovery after a torn tail was cut off: what was dropped and where it went.
public struct LogRepair: Sendable, Equatable {
    public var droppedBytes: Int
    /// The byte offset at which the log was truncated.
    public var truncatedAt: Int
    /// The file name of the backup holding the dropped bytes, beside the log.
    public var backupFile: String

    public init(droppedBytes: Int, truncatedAt: Int, backupFile: String) {
        self.droppedBytes = droppedBytes
        self.truncatedAt = truncatedAt
        self.backupFile = backupFile
    }
}
