import TrilliumUI

// Proves: ThemeFile.parse, which reads a theme file given with --theme FILE
// (TOML, through TOMLKit), refuses a bad file with a SettingsFileError and
// never traps, crashes or corrupts memory, whatever the text; and that a
// theme it accepts resolves every role to colours whose contrast can be
// computed. Parsed twice: on its own and over the bundled default-dark theme
// as fallback, as the app does.
// Input: the bytes as UTF-8 (invalid sequences become U+FFFD).
private let fallback: Theme? = {
    guard let text = BundledThemes.text(named: "default-dark") else { return nil }
    return try? ThemeFile.parse(text, file: "default-dark").theme
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    for base in [nil, fallback] {
        do {
            let loaded = try ThemeFile.parse(text, file: "fuzz-theme.toml", fallback: base)
            var sink = loaded.theme.name.count + loaded.warnings.map(\.description.count).reduce(0, &+)
            for role in Role.allCases {
                let style = loaded.theme.style(for: role)
                if let ratio = style.foreground.contrast(with: style.background), ratio.isNaN { sink &+= 1 }
            }
            if sink == -1 { print(sink) }
        } catch {
            _ = error.description.count
        }
    }
    return 0
}
