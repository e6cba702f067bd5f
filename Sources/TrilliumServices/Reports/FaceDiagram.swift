import TrilliumCore

/// The face map of the printed record, as SVG: seen facing the patient (the
/// patient's right on the left, as on the treatment screen), every planned
/// zone filled by its depth and labelled with its code and depth. Zones of
/// other protocols, which have no place on the drawing, get a box below it.
public enum FaceDiagram {
    enum Shape {
        case ellipse(cx: Int, cy: Int, rx: Int, ry: Int)
        case rect(x: Int, y: Int, width: Int, height: Int)

        var centre: (Int, Int) {
            switch self {
            case let .ellipse(cx, cy, _, _): (cx, cy)
            case let .rect(x, y, width, height): (x + width / 2, y + height / 2)
            }
        }

        func svg(_ attributes: String) -> String {
            switch self {
            case let .ellipse(cx, cy, rx, ry): "<ellipse cx=\"\(cx)\" cy=\"\(cy)\" rx=\"\(rx)\" ry=\"\(ry)\" \(attributes)/>"
            case let .rect(x, y, width, height): "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(width)\" height=\"\(height)\" rx=\"6\" \(attributes)/>"
            }
        }
    }

    static let width = 360
    static let faceHeight = 400

    /// The default protocol's zones, in a 360×400 drawing.
    static let places: [String: Shape] = [
        "forehead": .rect(x: 115, y: 48, width: 130, height: 46),
        "glabella": .rect(x: 160, y: 98, width: 40, height: 24),
        "temple_right": .rect(x: 62, y: 96, width: 40, height: 48),
        "temple_left": .rect(x: 258, y: 96, width: 40, height: 48),
        "periorbital_right": .ellipse(cx: 130, cy: 138, rx: 28, ry: 14),
        "periorbital_left": .ellipse(cx: 230, cy: 138, rx: 28, ry: 14),
        "nose": .rect(x: 162, y: 128, width: 36, height: 62),
        "cheek_right": .ellipse(cx: 112, cy: 198, rx: 36, ry: 34),
        "cheek_left": .ellipse(cx: 248, cy: 198, rx: 36, ry: 34),
        "upper_lip": .rect(x: 148, y: 196, width: 64, height: 22),
        "chin": .ellipse(cx: 180, cy: 268, rx: 38, ry: 20),
        "jawline_right": .rect(x: 80, y: 238, width: 46, height: 36),
        "jawline_left": .rect(x: 234, y: 238, width: 46, height: 36),
        "neck": .rect(x: 135, y: 318, width: 90, height: 52),
        "acne_scars": .rect(x: 262, y: 330, width: 86, height: 40),
    ]

    static let codes: [String: String] = [
        "forehead": "FH", "glabella": "GL", "temple_right": "TR", "temple_left": "TL",
        "periorbital_right": "ER", "periorbital_left": "EL", "nose": "NO", "cheek_right": "CR", "cheek_left": "CL",
        "upper_lip": "UL", "chin": "CH", "jawline_right": "JR", "jawline_left": "JL", "neck": "NK", "acne_scars": "AS",
    ]

    public static func code(for zone: Zone) -> String {
        codes[zone.id.rawValue] ?? String(zone.name.prefix(2)).uppercased()
    }

    /// Depth bands, shallow to deep, with their fill and the text colour that reads on it.
    static let bands: [(upTo: Int, fill: String, ink: String)] = [
        (500, "#e0f3f8", "#000000"), (1000, "#abd9e9", "#000000"), (1500, "#74add1", "#000000"),
        (2000, "#4575b4", "#ffffff"), (Int.max, "#313695", "#ffffff"),
    ]

    /// The fill a zone set at `depth` gets on the map.
    public static func fill(for depth: Depth) -> String {
        band(depth).fill
    }

    static func band(_ depth: Depth) -> (fill: String, ink: String) {
        let band = bands.first { depth.micrometres <= $0.upTo } ?? bands[bands.count - 1]
        return (band.fill, band.ink)
    }

