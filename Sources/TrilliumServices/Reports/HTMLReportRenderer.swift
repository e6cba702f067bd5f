import TrilliumCore
import TrilliumLog

/// The printable treatment record: one self-contained HTML file (styles and
/// drawings inline, nothing fetched) to print or attach to the patient's
/// chart. It carries the same sections as the text report, with the face map
/// and the anesthetic timeline drawn as SVG. The markup is also well-formed
/// XML, so archives and tests can parse it strictly.
public enum HTMLReportRenderer {
    public static func render(session: LoadedSession, state: SessionState, staff: StaffRoster? = nil,
                              attachments: AttachmentStore? = nil) -> String {
        let report = SessionReport(session: session, state: state, staff: staff, attachments: attachments)
        var out = """
        <!DOCTYPE html>
        <html xmlns="http://www.w3.org/1999/xhtml" lang="en">
        <head>
        <meta charset="utf-8"/>
        <meta name="generator" content="trillium report --format html"/>
        <title>\(HTMLText.escape(report.title))</title>
        <style>\(stylesheet)</style>
        </head>
        <body>
        <h1>\(HTMLText.escape(report.title))</h1>

        """
        if let alert = report.integrityAlert {
            out += "<p class=\"alert\">\(HTMLText.escape(alert))</p>\n"
        }
        for section in report.sections {
            out += "<section>\n<h2>\(HTMLText.escape(section.title))</h2>\n"
            switch section.figure {
            case .anestheticTimeline: out += anestheticTimeline(state)
            case .faceMap: out += "<figure>\n" + FaceDiagram.svg(state) + "</figure>\n"
            case .photos: out += photos(state, attachments)
            case nil: break
            }
            out += body(of: section)
            out += "</section>\n"
        }
        out += "<footer>Printed from the session log. Head digest \(HTMLText.escapeKeepingDigestsWhole(session.verification.headDigest)).</footer>\n"
        out += "</body>\n</html>\n"
        return out
    }

