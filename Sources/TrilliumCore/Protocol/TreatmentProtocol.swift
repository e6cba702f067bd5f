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
    /// The devices the clinic uses; a session names the one it was given with.
    /// A protocol written before device profiles has one, `DeviceProfile.single`.
    public var devices: [DeviceProfile]
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
    /// What the consultation at intake records; nil in protocols written before it.
    public var consultation: ConsultationRules?
    /// What may go into the channels, each approved for microneedling or not.
    public var products: [TreatmentProduct]

    public init(
        id: String, version: String, title: String, digest: String,
        devices: [DeviceProfile], zones: [Zone], targetPasses: Int,
        directions: [PassDirection], endpoints: [ClinicalEndpoint],
        anesthesia: AnesthesiaRules, screening: [ScreeningQuestion],
        preparation: [ChecklistItem], antisepsis: [ChecklistItem],
        aftercare: [ChecklistItem], followUp: FollowUp,
        consultation: ConsultationRules? = nil, products: [TreatmentProduct] = []
    ) {
        self.id = id
        self.version = version
        self.title = title
        self.digest = digest
        self.devices = devices
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
        self.consultation = consultation
        self.products = products
    }

    public func zone(_ id: ZoneID) -> Zone? { zones.first { $0.id == id } }
    public func agent(_ id: AgentID) -> AnestheticAgent? { anesthesia.agents.first { $0.id == id } }
    public func question(_ id: QuestionID) -> ScreeningQuestion? { screening.first { $0.id == id } }
    public func direction(_ id: DirectionID) -> PassDirection? { directions.first { $0.id == id } }
    public func endpoint(_ id: EndpointID) -> ClinicalEndpoint? { endpoints.first { $0.id == id } }
    public func device(_ id: DeviceProfileID) -> DeviceProfile? { devices.first { $0.id == id } }
    public func product(_ id: ProductID) -> TreatmentProduct? { products.first { $0.id == id } }

    /// Whether intake chooses among named devices (`[[device]]`), rather than
    /// typing a model under the single `[device]` of older protocols.
    public var hasDeviceProfiles: Bool { !devices.contains { $0.isSingle } }
}

public struct Zone: Sendable, Equatable, Identifiable {
    public var id: ZoneID
    public var name: String
    public var minimumDepth: Depth
    public var maximumDepth: Depth
    public var defaultDepth: Depth
    /// What the operator confirms before the zone's first pass, e.g. for the
    /// periorbital zones: "outside the orbital rim, never on the eyelids".
    public var confirmation: String?

    public init(id: ZoneID, name: String, minimumDepth: Depth, maximumDepth: Depth, defaultDepth: Depth, confirmation: String? = nil) {
        self.id = id
        self.name = name
        self.minimumDepth = minimumDepth
        self.maximumDepth = maximumDepth
        self.defaultDepth = defaultDepth
        self.confirmation = confirmation
    }

    public func allows(_ depth: Depth) -> Bool {
        depth >= minimumDepth && depth <= maximumDepth
    }

    /// The default depth as a device with `limits` can set it: on its steps
    /// (0.25 mm is 0.3 mm on a 0.1 mm pen), kept inside the zone's range
    /// where a step falls inside it, and never above the device's maximum.
    public func defaultDepth(on limits: DeviceLimits) -> Depth {
        let step = limits.depthStep.micrometres
        let up = (defaultDepth.micrometres + step - 1) / step * step
        let down = max(step, defaultDepth.micrometres / step * step)
        let chosen = up <= maximumDepth.micrometres ? up : down
        return Depth(micrometres: min(chosen, limits.maximumDepth.micrometres / step * step))
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
    /// The most that may be applied in one session, in whole milligrams; nil where the protocol sets none.
    public var maximumAmount: Milligrams?
    /// The largest area it may cover, in cm²; nil where the protocol sets none.
    public var maximumArea: Int?
    /// Made up by a pharmacy (BLT): no FDA label, allowed only where the
    /// protocol allows compounded agents, and recorded as a warning.
    public var isCompounded: Bool
    /// Screening questions whose "yes" rules the agent out (an allergy to it, methemoglobinemia).
    public var excludedBy: [QuestionID]

    public init(id: AgentID, name: String, minimumDwell: Milliseconds, maximumDwell: Milliseconds, occlusion: OcclusionRule,
                maximumAmount: Milligrams? = nil, maximumArea: Int? = nil, isCompounded: Bool = false, excludedBy: [QuestionID] = []) {
        self.id = id
        self.name = name
        self.minimumDwell = minimumDwell
        self.maximumDwell = maximumDwell
        self.occlusion = occlusion
        self.maximumAmount = maximumAmount
        self.maximumArea = maximumArea
        self.isCompounded = isCompounded
        self.excludedBy = excludedBy
    }
}

public struct AnesthesiaRules: Sendable, Equatable {
    /// Whether a session may go without a topical anesthetic (always with a reason).
    public var allowsNone: Bool
    public var agents: [AnestheticAgent]
    /// Whether each application records its dose: amount, area, lot, expiry,
    /// who applied it and where. Protocols written before it record only the agent.
    public var recordsDose: Bool
    /// Whether compounded agents may be used at all.
    public var allowsCompounded: Bool

    public init(allowsNone: Bool, agents: [AnestheticAgent], recordsDose: Bool = false, allowsCompounded: Bool = false) {
        self.allowsNone = allowsNone
        self.agents = agents
        self.recordsDose = recordsDose
        self.allowsCompounded = allowsCompounded
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
    /// The kind of attached file that bears it out (the before-photos, the signed consent), if any.
    public var attachmentKind: AttachmentKind?

    public init(id: ChecklistItemID, text: String, attachmentKind: AttachmentKind? = nil) {
        self.id = id
        self.text = text
        self.attachmentKind = attachmentKind
    }
}

public struct FollowUp: Sendable, Equatable {
    public var minimumWeeks: Int
    public var maximumWeeks: Int
    public var seriesMinimum: Int
    public var seriesMaximum: Int
    /// After a completed series, a maintenance session every this many months; nil where the protocol sets none.
    public var maintenanceMonths: Int?

    public init(minimumWeeks: Int, maximumWeeks: Int, seriesMinimum: Int, seriesMaximum: Int, maintenanceMonths: Int? = nil) {
        self.minimumWeeks = minimumWeeks
        self.maximumWeeks = maximumWeeks
        self.seriesMinimum = seriesMinimum
        self.seriesMaximum = seriesMaximum
        self.maintenanceMonths = maintenanceMonths
    }
}
