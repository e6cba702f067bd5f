/// Milligrams as a person reads them: "2.5 g".
public enum Grams {
    public static func text(_ milligrams: Milligrams) -> String {
        let whole = milligrams / 1000, fraction = milligrams % 1000
        guard fraction != 0 else { return "\(whole) g" }
        var digits = String(fraction)
        digits = String(repeating: "0", count: 3 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return "\(whole).\(digits) g"
    }

    /// "2.5", "2", "0.25" grams typed, to the milligram; nil for anything else.
    public static func milligrams(from text: String) -> Milligrams? {
        // Grams to three decimals read exactly as millimetres do: whole thousandths.
        Depth(millimetreText: text)?.micrometres
    }
}
