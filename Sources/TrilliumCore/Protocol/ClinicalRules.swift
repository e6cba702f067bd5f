/// Whole milligrams: an anesthetic's amount, kept exact in the record.
public typealias Milligrams = Int

/// One of the concerns a clinic treats (fine lines, acne scars, texture…).
public struct Concern: Sendable, Equatable, Identifiable {
    public var id: ConcernID
    public var name: String

    public init(id: ConcernID, name: String) {
        self.id = id
        self.name = name
    }
}

/// What the consultation at intake asks: the clinic's promise to discuss
/// each patient's goals and assess suitability, written down.
public struct ConsultationRules: Sendable, Equatable {
    /// The concerns a patient may be treated for, in the order offered.
    public var concerns: [Concern]
    /// The clinic's own minimum age; a device's indicated minimum may be higher.
    public var minimumAge: Int

    public init(concerns: [Concern], minimumAge: Int) {
        self.concerns = concerns
        self.minimumAge = minimumAge
    }

    public func concern(_ id: ConcernID) -> Concern? { concerns.first { $0.id == id } }

    /// The age the patient must have confirmed with `device`: the higher of the clinic's and the device's.
    public func minimumAge(with device: DeviceProfile) -> Int {
        max(minimumAge, device.minimumAge ?? 0)
    }
}

/// A product that may be applied into the channels: a glide serum, a hydrogel.
public struct TreatmentProduct: Sendable, Equatable, Identifiable {
    public var id: ProductID
    public var name: String
    /// Whether it is made and approved for use with microneedling. Anything
    /// else in open channels risks granulomas: it needs a reason and is a warning.
    public var isApproved: Bool

    public init(id: ProductID, name: String, isApproved: Bool) {
        self.id = id
        self.name = name
        self.isApproved = isApproved
    }
}

/// What an attached file is: a photo of the skin, or the signed consent.
public enum AttachmentKind: String, Sendable, Equatable, CaseIterable {
    case photo
    case consent

    public var label: String {
        switch self {
        case .photo: "Photo"
        case .consent: "Consent"
        }
    }
}
