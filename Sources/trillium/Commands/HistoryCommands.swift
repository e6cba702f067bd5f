import ArgumentParser
import TrilliumServices

extension DataOptions {
    /// The sessions `select` finds, or exit 2 if the directory cannot be read.
    func sessionIndex(_ select: (SessionStore) throws(StoreError) -> SessionIndex) throws -> SessionIndex {
        do {
            return try select(store())
        } catch {
            throw CommandFailure(error.description, code: 2)
        }
    }
}

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "A patient's sessions over time: zones and depths, intervals, series, next due.")

    @Argument(help: "The patient reference.")
    var patient: String

    @Flag(help: "Include training sessions (rehearsals, left out by default).")
    var includeTraining = false

    @OptionGroup var data: DataOptions
    @OptionGroup var clinic: ClinicOptions

    func validate() throws {
        guard !patient.allSatisfy(\.isWhitespace) else { throw ValidationError("Name the patient reference.") }
    }

    func run() throws {
        let view = try clinic.view(of: self.data)
        let data = view.data
        let index = try data.sessionIndex { store throws(StoreError) in try SessionIndex(store: store, patient: patient) }
        Output.write(PatientHistory.render(index, patient: patient, includingTraining: includeTraining))
        // A log that could not be read fully may hide a session: a finding, not a clean answer.
        if !index.problems.isEmpty || !view.isClean { throw ExitCode(1) }
    }
}

struct LotsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lots", abstract: "Every session that used a lot: cartridge or roller, anesthetic, product (for a manufacturer recall).")

    @Argument(help: "The lot (any case).")
    var lot: String

    @Flag(help: "Include training sessions (rehearsals, left out by default).")
    var includeTraining = false

    @OptionGroup var data: DataOptions
    @OptionGroup var clinic: ClinicOptions

    func validate() throws {
        guard !lot.allSatisfy(\.isWhitespace) else { throw ValidationError("Name the lot.") }
    }

    func run() throws {
        let view = try clinic.view(of: self.data)
        let data = view.data
        let index = try data.sessionIndex { store throws(StoreError) in try SessionIndex(store: store, lot: lot) }
        Output.write(LotRecall.render(index, lot: lot, includingTraining: includeTraining))
        if !index.problems.isEmpty || !view.isClean { throw ExitCode(1) }
    }
}
