import ArgumentParser
import TrilliumServices

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "A patient's sessions over time: zones and depths, intervals, series, next due.")

    @Argument(help: "The patient reference.")
    var patient: String

    @OptionGroup var data: DataOptions

    func run() throws {
        do {
            let index = try SessionIndex(store: data.store())
            print(PatientHistory.render(index, patient: patient), terminator: "")
        } catch {
            fail(error.description, code: 2)
        }
    }
}

struct LotsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lots", abstract: "Every session that used a cartridge lot (for a manufacturer recall).")

    @Argument(help: "The cartridge lot.")
    var lot: String

    @OptionGroup var data: DataOptions

    func run() throws {
        do {
            let index = try SessionIndex(store: data.store())
            print(LotRecall.render(index, lot: lot), terminator: "")
        } catch {
            fail(error.description, code: 2)
        }
    }
}
