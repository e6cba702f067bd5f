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
