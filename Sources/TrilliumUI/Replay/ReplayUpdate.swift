import TrilliumCore

/// What happens to the replay viewer: keys, real time passing, a new size.
public enum ReplayMessage: Sendable, Equatable {
    case key(Key)
    /// Real time since the last message; the runtime measures it, so update stays pure.
    case advance(Milliseconds)
    case resized(Size)
}

public enum ReplayEffect: Sendable, Equatable {
    case bell
    case quit
}

/// update(model, message) → (model, effects) for replay. Nothing it does can
/// write: replay has no effect that records.
public enum ReplayUpdate {
    public static func update(_ model: ReplayModel, _ message: ReplayMessage) -> (ReplayModel, [ReplayEffect]) {
        var model = model
        let effects: [ReplayEffect]
        switch message {
        case let .resized(size):
            model.size = size
            effects = []
        case let .advance(milliseconds):
            model.play(for: milliseconds)
            effects = []
        case let .key(key):
            effects = model.handle(key)
        }
        return (model, effects)
    }
}

extension ReplayModel {
    mutating func handle(_ key: Key) -> [ReplayEffect] {
        if let scroll = helpScroll {
            helpScroll = Scrolling.next(scroll, key: key, closingIn: .help)
            return []
        }
        if let scroll = recordScroll {
            recordScroll = Scrolling.next(scroll, key: key, closingIn: .record)
            return []
        }
        if let entry {
            return type(key, into: entry)
        }
        guard let action = KeyMap.action(for: key, in: .replay, inSession: false) else { return [] }
        notice = nil
        switch action {
        case .moveUp: go(to: position - 1)
        case .moveDown: go(to: position + 1)
        case .previousPage: go(to: position - 10)
        case .nextPage: go(to: position + 10)
        case .firstRecord: go(to: 0)
        case .lastRecord: go(to: count - 1)
        case .goToRecord: entry = .goTo(TextField(limit: 10))
        case .find: entry = .find(TextField(lastQuery ?? "", limit: 80))
        case .findNext: return findAgain(forward: true)
        case .findPrevious: return findAgain(forward: false)
        case .playPause:
            if isPlaying {
                isPlaying = false
            } else {
                // Playing from the last record starts again from the first, as a player does.
                if position == count - 1 { go(to: 0) }
                isPlaying = true
            }
        case .changeSpeed:
            speed = speed.next
            notice = Notice(speed == .fastest ? "Playing as fast as it goes: one record a frame" : "Playing at \(speed.label) real time", .info)
        case .switchPane: pane = pane == .timeline ? .screen : .timeline
        case .showHelp: helpScroll = 0
        case .showRecord: recordScroll = 0
        case .quit: return [.quit]
        default: break
        }
        return []
    }

    /// A key while typing a search or a record number.
    mutating func type(_ key: Key, into entry: ReplayEntry) -> [ReplayEffect] {
        switch KeyMap.action(for: key, in: .textEntry, inSession: false) {
        case .back:
            self.entry = nil
            return []
        case .confirm:
            self.entry = nil
            switch entry {
            case let .find(field):
                let query = field.trimmed
                guard !query.isEmpty else { return [] }
                lastQuery = query
                lastMatches = ReplaySearch.matches(query, in: replay)
                return find(query, from: position, forward: true)
            case let .goTo(field):
                return goTo(field.trimmed)
            }
        default:
            var field = entry.field
            _ = field.handle(key)
            switch entry {
            case .find: self.entry = .find(field)
            case .goTo: self.entry = .goTo(field)
            }
            return []
        }
    }

    mutating func goTo(_ text: String) -> [ReplayEffect] {
        let digits = text.hasPrefix("#") ? String(text.dropFirst()) : text
        guard let seq = Int(digits), seq >= 1, seq <= count else {
            notice = Notice("No record \"\(text)\" here: the records go from 1 to \(count).", .warning)
            return [.bell]
        }
        go(to: seq - 1)
        return []
    }

    mutating func findAgain(forward: Bool) -> [ReplayEffect] {
        guard let lastQuery else {
            notice = Notice("Nothing to find again: press / to find records.", .info)
            return []
        }
        return find(lastQuery, from: position, forward: forward)
    }

    mutating func find(_ query: String, from index: Int, forward: Bool) -> [ReplayEffect] {
        guard let found = ReplaySearch.next(in: lastMatches, from: index, forward: forward) else {
            notice = Notice("No record matches \"\(query)\".", .warning)
            return [.bell]
        }
        go(to: found.index)
        notice = Notice("\"\(query)\": record #\(record.seq), match \(found.rank) of \(found.total) (n next, N previous)", .info)
        return []
    }

    /// Moves through the log as the session lived it, `milliseconds` of real
    /// time at the chosen speed; stops at the last record.
    mutating func play(for milliseconds: Milliseconds) {
        guard isPlaying else { return }
        if speed == .fastest {
            go(to: position + 1)
        } else {
            var played = sincePosition + milliseconds * Int64(speed.rawValue)
            var target = position
            while let gap = replay.gap(after: target), played >= gap {
                played -= gap
                target += 1
            }
            go(to: target)
            sincePosition = target == count - 1 ? 0 : played
        }
        if position == count - 1 {
            isPlaying = false
            notice = Notice("End of the log: record #\(record.seq). Space plays again from the start.", .info)
        }
    }
}
