/// A needle depth, kept as whole micrometres so that no depth is ever a
/// rounded floating-point value in the record.
public struct Depth: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var micrometres: Int

    public init(micrometres: Int) {
        self.micrometres = micrometres
    }

    /// Converts a depth given in millimetres (as in a protocol file) to micrometres,
    /// rounding to the nearest micrometre.
    public init(millimetres: Double) {
        self.micrometres = Int((millimetres * 1000).rounded())
    }

    /// A depth typed in millimetres ("0.75", "1", "1.5"), to the micrometre,
    /// without going through floating point; nil for anything else.
    public init?(millimetreText text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = Int(parts[0]), whole >= 0, whole <= 100,
              parts[0].allSatisfy(\.isASCII) else { return nil }
        var fraction = 0
        if parts.count == 2 {
            let digits = parts[1]
            guard !digits.isEmpty, digits.count <= 3, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
                  let value = Int(digits) else { return nil }
            fraction = value * [100, 10, 1][digits.count - 1]
        }
        self.init(micrometres: whole * 1000 + fraction)
    }

    public static func < (lhs: Depth, rhs: Depth) -> Bool {
        lhs.micrometres < rhs.micrometres
    }

    /// "0.25 mm": two decimals are exact for every depth on a 0.25 mm or 0.05 mm step.
    public var description: String {
        "\(millimetreText) mm"
    }

    /// The depth in millimetres with two decimals, e.g. "1.00".
    public var millimetreText: String {
        let whole = micrometres / 1000
        let fraction = micrometres % 1000
        let hundredths = fraction / 10
        let thousandths = fraction % 10
        let base = "\(whole).\(hundredths < 10 ? "0" : "")\(hundredths)"
        return thousandths == 0 ? base : base + "\(thousandths)"
    }
}
