import Foundation

/// A colour as a theme names it: the terminal's own default, or RGB.
public enum ThemeColor: Sendable, Hashable {
    case terminalDefault
    case rgb(UInt8, UInt8, UInt8)

    /// Parses "#rrggbb" or "default".
    public init?(_ text: String) {
        if text == "default" {
            self = .terminalDefault
            return
        }
        let digits = Array(text.utf8)
        guard digits.count == 7, digits[0] == UInt8(ascii: "#"),
              let value = UInt32(String(decoding: digits[1...], as: UTF8.self), radix: 16) else { return nil }
        self = .rgb(UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF))
    }

    /// WCAG relative luminance, nil for the terminal's default.
    public var luminance: Double? {
        guard case let .rgb(r, g, b) = self else { return nil }
        func channel(_ value: UInt8) -> Double {
            let c = Double(value) / 255
            return c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    }

    /// The WCAG contrast ratio between two colours, nil if either is the terminal's default.
    public func contrast(with other: ThemeColor) -> Double? {
        guard let a = luminance, let b = other.luminance else { return nil }
        return (max(a, b) + 0.05) / (min(a, b) + 0.05)
    }
}

public struct RoleStyle: Sendable, Hashable {
    public var foreground: ThemeColor
    public var background: ThemeColor
    public var emphasis: Emphasis

    public init(foreground: ThemeColor, background: ThemeColor, emphasis: Emphasis = []) {
        self.foreground = foreground
        self.background = background
        self.emphasis = emphasis
    }
}

/// A theme: every role resolved to colours and emphasis.
public struct Theme: Sendable, Equatable {
    public var name: String
    public var isDark: Bool
    public var styles: [Role: RoleStyle]

    public init(name: String, isDark: Bool, styles: [Role: RoleStyle]) {
        self.name = name
        self.isDark = isDark
        self.styles = styles
    }

    public func style(for role: Role) -> RoleStyle {
        styles[role] ?? styles[.text] ?? RoleStyle(foreground: .terminalDefault, background: .terminalDefault)
    }

    /// The style of a cell: its role's, plus the emphasis the view asked for.
    public func resolve(_ style: Style) -> RoleStyle {
        var resolved = self.style(for: style.role)
        resolved.emphasis.formUnion(style.emphasis)
        return resolved
    }
}
