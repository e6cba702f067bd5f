import Foundation
import Testing
import TrilliumCore
import TrilliumLog
import TrilliumServices
import TrilliumSettings

@Suite("Reports")
struct ReportTests {
    static func loadSamples(count: Int, seed: UInt64) throws -> (SessionStore, [LoadedSession], String) {
        let path = NSTemporaryDirectory() + "trillium-reports-\(UUID().uuidString)"
        let directory = DataDirectory(path: path)
        let paths = try SampleGenerator(sessionCount: count, seed: seed).write(into: directory)
        let store = SessionStore(directory: directory, appVersion: "test")
        return (store, try paths.map { try store.load(path: $0) }, path)
    }

    @Test func aReportHoldsTheWholeSession() throws {
        let (_, sessions, path) = try Self.loadSamples(count: 12, seed: 5)
        defer { try? FileManager.default.removeItem(atPath: path) }
        for session in sessions {
            let state = try #require(session.state)
            let text = TextReportRenderer.render(SessionReport(session: session, state: state))
            #expect(text.contains(state.opening!.patientReference))
            #expect(text.contains(session.verification.headDigest))
            #expect(text.contains(state.treatmentProtocol.digest))
            for zone in state.plannedZones { #expect(text.contains(zone.name)) }
            for note in state.notes { #expect(text.contains(note.text)) }
            for correction in state.corrections { #expect(text.contains(correction.correction.reason)) }
            if let signature = state.signature { #expect(text.contains(signature.attestation)) }
            if let reason = state.abortReason { #expect(text.contains(reason)) }
            let json = JSONReportRenderer.render(session: session, state: state)
            let parsed = try JSONParser.parse(json.trimmingCharacters(in: .newlines))
            #expect(parsed["log"]?["head_digest"]?.stringValue == session.verification.headDigest)
            #expect(parsed["zones"]?.arrayValue?.count == state.plannedZones.count)
            let markdown = MarkdownReportRenderer.render(SessionReport(session: session, state: state))
            #expect(markdown.hasPrefix("# "))
        }
    }

    @Test func markdownEscapesRecordedText() {
        #expect(MarkdownReportRenderer.escape("a|b *c* <script>\n\u{1B}[2J") == "a\\|b \\*c\\* \\<script\\> \u{241B}\\[2J")
    }
}

/// The command line's tables line up in columns of a terminal, whatever
/// script a name is written in: wide characters take two columns.
@Suite("Text tables")
struct TextTableTests {
    @Test func wideCharactersTakeTwoColumnsAndTheNextColumnStillLinesUp() {
        let table = TextTable.render(headers: ["Operator", "Phase"],
                                     rows: [["山田 花子", "Signed"], ["J. Okafor", "Open"], ["🙂 Ana", "Aborted"]])
        let lines = table.split(separator: "\n").map(String.init)
        // The columns before each row's phase: the name and its padding, each character as wide as it is drawn.
        let phaseColumns = lines.map { line -> Int in
            let phase = ["Phase", "Signed", "Open", "Aborted"].first { line.hasSuffix($0) } ?? ""
            return DisplayWidth.columns(ofVisible: String(line.dropLast(phase.count)))
        }
        #expect(Set(phaseColumns).count == 1, "\(phaseColumns)\n\(table)")
        #expect(phaseColumns.first == DisplayWidth.columns(ofVisible: "山田 花子") + 2)
    }
}
