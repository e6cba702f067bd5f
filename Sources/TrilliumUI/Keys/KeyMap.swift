import TrilliumCore

/// What a key does, independent of which key it is.
public enum Action: String, Sendable, Hashable, CaseIterable {
    case moveUp, moveDown, nextPanel, previousPanel
    case toggle, confirm, back
    case answerYes, answerNo, overrideAnswer, confirmProphylaxis
    case previousChoice, nextChoice
    case removeAnesthetic, applyProduct
    case depthUp, depthDown, setDepth, recordPass, recordEndpoint, completeZone, skipZone
    case addNote, reportAdverseEvent, correctRecord, abortSession
    case showHelp, quit, signOut
    case chooseOption
    case previousPage, nextPage, firstRecord, lastRecord, goToRecord
    case playPause, changeSpeed, find, findNext, findPrevious, switchPane, showRecord
}

/// The screens (and overlays) that have keys of their own.
public enum KeyContext: String, Sendable, CaseIterable {
    case everywhere
    case signIn = "sign in"
    case start
    case intake
    case consultation
    case screening
    case preparation
    case anesthetic
    case dwell
    case antisepsis
    case treatment
    case aftercare
    case sealed
    case textEntry = "text entry"
    case choice
    case confirmation
    case message
    case help
    case replay
    case record

    /// The contexts of the treatment-room app (replay has its own help).
    public static let live: [KeyContext] = allCases.filter { $0 != .replay && $0 != .record }
    /// The contexts of the replay viewer.
    public static let replayViewer: [KeyContext] = [.replay, .record, .textEntry, .help]

    public var title: String {
        switch self {
        case .everywhere: "Everywhere in a session"
        case .signIn: "Signing in, or unlocking the idle lock"
        case .start: "Start"
        case .intake: "Intake"
        case .consultation: "Consultation"
        case .screening: "Screening"
        case .preparation: "Preparation"
        case .anesthetic: "Anesthesia: choosing the agent"
        case .dwell: "Anesthesia: dwell timer"
        case .antisepsis: "Anesthesia: after removal"
        case .treatment: "Treatment"
        case .aftercare: "Aftercare and sign-off"
        case .sealed: "Signed or aborted session"
        case .textEntry: "Typing a reason, note or field"
        case .choice: "Choosing from a list"
        case .confirmation: "Confirming"
        case .message: "Reading a message"
        case .help: "This help"
        case .replay: "Replay (read-only)"
        case .record: "A record in full"
        }
    }
}

public struct KeyBinding: Sendable, Hashable {
    public var keys: [Key]
    public var action: Action
    /// The few words shown in the footer; nil keeps it out of the footer.
    public var footer: String?
    /// The sentence in the help overlay and `trillium keys`.
    public var help: String
    /// How the footer writes the keys, where the first key alone would mislead ("+/-").
    public var footerKeys: String?

    public init(_ keys: [Key], _ action: Action, footer: String?, help: String, footerKeys: String? = nil) {
        self.keys = keys
        self.action = action
        self.footer = footer
        self.help = help
        self.footerKeys = footerKeys
    }
}

