/// The state of one session: exactly what folding its records gives.
/// `state = records.reduce(SessionState(protocol:)) { try $0.applying($1) }`.
public struct SessionState: Sendable, Equatable {
    public let treatmentProtocol: TreatmentProtocol
    public internal(set) var phase: SessionPhase = .intake
    public internal(set) var opening: SessionOpening?
    public internal(set) var openedAt: EventStamp?
    public internal(set) var lastSeq = 0
    public internal(set) var lastStamp: EventStamp?
    public internal(set) var screening: [QuestionID: ScreeningStatus] = [:]
    public internal(set) var preparationConfirmed: Set<ChecklistItemID> = []
    public internal(set) var anesthetic: AnestheticCourse?
    public internal(set) var antisepsisConfirmed: Set<ChecklistItemID> = []
    public internal(set) var zones: [ZoneID: ZoneProgress] = [:]
    public internal(set) var aftercareConfirmed: Set<ChecklistItemID> = []
    /// The consultation at intake, once recorded.
    public internal(set) var consultation: RecordedConsultation?
    /// What went into the channels, in log order.
    public internal(set) var products: [RecordedProduct] = []
    /// Photos and consent kept with the session, in log order.
    public internal(set) var attachments: [RecordedAttachment] = []
    /// The attachments each preparation item named when it was confirmed.
    public internal(set) var preparationAttachments: [ChecklistItemID: [String]] = [:]
    /// The notes, held here unless the state was given an archive to read them back from.
    var noteStore = NoteStore()
    public internal(set) var adverseEvents: [RecordedAdverseEvent] = []
    public internal(set) var corrections: [RecordedCorrection] = []
    public internal(set) var repairs: [RecordedRepair] = []
    public internal(set) var warnings: [SessionWarning] = []
    public internal(set) var signature: Signature?
    /// Directors' reviews of the signed session.
    public internal(set) var cosignatures: [RecordedSignature] = []
    /// Who runs the session now: the account that opened it or the last
    /// one it was handed to; the typed name in sessions from before accounts.
    public internal(set) var currentOperator: String = ""
    public internal(set) var handOvers: [RecordedHandOver] = []
    public internal(set) var abortReason: String?
    public internal(set) var abortSeq: Int?
    /// When the session was signed or aborted: its clock stops there, whatever addenda follow.
    public internal(set) var sealedAt: EventStamp?
    /// The type of every record so far, by seq − 1: what a correction may name.
    public internal(set) var recordKinds: [EventKind] = []
    /// The opening with the corrections made to it; nil until one is.
    public internal(set) var correctedOpening: SessionOpening?

    public init(treatmentProtocol: TreatmentProtocol) {
        self.treatmentProtocol = treatmentProtocol
    }

    /// Whether the session was opened by a signed-in account: then
    /// overrides need a director, and sign-off needs a signature.
    public var isAttributed: Bool { opening?.operatorID != nil }

    /// The device the session is given with: the profile chosen at intake,
    /// or the one device of a protocol written before profiles.
    public var device: DeviceProfile {
        let chosen = opening?.device.profile.flatMap(treatmentProtocol.device)
        return chosen ?? treatmentProtocol.devices[0]
    }

    /// A roller's fixed needle length; nil for a pen.
    public var rollerNeedleLength: Depth? {
        device.kind == .roller ? opening?.device.needleLength : nil
    }

    /// A state whose notes stay in the log, read back from `archive` when
    /// asked for: for folds of whole logs (reports, history, recall).
    public init(treatmentProtocol: TreatmentProtocol, notesIn archive: any NoteArchive) {
        self.treatmentProtocol = treatmentProtocol
        noteStore = NoteStore(archive: archive)
    }

    public var noteCount: Int { noteStore.count }

    /// The note recorded as `seq`, as it stands (corrected, if it was).
    public func note(seq: Int) -> RecordedNote? {
        noteStore.note(seq: seq)
    }

    /// Every note as it stands, in log order (read back one by one from an archive).
    public var notes: [RecordedNote] {
        guard noteStore.isArchived else { return Array(noteStore.held) }
        return recordKinds.indices.filter { recordKinds[$0] == .noteAdded }.compactMap { note(seq: $0 + 1) }
    }

    /// The planned zones in protocol order.
    public var plannedZones: [Zone] {
        let planned = Set(opening?.plannedZones ?? [])
        return treatmentProtocol.zones.filter { planned.contains($0.id) }
    }

    public func progress(of zone: ZoneID) -> ZoneProgress {
        zones[zone] ?? ZoneProgress()
    }

    /// Questions still unanswered, in protocol order.
    public var unansweredQuestions: [ScreeningQuestion] {
        treatmentProtocol.screening.filter { screening[$0.id]?.answer == nil }
    }

    /// Blocking "yes" answers that have no override yet.
    public var blockingQuestions: [ScreeningQuestion] {
        treatmentProtocol.screening.filter {
            $0.rule.blocksOnYes && screening[$0.id]?.answer == true && screening[$0.id]?.overrideReason == nil
        }
    }

