/// What a field of a record's data holds: its JSON type and its domain.
/// The decoder checks the shape (type, length, format); the state machine
/// checks what needs the protocol (a zone that exists, a depth on the
/// device's steps).
public enum FieldKind: Sendable, Equatable {
    /// Free text typed by a person, at most this many characters.
    case text(maximumLength: Int)
    /// One of a fixed set of values, each with the label a person reads.
    case choice([FieldChoice])
    /// Ids the protocol defines.
    case zone, agent, question, checklistItem, direction, endpoint, device, product
    case zoneList
    /// Ids the protocol defines, each once (the consultation's concerns).
    case identifierList
    /// SHA-256 digests, 64 lowercase hex digits each (a checklist item's attachments).
    case digestList
    /// A calendar day: "YYYY-MM-DD".
    case date
    /// A staff account's id (a-z, 0-9, `_`, `-`).
    case staff
    /// Roles of `StaffRole`, each once.
    case roleList
    /// A PIN's salted slow hash in `PINHash`'s text form.
    case pinHash
    /// An Ed25519 signature: 128 lowercase hex digits.
    case signature
    /// A whole number, not negative.
    case count
    /// Whole micrometres (`depth_um`), a multiple of the device's step.
    case depth
    /// Whole milliseconds, not negative.
    case milliseconds
    /// A cartridge's expiry as printed: "YYYY-MM" or "YYYY-MM-DD".
    case expiry
    case boolean
    /// 64 lowercase hex digits.
    case digest
    /// A whole number of bytes, not negative.
    case byteCount
    /// A record's seq, 1 or more.
    case seq

    /// Whether a value of this kind is a JSON string (else a number, a bool or an array).
    var isString: Bool {
        switch self {
        case .text, .choice, .zone, .agent, .question, .checklistItem, .direction, .endpoint, .device, .product, .expiry, .digest,
             .staff, .pinHash, .signature, .date: true
        case .zoneList, .identifierList, .digestList, .depth, .milliseconds, .boolean, .byteCount, .seq, .roleList, .count: false
        }
    }
}

public struct FieldChoice: Sendable, Equatable {
    public var value: String
    public var label: String

    public init(_ value: String, _ label: String) {
        self.value = value
        self.label = label
    }
}

/// One field of a record type's `data`.
public struct FieldSchema: Sendable, Equatable {
    /// The key, dotted for a nested object's member: "cartridge.lot".
    public var path: String
    /// How a person reads it: "Cartridge lot".
    public var label: String
    public var kind: FieldKind
    /// Present only when it applies (a reason for a depth outside the zone's range).
    public var isOptional: Bool
    /// Whether `record.corrected` may name it.
    public var isCorrectable: Bool

    init(_ path: String, _ label: String, _ kind: FieldKind, optional: Bool = false, correctable: Bool = false) {
        self.path = path
        self.label = label
        self.kind = kind
        isOptional = optional
        isCorrectable = correctable
    }
}

/// One record type: its wire name, title, the phase it belongs to and its
/// fields. The one table that the decoder, corrections, reports and replay's
/// search read, so that what a record holds is written down once.
public struct RecordSchema: Sendable, Equatable {
    public var kind: EventKind
    public var title: String
    /// The phase it is recorded in; nil for records that may come at any time
    /// (notes, adverse events, corrections, repairs, an abort).
    public var phase: SessionPhase?
    /// In the order the log writes them.
    public var fields: [FieldSchema]

    public var name: String { kind.rawValue }
    public var correctableFields: [FieldSchema] { fields.filter(\.isCorrectable) }

    public func field(_ path: String) -> FieldSchema? {
        fields.first { $0.path == path }
    }

    public static func of(_ kind: EventKind) -> RecordSchema {
        table[kind]!
    }

    public static var all: [RecordSchema] {
        EventKind.allCases.map(of)
    }

    // MARK: The table