/// Every key of the app, as data. Dispatch, the footer, the `?` overlay and
/// `trillium keys` all read this table, so they cannot disagree.
public enum KeyMap {
    public static func bindings(for context: KeyContext) -> [KeyBinding] {
        switch context {
        case .everywhere:
            return [
                KeyBinding([.character("?")], .showHelp, footer: "help", help: "Show every key"),
                KeyBinding([.character("N"), .character("n")], .addNote, footer: nil,
                           help: "Add a note (on the screening screen n answers no: use N)"),
                KeyBinding([.character("!")], .reportAdverseEvent, footer: nil, help: "Report an adverse event"),
                KeyBinding([.character("C")], .correctRecord, footer: nil, help: "Correct an earlier record, with a reason"),
                KeyBinding([.character("A")], .abortSession, footer: nil, help: "Abort the session, with a reason"),
                KeyBinding([.character("q"), .control("c")], .quit, footer: "quit",
                           help: "Quit after a confirmation (the session stays resumable)"),
            ]
        case .signIn:
            return [
                KeyBinding([.tab, .down, .up], .nextPanel, footer: "id/PIN", help: "Switch between the account id and the PIN"),
                KeyBinding([.enter], .confirm, footer: "sign in", help: "Sign in (or unlock) with the PIN; five wrong PINs lock the account for five minutes"),
                KeyBinding([.control("c")], .quit, footer: "quit", help: "Quit (an open session stays resumable)"),
            ]
        case .start:
            return [
                KeyBinding([.up, .character("k")], .moveUp, footer: nil, help: "Move up"),
                KeyBinding([.down, .character("j")], .moveDown, footer: nil, help: "Move down"),
                KeyBinding([.enter], .confirm, footer: "open", help: "Start a new session or resume the one selected"),
                KeyBinding([.character("S")], .signOut, footer: "sign out", help: "Sign out (where staff accounts exist)"),
                KeyBinding([.character("?")], .showHelp, footer: "help", help: "Show every key"),
                KeyBinding([.character("q"), .control("c")], .quit, footer: "quit", help: "Quit"),
            ]
        case .intake:
            return [
                KeyBinding([.up], .moveUp, footer: nil, help: "Previous field or zone"),
                KeyBinding([.down], .moveDown, footer: nil, help: "Next field or zone"),
                KeyBinding([.tab], .nextPanel, footer: "fields/zones", help: "Switch between the fields and the zone list"),
                KeyBinding([.space], .toggle, footer: "toggle", help: "Plan or unplan a zone; set or clear the training flag"),
                KeyBinding([.enter], .confirm, footer: "start session", help: "Open the session (every field is checked)"),
                KeyBinding([.escape], .back, footer: "back", help: "Back to the start screen (nothing is recorded)"),
            ]
        case .consultation:
            return [
                KeyBinding([.up], .moveUp, footer: nil, help: "Previous row"),
                KeyBinding([.down, .tab], .moveDown, footer: nil, help: "Next row"),
                KeyBinding([.left], .previousChoice, footer: nil, help: "Skin type: one lighter"),
                KeyBinding([.right], .nextChoice, footer: "skin type", help: "Skin type: one darker (or type its number, 1 to 6)",
                           footerKeys: "←/→"),
                KeyBinding([.space], .toggle, footer: "tick", help: "Tick or clear a concern, or the age confirmed"),
                KeyBinding([.enter], .confirm, footer: "record", help: "Record the consultation (every row is checked)"),
            ]
        case .screening:
            return [
                KeyBinding([.up, .character("k")], .moveUp, footer: nil, help: "Previous question"),
                KeyBinding([.down, .character("j")], .moveDown, footer: nil, help: "Next question"),
                KeyBinding([.character("y")], .answerYes, footer: "yes", help: "Answer yes"),
                KeyBinding([.character("n")], .answerNo, footer: "no", help: "Answer no"),
                KeyBinding([.character("o")], .overrideAnswer, footer: "override", help: "Override a blocking yes, with a reason"),
                KeyBinding([.character("p")], .confirmProphylaxis, footer: "prophylaxis", help: "Confirm the prophylaxis a yes asks for"),
                KeyBinding([.enter], .confirm, footer: "done", help: "Finish screening (every answer given, every yes resolved)"),
            ]
        case .preparation, .aftercare, .antisepsis:
            let finish = context == .aftercare ? "sign off" : (context == .antisepsis ? "start treatment" : "done")
            return [
                KeyBinding([.up, .character("k")], .moveUp, footer: nil, help: "Previous item"),
                KeyBinding([.down, .character("j")], .moveDown, footer: nil, help: "Next item"),
                KeyBinding([.space], .toggle, footer: "confirm item", help: "Confirm the item (recorded at once)"),
                KeyBinding([.enter], .confirm, footer: finish,
                           help: context == .aftercare ? "Review the session and sign off" : "Go on when every item is confirmed"),
            ]
        case .anesthetic:
            return [
                KeyBinding([.up, .character("k")], .moveUp, footer: nil, help: "Previous agent"),
                KeyBinding([.down, .character("j")], .moveDown, footer: nil, help: "Next agent"),
                KeyBinding([.space], .toggle, footer: "occlusion", help: "Occlusion on or off (where the agent allows a choice)"),
                KeyBinding([.enter], .confirm, footer: "applied", help: "Record the agent as applied now and start the dwell timer"),
            ]
        case .dwell:
            return [
                KeyBinding([.character("r"), .enter], .removeAnesthetic, footer: "removed",
                           help: "Record the anesthetic removed completely (before the minimum: with a reason)"),
            ]
        case .treatment:
            return [
                KeyBinding([.up, .character("k")], .moveUp, footer: nil, help: "Previous zone"),
                KeyBinding([.down, .character("j")], .moveDown, footer: nil, help: "Next zone"),
                KeyBinding([.tab], .nextPanel, footer: nil, help: "Next unfinished zone"),
                KeyBinding([.character("+"), .character("=")], .depthUp, footer: "depth", help: "Depth one device step deeper",
                           footerKeys: "+/-"),
                KeyBinding([.character("-")], .depthDown, footer: nil, help: "Depth one device step shallower"),
                KeyBinding([.character("d")], .setDepth, footer: "set", help: "Record the depth shown for this zone"),
                KeyBinding([.character("p")], .recordPass, footer: "pass", help: "Record a pass, then choose its direction by key"),
                KeyBinding([.character("e")], .recordEndpoint, footer: "endpoint", help: "Record the clinical endpoint"),
                KeyBinding([.character("c")], .completeZone, footer: "done", help: "Complete the zone (passes and endpoint recorded)"),
                KeyBinding([.character("s")], .skipZone, footer: "skip", help: "Skip the zone, with a reason"),
                KeyBinding([.character("a")], .applyProduct, footer: nil, help: "Record a product applied to this zone (name, lot, expiry)"),
                KeyBinding([.enter], .confirm, footer: "finish", help: "Finish treatment when every zone is complete or skipped"),
            ]
        case .sealed:
            return [
                KeyBinding([.enter], .confirm, footer: "start screen", help: "Back to the start screen"),
            ]
        case .textEntry:
            return [
                KeyBinding([.enter], .confirm, footer: "save", help: "Save what was typed"),
                KeyBinding([.escape], .back, footer: "cancel", help: "Cancel (nothing is recorded)"),
                KeyBinding([.left, .right], .chooseOption, footer: nil, help: "Move the cursor"),
                KeyBinding([.backspace], .chooseOption, footer: nil, help: "Delete before the cursor"),
                KeyBinding([.control("u")], .chooseOption, footer: nil, help: "Clear the field"),
            ]
        case .choice:
            return [
                KeyBinding([.up, .down], .chooseOption, footer: nil, help: "Move"),
                KeyBinding([.enter], .confirm, footer: "choose", help: "Choose the highlighted option (or press its key)"),
                KeyBinding([.escape], .back, footer: "cancel", help: "Cancel"),
            ]
        case .confirmation:
            return [
                KeyBinding([.character("y")], .confirm, footer: "yes", help: "Yes (once every line has been in view)"),
                KeyBinding([.character("n"), .escape], .back, footer: "no", help: "No"),
                KeyBinding([.up, .down, .pageUp, .pageDown], .chooseOption, footer: nil, help: "Scroll what is asked, where it does not fit"),
            ]
        case .message:
            return [
                KeyBinding([.enter, .escape], .back, footer: "close", help: "Close the message, once read"),
                KeyBinding([.up, .down, .pageUp, .pageDown], .chooseOption, footer: nil, help: "Scroll the message, where it does not fit"),
            ]
        case .help:
            return [
                KeyBinding([.up, .down, .pageUp, .pageDown], .chooseOption, footer: nil, help: "Scroll"),
                KeyBinding([.escape, .character("?"), .character("q")], .back, footer: "close", help: "Close this help"),
            ]
        case .replay:
            return [
                KeyBinding([.up, .character("k")], .moveUp, footer: nil, help: "Previous record"),
                KeyBinding([.down, .character("j")], .moveDown, footer: nil, help: "Next record"),
                KeyBinding([.pageUp], .previousPage, footer: nil, help: "Ten records back"),
                KeyBinding([.pageDown], .nextPage, footer: nil, help: "Ten records on"),
                KeyBinding([.home], .firstRecord, footer: nil, help: "The first record"),
                KeyBinding([.end], .lastRecord, footer: nil, help: "The last record"),
                KeyBinding([.character("g"), .character("#")], .goToRecord, footer: "go to", help: "Go to a record by its number (seq)"),
                KeyBinding([.space], .playPause, footer: "play", help: "Play or pause, keeping the real time between records"),
                KeyBinding([.character("s")], .changeSpeed, footer: "speed", help: "Playing speed: 1x, 10x, 60x, as fast as it goes"),
                KeyBinding([.character("/")], .find, footer: "find", help: "Find records by type, zone or text"),
                KeyBinding([.character("n")], .findNext, footer: nil, help: "Next record found"),
                KeyBinding([.character("N")], .findPrevious, footer: nil, help: "Previous record found"),
                KeyBinding([.enter], .showRecord, footer: "record", help: "The record under the cursor in full"),
                KeyBinding([.tab], .switchPane, footer: "screen",
                           help: "Switch between the timeline and the session's screen (from 116x34 both show at once)"),
                KeyBinding([.character("?")], .showHelp, footer: "help", help: "Show every key"),
                KeyBinding([.character("q"), .control("c")], .quit, footer: "quit", help: "Quit (nothing to save: replay only reads)"),
            ]
        case .record:
            return [
                KeyBinding([.up, .down, .pageUp, .pageDown], .chooseOption, footer: nil, help: "Scroll"),
                KeyBinding([.escape, .enter, .character("q")], .back, footer: "close", help: "Close the record"),
            ]
        }
    }

