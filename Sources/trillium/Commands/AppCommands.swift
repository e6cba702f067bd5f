import ArgumentParser
import Foundation
import TrilliumClinicDatabase
import TrilliumCore
import TrilliumLog
import TrilliumRuntime
import TrilliumServices
import TrilliumSettings
import TrilliumTerminal
import TrilliumUI

/// The idle lock of the app: `--lock-after MINUTES`, default 5 (HIPAA's automatic logoff).
struct LockOptions: ParsableArguments {
    @Option(name: .customLong("lock-after"), help: "Minutes without a key before the screen locks (where staff accounts exist; default 5).")
    var minutes: Int = 5

    func validate() throws {
        guard (1...240).contains(minutes) else { throw ValidationError("--lock-after takes 1 to 240 minutes") }
    }
}

struct ThemeOptions: ParsableArguments {
    @Option(name: .customLong("theme"), help: "A bundled theme's name or a theme file (see trillium themes).")
    var theme: String = "default-dark"

    /// The theme, or exit 2 with the file, line and key of the problem.
    func load() throws -> Theme {
        do {
            let loaded = try ThemeLibrary.load(theme) { try? readText($0) }
            for warning in loaded.warnings { Output.error("warning: \(warning)") }
            return loaded.theme
        } catch {
            throw CommandFailure(error.description, code: 2)
        }
    }
}

/// Opens the treatment-room app: the protocol and theme are checked and the
/// terminal is checked before anything is drawn.
enum AppLauncher {
    static func launch(data: DataOptions, protocolOptions: ProtocolOptions, themeOptions: ThemeOptions, resume: String?,
                       training: Bool = false, lock: LockOptions, clinic: ClinicOptions) throws {
        let environment = ProcessInfo.processInfo.environment
        var (treatmentProtocol, protocolText) = try protocolOptions.load()
        if training {
            // The same protocol with every dwell minute lasting a second: a protocol of its own, kept by digest.
            protocolText = ProtocolFile.trainingText(of: protocolText)
            do {
                treatmentProtocol = try ProtocolFile.parse(protocolText, file: "training copy of " + (protocolOptions.protocolFile ?? "the embedded protocol"))
            } catch {
                throw CommandFailure(error.description, code: 2)
            }
        }
        let chosenTheme = try themeOptions.load()
        let store = data.store()
        var firstEffects: [Effect] = [.loadStart]
        var pendingResume: String?
        if let resume {
            let path = try locateResumable(resume, store: store)
            // Where staff accounts exist, the session opens after someone signs in.
            if try data.staff().hasAccounts { pendingResume = path } else { firstEffects = [.resumeSession(path: path)] }
        }
        // The clinic's copy runs beside the session, never in its way: a bad URL stops here, a database that
        // does not answer only shows as "offline" on the status bar.
        let copier = try clinic.address().map { address in
            ClinicCopier(address: address, directory: data.directory, workstation: try ClinicOptions.workstation(of: data))
        }
        let terminal = try openTerminal(environment: environment)
        copier?.start()
        defer { copier?.stop() }
        let theme = ThemeLibrary.effective(chosenTheme, environment: environment, depth: terminal.colorDepth)
        let performer = EffectPerformer(store: store, treatmentProtocol: treatmentProtocol, protocolText: protocolText,
                                        workstation: ProcessInfo.processInfo.hostName, clinicCopy: copier?.clinicCopyDirectory)
        var model = AppModel(size: terminal.size, glyphs: terminal.isUnicode ? .unicode : .ascii, now: store.clock.now(),
                             treatmentProtocol: treatmentProtocol)
        model.isTrainingMode = training
        model.lockAfter = Int64(lock.minutes) * 60_000
        model.pendingResume = pendingResume
        let runtime = AppRuntime(terminal: terminal, performer: performer, theme: theme, model: model, clinicCopy: copier)
        let exit = runtime.run(firstEffects: firstEffects)
        terminal.stop()
        if case let .signal(number) = exit {
            Output.error("stopped by signal \(number); every saved step is kept and the session can be resumed.")
            throw ExitCode(128 + number)
        }
    }

    /// The terminal, or exit 2 with why it cannot be used (no TTY, TERM unset, unknown or dumb).
    static func openTerminal(environment: [String: String]) throws -> NcursesTerminal {
        do {
            try NcursesTerminal.checkAvailable(environment: environment)
            return try NcursesTerminal(environment: environment)
        } catch {
            throw CommandFailure(error.description, code: 2)
        }
    }

