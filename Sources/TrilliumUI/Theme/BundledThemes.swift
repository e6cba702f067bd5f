/// The bundled themes, compiled in so the app works anywhere; Themes/*.toml
/// hold the same text (a test keeps the two identical) for clinics to copy.
public enum BundledThemes {
    public static let names = ["default-dark", "default-light", "high-contrast", "mono", "okabe-ito"]

    public static func text(named name: String) -> String? {
        switch name {
        case "default-dark": defaultDark
        case "default-light": defaultLight
        case "high-contrast": highContrast
        case "mono": mono
        case "okabe-ito": okabeIto
        default: nil
        }
    }

    static let defaultDark = #"""
# Trillium default dark theme. Every text role reaches 4.5:1 contrast on its background.
name = "default-dark"
variant = "dark"

[palette]
paper = "#14181c"
ink = "#e6e6e6"
muted = "#a3abb3"
accent = "#7cc4ff"
ok = "#6fdc8c"
warn = "#ffcb5c"
danger = "#ff8080"
bar = "#2a3138"
violet = "#c8a8ff"
alarm = "#b00020"
alarm_text = "#ffffff"

[roles]
text = { fg = "ink", bg = "paper" }
muted = { fg = "muted", bg = "paper" }
accent = { fg = "accent", bg = "paper" }
ok = { fg = "ok", bg = "paper" }
warn = { fg = "warn", bg = "paper", modifiers = ["bold"] }
danger = { fg = "danger", bg = "paper", modifiers = ["bold"] }
selection = { fg = "paper", bg = "ink", modifiers = ["bold"] }
title = { fg = "ink", bg = "paper", modifiers = ["bold"] }
status_bar = { fg = "ink", bg = "bar" }
footer_key = { fg = "paper", bg = "accent", modifiers = ["bold"] }
footer_text = { fg = "muted", bg = "paper" }
timer_waiting = { fg = "accent", bg = "paper", modifiers = ["bold"] }
timer_ready = { fg = "paper", bg = "ok", modifiers = ["bold"] }
timer_over = { fg = "paper", bg = "danger", modifiers = ["bold"] }
zone_planned = { fg = "muted", bg = "paper" }
zone_active = { fg = "warn", bg = "paper", modifiers = ["bold"] }
zone_complete = { fg = "ok", bg = "paper" }
zone_skipped = { fg = "violet", bg = "paper" }
banner_info = { fg = "paper", bg = "accent", modifiers = ["bold"] }
banner_warning = { fg = "paper", bg = "warn", modifiers = ["bold"] }
banner_danger = { fg = "alarm_text", bg = "alarm", modifiers = ["bold"] }

"""#

    static let defaultLight = #"""
# Trillium default light theme. Every text role reaches 4.5:1 contrast on its background.
name = "default-light"
variant = "light"

[palette]
paper = "#fbfbf8"
ink = "#1c1c1c"
muted = "#595959"
accent = "#0b5cad"
ok = "#1a7a33"
warn = "#8a5a00"
danger = "#b3261e"
bar = "#2d3a4a"
violet = "#6a3fb5"
alarm = "#b3261e"
alarm_text = "#ffffff"

[roles]
text = { fg = "ink", bg = "paper" }
muted = { fg = "muted", bg = "paper" }
accent = { fg = "accent", bg = "paper" }
ok = { fg = "ok", bg = "paper" }
warn = { fg = "warn", bg = "paper", modifiers = ["bold"] }
danger = { fg = "danger", bg = "paper", modifiers = ["bold"] }
selection = { fg = "paper", bg = "ink", modifiers = ["bold"] }
title = { fg = "ink", bg = "paper", modifiers = ["bold"] }
status_bar = { fg = "paper", bg = "bar" }
footer_key = { fg = "paper", bg = "accent", modifiers = ["bold"] }
footer_text = { fg = "muted", bg = "paper" }
timer_waiting = { fg = "accent", bg = "paper", modifiers = ["bold"] }
timer_ready = { fg = "paper", bg = "ok", modifiers = ["bold"] }
timer_over = { fg = "paper", bg = "danger", modifiers = ["bold"] }
zone_planned = { fg = "muted", bg = "paper" }
zone_active = { fg = "warn", bg = "paper", modifiers = ["bold"] }
zone_complete = { fg = "ok", bg = "paper" }
zone_skipped = { fg = "violet", bg = "paper" }
banner_info = { fg = "paper", bg = "accent", modifiers = ["bold"] }
banner_warning = { fg = "paper", bg = "warn", modifiers = ["bold"] }
banner_danger = { fg = "alarm_text", bg = "alarm", modifiers = ["bold"] }

"""#

    static let highContrast = #"""
# Trillium high-contrast theme: pure black and white with saturated signal colours.
name = "high-contrast"
variant = "dark"

[palette]
paper = "#000000"
ink = "#ffffff"
muted = "#d0d0d0"
accent = "#00ffff"
ok = "#00ff00"
warn = "#ffff00"
danger = "#ff6060"
bar = "#ffffff"
violet = "#ff80ff"
alarm = "#ff6060"
alarm_text = "#000000"

[roles]
text = { fg = "ink", bg = "paper" }
muted = { fg = "muted", bg = "paper" }
accent = { fg = "accent", bg = "paper" }
ok = { fg = "ok", bg = "paper" }
warn = { fg = "warn", bg = "paper", modifiers = ["bold"] }
danger = { fg = "danger", bg = "paper", modifiers = ["bold"] }
selection = { fg = "paper", bg = "ink", modifiers = ["bold"] }
title = { fg = "ink", bg = "paper", modifiers = ["bold"] }
status_bar = { fg = "paper", bg = "bar" }
footer_key = { fg = "paper", bg = "accent", modifiers = ["bold"] }
footer_text = { fg = "muted", bg = "paper" }
timer_waiting = { fg = "accent", bg = "paper", modifiers = ["bold"] }
timer_ready = { fg = "paper", bg = "ok", modifiers = ["bold"] }
timer_over = { fg = "paper", bg = "danger", modifiers = ["bold"] }
zone_planned = { fg = "muted", bg = "paper" }
zone_active = { fg = "warn", bg = "paper", modifiers = ["bold"] }
zone_complete = { fg = "ok", bg = "paper" }
zone_skipped = { fg = "violet", bg = "paper" }
banner_info = { fg = "paper", bg = "accent", modifiers = ["bold"] }
banner_warning = { fg = "paper", bg = "warn", modifiers = ["bold"] }
banner_danger = { fg = "alarm_text", bg = "alarm", modifiers = ["bold"] }

"""#

    static let mono = #"""
# Trillium monochrome theme: no colour at all, states by attribute, glyph and text.
# Used for NO_COLOR and terminals without colours.
name = "mono"
variant = "dark"

[roles]
text = { fg = "default", bg = "default", modifiers = [] }
muted = { fg = "default", bg = "default", modifiers = ["dim"] }
accent = { fg = "default", bg = "default", modifiers = ["underline"] }
ok = { fg = "default", bg = "default", modifiers = [] }
warn = { fg = "default", bg = "default", modifiers = ["bold"] }
danger = { fg = "default", bg = "default", modifiers = ["bold", "underline"] }
selection = { fg = "default", bg = "default", modifiers = ["reverse"] }
title = { fg = "default", bg = "default", modifiers = ["bold"] }
status_bar = { fg = "default", bg = "default", modifiers = ["reverse"] }
footer_key = { fg = "default", bg = "default", modifiers = ["reverse", "bold"] }
footer_text = { fg = "default", bg = "default", modifiers = [] }
timer_waiting = { fg = "default", bg = "default", modifiers = ["bold"] }
timer_ready = { fg = "default", bg = "default", modifiers = ["reverse"] }
timer_over = { fg = "default", bg = "default", modifiers = ["reverse", "bold"] }
zone_planned = { fg = "default", bg = "default", modifiers = [] }
zone_active = { fg = "default", bg = "default", modifiers = ["bold"] }
zone_complete = { fg = "default", bg = "default", modifiers = [] }
zone_skipped = { fg = "default", bg = "default", modifiers = ["dim"] }
banner_info = { fg = "default", bg = "default", modifiers = ["reverse"] }
banner_warning = { fg = "default", bg = "default", modifiers = ["reverse", "bold"] }
banner_danger = { fg = "default", bg = "default", modifiers = ["reverse", "bold", "underline"] }

"""#

    static let okabeIto = #"""
# Trillium colour-blind-safe theme: the Okabe–Ito palette, distinguishable with
# protanopia, deuteranopia and tritanopia. States are also shown by glyph and text.
name = "okabe-ito"
variant = "dark"

[palette]
paper = "#111111"
ink = "#f0f0f0"
muted = "#b8b8b8"
accent = "#56b4e9"
ok = "#009e73"
warn = "#e69f00"
danger = "#d55e00"
bar = "#2b2b2b"
violet = "#cc79a7"
alarm = "#d55e00"
alarm_text = "#000000"

[roles]
text = { fg = "ink", bg = "paper" }
muted = { fg = "muted", bg = "paper" }
accent = { fg = "accent", bg = "paper" }
ok = { fg = "ok", bg = "paper" }
warn = { fg = "warn", bg = "paper", modifiers = ["bold"] }
danger = { fg = "danger", bg = "paper", modifiers = ["bold"] }
selection = { fg = "paper", bg = "ink", modifiers = ["bold"] }
title = { fg = "ink", bg = "paper", modifiers = ["bold"] }
status_bar = { fg = "ink", bg = "bar" }
footer_key = { fg = "paper", bg = "accent", modifiers = ["bold"] }
footer_text = { fg = "muted", bg = "paper" }
timer_waiting = { fg = "accent", bg = "paper", modifiers = ["bold"] }
timer_ready = { fg = "paper", bg = "ok", modifiers = ["bold"] }
timer_over = { fg = "paper", bg = "danger", modifiers = ["bold"] }
zone_planned = { fg = "muted", bg = "paper" }
zone_active = { fg = "warn", bg = "paper", modifiers = ["bold"] }
zone_complete = { fg = "ok", bg = "paper" }
zone_skipped = { fg = "violet", bg = "paper" }
banner_info = { fg = "paper", bg = "accent", modifiers = ["bold"] }
banner_warning = { fg = "paper", bg = "warn", modifiers = ["bold"] }
banner_danger = { fg = "alarm_text", bg = "alarm", modifiers = ["bold"] }

"""#
}
