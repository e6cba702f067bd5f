/// The record types, with the name the log stores in `type` and the schema version in `v`.
public enum EventKind: String, Sendable, CaseIterable {
    case opened = "session.opened"
    case screeningAnswered = "screening.answered"
    case screeningOverridden = "screening.overridden"
    case prophylaxisConfirmed = "screening.prophylaxis_confirmed"
    case screeningCompleted = "screening.completed"
    case consultationRecorded = "consultation.recorded"
    case preparationConfirmed = "prep.confirmed"
    case preparationCompleted = "prep.completed"
    case anestheticApplied = "anesthetic.applied"
    case anestheticDeclined = "anesthetic.declined"
    case anestheticRemoved = "anesthetic.removed"
    case antisepsisConfirmed = "antisepsis.confirmed"
    case treatmentStarted = "treatment.started"
    case depthSet = "zone.depth_set"
    case zoneConfirmed = "zone.confirmed"
    case passRecorded = "zone.pass"
    case endpointReached = "zone.endpoint"
    case zoneCompleted = "zone.completed"
    case zoneSkipped = "zone.skipped"
    case productApplied = "product.applied"
    case treatmentCompleted = "treatment.completed"
    case aftercareConfirmed = "aftercare.confirmed"
    case noteAdded = "note.added"
    case adverseEventReported = "adverse_event.reported"
    case recordCorrected = "record.corrected"
    case logRepaired = "log.repaired"
    case attachmentAdded = "attachment.added"
    case signed = "session.signed"
    case aborted = "session.aborted"
    case handedOver = "session.handed_over"
    case cosigned = "session.cosigned"
    case staffOpened = "staff.opened"
    case userAdded = "user.added"
    case userPINChanged = "user.pin_changed"
    case userRolesChanged = "user.role_changed"
    case userDisabled = "user.disabled"
    case accessOpened = "access.opened"
    case signedIn = "access.signed_in"
    case signedOut = "access.signed_out"
    case signInFailed = "access.failed"
    case accountLocked = "access.account_locked"
    case screenLocked = "access.screen_locked"
    case screenUnlocked = "access.unlocked"

    /// Every type is at version 1; a later change to a type's data bumps its
    /// version and the decoder keeps reading the old one.
    public var schemaVersion: Int { 1 }

    /// Records that may be appended after sign-off or abort.
    public var isAddendum: Bool {
        switch self {
        case .noteAdded, .adverseEventReported, .recordCorrected, .logRepaired, .cosigned, .attachmentAdded: true
        default: false
        }
    }

    /// The log a record belongs in; nil for a repair, which any log may hold.
    public var family: LogFamily? {
        switch self {
        case .logRepaired: nil
        case .staffOpened, .userAdded, .userPINChanged, .userRolesChanged, .userDisabled: .staff
        case .accessOpened, .signedIn, .signedOut, .signInFailed, .accountLocked, .screenLocked, .screenUnlocked: .access
        default: .session
        }
    }

    /// Records that name a consumable's lot besides the opening's cartridge:
    /// the reader gathers their lots for the session index, so recall finds them.
    public var namesConsumableLot: Bool {
        self == .anestheticApplied || self == .productApplied
    }

    /// The type a log of `family` must begin with, and nowhere else.
    public var isOpening: Bool {
        family?.openingKind == self
    }

    /// How a person reads this type, e.g. in a timeline.
    public var title: String {
        switch self {
        case .opened: "Session opened"
        case .screeningAnswered: "Screening answered"
        case .screeningOverridden: "Screening overridden"
        case .prophylaxisConfirmed: "Prophylaxis confirmed"
        case .screeningCompleted: "Screening completed"
        case .consultationRecorded: "Consultation"
        case .preparationConfirmed: "Preparation confirmed"
        case .preparationCompleted: "Preparation completed"
        case .anestheticApplied: "Anesthetic applied"
        case .anestheticDeclined: "Anesthetic declined"
        case .anestheticRemoved: "Anesthetic removed"
        case .antisepsisConfirmed: "Antisepsis confirmed"
        case .treatmentStarted: "Treatment started"
        case .depthSet: "Depth set"
        case .zoneConfirmed: "Zone confirmed"
        case .passRecorded: "Pass recorded"
        case .endpointReached: "Endpoint reached"
        case .zoneCompleted: "Zone completed"
        case .zoneSkipped: "Zone skipped"
        case .productApplied: "Product applied"
        case .treatmentCompleted: "Treatment completed"
        case .aftercareConfirmed: "Aftercare confirmed"
        case .noteAdded: "Note"
        case .adverseEventReported: "Adverse event"
        case .recordCorrected: "Correction"
        case .logRepaired: "Log repaired"
        case .attachmentAdded: "Attachment added"
        case .signed: "Signed"
        case .aborted: "Aborted"
        case .handedOver: "Handed over"
        case .cosigned: "Co-signed"
        case .staffOpened: "Staff log opened"
        case .userAdded: "Account added"
        case .userPINChanged: "PIN changed"
        case .userRolesChanged: "Roles changed"
        case .userDisabled: "Account disabled"
        case .accessOpened: "Access log opened"
        case .signedIn: "Signed in"
        case .signedOut: "Signed out"
        case .signInFailed: "Sign-in refused"
        case .accountLocked: "Account locked"
        case .screenLocked: "Screen locked"
        case .screenUnlocked: "Screen unlocked"
        }
    }
}

/// The three kinds of log, framed and chained alike: one per session, the
/// staff accounts (`users.tlog`) and the workstation's sign-ins (`access.tlog`).
public enum LogFamily: String, Sendable, Equatable, CaseIterable {
    case session
    case staff
    case access

    /// The record type its first line must hold.
    public var openingKind: EventKind {
        switch self {
        case .session: .opened
        case .staff: .staffOpened
        case .access: .accessOpened
        }
    }
}
