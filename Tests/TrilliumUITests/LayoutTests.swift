import Testing
import TrilliumUI

@Suite("Layout by constraints")
struct LayoutTests {
    @Test func fixedPartsTakeTheirSizeAndFillsShareTheRest() {
        let area = Rect(x: 2, y: 1, width: 80, height: 20)
        let columns = Layout.horizontal([.length(20), .fill, .fill, .length(3)], spacing: 1).split(area)
        #expect(columns.map(\.width) == [20, 27, 27, 3])
        #expect(columns.map(\.x) == [2, 23, 51, 79])
        #expect(columns.last!.maxX == area.maxX)
        let rows = Layout.vertical([.percentage(25), .fill]).split(area)
        #expect(rows.map(\.height) == [5, 15])
        #expect(rows[1].y == 6)
    }

    @Test func withTooLittleRoomTheLastFixedPartsGiveWay() {
        let parts = Layout.horizontal([.length(30), .length(30), .fill]).split(Rect(x: 0, y: 0, width: 40, height: 1))
        #expect(parts.map(\.width) == [30, 10, 0])
        #expect(parts.allSatisfy { $0.maxX <= 40 })
    }
}