    /// The action `key` triggers in `context`, looking at the context's own
    /// keys first and then, inside a session, the ones that work everywhere.
    public static func action(for key: Key, in context: KeyContext, inSession: Bool) -> Action? {
        if let binding = bindings(for: context).first(where: { $0.keys.contains(key) }) {
            return binding.action
        }
        let global: Set<KeyContext> = [.consultation, .screening, .preparation, .anesthetic, .dwell, .antisepsis, .treatment, .aftercare, .sealed]
        guard inSession, global.contains(context) else { return nil }
        return bindings(for: .everywhere).first { $0.keys.contains(key) }?.action
    }

    /// `trillium keys`: every context's keys, from this same table.
    public static func reference(ascii: Bool = false) -> String {
        var out = ""
        for context in KeyContext.allCases {
            out += "\(context.title)\n"
            for binding in bindings(for: context) {
                let keys = binding.keys.map { ascii ? $0.asciiLabel : $0.label }.joined(separator: " / ")
                out += "  " + keys.padding(toWidth: 22) + binding.help + "\n"
            }
            out += "\n"
        }
        out += correctionHelp.map { $0 + "\n" }.joined()
        return out
    }

    /// What C can correct, from the record schema: each record type with
    /// correctable fields, and those fields, as the dialog offers them.
    public static var correctionHelp: [String] {
        var lines = ["What C corrects (each with a reason; the original record is kept)"]
        for schema in RecordSchema.all where !schema.correctableFields.isEmpty {
            let fields = schema.correctableFields.map(\.label).joined(separator: ", ")
            lines.append("  " + schema.title.padding(toWidth: 22) + fields)
        }
        return lines
    }
}

extension String {
    func padding(toWidth width: Int) -> String {
        let columns = TerminalWidth.of(self)
        return columns >= width ? self + " " : self + String(repeating: " ", count: width - columns)
    }
}
