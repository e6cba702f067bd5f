/// Large digits for the dwell timer, five rows high, readable from a metre away.
enum BigDigits {
    static let height = 5

    private static let font: [Character: [String]] = [
        "0": ["###", "# #", "# #", "# #", "###"],
        "1": [" # ", "## ", " # ", " # ", "###"],
        "2": ["###", "  #", "###", "#  ", "###"],
        "3": ["###", "  #", "###", "  #", "###"],
        "4": ["# #", "# #", "###", "  #", "  #"],
        "5": ["###", "#  ", "###", "  #", "###"],
        "6": ["###", "#  ", "###", "# #", "###"],
        "7": ["###", "  #", "  #", "  #", "  #"],
        "8": ["###", "# #", "###", "# #", "###"],
        "9": ["###", "# #", "###", "  #", "###"],
        ":": [" ", "#", " ", "#", " "],
        "+": ["   ", " # ", "###", " # ", "   "],
        "-": ["   ", "   ", "###", "   ", "   "],
    ]

    /// The rows of `text` in big digits: each "#" doubled in width so the digits stand square.
    static func rows(_ text: String, unicode: Bool) -> [String] {
        let ink: Character = unicode ? "█" : "#"
        return (0..<height).map { row in
            text.map { character -> String in
                let glyph = font[character]?[row] ?? "   "
                return String(glyph.flatMap { $0 == "#" ? [ink, ink] : [" ", " "] })
            }.joined(separator: "  ")
        }
    }

    static func width(_ text: String) -> Int {
        rows(text, unicode: false).first?.count ?? 0
    }
}
