/// The id of something a protocol defines: a zone, an anesthetic agent, a
/// screening question, a checklist item, a pass direction, an endpoint. Each
/// kind has its own type, so a question's id can never be passed where a
/// zone's is meant; the log stores the plain string.
public struct Identifier<Kind>: RawRepresentable, Hashable, Comparable, Sendable,
    ExpressibleByStringLiteral, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public init(_ rawValue: String) {
        self.rawValue = rawValue
    }

    public init(stringLiteral value: String) {
        rawValue = value
    }

    public var description: String { rawValue }

    public static func < (lhs: Identifier, rhs: Identifier) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}

public typealias ZoneID = Identifier<Zone>
public typealias AgentID = Identifier<AnestheticAgent>
public typealias QuestionID = Identifier<ScreeningQuestion>
public typealias ChecklistItemID = Identifier<ChecklistItem>
public typealias DirectionID = Identifier<PassDirection>
public typealias EndpointID = Identifier<ClinicalEndpoint>
public typealias DeviceProfileID = Identifier<DeviceProfile>
public typealias ConcernID = Identifier<Concern>
public typealias ProductID = Identifier<TreatmentProduct>