    /// Free-text limits: what the app lets a person type, and what the
    /// decoder accepts. Never lowered: a log written under a limit must
    /// still read under the next.
    public enum Limit {
        public static let patientReference = 40
        public static let operatorName = 60
        public static let workstation = 255
        public static let deviceModel = 60
        public static let deviceSerial = 40
        public static let lot = 40
        public static let reason = 200
        public static let note = 500
        public static let identifier = 255
        /// A staff id as typed at sign-in, before it is known to name an account.
        public static let staffID = 32
        public static let productName = 80
        public static let fileName = 255
        /// A patient's goals in their own words.
        public static let goals = 500
    }

    public static let severities = AdverseSeverity.allCases.map { FieldChoice($0.rawValue, $0.label) }
    public static let answers = [FieldChoice("yes", "Yes"), FieldChoice("no", "No")]
    public static let roles = StaffRole.allCases.map { FieldChoice($0.rawValue, $0.label) }
    public static let meanings = SignatureMeaning.allCases.map { FieldChoice($0.rawValue, $0.label) }
    public static let signInFailures = SignInFailure.allCases.map { FieldChoice($0.rawValue, $0.label) }
    public static let settings = AnestheticSetting.allCases.map { FieldChoice($0.rawValue, $0.label) }
    public static let skinTypes = FitzpatrickType.allCases.map { FieldChoice($0.rawValue, $0.label) }
    public static let attachmentKinds = AttachmentKind.allCases.map { FieldChoice($0.rawValue, $0.label) }

    /// The dose fields of `anesthetic.applied`, optional in the table (sessions
    /// under protocols that do not record the dose have none); present together.
    public static let doseFieldPaths = ["amount_mg", "lot", "expiry", "applied_by", "setting"]

    /// A signature's fields, in the order the log writes them; optional in
    /// `session.signed` (sessions from before staff accounts have none).
    /// The keys of a signature's fields: present all together or not at all.
    public static let signatureFieldPaths = signatureFields(optional: false).map(\.path)

    private static func signatureFields(optional: Bool) -> [FieldSchema] {
        [
            FieldSchema("signer", "Signed by", .staff, optional: optional),
            FieldSchema("signer_name", "Signer's name", .text(maximumLength: Limit.operatorName), optional: optional),
            FieldSchema("role", "Signed as", .choice(roles), optional: optional),
            FieldSchema("meaning", "Meaning", .choice(meanings), optional: optional),
            FieldSchema("key", "Workstation key (SHA-256)", .digest, optional: optional),
            FieldSchema("signature", "Ed25519 signature", .signature, optional: optional),
        ]
    }

    private static let user = FieldSchema("user", "Account", .staff)
    private static let logOpening = [
        FieldSchema("workstation", "Workstation", .text(maximumLength: Limit.workstation)),
        FieldSchema("app_version", "Trillium version", .text(maximumLength: Limit.identifier)),
    ]

    private static let reason = FieldSchema("reason", "Reason", .text(maximumLength: Limit.reason), correctable: true)

