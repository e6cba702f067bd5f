/// What a piece of text is, not how it looks: a theme turns roles into
/// colours and attributes, so every state reads the same in every theme and
/// is never carried by colour alone.
public enum Role: String, Sendable, CaseIterable, Hashable {
    case text
    case muted
    case accent
    case ok
    case warn
    case danger
    case selection
    case title
    case statusBar = "status_bar"
    case footerKey = "footer_key"
    case footerText = "footer_text"
    case timerWaiting = "timer_waiting"
    case timerReady = "timer_ready"
    case timerOver = "timer_over"
    case zonePlanned = "zone_planned"
    case zoneActive = "zone_active"
    case zoneComplete = "zone_complete"
    case zoneSkipped = "zone_skipped"
    case bannerInfo = "banner_info"
    case bannerWarning = "banner_warning"
    case bannerDanger = "banner_danger"

    /// Roles that carry text a person must read (checked for 4.5:1 contrast).
    public var isText: Bool { true }
}

/// Emphasis that survives a monochrome terminal.
public struct Emphasis: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let bold = Emphasis(rawValue: 1 << 0)
    public static let reverse = Emphasis(rawValue: 1 << 1)
    public static let underline = Emphasis(rawValue: 1 << 2)
    public static let dim = Emphasis(rawValue: 1 << 3)
}

public struct Style: Sendable, Hashable {
    public var role: Role
    public var emphasis: Emphasis

    public init(_ role: Role = .text, _ emphasis: Emphasis = []) {
        self.role = role
        self.emphasis = emphasis
    }

    public static let plain = Style()
}
