/// What a device can do: its depth settings and the limit of its evaluation.
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

/// A pen sets its depth for each zone; a roller's needles have one length.
public enum DeviceKind: String, Sendable, Equatable, CaseIterable {
    case pen
    case roller

    public var label: String {
        switch self {
        case .pen: "pen"
        case .roller: "roller"
        }
    }
}

/// One device the clinic uses (`[[device]]`), chosen at intake: its limits
/// replace a single protocol-wide device table.
public struct DeviceProfile: Sendable, Equatable, Identifiable {
    public var id: DeviceProfileID
    /// The model as the record names it, e.g. "SkinPen Precision"; empty
    /// for the single `[device]` of older protocols, whose model is typed.
    public var model: String
    public var kind: DeviceKind
    public var limits: DeviceLimits
    /// The youngest patient the device is indicated for (SkinPen: 22); nil where its labelling sets none.
    public var minimumAge: Int?
    /// A roller's strokes: the directions it is rolled in. Empty: every direction of the protocol.
    public var directions: [DirectionID]

    public init(id: DeviceProfileID, model: String, kind: DeviceKind, limits: DeviceLimits,
                minimumAge: Int? = nil, directions: [DirectionID] = []) {
        self.id = id
        self.model = model
        self.kind = kind
        self.limits = limits
        self.minimumAge = minimumAge
        self.directions = directions
    }

    /// The id of the one device of a protocol written before profiles.
    public static let singleID: DeviceProfileID = "device"

    /// The one device of a protocol written before profiles: a pen whose model intake types.
    public static func single(_ limits: DeviceLimits) -> DeviceProfile {
        DeviceProfile(id: singleID, model: "", kind: .pen, limits: limits)
    }

    public var isSingle: Bool { id == Self.singleID && model.isEmpty }

    /// Whether a pass may go in `direction` with this device.
    public func allows(_ direction: DirectionID) -> Bool {
        directions.isEmpty || directions.contains(direction)
    }
}
