import TrilliumCore
import TrilliumLog
import TrilliumServices

/// How fast a replay plays: a multiple of real time, or one record per frame.
public enum PlaybackSpeed: Int, Sendable, CaseIterable {
    case realTime = 1
    case tenTimes = 10
    case sixtyTimes = 60
    case fastest = 0

    public var label: String {
        self == .fastest ? "max" : "\(rawValue)x"
    }

    public var next: PlaybackSpeed {
        let all = Self.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }
}

/// What the integrity panel says of the log being replayed.
public struct ReplayIntegrity: Sendable, Equatable {
    public var headline: String
    public var detail: String
    public var kind: NoticeKind

    public init(headline: String, detail: String, kind: NoticeKind) {
        self.headline = headline
        self.detail = detail
        self.kind = kind
    }

    /// From the reader's verdict, how far the records folded, and the
    /// signatures that do not check out (`SignatureAudit`).
    public init(verification: LogVerification, replay: SessionReplay, signatureProblems: [String] = []) {
        let shown = replay.count
        switch verification.status {
        case .valid(.signed):
            self.init(headline: "Log valid and sealed: signed", detail: "\(shown) records, head \(verification.headDigest)", kind: .info)
        case .valid(.aborted):
            self.init(headline: "Log valid and sealed: aborted", detail: "\(shown) records, head \(verification.headDigest)", kind: .info)
        case .valid(.open):
            self.init(headline: "Log valid, open: never signed or aborted",
                      detail: "\(shown) records, head \(verification.headDigest); resume it to carry on", kind: .warning)
        case let .tornTail(defect):
            // What was replayed comes first: at 80 columns the detail may be cut.
            self.init(headline: "Torn tail: replayed up to record \(shown), the last whole one",
                      detail: "an interrupted last write at byte \(defect.offset) (\(defect.check.rawValue) check); resume repairs it",
                      kind: .warning)
        case let .corrupt(defect):
            self.init(headline: "CORRUPT at seq \(defect.seq): replayed up to record \(shown), the last valid",
                      detail: "line \(defect.line), byte \(defect.offset): \(defect.check.rawValue) check failed",
                      kind: .danger)
        }
        if let refusal = replay.refusal {
            self.init(headline: "Record \(refusal.seq) does not follow: replayed up to record \(shown)",
                      detail: refusal.error.description, kind: .danger)
        }
        // A chain can be recomputed; a signature cannot be made without the
        // workstation's key. "Valid and sealed" would vouch for a rewrite, and
        // a record that does not follow is often what a forgery left behind:
        // the signature's verdict comes first, where the replay stopped after it.
        if !signatureProblems.isEmpty {
            let stopped = replay.refusal.map { "replayed up to record \(shown), record \($0.seq) does not follow; " } ?? ""
            self.init(headline: "CORRUPT: a signature does not check out",
                      detail: stopped + signatureProblems.joined(separator: "; "), kind: .danger)
        }
        // Repairs are part of the record's integrity: say where they happened.
        let repairs = replay.kinds.indices.filter { replay.kinds[$0] == .logRepaired }.map { "#\($0 + 1)" }
        if !repairs.isEmpty {
            detail += "; torn tail repaired at " + repairs.joined(separator: ", ")
        }
    }
}

/// Which half shows when the terminal is too narrow for both side by side.
public enum ReplayPane: Sendable, Equatable {
    case timeline
    case screen
}

/// A line being typed at the foot of the replay: a search or a record number.
public enum ReplayEntry: Sendable, Equatable {
    case find(TextField)
    case goTo(TextField)

    var field: TextField {
        switch self {
        case let .find(field), let .goTo(field): field
        }
    }
}

/// The whole replay viewer's state. Read-only: nothing here can record.
public struct ReplayModel: Sendable, Equatable {
    public var size: Size
    public var glyphs: GlyphSet
    public let replay: SessionReplay
    /// Each record's line digest, by index: the chain as the file holds it.
    public let digests: LineDigests
    public let path: String
    public let integrity: ReplayIntegrity
    /// Each author's label in the timeline, told apart from the others of this log.
    public let authorLabels: [String: String]
    /// The index of the record under the cursor.
    public private(set) var position = 0
    /// The session as it stood once that record was made.
    public private(set) var state: SessionState
    public var isPlaying = false
    public var speed: PlaybackSpeed = .realTime
    /// Session time played since the record under the cursor (drives timers while playing).
    public var sincePosition: Milliseconds = 0
    public var pane: ReplayPane = .timeline
    public var entry: ReplayEntry?
    public var helpScroll: Int?
    /// The record under the cursor shown in full over the screen, scrolled this far.
    public var recordScroll: Int?
    public var lastQuery: String?
    /// The records the last search found, in log order: `n` and `N` step
    /// through them without reading the log again (a search of 50,000
    /// records once ran again at every press, 0.4 s each, and froze the screen).
    public var lastMatches: [Int] = []
    public var notice: Notice?

    public init(replay: SessionReplay, digests: LineDigests, path: String, integrity: ReplayIntegrity, size: Size, glyphs: GlyphSet) {
        precondition(replay.count > 0, "a replay needs at least one record")
        self.replay = replay
        self.digests = digests
        self.path = path
        self.integrity = integrity
        authorLabels = AuthorLabels.labels(for: replay.authors)
        self.size = size
        self.glyphs = glyphs
        state = replay.state(through: 0)
    }

    public var record: SessionRecord { replay.records[position] }
    public var count: Int { replay.count }

    /// Room for the screen, the record in full beside it, and a timeline of eight or more rows under them.
    public var isWide: Bool { size.width >= 116 && size.height >= 34 }
    public var isTooSmall: Bool {
        size.width < AppModel.minimumSize.width || size.height < AppModel.minimumSize.height
    }

    public var context: KeyContext {
        if helpScroll != nil { return .help }
        if recordScroll != nil { return .record }
        return entry == nil ? .replay : .textEntry
    }

    /// Moves the cursor to the record at `index` (clamped), folding the log up to it.
    public mutating func go(to index: Int) {
        let target = min(max(0, index), count - 1)
        sincePosition = 0
        guard target != position else { return }
        // Forward within a checkpoint's reach, fold on from here (stepping and playing); else from a checkpoint.
        if target > position, target - position <= replay.checkpointInterval {
            replay.fold(&state, records: (position + 1)..<(target + 1))
        } else {
            state = replay.state(through: target)
        }
        position = target
    }

    /// The moment shown: the record's stamp, plus what has been played since it.
    public var now: EventStamp {
        var stamp = record.stamp
        stamp.wallMilliseconds += sincePosition
        stamp.monotonicNanoseconds &+= UInt64(max(0, sincePosition)) * 1_000_000
        return stamp
    }

    /// How long the event loop may wait for a key before time must move on.
    public var tickMilliseconds: Int {
        guard isPlaying else { return 1000 }
        return speed == .fastest ? 40 : 100
    }
}
