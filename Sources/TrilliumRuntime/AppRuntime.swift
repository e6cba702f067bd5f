import TrilliumCore
import TrilliumServices
import TrilliumTerminal
import TrilliumUI

/// The event loop: draw when the screen changed, wait for a key or the next
/// tick, update, perform the effects and feed their outcomes back.
public final class AppRuntime {
    public enum Exit: Equatable {
        case quit
        case signal(Int32)
    }

    private let terminal: Terminal
    private let performer: EffectPerformer
    private let theme: Theme
    /// The background copy to the clinic's database, where there is one.
    private let clinicCopy: ClinicCopying?
    public private(set) var model: AppModel
    private var lastDrawn: Buffer?

    public init(terminal: Terminal, performer: EffectPerformer, theme: Theme, model: AppModel, clinicCopy: ClinicCopying? = nil) {
        self.clinicCopy = clinicCopy
        self.terminal = terminal
        self.performer = performer
        self.theme = theme
        self.model = model
    }

    /// Runs until the operator quits or a quit signal arrives; the session is
    /// closed (and stays resumable) either way.
    public func run(firstEffects: [Effect]) -> Exit {
        defer { _ = performer.perform(.closeSession) }
        if perform(firstEffects) { return .quit }
        while true {
            noteClinicCopy()
            send(.tick(performer.store.clock.now()))
            let frame = AppView.render(model)
            if frame != lastDrawn {
                terminal.draw(frame, theme: theme)
                lastDrawn = frame
            }
            // A running dwell timer redraws four times a second; otherwise once a second for the session clock.
            let timeout = model.dwellStageNow == nil ? 1000 : 250
            let exit = terminal.drainEvents(timeout: timeout) { event in
                switch event {
                case let .key(key): send(.key(key))
                case let .resized(size): send(.resized(size))
                case .timeout, .quitSignal: false
                }
            }
            if let exit { return exit }
        }
    }

    /// Tells the copier what is durable (it copies on its own task) and shows how the copy stands.
    private func noteClinicCopy() {
        guard let clinicCopy else { return }
        let recorder = performer.recorder
        if let recorder, recorder.lastSavedSeq > 0 { clinicCopy.logIsDurable(recorder.path, through: recorder.lastSavedSeq) }
        let status = clinicCopy.status(of: recorder?.path)
        if status != model.clinicCopy { send(.clinicCopyChanged(status)) }
    }

    /// Sends a message through `update` and performs its effects; true when one of them was quit.
    @discardableResult
    private func send(_ message: AppMessage) -> Bool {
        let (next, effects) = AppUpdate.update(model, message)
        model = next
        return perform(effects)
    }

    private func perform(_ effects: [Effect]) -> Bool {
        for effect in effects {
            switch effect {
            case .quit:
                return true
            case .bell:
                terminal.bell()
            default:
                for message in performer.perform(effect) where send(message) {
                    return true
                }
            }
        }
        return false
    }
}
