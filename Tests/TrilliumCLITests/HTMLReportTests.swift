import Foundation
import Testing
import TrilliumCore
import TrilliumLog
import TrilliumServices
import TrilliumSettings

/// The printable record, read back by strict parsers (Tests/Audit/html_report.py:
/// Python's XML parser and its HTML parser) rather than searched as text.
@Suite("HTML report")
struct HTMLReportTests {
    /// Markup, an entity, a CDATA end, quotes, and terminal escape sequences
    /// (clear screen, a hyperlink, a bell): all of it must arrive as text.
    static let hostileNote = "<script>alert(1)</script> <b>bold</b> &amp; ]]> \"quoted\" 'single' \u{1B}[2J\u{1B}]8;;http://x\u{7}link\u{1B}]8;;\u{7} end"

    struct Parsed: Decodable {
        struct Section: Decodable {
            var rows: [[String]]
            var facts: [String: String]
        }

        struct Zone: Decodable {
            var planned: Bool
            var fill: String?
            var labels: [String]
        }

        var tags: [String]
        var external: [String]
        var sections: [String: Section]
        var zones: [String: Zone]
        var svg_count: Int
        var footer: String
    }

    static func parse(_ file: String) throws -> Parsed {
        let result = try Command.run([Command.packageRoot + "/Tests/Audit/html_report.py", file], executable: "/usr/bin/env")
        #expect(result.status == 0, "\(result.output)\(result.error)")
        return try JSONDecoder().decode(Parsed.self, from: Data(result.output.utf8))
    }

    @Test func theRecordOfASampleSessionIsWellFormedAndHoldsEveryZone() throws {
        let root = Command.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let directory = DataDirectory(path: root)
        let paths = try SampleGenerator(sessionCount: 10, seed: 21).write(into: directory)
        let store = SessionStore(directory: directory, appVersion: "test")
        let signed = try #require(try paths.first { try store.load(path: $0).state?.phase == .signed })

        // An addendum with hostile text, written the way the app writes notes.
        let recorder = try store.resume(path: signed)
        try recorder.record(.noteAdded(text: Self.hostileNote, addendumReason: "late <entry> & \u{1B}[31mred"))
        recorder.close()
        let loaded = try store.load(path: signed)
        let state = try #require(loaded.state)

        let out = root + "/record.html"
        let result = try Command.run(["report", signed, "--format", "html", "--out", out, "--data-dir", root])
        #expect(result.status == 0, "\(result.error)")
        let parsed = try Self.parse(out)

        // Self-contained, and no markup smuggled in from the log.
        #expect(parsed.external.isEmpty)
        #expect(!parsed.tags.contains("script"))
        #expect(!parsed.tags.contains("b"))
        #expect(parsed.svg_count == (state.anesthetic?.agent != nil ? 2 : 1), "the face map, and the anesthetic timeline when one was applied")

        // Every planned zone on the map, labelled with its depth, and in the table.
        for zone in state.plannedZones {
            let drawn = try #require(parsed.zones[zone.id.rawValue], "\(zone.id) is not on the face map")
            #expect(drawn.planned)
            let progress = state.progress(of: zone.id)
            if let depth = progress.depth, progress.skipReason == nil {
                #expect(drawn.labels.contains(depth.description))
                #expect(drawn.fill == FaceDiagram.fill(for: depth))
            }
            let row = try #require(parsed.sections["Treatment by zone"]?.rows.first { $0.first == zone.name })
            #expect(row[2].hasPrefix(String(progress.passes.count)))
        }
        #expect(parsed.zones.values.filter(\.planned).count == state.plannedZones.count)

        // The hostile note arrives as text: markup literal, escapes made visible.
        let visible = HTMLText.escape(Self.hostileNote)
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
        #expect(visible.contains("\u{241B}[2J") && !visible.contains("\u{1B}"))
        let notes = try #require(parsed.sections["Notes"]?.rows)
        #expect(notes.contains { $0.last?.hasPrefix(visible) == true }, "\(notes)")

        // Protocol, sign-off and the log's head digest as the log has them.
        let intake = try #require(parsed.sections["Intake"]?.facts)
        #expect(intake["Protocol"]?.contains(state.treatmentProtocol.digest) == true)
        #expect(intake["Protocol"]?.contains(state.treatmentProtocol.version) == true)
        #expect(parsed.sections["Sign-off"]?.facts["Signed by"] == state.signature?.by)
        #expect(parsed.sections["Log integrity"]?.facts["Head digest"] == loaded.verification.headDigest)
        #expect(parsed.footer.contains(loaded.verification.headDigest))
        for title in ["Screening", "Preparation", "Topical anesthetic", "Aftercare", "Adverse events", "Corrections"] {
            #expect(parsed.sections[title] != nil, "no \(title) section")
        }
    }

