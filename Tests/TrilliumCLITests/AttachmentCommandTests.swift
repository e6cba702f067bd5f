import Foundation
import Testing
import TrilliumCore
import TrilliumLog

/// `trillium attach`: files kept by digest, recorded, and checked by every report.
@Suite("Attachments on the command line")
struct AttachmentCommandTests {
    @Test func attachedFilesAreKeptRecordedAndCheckedByTheReport() throws {
        let root = Command.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let data = root + "/data"
        #expect(try Command.run(["sample", "--out", data, "--sessions", "1", "--without-staff"]).status == 0)
        let log = try DataDirectory.logFiles(in: data)[0]
        let photo = root + "/after-1.jpg", consent = root + "/consent.pdf"
        try Data([0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3]).write(to: URL(fileURLWithPath: photo))
        try Data("%PDF-1.4 signed".utf8).write(to: URL(fileURLWithPath: consent))

        // Who attaches is said; a file that cannot be read leaves the log as it was.
        #expect(try Command.run(["attach", log, photo, "--kind", "photo", "--data-dir", data]).status == 2)
        let before = try Data(contentsOf: URL(fileURLWithPath: log))
        let missing = try Command.run(["attach", log, photo, root + "/nowhere.jpg", "--kind", "photo", "--by", "A. Moreau", "--data-dir", data])
        #expect(missing.status == 2)
        #expect(try Data(contentsOf: URL(fileURLWithPath: log)) == before, "nothing recorded")
        #expect(try Command.run(["attach", log, photo, "--kind", "video", "--by", "A. Moreau", "--data-dir", data]).status == 2)
        #expect(try Command.run(["attach", log, photo, "--kind", "photo", "--by", "A\u{1B}[2J", "--data-dir", data]).status == 2)
        // A file the record would refuse, after good ones: nothing at all is attached.
        let badName = root + "/c1\u{9B}name.jpg", empty = root + "/empty.jpg"
        try Data([1]).write(to: URL(fileURLWithPath: badName))
        _ = FileManager.default.createFile(atPath: empty, contents: Data())
        let kept = (try? FileManager.default.contentsOfDirectory(atPath: data + "/attachments")) ?? []
        for bad in [badName, empty] {
            let refused = try Command.run(["attach", log, photo, consent, bad, "--kind", "photo", "--by", "A. Moreau", "--data-dir", data])
            #expect(refused.status == 1, "\(refused.error)")
            #expect(refused.error.contains("nothing was attached"))
            #expect(try Data(contentsOf: URL(fileURLWithPath: log)) == before, "nothing recorded")
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: data + "/attachments")) ?? []) == kept, "nothing kept")
        }

        let attached = try Command.run(["attach", log, photo, consent, "--kind", "photo", "--by", "A. Moreau", "--data-dir", data])
        #expect(attached.status == 0, "\(attached.error)")
        let digest = Digest.hex(of: [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3])
        #expect(attached.output.contains("photo after-1.jpg: 7 bytes, SHA-256 \(digest)"))
        #expect(FileManager.default.fileExists(atPath: data + "/attachments/" + digest))
        #expect(try Command.run(["verify", log]).status == 0, "the addendum keeps the chain")

        let report = try Command.run(["report", log, "--data-dir", data])
        #expect(report.status == 0, "\(report.error)")
        #expect(report.output.contains("after-1.jpg") && report.output.contains("present, SHA-256 matches"))
        let html = try Command.run(["report", log, "--format", "html", "--data-dir", data])
        #expect(html.output.contains("src=\"data:image/jpeg;base64,/9j/4AEC"))

        // Changed afterwards: said on the report, on standard error, and exit 1.
        try Data([0xFF, 0xD8, 0xFF, 0xE0, 9]).write(to: URL(fileURLWithPath: data + "/attachments/" + digest))
        let changed = try Command.run(["report", log, "--data-dir", data])
        #expect(changed.status == 1)
        #expect(changed.output.contains("CHANGED since it was attached"))
        #expect(changed.error.contains("attachment #") && changed.error.contains("after-1.jpg: CHANGED"))
        try FileManager.default.removeItem(atPath: data + "/attachments/" + digest)
        let removed = try Command.run(["report", log, "--format", "json", "--data-dir", data])
        #expect(removed.status == 1)
        #expect(removed.output.contains("MISSING from attachments/"))
    }

    @Test func whereStaffAccountsExistTheAttacherSignsInWithTheirPIN() throws {
        let root = Command.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let data = root + "/data"
        #expect(try Command.run(["sample", "--out", data, "--sessions", "1"]).status == 0)
        let log = try DataDirectory.logFiles(in: data)[0]
        let photo = root + "/after.png"
        try Data([0x89, 0x50, 0x4E, 0x47, 7]).write(to: URL(fileURLWithPath: photo))
        #expect(try Command.run(["attach", log, photo, "--kind", "photo", "--by", "Anyone", "--data-dir", data]).status == 2)
        #expect(try Command.run(["attach", log, photo, "--kind", "photo", "--as", "amoreau", "--data-dir", data],
                                input: "wrong-pin\n").status == 1)
        let signed = try Command.run(["attach", log, photo, "--kind", "photo", "--as", "amoreau", "--data-dir", data],
                                     input: "operator-1234\n")
        #expect(signed.status == 0, "\(signed.error)")
        var by = ""
        _ = try LogReader.read(path: log) { if case .attachmentAdded = $0.record.event { by = $0.record.by } }
        #expect(by == "amoreau")
    }

    /// A log reported by its path from another room's folder (an auditor's
    /// copy of it) is read with that folder's staff log and attachments: the
    /// people are named beside their ids, and the files are found, not MISSING.
    @Test func aLogReportedFromAnotherFolderIsReadWithThatFoldersStaffAndAttachments() throws {
        let data = Command.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        #expect(try Command.run(["sample", "--out", data, "--sessions", "6", "--seed", "9"]).status == 0)
        let elsewhere = Command.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: elsewhere) }
        var reported = 0, notes = 0
        for log in try DataDirectory.logFiles(in: data) {
            let report = try Command.run(["report", log, "--data-dir", elsewhere])
            guard report.output.contains("present, SHA-256 matches") || report.output.contains("MISSING") else { continue }
            reported += 1
            #expect(report.status == 0, "\(report.error)")
            #expect(!report.output.contains("MISSING"), "\(report.output)")
            // Every person named where the record holds an id: the dose, the attachments, the notes.
            let operators = ["A. Moreau (amoreau)", "J. Okafor (jokafor)", "S. Lindqvist (slindqvist)", "R. Tanaka (rtanaka)"]
            let applied = try #require(report.output.split(separator: "\n").first { $0.hasPrefix("Applied by:") })
            #expect(operators.contains { applied.contains($0) }, "\(applied)")
            let noted = report.output.split(separator: "\n").filter { $0.hasPrefix("- #: ") && $0.contains("; Note: ") }
            #expect(noted.allSatisfy { line in operators.contains { line.contains("By: \($0)") } }, "\(noted)")
            notes += noted.count
        }
        #expect(reported > 0 && notes > 0, "sample sessions with attachments and notes")
    }
}
