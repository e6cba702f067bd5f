import ArgumentParser
import TrilliumCore
import TrilliumServices
import TrilliumSettings

struct ProtocolCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "protocol",
        abstract: "Shows the protocol in force or checks a protocol file.",
        subcommands: [Show.self, Check.self])

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Prints the protocol in force.")

        @OptionGroup var protocolOptions: ProtocolOptions

        @Flag(help: "Print the exact TOML text instead of a summary.")
        var raw = false

        func run() throws {
            let (treatmentProtocol, text) = try protocolOptions.load()
            // The raw text exactly, byte for byte: saved, it has the digest in force.
            if raw { return Output.write(text) }
            let shown = ProtocolSummary.render(treatmentProtocol)
            Output.write(shown.hasSuffix("\n") ? shown : shown + "\n")
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validates a protocol file: exit 0 if valid, 1 if not, 2 if unreadable.")

        @Argument(help: "The protocol file (TOML).")
        var file: String

        func run() throws {
            let text = try readText(file)
            do {
                let p = try ProtocolFile.parse(text, file: file)
                Output.line("\(file): valid protocol \(p.id) \(p.version): \(p.zones.count) zones, \(p.anesthesia.agents.count) anesthetic agents, \(p.screening.count) screening questions; SHA-256 \(p.digest)")
            } catch {
                Output.line("\(error)")
                throw ExitCode(1)
            }
        }
    }
}

/// The protocol as a medical director reads it.
enum ProtocolSummary {
    static func render(_ p: TreatmentProtocol) -> String {
        var out = "\(p.title)\nid \(p.id), version \(p.version), SHA-256 \(p.digest)\n"
        out += "\nDevices (steps, maximum, evaluated maximum: a warning above it):\n"
        for device in p.devices {
            let limits = device.limits
            let name = device.isSingle ? "The device (model typed at intake)" : "\(device.model) [\(device.id)], \(device.kind.label)"
            out += "  \(name): steps of \(limits.depthStep), maximum \(limits.maximumDepth), evaluated \(limits.evaluatedMaximumDepth)"
                + (device.minimumAge.map { ", patients \($0) or over" } ?? "")
                + (device.directions.isEmpty ? "" : ", rolled \(device.directions.compactMap { p.direction($0)?.name }.joined(separator: ", "))") + "\n"
        }
        out += "Target passes per zone: \(p.targetPasses); directions: \(p.directions.map(\.name).joined(separator: ", ")); endpoints: \(p.endpoints.map(\.name).joined(separator: ", "))\n"
        out += "\nZones (range, default):\n"
        for zone in p.zones {
            out += "  \(zone.name): \(zone.minimumDepth.millimetreText)–\(zone.maximumDepth) (\(zone.defaultDepth))"
                + (zone.confirmation.map { "; confirm first: \($0)" } ?? "") + "\n"
        }
        out += "\nTopical anesthetics (minimum / maximum dwell, occlusion)\(p.anesthesia.allowsNone ? "; none allowed with a reason" : ""):\n"
        for agent in p.anesthesia.agents {
            out += "  \(agent.name): \(Durations.text(agent.minimumDwell)) / \(Durations.text(agent.maximumDwell)), occlusion \(agent.occlusion.rawValue)"
                + (agent.maximumAmount.map { ", at most \(Grams.text($0))" } ?? "") + (agent.maximumArea.map { " over \($0) cm²" } ?? "")
                + (agent.isCompounded ? ", COMPOUNDED (a warning)" : "")
                + (agent.excludedBy.isEmpty ? "" : "; ruled out by: \(agent.excludedBy.compactMap { p.question($0)?.text }.joined(separator: " "))") + "\n"
        }
        out += "\nScreening (a yes blocks unless overridden with a reason):\n"
        for q in p.screening {
            let rule = switch q.rule {
            case .absolute: " (absolute: never overridden)"
            case .relative: ""
            case .requiresProphylaxis: " (does not block; requires: \(q.prophylaxis ?? ""))"
            }
            out += "  \(q.text)" + rule + "\n"
        }
        for (title, items) in [("Preparation", p.preparation), ("After the anesthetic", p.antisepsis), ("Aftercare", p.aftercare)] {
            out += "\n\(title):\n" + items.map { "  [ ] \($0.text)\n" }.joined()
        }
        out += "\nFollow-up: every \(p.followUp.minimumWeeks)–\(p.followUp.maximumWeeks) weeks, a series of \(p.followUp.seriesMinimum)–\(p.followUp.seriesMaximum)"
            + (p.followUp.maintenanceMonths.map { ", then maintenance every \($0) months" } ?? "") + "\n"
        if let consultation = p.consultation {
            out += "\nConsultation: Fitzpatrick type, goals, age \(consultation.minimumAge) or over (or the device's minimum); concerns: "
                + consultation.concerns.map(\.name).joined(separator: ", ") + "\n"
        }
        if !p.products.isEmpty {
            out += "\nProducts:\n" + p.products.map { "  \($0.name)\($0.isApproved ? "" : " (NOT approved for microneedling: a reason and a warning)")\n" }.joined()
        }
        return out
    }
}
