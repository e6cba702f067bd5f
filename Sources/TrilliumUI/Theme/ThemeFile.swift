import TrilliumSettings

/// Reads a theme file:
///
///     name = "default-dark"
///     variant = "dark"                 # or "light"
///     [palette]
///     ink = "#e8e8e8"                  # "#rrggbb" or "default"
///     [roles]
///     text = { fg = "ink", bg = "paper" }
///     selection = { fg = "paper", bg = "ink", modifiers = ["bold"] }
///
/// Roles it leaves out come from the default theme; unknown keys are warned
/// about with their line, and a value that cannot be used is an error.
public enum ThemeFile {
    public struct Loaded: Sendable {
        public var theme: Theme
        public var warnings: [SettingsFileError]
    }

    public static func parse(_ text: String, file: String, fallback: Theme? = nil) throws(SettingsFileError) -> Loaded {
        let document = try TOMLDocument(text: text, file: file)
        let root = TOMLFields(document: document, table: document.root, path: "")
        var warnings = root.unknownKeys(allowed: ["name", "variant", "palette", "roles"]).map {
            document.error($0, "is not a known key (ignored)")
        }
        let name = try root.string("name")
        let variant = try root.optionalString("variant") ?? "dark"
        guard variant == "dark" || variant == "light" else { throw document.error("variant", "must be \"dark\" or \"light\"") }

        var palette: [String: ThemeColor] = [:]
        if let paletteFields = try root.optionalSubtable("palette") {
            for key in paletteFields.table.keys {
                let value = try paletteFields.string(key)
                guard let color = ThemeColor(value) else {
                    throw document.error(paletteFields.key(key), "must be \"#rrggbb\" or \"default\"")
                }
                palette[key] = color
            }
        }
        func color(_ name: String, at path: String) throws(SettingsFileError) -> ThemeColor {
            if let named = palette[name] { return named }
            if let literal = ThemeColor(name) { return literal }
            throw document.error(path, "\"\(name)\" is neither a palette name nor \"#rrggbb\"")
        }

        var styles = fallback?.styles ?? [:]
        if let roles = try root.optionalSubtable("roles") {
            let known = Set(Role.allCases.map(\.rawValue))
            warnings += roles.unknownKeys(allowed: known).map { document.error($0, "is not a known role (ignored)") }
            for role in Role.allCases where roles.table[role.rawValue] != nil {
                let fields = try roles.subtable(role.rawValue)
                warnings += fields.unknownKeys(allowed: ["fg", "bg", "modifiers"]).map { document.error($0, "is not a known key (ignored)") }
                let base = styles[role] ?? styles[.text] ?? RoleStyle(foreground: .terminalDefault, background: .terminalDefault)
                var style = base
                if let fg = try fields.optionalString("fg") { style.foreground = try color(fg, at: fields.key("fg")) }
                if let bg = try fields.optionalString("bg") { style.background = try color(bg, at: fields.key("bg")) }
                if fields.table["modifiers"] != nil {
                    style.emphasis = try modifiers(fields)
                }
                styles[role] = style
            }
        }
        // A role missing from both the file and the fallback reads like text.
        if let text = styles[.text] {
            for role in Role.allCases where styles[role] == nil { styles[role] = text }
        }
        return Loaded(theme: Theme(name: name, isDark: variant == "dark", styles: styles), warnings: warnings)
    }

    private static func modifiers(_ fields: TOMLFields) throws(SettingsFileError) -> Emphasis {
        var emphasis: Emphasis = []
        for element in try fields.strings("modifiers") {
            switch element {
            case "bold": emphasis.insert(.bold)
            case "reverse": emphasis.insert(.reverse)
            case "underline": emphasis.insert(.underline)
            case "dim": emphasis.insert(.dim)
            default:
                throw fields.document.error(fields.key("modifiers"), "must be an array of \"bold\", \"reverse\", \"underline\", \"dim\"")
            }
        }
        return emphasis
    }
}
