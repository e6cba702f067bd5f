import Testing
import TrilliumCore
import TrilliumLog
import TrilliumUI

/// The timeline's "by" column tells an auditor whose each record is, so
/// two people of one log never share a label.
@Suite("Replay: who made each record")
struct AuthorLabelTests {
    @Test func namesAndAccountIdsGetLabelsThatTellThemApart() {
        #expect(AuthorLabels.labels(for: ["S. Lindqvist"]) == ["S. Lindqvist": "SL"])
        #expect(AuthorLabels.labels(for: ["op1", "op2"]) == ["op1": "OP1", "op2": "OP2"])
        #expect(AuthorLabels.labels(for: ["S. Lindqvist", "S. Larsen", "A. Moreau"])
                == ["S. Lindqvist": "SLI", "S. Larsen": "SLA", "A. Moreau": "AM"])
        #expect(AuthorLabels.labels(for: ["jokafor", "jlee"]) == ["jokafor": "JOK", "jlee": "JLE"])
    }

    @Test func noTwoAuthorsOfALogEverShareALabel() {
        var generator = SystemRandomNumberGenerator()
        let pieces = ["S.", "A.", "Li", "La", "op", "1", "2", "ab", "a.b.", "Ö", "-", " "]
        for _ in 0..<2_000 {
            let authors = Array(Set((0..<Int.random(in: 1...12, using: &generator)).map { _ in
                (0..<Int.random(in: 1...4, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            }))
            let labels = AuthorLabels.labels(for: authors)
            #expect(Set(labels.keys) == Set(authors))
            #expect(Set(labels.values).count == authors.count, "\(labels)")
        }
    }

    @Test func theTimelineShowsTwoOperatorsWithTheSameInitialsApart() {
        var records = ReplayFixture.records()
        for index in records.indices { records[index].by = index % 2 == 0 ? "S. Lindqvist" : "S. Larsen" }
        let replay = SessionReplay(records: records, treatmentProtocol: SessionFixture.treatmentProtocol)
        #expect(replay.authors == ["S. Lindqvist", "S. Larsen"])
        let model = ReplayModel(replay: replay, digests: LineDigests(ReplayFixture.digests(records)), path: "/tmp/x.tlog",
                                integrity: ReplayIntegrity(headline: "Log valid", detail: "", kind: .info),
                                size: Size(width: 80, height: 24), glyphs: .unicode)
        let text = ReplayView.render(model).text()
        #expect(text.contains(" SLI "))
        #expect(text.contains(" SLA "))
        #expect(!text.contains(" SL  "))
    }
}