    /// The session to resume: the one named, or the most recent unfinished one.
    static func locateResumable(_ reference: String, store: SessionStore) throws -> String {
        if !reference.isEmpty {
            let path: String
            do {
                path = try store.locate(reference)
            } catch {
                throw CommandFailure(error.description, code: 2)
            }
            // Said before the terminal is taken: a file that cannot be read is named here.
            let summary = SessionSummary(path: path)
            if let problem = summary.readError { throw CommandFailure("cannot resume: \(problem)", code: 2) }
            guard summary.isResumable else {
                throw CommandFailure("\(summary.fileName) is \(summary.status): only an unfinished session can be resumed "
                                     + "(a sealed one takes addenda from the start screen, or report and replay show it)", code: 1)
            }
            return path
        }
        let summaries = (try? SessionSummary.all(in: store.directory)) ?? []
        guard let path = summaries.reversed().first(where: \.isResumable)?.path else {
            throw CommandFailure("no unfinished session to resume in \(store.directory.path)", code: 1)
        }
        return path
    }
}

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Opens the treatment-room app (what trillium does with no subcommand).")

    @OptionGroup var data: DataOptions
    @OptionGroup var protocolOptions: ProtocolOptions
    @OptionGroup var themeOptions: ThemeOptions

    @OptionGroup var lock: LockOptions
    @OptionGroup var clinic: ClinicOptions
    @Flag(help: "Rehearsal: every session is a training session, every dwell minute lasts one second, under a TRAINING banner.")
    var training = false

    func run() throws {
        try AppLauncher.launch(data: data, protocolOptions: protocolOptions, themeOptions: themeOptions, resume: nil, training: training,
                               lock: lock, clinic: clinic)
    }
}

struct ResumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume", abstract: "Reopens an unfinished session where it was (the most recent if none is named).")

    @Argument(help: "A session file, its file name, or the start of its session id.")
    var session: String = ""

    @OptionGroup var data: DataOptions
    /// The resumed session keeps the protocol it was opened with; this one is for sessions started afterwards.
    @OptionGroup var protocolOptions: ProtocolOptions
    @OptionGroup var themeOptions: ThemeOptions
    @OptionGroup var lock: LockOptions
    @OptionGroup var clinic: ClinicOptions

    func run() throws {
        try AppLauncher.launch(data: data, protocolOptions: protocolOptions, themeOptions: themeOptions, resume: session, lock: lock,
                               clinic: clinic)
    }
}

struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Prints every screen's keys (from the same table the app uses).")

    func run() throws {
        Output.write(KeyMap.reference())
    }
}

struct ThemesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "themes", abstract: "Lists the bundled themes, or checks a theme file.",
        subcommands: [List.self, Check.self], defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Lists the bundled themes.")

        func run() throws {
            for name in BundledThemes.names {
                let theme = ThemeLibrary.bundled(name)
                Output.line("\(name.padding(toLength: 15, withPad: " ", startingAt: 0))\(theme.isDark ? "dark" : "light")")
            }
            Output.line("Use --theme NAME or --theme FILE. NO_COLOR, or a terminal without colours, gives mono.")
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check", abstract: "Validates a theme file: exit 0 valid (warnings allowed), 1 invalid, 2 unreadable.")

        @Argument(help: "The theme file (TOML).")
        var file: String

        func run() throws {
            let text = try readText(file)
            do {
                let loaded = try ThemeLibrary.load(file) { _ in text }
                for warning in loaded.warnings { Output.line("warning: \(warning)") }
                var low = 0
                for role in Role.allCases {
                    let style = loaded.theme.style(for: role)
                    if let ratio = style.foreground.contrast(with: style.background), ratio < 4.5 {
                        Output.line("warning: \(role.rawValue): contrast \(String(format: "%.2f", ratio)):1 is below 4.5:1")
                        low += 1
                    }
                }
                Output.line("\(file): valid theme \(loaded.theme.name)\(low > 0 ? ", \(low) roles below 4.5:1 contrast" : "")")
            } catch {
                Output.line("\(error)")
                throw ExitCode(1)
            }
        }
    }
}