    /// "Yes" answers whose prophylaxis has not been confirmed.
    public var prophylaxisPending: [ScreeningQuestion] {
        treatmentProtocol.screening.filter {
            $0.rule == .requiresProphylaxis && screening[$0.id]?.answer == true
                && screening[$0.id]?.prophylaxisConfirmed != true
        }
    }

    public var unfinishedZones: [Zone] {
        plannedZones.filter { !progress(of: $0.id).isFinished }
    }
}

public struct ScreeningStatus: Sendable, Equatable {
    public var answer: Bool?
    public var overrideReason: String?
    public var prophylaxisConfirmed = false
    public var answeredSeq: Int?
    public var overrideSeq: Int?
    /// The director who authorised the override.
    public var authorisedBy: StaffID?

    public init() {}
}

public struct AnestheticCourse: Sendable, Equatable {
    public var agent: AgentID?
    public var occluded = false
    /// How much went where, from which lot; nil under protocols that do not record it.
    public var dose: AnestheticDose?
    /// When it was recorded as applied (for one applied at home, after it went on).
    public var appliedAt: EventStamp?
    /// How long it had been on when recorded: the minutes stated for one applied at home.
    public var dwellBeforeRecord: Milliseconds = 0
    public var appliedSeq: Int?
    public var declinedReason: String?
    public var declinedSeq: Int?
    public var removal: AnestheticRemoval?
    public var removedSeq: Int?
    public var removedAt: EventStamp?

    /// Dwell so far at `now` (or the recorded dwell once removed).
    public func dwell(at now: EventStamp) -> Milliseconds? {
        if let removal { return removal.dwell }
        guard let appliedAt else { return nil }
        return now.elapsed(since: appliedAt) + dwellBeforeRecord
    }

    public var isOn: Bool { appliedAt != nil && removal == nil }
    public var isFinished: Bool { removal != nil || declinedReason != nil }
}

public struct RecordedPass: Sendable, Equatable {
    public var seq: Int
    public var direction: DirectionID
    public var depth: Depth
    public var stamp: EventStamp
}

public enum ZoneStatus: String, Sendable, Equatable {
    case planned
    case active
    case complete
    case skipped
}

public struct ZoneProgress: Sendable, Equatable {
    public var depth: Depth?
    public var depthReason: String?
    public var depthSeq: Int?
    public var passes: [RecordedPass] = []
    public var endpoint: EndpointID?
    public var endpointSeq: Int?
    public var isComplete = false
    public var skipReason: String?
    public var skipSeq: Int?
    /// The record confirming what the zone's protocol asks before its first pass.
    public var confirmationSeq: Int?

    public init() {}

    public var isFinished: Bool { isComplete || skipReason != nil }

    public var status: ZoneStatus {
        if isComplete { return .complete }
        if skipReason != nil { return .skipped }
        if depth != nil || !passes.isEmpty { return .active }
        return .planned
    }
}

public struct RecordedNote: Sendable, Equatable {
    public var seq: Int
    public var stamp: EventStamp
    public var by: String
    public var text: String
    public var addendumReason: String?

    public init(seq: Int, stamp: EventStamp, by: String, text: String, addendumReason: String?) {
        self.seq = seq
        self.stamp = stamp
        self.by = by
        self.text = text
        self.addendumReason = addendumReason
    }
}

public struct RecordedAdverseEvent: Sendable, Equatable {
    public var seq: Int
    public var stamp: EventStamp
    public var by: String
    public var event: AdverseEvent
}

public struct RecordedCorrection: Sendable, Equatable {
    public var seq: Int
    public var stamp: EventStamp
    public var by: String
    public var correction: Correction
}

public struct RecordedRepair: Sendable, Equatable {
    public var seq: Int
    public var stamp: EventStamp
    public var repair: LogRepair
}

public struct Signature: Sendable, Equatable {
    public var seq: Int
    public var stamp: EventStamp
    public var by: String
    public var attestation: String
    /// Nil in sessions from before staff accounts.
    public var electronic: ElectronicSignature?
}

public struct RecordedSignature: Sendable, Equatable {
    public var seq: Int
    public var stamp: EventStamp
    public var signature: ElectronicSignature
}

public struct RecordedHandOver: Sendable, Equatable {
    public var seq: Int
    public var stamp: EventStamp
    public var handOver: HandOver
}

public struct RecordedConsultation: Sendable, Equatable {
    public var seq: Int
    public var stamp: EventStamp
    public var consultation: Consultation
}

public struct RecordedProduct: Sendable, Equatable {
    public var seq: Int
    public var stamp: EventStamp
    public var application: ProductApplication
}

public struct RecordedAttachment: Sendable, Equatable {
    public var seq: Int
    public var stamp: EventStamp
    public var by: String
    public var attachment: Attachment
}
