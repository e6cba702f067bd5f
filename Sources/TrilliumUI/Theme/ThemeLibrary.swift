import TrilliumSettings

/// Finds a theme by bundled name or file, and picks the mono theme where
/// colour is unwanted (NO_COLOR) or impossible (a terminal without colours).
public enum ThemeLibrary {
    /// A bundled theme; the bundled texts are tested, so this cannot fail in a release.
    public static func bundled(_ name: String) -> Theme {
        guard let text = BundledThemes.text(named: name),
              let loaded = try? ThemeFile.parse(text, file: "\(name).toml", fallback: nil) else {
            preconditionFailure("bundled theme \(name) is missing or invalid")
        }
        return loaded.theme
    }

    public static var defaultTheme: Theme { bundled("default-dark") }

    /// Loads `reference`: a bundled theme's name, or a path to a theme file
    /// whose missing roles come from the bundled default of its variant.
    public static func load(_ reference: String, readFile: (String) -> String?) throws(SettingsFileError) -> ThemeFile.Loaded {
        if BundledThemes.text(named: reference) != nil {
            return ThemeFile.Loaded(theme: bundled(reference), warnings: [])
        }
        guard let text = readFile(reference) else {
            throw SettingsFileError(file: reference, line: nil, key: "",
                                    message: "no such theme: name one of \(BundledThemes.names.joined(separator: ", ")) or a theme file")
        }
        // Parse once to learn the variant, then again over that variant's default.
        let first = try ThemeFile.parse(text, file: reference, fallback: defaultTheme)
        let fallback = first.theme.isDark ? defaultTheme : bundled("default-light")
        return try ThemeFile.parse(text, file: reference, fallback: fallback)
    }

    /// NO_COLOR present and non-empty, or no colours at all: the mono theme.
    public static func effective(_ theme: Theme, environment: [String: String], depth: ColorDepth) -> Theme {
        let noColor = !(environment["NO_COLOR"] ?? "").isEmpty
        return noColor || depth == .monochrome ? bundled("mono") : theme
    }
}
