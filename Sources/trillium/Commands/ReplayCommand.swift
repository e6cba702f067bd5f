import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import TrilliumCore
import TrilliumLog
import TrilliumRuntime
import TrilliumServices
import TrilliumTerminal
import TrilliumUI

struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replays a session's log in the terminal, read-only: its timeline beside its screens as they were.",
        discussion: "Exit status: 0 after a valid log, 1 after a torn or corrupt one (replayed up to its last valid record) or one whose signature does not check out, 2 when it cannot be read.")

    @Argument(help: "A session file, its file name in the data directory, or the start of its session id.")
    var session: String

    @OptionGroup var data: DataOptions
    @OptionGroup var clinic: ClinicOptions
    @OptionGroup var themeOptions: ThemeOptions

    func run() throws {
        let view = try clinic.view(of: self.data)
        let data = view.data
        let environment = ProcessInfo.processInfo.environment
        let store = data.store()
        let path: String
        let log: ReplayLog
        do {
            path = try store.locate(session)
            log = try store.readForReplay(path: path)
        } catch {
            throw CommandFailure(error.description, code: 2)
        }
        let verification = log.verification
        guard let opening = verification.opening, log.count > 0 else {
            throw CommandFailure("\(path): nothing to replay: \(verification.summary)", code: 1)
        }
        let treatmentProtocol: TreatmentProtocol
        do {
            treatmentProtocol = try store.loadProtocol(digest: opening.protocolReference.digest, forLogAt: path)
        } catch {
            throw CommandFailure("\(path): \(error)", code: 2)
        }
        let chosenTheme = try themeOptions.load()
        let replay = SessionReplay(records: log, treatmentProtocol: treatmentProtocol)
        if let refusal = replay.refusal, replay.count == 0 {
            // Not even the opening follows (no planned zones, an unknown zone…): no screen can be shown.
            throw CommandFailure("\(path): nothing to replay: record \(refusal.seq) does not follow: \(refusal.error)", code: 1)
        }
        let signatureProblems = store.signatureProblems(of: verification)
        let terminal = try AppLauncher.openTerminal(environment: environment)
        let model = ReplayModel(
            replay: replay, digests: log.digests, path: path,
            integrity: ReplayIntegrity(verification: verification, replay: replay, signatureProblems: signatureProblems),
            size: terminal.size, glyphs: terminal.isUnicode ? .unicode : .ascii)
        let theme = ThemeLibrary.effective(chosenTheme, environment: environment, depth: terminal.colorDepth)
        let runtime = ReplayRuntime(terminal: terminal, theme: theme, model: model, monotonicNow: Self.monotonicNanoseconds)
        let exit = runtime.run()
        terminal.stop()
        if case let .signal(number) = exit { throw ExitCode(128 + number) }
        if !verification.status.isValid || replay.refusal != nil || !signatureProblems.isEmpty { throw ExitCode(1) }
    }

    static func monotonicNanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }
}
