/// How many colours the terminal has; themes are quantised to it.
public enum ColorDepth: Sendable, Equatable {
    case monochrome
    case eight
    case sixteen
    case x256

    public init(colors: Int) {
        switch colors {
        case 256...: self = .x256
        case 16...: self = .sixteen
        case 8...: self = .eight
        default: self = .monochrome
        }
    }

    /// The terminal colour index nearest to `color` (-1 is the terminal's default).
    public func index(of color: ThemeColor) -> Int {
        guard case let .rgb(r, g, b) = color else { return -1 }
        switch self {
        case .monochrome: return -1
        case .eight: return Self.nearest(r, g, b, among: Array(Self.ansi.prefix(8)))
        case .sixteen: return Self.nearest(r, g, b, among: Self.ansi)
        case .x256: return Self.nearest256(r, g, b)
        }
    }

    /// xterm's default RGB values of the 16 ANSI colours.
    static let ansi: [(Int, Int, Int)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]

    static func distance(_ a: (Int, Int, Int), _ b: (Int, Int, Int)) -> Int {
        // Weighted toward green, as the eye is (a cheap perceptual distance).
        let dr = a.0 - b.0, dg = a.1 - b.1, db = a.2 - b.2
        return 2 * dr * dr + 4 * dg * dg + 3 * db * db
    }

    static func nearest(_ r: UInt8, _ g: UInt8, _ b: UInt8, among palette: [(Int, Int, Int)]) -> Int {
        let target = (Int(r), Int(g), Int(b))
        return palette.indices.min { distance(palette[$0], target) < distance(palette[$1], target) } ?? -1
    }

    static func nearest256(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Int {
        let levels = [0, 95, 135, 175, 215, 255]
        func level(_ v: UInt8) -> Int { levels.indices.min { abs(levels[$0] - Int(v)) < abs(levels[$1] - Int(v)) }! }
        let (lr, lg, lb) = (level(r), level(g), level(b))
        let cube = (levels[lr], levels[lg], levels[lb])
        let cubeIndex = 16 + 36 * lr + 6 * lg + lb
        let average = (Int(r) + Int(g) + Int(b)) / 3
        let greyStep = max(0, min(23, (average - 8 + 5) / 10))
        let grey = 8 + greyStep * 10
        let target = (Int(r), Int(g), Int(b))
        return distance((grey, grey, grey), target) < distance(cube, target) ? 232 + greyStep : cubeIndex
    }
}
