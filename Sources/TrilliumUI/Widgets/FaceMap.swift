import TrilliumCore
import TrilliumServices

/// An ASCII face, as seen facing the patient (the patient's right on the
/// left), with each zone's code where it lies and its state as a glyph.
enum FaceMap {
    static let outline = [
        "           _.------._           ",
        "        .-'          '-.        ",
        "       /                \\       ",
        "      |                  |      ",
        "      |                  |      ",
        "      |                  |      ",
        "      |                  |      ",
        "      |                  |      ",
        "       \\                /       ",
        "        '.            .'        ",
        "          '-.______.-'          ",
        "             |    |             ",
        "                                ",
    ]
    static let width = 32
    static let height = outline.count

    /// Where each default zone's label starts (row, column); zones of other protocols are listed only.
    static let places: [String: (Int, Int)] = [
        "forehead": (2, 13), "glabella": (3, 13),
        "temple_right": (3, 1), "temple_left": (3, 27),
        "periorbital_right": (4, 8), "periorbital_left": (4, 19),
        "nose": (5, 13), "cheek_right": (6, 8), "cheek_left": (6, 19),
        "upper_lip": (7, 13), "chin": (8, 13),
        "jawline_right": (9, 2), "jawline_left": (9, 27),
        "neck": (12, 13), "acne_scars": (12, 23),
    ]

    /// The same two-letter codes as the printed record's face map.
    static func code(for zone: Zone) -> String {
        FaceDiagram.code(for: zone)
    }

    static func glyph(_ status: ZoneStatus, unicode: Bool) -> String {
        switch status {
        case .planned: unicode ? "·" : "."
        // Not "▶": that is the list's own pointer, and a selected active zone showed two side by side.
        case .active: unicode ? "•" : "*"
        case .complete: unicode ? "✓" : "+"
        case .skipped: unicode ? "✗" : "-"
        }
    }

    static func role(_ status: ZoneStatus) -> Role {
        switch status {
        case .planned: .zonePlanned
        case .active: .zoneActive
        case .complete: .zoneComplete
        case .skipped: .zoneSkipped
        }
    }

    static func draw(into buffer: inout Buffer, at x: Int, y: Int, state: SessionState, selected: ZoneID?, unicode: Bool) {
        for (row, line) in outline.enumerated() {
            buffer.write(line, x: x, y: y + row, style: Style(.muted))
        }
        let planned = Set(state.opening?.plannedZones ?? [])
        for zone in state.treatmentProtocol.zones {
            guard let (row, column) = places[zone.id.rawValue] else { continue }
            let code = code(for: zone)
            if planned.contains(zone.id) {
                let status = state.progress(of: zone.id).status
                var emphasis: Emphasis = []
                if zone.id == selected { emphasis.insert(.reverse) }
                buffer.write(glyph(status, unicode: unicode) + code, x: x + column, y: y + row, style: Style(role(status), emphasis))
            } else {
                buffer.write(" " + code.lowercased(), x: x + column, y: y + row, style: Style(.muted))
            }
        }
        let legend = unicode ? "·planned •active ✓done ✗skipped" : ".planned *active +done -skipped"
        buffer.write(legend, x: x, y: y + height, style: Style(.muted))
    }
}
