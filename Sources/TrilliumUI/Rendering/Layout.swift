/// Splits a rectangle into rows or columns by constraints, as ratatui's
/// `Layout` does, so that views say what each part needs (a fixed width, at
/// least so much, the rest) instead of writing column numbers by hand.
public struct Layout: Sendable {
    public enum Direction: Sendable {
        case horizontal
        case vertical
    }

    public enum Constraint: Sendable, Equatable {
        /// Exactly this many cells, as far as there is room.
        case length(Int)
        /// This share of the whole (0–100), rounded down.
        case percentage(Int)
        /// What is left after the others, shared equally among the fills.
        case fill
    }

    public var direction: Direction
    public var constraints: [Constraint]
    /// Cells left empty between two parts.
    public var spacing: Int

    public static func horizontal(_ constraints: [Constraint], spacing: Int = 0) -> Layout {
        Layout(direction: .horizontal, constraints: constraints, spacing: spacing)
    }

    public static func vertical(_ constraints: [Constraint], spacing: Int = 0) -> Layout {
        Layout(direction: .vertical, constraints: constraints, spacing: spacing)
    }

    /// One rectangle for each constraint, in order, never outside `area`.
    public func split(_ area: Rect) -> [Rect] {
        let total = direction == .horizontal ? area.width : area.height
        let gaps = max(0, constraints.count - 1) * spacing
        var sizes = constraints.map { constraint -> Int in
            switch constraint {
            case let .length(cells): max(0, cells)
            case let .percentage(share): max(0, total * min(100, share) / 100)
            case .fill: 0
            }
        }
        let fills = constraints.indices.filter { constraints[$0] == .fill }
        var left = total - gaps - sizes.reduce(0, +)
        if left < 0 {
            // Not enough room: the last fixed parts give way first.
            for index in sizes.indices.reversed() where left < 0 {
                let taken = min(sizes[index], -left)
                sizes[index] -= taken
                left += taken
            }
        } else if !fills.isEmpty {
            for (order, index) in fills.enumerated() {
                sizes[index] = left / fills.count + (order < left % fills.count ? 1 : 0)
            }
        }
        var offset = direction == .horizontal ? area.x : area.y
        return sizes.map { size in
            defer { offset += size + spacing }
            switch direction {
            case .horizontal: return Rect(x: offset, y: area.y, width: size, height: area.height)
            case .vertical: return Rect(x: area.x, y: offset, width: area.width, height: size)
            }
        }
    }
}