    @Test func everySampleSessionsRecordParsesSignedAbortedOrOpen() throws {
        let root = Command.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let directory = DataDirectory(path: root)
        let paths = try SampleGenerator(sessionCount: 16, seed: 8).write(into: directory)
        let store = SessionStore(directory: directory, appVersion: "test")
        var statuses: Set<String> = []
        for path in paths {
            let state = try #require(try store.load(path: path).state)
            let out = path + ".html"
            let result = try Command.run(["report", path, "--format", "html", "--out", out, "--data-dir", root])
            #expect(result.status == 0, "\(result.error)")
            let parsed = try Self.parse(out)
            #expect(Set(parsed.zones.filter { $0.value.planned }.keys) == Set(state.plannedZones.map(\.id.rawValue)))
            statuses.insert(parsed.sections["Intake"]?.facts["Status"]?.components(separatedBy: ":").first ?? "")
        }
        #expect(statuses.contains("signed") && statuses.contains("aborted"), "\(statuses)")
    }

    @Test func zonesOffTheDrawingStillGetABoxOnTheMap() throws {
        var p = ProtocolFile.defaultProtocol()
        p.zones.append(Zone(id: "scalp", name: "Scalp <frontal>", minimumDepth: Depth(micrometres: 500),
                            maximumDepth: Depth(micrometres: 1500), defaultDepth: Depth(micrometres: 1000)))
        var state = SessionState(treatmentProtocol: p)
        let stamp = EventStamp(wallMilliseconds: 1_772_442_000_000, monotonicNanoseconds: 1, bootID: "b")
        try state.apply(SessionRecord(seq: 1, id: "r1", stamp: stamp, by: "A", event: .opened(SessionOpening(
            sessionID: "s", patientReference: "P-1", operatorName: "A", workstation: "w",
            device: DeviceIdentity(model: "SkinPen Precision", serial: "s", profile: "skinpen"), cartridge: Cartridge(lot: "l", expiry: "2099-01"),
            protocolReference: ProtocolReference(p), plannedZones: ["forehead", "scalp"], appVersion: "t", isTraining: false))))
        let svg = FaceDiagram.svg(state)
        #expect(svg.contains("<g class=\"zone planned\" data-zone=\"scalp\">"))
        #expect(svg.contains("Scalp &lt;frontal&gt;: no depth"))
        #expect(svg.contains("<g class=\"zone planned\" data-zone=\"forehead\">"))
        #expect(svg.contains("<g class=\"zone unplanned\" data-zone=\"chin\">"))
    }

    @Test func controlCharactersBecomeVisibleSymbols() {
        #expect(HTMLText.escape("a<b>&\"'\u{1B}[0m\u{7}\u{7F}\u{85}\n") == "a&lt;b&gt;&amp;&quot;&#39;\u{241B}[0m\u{2407}\u{2421}&lt;U+0085&gt;\n")
        // An invisible character's mark is text, never a tag a browser would hide: P-10&lt;U+200B&gt;27 shows as it is.
        #expect(HTMLText.escape("P-10\u{200B}27") == "P-10&lt;U+200B&gt;27")
        // Markdown is escaped scalar by scalar: a "|" joined to what follows still cannot split a table's cells.
        #expect(MarkdownReportRenderer.escape("a|\u{200D}b") == "a\\|\\<U+200D\\>b")
        #expect(MarkdownReportRenderer.escape("*\u{301}") == "\\*\u{301}")
    }

    /// Issue 9, defect 11: printed from a real browser (headless Chromium) and
    /// read back from the PDF (pdftotext): every zone and the head digest whole
    /// on one line, and no label drawn over another.
    @Test func theRecordPrintsWellFromARealBrowser() throws {
        let data = Command.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        #expect(try Command.run(["sample", "--out", data, "--sessions", "6", "--seed", "11"]).status == 0)
        struct Printed: Decodable {
            var pages: Int
            var text: String
            var overlaps: [[String]]
        }
        let store = SessionStore(directory: DataDirectory(path: data), appVersion: "test")
        for log in try DataDirectory.logFiles(in: data) {
            let loaded = try store.load(path: log)
            let html = log + ".html"
            #expect(try Command.run(["report", log, "--format", "html", "--out", html, "--data-dir", data]).status == 0)
            let result = try Command.run([Command.packageRoot + "/Tests/Audit/printed_record.py", html], executable: "/usr/bin/env")
            #expect(result.status == 0, "chromium and pdftotext are needed here: \(result.error)")
            guard result.status == 0 else { return }
            let printed = try JSONDecoder().decode(Printed.self, from: Data(result.output.utf8))
            #expect(printed.pages >= 1)
            #expect(printed.overlaps.isEmpty, "\(log): labels drawn over each other: \(printed.overlaps)")
            let lines = printed.text.split(separator: "\n")
            #expect(lines.contains { $0.contains(loaded.verification.headDigest) }, "the head digest whole on one line")
            for zone in loaded.state?.plannedZones ?? [] {
                #expect(printed.text.contains(zone.name), "\(zone.name) is in the printed record")
            }
            #expect(!printed.text.contains("Forehea d"))
        }
    }
}