    public static func svg(_ state: SessionState) -> String {
        let planned = Set(state.plannedZones.map(\.id))
        let unplaced = state.plannedZones.filter { places[$0.id.rawValue] == nil }
        let extraRows = (unplaced.count + 3) / 4
        let height = faceHeight + extraRows * 56 + 58
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"face-map\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\" role=\"img\" aria-label=\"Face map: zones coloured by depth, seen facing the patient\">\n"
        out += "<title>Face map, seen facing the patient: the patient's right is on the left</title>\n"
        out += "<ellipse cx=\"180\" cy=\"170\" rx=\"128\" ry=\"152\" fill=\"#fbf7f2\" stroke=\"#555555\" stroke-width=\"2\"/>\n"
        out += "<path d=\"M 140 312 L 140 318 M 220 312 L 220 318\" stroke=\"#555555\" stroke-width=\"2\"/>\n"
        out += "<text x=\"8\" y=\"20\" class=\"side\">patient's right</text>\n"
        out += "<text x=\"352\" y=\"20\" class=\"side\" text-anchor=\"end\">patient's left</text>\n"
        for zone in state.treatmentProtocol.zones {
            guard let shape = places[zone.id.rawValue] else { continue }
            out += group(zone, shape: shape, state: state, isPlanned: planned.contains(zone.id))
        }
        for (index, zone) in unplaced.enumerated() {
            let shape = Shape.rect(x: 8 + (index % 4) * 88, y: faceHeight + (index / 4) * 56, width: 82, height: 48)
            out += group(zone, shape: shape, state: state, isPlanned: true)
        }
        out += legend(y: height - 36)
        out += "</svg>\n"
        return out
    }

    static func group(_ zone: Zone, shape: Shape, state: SessionState, isPlanned: Bool) -> String {
        let id = HTMLText.escape(zone.id.rawValue)
        let code = HTMLText.escape(code(for: zone))
        let (cx, cy) = shape.centre
        guard isPlanned else {
            return "<g class=\"zone unplanned\" data-zone=\"\(id)\">\(shape.svg("fill=\"none\" stroke=\"#cccccc\" stroke-dasharray=\"3 3\""))"
                + "<text x=\"\(cx)\" y=\"\(cy + 4)\" text-anchor=\"middle\" fill=\"#aaaaaa\">\(code)</text></g>\n"
        }
        let progress = state.progress(of: zone.id)
        let fill: String
        let ink: String
        let detail: String
        var stroke = "stroke=\"#333333\""
        if progress.skipReason != nil {
            (fill, ink, detail) = ("#d9d9d9", "#000000", "skipped")
            stroke += " stroke-dasharray=\"5 3\""
        } else if let depth = progress.depth {
            (fill, ink) = band(depth)
            detail = depth.description
        } else {
            (fill, ink, detail) = ("#ffffff", "#000000", "no depth")
            stroke += " stroke-dasharray=\"2 2\""
        }
        let title = "\(zone.name): \(detail), \(progress.passes.count) passes, \(progress.status.rawValue)"
        return "<g class=\"zone planned\" data-zone=\"\(id)\"><title>\(HTMLText.escape(title))</title>"
            + shape.svg("fill=\"\(fill)\" \(stroke) stroke-width=\"1.5\"")
            + "<text x=\"\(cx)\" y=\"\(cy - 2)\" text-anchor=\"middle\" fill=\"\(ink)\" font-weight=\"bold\">\(code)</text>"
            + "<text x=\"\(cx)\" y=\"\(cy + 10)\" text-anchor=\"middle\" fill=\"\(ink)\" class=\"depth\">\(HTMLText.escape(detail))</text></g>\n"
    }

    static func legend(y: Int) -> String {
        let labels = ["≤ 0.5 mm", "≤ 1.0 mm", "≤ 1.5 mm", "≤ 2.0 mm", "> 2.0 mm"]
        var out = "<g class=\"legend\">"
        for (index, band) in bands.enumerated() {
            let x = 8 + index * 70
            out += "<rect x=\"\(x)\" y=\"\(y)\" width=\"14\" height=\"14\" fill=\"\(band.fill)\" stroke=\"#333333\"/>"
            out += "<text x=\"\(x + 18)\" y=\"\(y + 11)\">\(HTMLText.escape(labels[index]))</text>"
        }
        // Two short lines: one long one ran past the drawing's right edge.
        out += "<text x=\"8\" y=\"\(y + 30)\">grey dashed: skipped · faint: not planned</text>"
        out += "<text x=\"8\" y=\"\(y + 44)\">white dotted: planned, no depth set</text>"
        return out + "</g>\n"
    }
}