    private static let table: [EventKind: RecordSchema] = {
        func schema(_ kind: EventKind, _ phase: SessionPhase?, _ fields: [FieldSchema]) -> (EventKind, RecordSchema) {
            (kind, RecordSchema(kind: kind, title: kind.title, phase: phase, fields: fields))
        }
        let text = { (limit: Int) in FieldKind.text(maximumLength: limit) }
        return Dictionary(uniqueKeysWithValues: [
            schema(.opened, .intake, [
                FieldSchema("session_id", "Session", text(Limit.identifier)),
                FieldSchema("patient_ref", "Patient reference", text(Limit.patientReference), correctable: true),
                FieldSchema("operator", "Operator", text(Limit.operatorName), correctable: true),
                FieldSchema("operator_id", "Operator's account", .staff, optional: true),
                FieldSchema("workstation", "Workstation", text(Limit.workstation), correctable: true),
                FieldSchema("device.model", "Device", text(Limit.deviceModel), correctable: true),
                FieldSchema("device.serial", "Device serial", text(Limit.deviceSerial), correctable: true),
                FieldSchema("device.profile", "Device profile", .device, optional: true),
                FieldSchema("device.needle_um", "Roller needle length", .depth, optional: true),
                FieldSchema("cartridge.lot", "Cartridge or roller lot", text(Limit.lot), correctable: true),
                FieldSchema("cartridge.expiry", "Cartridge expiry", .expiry, correctable: true),
                FieldSchema("protocol.id", "Protocol", text(Limit.identifier)),
                FieldSchema("protocol.version", "Protocol version", text(Limit.identifier)),
                FieldSchema("protocol.digest", "Protocol SHA-256", .digest),
                FieldSchema("planned_zones", "Planned zones", .zoneList),
                FieldSchema("app_version", "Trillium version", text(Limit.identifier)),
                FieldSchema("training", "Training session", .boolean),
            ]),
            schema(.screeningAnswered, .screening, [
                FieldSchema("question", "Question", .question),
                FieldSchema("answer", "Answer", .choice(answers), correctable: true),
            ]),
            schema(.screeningOverridden, .screening, [
                FieldSchema("question", "Question", .question), reason,
                FieldSchema("authorised_by", "Authorised by", .staff, optional: true),
            ]),
            schema(.prophylaxisConfirmed, .screening, [FieldSchema("question", "Question", .question)]),
            schema(.screeningCompleted, .screening, []),
            schema(.consultationRecorded, .screening, [
                FieldSchema("skin_type", "Fitzpatrick skin type", .choice(skinTypes), correctable: true),
                FieldSchema("concerns", "Concerns treated", .identifierList),
                FieldSchema("goals", "Goals, in the patient's words", text(Limit.goals), correctable: true),
                FieldSchema("age_confirmed", "Age confirmed", .boolean),
                FieldSchema("minimum_age", "Minimum age", .count),
                FieldSchema("previous_session", "Previous session", .date, optional: true),
                FieldSchema("early_return_reason", "Reason for returning early", text(Limit.reason), optional: true, correctable: true),
            ]),
            schema(.preparationConfirmed, .preparation, [
                FieldSchema("item", "Item", .checklistItem),
                FieldSchema("attachments", "Attachments", .digestList, optional: true),
            ]),
            schema(.preparationCompleted, .preparation, []),
            schema(.anestheticApplied, .anesthesia, [
                FieldSchema("agent", "Agent", .agent, correctable: true),
                FieldSchema("occluded", "Occluded", .boolean, correctable: true),
                FieldSchema("amount_mg", "Amount (mg)", .count, optional: true),
                FieldSchema("area_cm2", "Area (cm²)", .count, optional: true),
                FieldSchema("zones", "Zones covered", .zoneList, optional: true),
                FieldSchema("lot", "Anesthetic lot", text(Limit.lot), optional: true, correctable: true),
                FieldSchema("expiry", "Anesthetic expiry", .expiry, optional: true, correctable: true),
                FieldSchema("applied_by", "Applied by", text(Limit.operatorName), optional: true),
                FieldSchema("setting", "Applied", .choice(settings), optional: true),
                FieldSchema("applied_minutes_ago", "Applied before the record (minutes)", .count, optional: true),
            ]),
            schema(.anestheticDeclined, .anesthesia, [reason]),
            schema(.anestheticRemoved, .anesthesia, [
                FieldSchema("dwell_ms", "Dwell", .milliseconds),
                FieldSchema("exceeded_maximum", "Past the maximum dwell", .boolean),
                FieldSchema("early_removal_reason", "Reason for early removal", text(Limit.reason), optional: true, correctable: true),
            ]),
            schema(.antisepsisConfirmed, .anesthesia, [FieldSchema("item", "Item", .checklistItem)]),
            schema(.treatmentStarted, .treatment, []),
            schema(.depthSet, .treatment, [
                FieldSchema("zone", "Zone", .zone),
                FieldSchema("depth_um", "Depth", .depth, correctable: true),
                FieldSchema("reason", "Reason outside the zone's range", text(Limit.reason), optional: true, correctable: true),
            ]),
            schema(.zoneConfirmed, .treatment, [
                FieldSchema("zone", "Zone", .zone),
                FieldSchema("statement", "Confirmed", text(Limit.note)),
            ]),
            schema(.productApplied, .treatment, [
                FieldSchema("product", "Product", .product),
                FieldSchema("name", "Product name", text(Limit.productName)),
                FieldSchema("zone", "Zone", .zone),
                FieldSchema("lot", "Product lot", text(Limit.lot), correctable: true),
                FieldSchema("expiry", "Product expiry", .expiry, correctable: true),
                FieldSchema("reason", "Reason for an unapproved product", text(Limit.reason), optional: true, correctable: true),
            ]),
            schema(.passRecorded, .treatment, [
                FieldSchema("zone", "Zone", .zone),
                FieldSchema("direction", "Direction", .direction, correctable: true),
                FieldSchema("depth_um", "Depth", .depth, correctable: true),
            ]),
            schema(.endpointReached, .treatment, [
                FieldSchema("zone", "Zone", .zone),
                FieldSchema("endpoint", "Endpoint", .endpoint, correctable: true),
            ]),
            schema(.zoneCompleted, .treatment, [FieldSchema("zone", "Zone", .zone)]),
            schema(.zoneSkipped, .treatment, [FieldSchema("zone", "Zone", .zone), reason]),
            schema(.treatmentCompleted, .treatment, []),
            schema(.aftercareConfirmed, .aftercare, [FieldSchema("item", "Item", .checklistItem)]),
            schema(.noteAdded, nil, [
                FieldSchema("text", "Note", text(Limit.note), correctable: true),
                FieldSchema("addendum_reason", "Why added after sealing", text(Limit.reason), optional: true),
            ]),
            schema(.adverseEventReported, nil, [
                FieldSchema("description", "Description", text(Limit.note), correctable: true),
                FieldSchema("severity", "Severity", .choice(severities), correctable: true),
                FieldSchema("action", "Action taken", text(Limit.note), correctable: true),
                FieldSchema("addendum_reason", "Why added after sealing", text(Limit.reason), optional: true),
            ]),
            schema(.recordCorrected, nil, [
                FieldSchema("seq", "Corrects record", .seq),
                FieldSchema("field", "Field", text(Limit.identifier)),
                FieldSchema("old", "Old value", text(Limit.note)),
                FieldSchema("new", "New value", text(Limit.note)),
                FieldSchema("reason", "Reason", text(Limit.reason)),
            ]),
            schema(.logRepaired, nil, [
                FieldSchema("dropped_bytes", "Bytes set aside", .byteCount),
                FieldSchema("truncated_at", "Cut at byte", .byteCount),
                FieldSchema("backup", "Kept in", text(Limit.identifier)),
            ]),
            schema(.attachmentAdded, nil, [
                FieldSchema("name", "File name", text(Limit.fileName)),
                FieldSchema("kind", "Kind", .choice(attachmentKinds)),
                FieldSchema("digest", "SHA-256", .digest),
                FieldSchema("size_bytes", "Size (bytes)", .byteCount),
            ]),
            schema(.signed, .signed, [FieldSchema("attestation", "Attestation", text(Limit.note), correctable: true)] + signatureFields(optional: true)),
            schema(.aborted, nil, [reason]),
            schema(.handedOver, nil, [
                FieldSchema("from", "From", text(Limit.operatorName)),
                FieldSchema("to", "To", .staff),
                FieldSchema("to_name", "To (name)", text(Limit.operatorName)),
            ]),
            schema(.cosigned, nil, signatureFields(optional: false)),
            schema(.staffOpened, nil, logOpening),
            schema(.userAdded, nil, [
                user, FieldSchema("name", "Name", text(Limit.operatorName)),
                FieldSchema("roles", "Roles", .roleList), FieldSchema("pin", "PIN hash", .pinHash),
            ]),
            schema(.userPINChanged, nil, [user, FieldSchema("pin", "PIN hash", .pinHash)]),
            schema(.userRolesChanged, nil, [user, FieldSchema("roles", "Roles", .roleList)]),
            schema(.userDisabled, nil, [user, reason]),
            schema(.accessOpened, nil, logOpening),
            schema(.signedIn, nil, [user]),
            schema(.signedOut, nil, [user]),
            schema(.signInFailed, nil, [
                FieldSchema("user", "Account as typed", text(Limit.staffID)),
                FieldSchema("reason", "Why", .choice(signInFailures)),
            ]),
            schema(.accountLocked, nil, [user, FieldSchema("minutes", "Locked for (minutes)", .count)]),
            schema(.screenLocked, nil, [user]),
            schema(.screenUnlocked, nil, [user]),
        ])
    }()
}