    static func body(of section: SessionReport.Section) -> String {
        var out = ""
        if !section.facts.isEmpty {
            out += "<dl>\n"
            for (label, value) in section.facts {
                out += "<dt>\(HTMLText.escape(label))</dt><dd>\(HTMLText.escapeKeepingDigestsWhole(value))</dd>\n"
            }
            out += "</dl>\n"
        }
        if let table = section.table {
            if table.rows.isEmpty {
                out += "<p class=\"none\">None.</p>\n"
            } else {
                out += "<table>\n<thead><tr>" + table.headers.map { "<th>\(HTMLText.escape($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
                for row in table.rows {
                    out += "<tr>" + row.map { "<td>\(HTMLText.escapeKeepingDigestsWhole($0))</td>" }.joined() + "</tr>\n"
                }
                out += "</tbody>\n</table>\n"
            }
        }
        if !section.paragraphs.isEmpty {
            out += "<ul>\n" + section.paragraphs.map { "<li>\(HTMLText.escape($0))</li>\n" }.joined() + "</ul>\n"
        }
        if section.facts.isEmpty && section.table == nil && section.paragraphs.isEmpty {
            out += "<p class=\"none\">None.</p>\n"
        }
        return out
    }

    /// Each photo whose file still hashes to the recorded digest, inline (the
    /// record stays one self-contained file). Only JPEG and PNG, known by
    /// their first bytes, are drawn: anything else could carry script.
    static func photos(_ state: SessionState, _ attachments: AttachmentStore?) -> String {
        guard let attachments else { return "" }
        var out = ""
        for entry in state.attachments(of: .photo) {
            guard let bytes = attachments.verifiedContents(of: entry.attachment.digest), let type = imageType(bytes) else { continue }
            out += "<figure class=\"photo\"><img alt=\"\(HTMLText.escape(entry.attachment.name))\" src=\"data:\(type);base64,"
                + Base64.encode(bytes) + "\"/><figcaption>#\(entry.seq) \(HTMLText.escape(entry.attachment.name))</figcaption></figure>\n"
        }
        return out
    }

    static func imageType(_ bytes: [UInt8]) -> String? {
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
        return nil
    }

    /// Applied at zero; the agent's minimum and maximum dwell marked; removal
    /// where it happened, red when past the maximum.
    static func anestheticTimeline(_ state: SessionState) -> String {
        guard let course = state.anesthetic, let agentID = course.agent,
              let agent = state.treatmentProtocol.agent(agentID) else { return "" }
        let dwell = course.removal?.dwell
        let span = max(agent.maximumDwell, dwell ?? 0) * 11 / 10
        guard span > 0 else { return "" }
        let left = 20, right = 620
        func x(_ ms: Milliseconds) -> Int { left + Int(Int64(right - left) * ms / span) }
        var out = "<figure>\n<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" viewBox=\"0 0 640 110\" width=\"640\" height=\"110\" role=\"img\" aria-label=\"Anesthetic timeline\">\n"
        out += "<title>Anesthetic dwell against the agent's window</title>\n"
        out += "<rect x=\"\(x(agent.minimumDwell))\" y=\"38\" width=\"\(x(agent.maximumDwell) - x(agent.minimumDwell))\" height=\"16\" fill=\"#c7e9c0\"/>\n"
        out += "<line x1=\"\(left)\" y1=\"46\" x2=\"\(right)\" y2=\"46\" stroke=\"#333333\" stroke-width=\"2\"/>\n"
        // Labels go above (applied, removed) or below (minimum, maximum) on the
        // first row where they overlap no label already placed, kept inside the
        // drawing: "applied" once ran off its left edge, and "removed" over it.
        var placed: [(row: Int, from: Int, to: Int)] = []
        func mark(_ ms: Milliseconds, _ label: String, colour: String, above: Bool) -> String {
            let rows = above ? [30, 16] : [72, 86, 100]
            let width = label.count * 6 + 6  // 10 px text: about 6 px a character, and a gap
            let from = min(max(0, x(ms) - width / 2), 640 - width)
            let row = rows.first { y in !placed.contains { $0.row == y && $0.from < from + width && from < $0.to } } ?? rows[rows.count - 1]
            placed.append((row, from, from + width))
            return "<line x1=\"\(x(ms))\" y1=\"34\" x2=\"\(x(ms))\" y2=\"58\" stroke=\"\(colour)\" stroke-width=\"2\"/>"
                + "<text x=\"\(from + 3)\" y=\"\(row)\" text-anchor=\"start\" fill=\"\(colour)\">\(HTMLText.escape(label))</text>\n"
        }
        let applied = course.appliedAt.map { Times.clock($0) } ?? ""
        out += mark(0, "applied \(applied)", colour: "#333333", above: true)
        out += mark(agent.minimumDwell, "minimum \(Durations.text(agent.minimumDwell))", colour: "#2b7a0b", above: false)
        out += mark(agent.maximumDwell, "maximum \(Durations.text(agent.maximumDwell))", colour: "#a35200", above: false)
        if let dwell, let removal = course.removal {
            let colour = removal.exceededMaximum ? "#b00020" : "#0b3d91"
            out += mark(dwell, "removed after \(Durations.text(dwell))", colour: colour, above: true)
        } else {
            out += "<text x=\"\(right)\" y=\"100\" text-anchor=\"end\">removal not recorded</text>\n"
        }
        out += "</svg>\n</figure>\n"
        return out
    }

    static let stylesheet = """

    body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 11pt; color: #111111; margin: 2em; }
    h1 { font-size: 16pt; border-bottom: 2px solid #333333; }
    h2 { font-size: 13pt; margin-top: 1.4em; border-bottom: 1px solid #999999; }
    dl { display: grid; grid-template-columns: max-content auto; gap: 0.2em 1em; }
    dt { font-weight: bold; }
    dd { margin: 0; white-space: pre-wrap; overflow-wrap: break-word; }
    table { border-collapse: collapse; width: 100%; }
    th, td { border: 1px solid #999999; padding: 0.2em 0.4em; text-align: left; vertical-align: top; white-space: pre-wrap; word-break: normal; overflow-wrap: break-word; }
    .digest { white-space: nowrap; font-family: "DejaVu Sans Mono", monospace; font-size: 8pt; }
    th { background: #eeeeee; }
    .alert { border: 2px solid #b00020; padding: 0.5em; font-weight: bold; }
    .none { color: #555555; }
    svg text { font-size: 10px; font-family: "DejaVu Sans", Arial, sans-serif; }
    svg .side { fill: #555555; }
    figure { margin: 0.5em 0; }
    figure.photo { display: inline-block; margin: 0.3em; }
    figure.photo img { max-width: 5cm; max-height: 5cm; }
    footer { margin-top: 2em; font-size: 9pt; color: #444444; }
    section { break-inside: avoid-page; }
    @media print { body { margin: 0; } * { print-color-adjust: exact; -webkit-print-color-adjust: exact; } }

    """
}
