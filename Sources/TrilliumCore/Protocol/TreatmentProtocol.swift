/// What a clinic's medical director signs off: the zones, depths, anesthetic
/// agents, screening questions and checklists a session follows.
///
/// The core receives a protocol already parsed; reading and validating the
/// TOML text is the protocol file module's job.
public struct TreatmentProtocol: Sendable, Equatable {
    public var id: String
    public var version: String
    public var title: String
    /// Lowercase hex SHA-256 of the protocol file's exact text.
    public var digest: String
    public var device: DeviceLimits
    public var zones: [Zone]
    public var targetPasses: Int
    public var directions: [PassDirection]
    public var endpoints: [ClinicalEndpoint]
    public var anesthesia: AnesthesiaRules
    public var screening: [ScreeningQuestion]
    public var preparation: [ChecklistItem]
    public var antisepsis: [ChecklistItem]
    public var aftercare: [ChecklistItem]
    public var followUp: FollowUp

    public init(
        id: String, version: String, title: String, digest: String,
        device: DeviceLimits, zones: [Zone], targetPasses: Int,
        directions: [PassDirection], endpoints: [ClinicalEndpoint],
        anesthesia: AnesthesiaRules, screening: [ScreeningQuestion],
        preparation: [ChecklistItem], antisepsis: [ChecklistItem],
        aftercare: [ChecklistItem], followUp: FollowUp
    ) {
        self.id = id
        self.version = version
        self.title = title
        self.digest = digest
        self.device = device
        self.zones = zones
        self.targetPasses = targetPasses
        self.directions = directions
        self.endpoints = endpoints
        self.anesthesia = anesthesia
        self.screening = screening
        self.preparation = preparation
        self.antisepsis = antisepsis
        self.aftercare = aftercare
        self.followUp = followUp
    }

    public func zone(_ id: ZoneID) -> Zone? { zones.first { $0.id == id } }
    public func agent(_ id: AgentID) -> AnestheticAgent? { anesthesia.agents.first { $0.id == id } }
    public func question(_ id: QuestionID) -> ScreeningQuestion? { screening.first { $0.id == id } }
    public func direction(_ id: DirectionID) -> PassDirection? { directions.first { $0.id == id } }
    public func endpoint(_ id: EndpointID) -> ClinicalEndpoint? { endpoints.first { $0.id == id } }
}

public struct DeviceLimits: Sendable, Equatable {
    /// The device's depth increment; every recorded depth is a multiple of it.
    public var depthStep: Depth
    /// Above this the device cannot go: refused outright.
    public var maximumDepth: Depth
    /// Above this the device was not evaluated: allowed, recorded as a warning.
    public var evaluatedMaximumDepth: Depth

    public init(depthStep: Depth, maximumDepth: Depth, evaluatedMaximumDepth: Depth) {
        self.depthStep = depthStep
        self.maximumDepth = maximumDepth
        self.evaluatedMaximumDepth = evaluatedMaximumDepth
    }
}

public struct Zone: Sendable, Equatable, Identifiable {
    public var id: ZoneID
    public var name: String
    public var minimumDepth: Depth
    public var maximumDepth: Depth
    public var defaultDepth: Depth

    public init(id: ZoneID, name: String, minimumDepth: Depth, maximumDepth: Depth, defaultDepth: Depth) {
        self.id = id
        self.name = name
        self.minimumDepth = minimumDepth
        self.maximumDepth = maximumDepth
        self.defaultDepth = defaultDepth
    }

    public func allows(_ depth: Depth) -> Bool {
        depth >= minimumDepth && depth <= maximumDepth
    }
}

public struct PassDirection: Sendable, Equatable, Identifiable {
    public var id: DirectionID
    public var name: String
    /// A short mark for the screen and reports, e.g. "↗" (with an ASCII fallback in `asciiSymbol`).
    public var symbol: String
    public var asciiSymbol: String

    public init(id: DirectionID, name: String, symbol: String, asciiSymbol: String) {
        self.id = id
        self.name = name
        self.symbol = symbol
        self.asciiSymbol = asciiSymbol
    }
}

public struct ClinicalEndpoint: Sendable, Equatable, Identifiable {
    public var id: EndpointID
    public var name: String

    public init(id: EndpointID, name: String) {
        self.id = id
        self.name = name
    }
}

public enum OcclusionRule: String, Sendable, Equatable, CaseIterable {
    case optional
    case required
    case never
}

public struct AnestheticAgent: Sendable, Equatable, Identifiable {
    public var id: AgentID
    public var name: String
    public var minimumDwell: Milliseconds
    public var maximumDwell: Milliseconds
    public var occlusion: OcclusionRule

    public init(id: AgentID, name: String, minimumDwell: Milliseconds, maximumDwell: Milliseconds, occlusion: OcclusionRule) {
        self.id = id
        self.name = name
        self.minimumDwell = minimumDwell
        self.maximumDwell = maximumDwell
        self.occlusion = occlusion
    }
}

public struct AnesthesiaRules: Sendable, Equatable {
    /// Whether a session may go without a topical anesthetic (always with a reason).
    public var allowsNone: Bool
    public var agents: [AnestheticAgent]

    public init(allowsNone: Bool, agents: [AnestheticAgent]) {
        self.allowsNone = allowsNone
        self.agents = agents
    }
}

public enum ScreeningRule: String, Sendable, Equatable {
    /// A "yes" can never be overridden: the session can only be aborted.
    case absolute
    /// A "yes" blocks the session until overridden with a reason, which in
    /// a session of signed-in staff needs a medical director's authorisation.
    case relative
    /// A "yes" does not block, but the stated prophylaxis must be confirmed.
    case requiresProphylaxis = "prophylaxis"

    /// The rule a protocol file names: "blocks", the one blocking rule of
    /// protocols written before the two, reads as relative, as it behaved.
    public init?(fileName: String) {
        if fileName == "blocks" { self = .relative } else { self.init(rawValue: fileName) }
    }

    /// Whether a "yes" stops the session until it is dealt with.
    public var blocksOnYes: Bool { self != .requiresProphylaxis }
}

public struct ScreeningQuestion: Sendable, Equatable, Identifiable {
    public var id: QuestionID
    public var text: String
    public var rule: ScreeningRule
    /// What must be confirmed for `.requiresProphylaxis`, e.g. "antiviral prophylaxis taken".
    public var prophylaxis: String?

    public init(id: QuestionID, text: String, rule: ScreeningRule, prophylaxis: String? = nil) {
        self.id = id
        self.text = text
        self.rule = rule
        self.prophylaxis = prophylaxis
    }
}

public struct ChecklistItem: Sendable, Equatable, Identifiable {
    public var id: ChecklistItemID
    public var text: String

    public init(id: ChecklistItemID, text: String) {
        self.id = id
        self.text = text
    }
}

public struct FollowUp: Sendable, Equatable {
    public var minimumWeeks: Int
    public var maximumWeeks: Int
    public var seriesMinimum: Int
    public var seriesMaximum: Int

    public init(minimumWeeks: Int, maximumWeeks: Int, seriesMinimum: Int, seriesMaximum: Int) {
        self.minimumWeeks = minimumWeeks
        self.maximumWeeks = maximumWeeks
        self.seriesMinimum = seriesMinimum
        self.seriesMaximum = seriesMaximum
    }
}
