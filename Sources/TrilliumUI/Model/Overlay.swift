import TrilliumCore

/// A question put over the screen: text to type, a choice, a yes/no, or help.
public indirect enum Overlay: Sendable, Equatable {
    case help(scroll: Int)
    case prompt(Prompt)
    case choice(Choice)
    case confirmation(Confirmation)

    public var context: KeyContext {
        switch self {
        case .help: .help
        case .prompt: .textEntry
        case .choice: .choice
        // A message to acknowledge has one answer, not yes or no: its footer says so.
        case let .confirmation(confirmation): confirmation.next == .acknowledge ? .message : .confirmation
        }
    }
}

public struct Prompt: Sendable, Equatable {
    public var title: String
    public var label: String
    public var field: TextField
    public var next: FollowUp

    public init(title: String, label: String, field: TextField = TextField(), next: FollowUp) {
        self.title = title
        self.label = label
        self.field = field
        self.next = next
    }
}

public struct ChoiceOption: Sendable, Equatable {
    public var key: Character?
    public var label: String
    public var value: String

    public init(key: Character?, label: String, value: String) {
        self.key = key
        self.label = label
        self.value = value
    }
}

public struct Choice: Sendable, Equatable {
    public var title: String
    public var options: [ChoiceOption]
    public var selection = 0
    public var next: FollowUp
    /// Where `g` leads (a prompt for a record number), for long lists.
    public var jump: FollowUp?

    public init(title: String, options: [ChoiceOption], next: FollowUp) {
        self.title = title
        self.options = options
        self.next = next
    }
}

public struct Confirmation: Sendable, Equatable {
    public var title: String
    public var lines: [String]
    /// Lines kept in view below the others however far they scroll: what
    /// "yes" means (a signature's meaning), never scrolled away.
    public var closing: [String]
    public var next: FollowUp
    /// What "no" goes back to (the prompt whose typing Esc would have discarded).
    public var returnTo: Overlay?
    /// How many wrapped lines are scrolled out of sight above, where they do not all fit.
    public var scroll = 0

    public init(title: String, lines: [String], closing: [String] = [], next: FollowUp, returnTo: Overlay? = nil) {
        self.title = title
        self.lines = lines
        self.closing = closing
        self.next = next
        self.returnTo = returnTo
    }
}

/// An anesthetic application being asked for, one answer at a time.
public struct ApplicationDraft: Sendable, Equatable {
    public var agent: AgentID
    public var occluded: Bool
    public var setting: AnestheticSetting = .clinic
    public var minutesAgo: Int?
    public var amount: Milligrams = 0
    public var area: Int?
    public var lot = ""

    public init(agent: AgentID, occluded: Bool) {
        self.agent = agent
        self.occluded = occluded
    }
}

/// A product application being asked for.
public struct ProductDraft: Sendable, Equatable {
    public var product: ProductID
    public var zone: ZoneID
    public var lot = ""
    public var expiry = ""

    public init(product: ProductID, zone: ZoneID) {
        self.product = product
        self.zone = zone
    }
}

/// What an overlay leads to once answered.
public indirect enum FollowUp: Sendable, Equatable {
    case doseSetting(ApplicationDraft)
    /// The compounded agent's warning read: the amount comes next.
    case doseCompounded(ApplicationDraft)
    case doseMinutesAgo(ApplicationDraft)
    case doseAmount(ApplicationDraft)
    case doseArea(ApplicationDraft)
    case doseLot(ApplicationDraft)
    case doseExpiry(ApplicationDraft)
    case confirmZone(zone: ZoneID)
    case productChoice(zone: ZoneID)
    case productLot(ProductDraft)
    case productExpiry(ProductDraft)
    case productReason(ProductDraft)
    case overrideScreening(question: QuestionID)
    case confirmRemoval
    case earlyRemoval
    case declineAnesthetic
    case depthReason(zone: ZoneID, depth: Depth)
    case passDirection(zone: ZoneID)
    case endpoint(zone: ZoneID)
    case skipZone(zone: ZoneID)
    case finishTreatment
    case note
    case noteAddendum(text: String)
    case adverseDescription
    case adverseSeverity(description: String)
    case adverseAction(description: String, severity: AdverseSeverity)
    case adverseAddendum(description: String, severity: AdverseSeverity, action: String)
    case correctionRecord
    case correctionJump
    case correctionField(seq: Int)
    case correctionValue(seq: Int, field: String, old: String)
    case correctionReason(seq: Int, field: String, old: String, new: String)
    case abortReason
    case abortConfirm(reason: String)
    case signOff
    case signOffPIN
    case cosign(path: String)
    case cosignPIN(path: String)
    case overrideDirector(question: QuestionID, reason: String)
    case overrideDirectorPIN(question: QuestionID, reason: String, director: String)
    case discardTyping
    /// A message read and closed: nothing follows.
    case acknowledge
    case leaveIntake
    case quit
}
