/// Where a topical anesthetic went on: in the treatment room, or at home
/// by the patient before they came (then its dwell began before the record).
public enum AnestheticSetting: String, Sendable, Equatable, CaseIterable {
    case clinic
    case home

    public var label: String {
        switch self {
        case .clinic: "In the clinic"
        case .home: "At home, by the patient"
        }
    }
}

/// How much anesthetic went where: what its toxicity follows (FDA, 2007:
/// area, amount, time and occlusion), with the lot it came from.
public struct AnestheticDose: Sendable, Equatable {
    public var amount: Milligrams
    /// The area covered in cm²; nil where only the zones were recorded.
    public var area: Int?
    /// The zones covered, when recorded.
    public var zones: [ZoneID]
    public var lot: String
    /// As printed: "YYYY-MM" or "YYYY-MM-DD".
    public var expiry: String
    /// Who applied it: the operator's account id, or "patient" at home.
    public var appliedBy: String
    public var setting: AnestheticSetting
    /// Applied at home this many minutes before it was recorded: the dwell counts from then.
    public var minutesBeforeRecord: Int?

    public init(amount: Milligrams, area: Int?, zones: [ZoneID] = [], lot: String, expiry: String,
                appliedBy: String, setting: AnestheticSetting, minutesBeforeRecord: Int? = nil) {
        self.amount = amount
        self.area = area
        self.zones = zones
        self.lot = lot
        self.expiry = expiry
        self.appliedBy = appliedBy
        self.setting = setting
        self.minutesBeforeRecord = minutesBeforeRecord
    }

    /// The one who applies it at home.
    public static let patient = "patient"
}

/// Fitzpatrick skin phototypes: darker types carry more risk of
/// post-inflammatory pigmentation, which the reviewer weighs with the depths.
public enum FitzpatrickType: String, Sendable, Equatable, CaseIterable {
    case one = "I", two = "II", three = "III", four = "IV", five = "V", six = "VI"

    public var label: String { "Type \(rawValue)" }
}

/// The consultation at intake: the patient's skin, what they want treated
/// and why, in their words, and that they are old enough for the device.
public struct Consultation: Sendable, Equatable {
    public var skinType: FitzpatrickType
    public var concerns: [ConcernID]
    public var goals: String
    /// The patient's age confirmed at or above `minimumAge`.
    public var ageConfirmed: Bool
    /// The minimum in force: the higher of the clinic's and the device's.
    public var minimumAge: Int
    /// The patient's last session before this one ("YYYY-MM-DD"), as the records found it.
    public var previousSession: String?
    /// Why the patient is treated again sooner than the protocol's minimum interval.
    public var earlyReturnReason: String?

    public init(skinType: FitzpatrickType, concerns: [ConcernID], goals: String, ageConfirmed: Bool, minimumAge: Int,
                previousSession: String? = nil, earlyReturnReason: String? = nil) {
        self.skinType = skinType
        self.concerns = concerns
        self.goals = goals
        self.ageConfirmed = ageConfirmed
        self.minimumAge = minimumAge
        self.previousSession = previousSession
        self.earlyReturnReason = earlyReturnReason
    }
}

/// A product applied into the channels of one zone.
public struct ProductApplication: Sendable, Equatable {
    public var product: ProductID
    /// The product's name as the protocol gave it: the record reads without the protocol.
    public var name: String
    public var zone: ZoneID
    public var lot: String
    public var expiry: String
    /// Why a product not approved for microneedling was used.
    public var reason: String?

    public init(product: ProductID, name: String, zone: ZoneID, lot: String, expiry: String, reason: String? = nil) {
        self.product = product
        self.name = name
        self.zone = zone
        self.lot = lot
        self.expiry = expiry
        self.reason = reason
    }
}

/// A file kept with the session, by its SHA-256, in the data directory's `attachments/`.
public struct Attachment: Sendable, Equatable {
    /// The file's name as it was given (its base name).
    public var name: String
    public var kind: AttachmentKind
    /// Lowercase hex SHA-256 of the file's bytes: its name in `attachments/`.
    public var digest: String
    public var size: Int

    public init(name: String, kind: AttachmentKind, digest: String, size: Int) {
        self.name = name
        self.kind = kind
        self.digest = digest
        self.size = size
    }

    /// What is wrong with an attachment's name and size, or nil: a plain
    /// file name (nothing that climbs out of the folder, no control
    /// character), and something in the file. The state machine refuses the
    /// record for it; `trillium attach` asks before it writes anything.
    public static func problem(name: String, size: Int) -> String? {
        guard !name.isBlank, !name.contains("/"), name != ".", name != "..", !name.hasControlCharacter,
              name.count <= RecordSchema.Limit.fileName else {
            return "needs a plain file name, not \"\(name)\""
        }
        return size > 0 ? nil : "is an empty file"
    }
}
