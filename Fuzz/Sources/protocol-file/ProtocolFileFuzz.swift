import TrilliumCore
import TrilliumSettings

// Proves: ProtocolFile.parse, which reads a clinic's protocol file (TOML,
// through TOMLKit) before any session starts, refuses a bad file with a
// SettingsFileError and never traps, crashes or corrupts memory, whatever the
// text; and that a protocol it accepts can be used: every zone, depth,
// agent and checklist item can be read and described.
// Input: the bytes as UTF-8 (invalid sequences become U+FFFD, as a reader
// using String(decoding:as:) would see them).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do {
        let proto = try ProtocolFile.parse(text, file: "fuzz.toml")
        var sink = proto.id.count + proto.title.count + proto.digest.count + proto.targetPasses
        precondition(!proto.devices.isEmpty, "an accepted protocol has a device")
        for device in proto.devices {
            sink &+= device.model.count + device.limits.depthStep.description.count
            sink &+= device.limits.maximumDepth.description.count + device.limits.evaluatedMaximumDepth.millimetreText.count
            precondition(device.limits.evaluatedMaximumDepth <= device.limits.maximumDepth)
            for direction in device.directions { precondition(proto.direction(direction) != nil, "a device rolls in an unknown direction") }
            for zone in proto.zones {
                // Every zone's default can be shown on every device's steps without trapping.
                sink &+= zone.defaultDepth(on: device.limits).micrometres
            }
        }
        for zone in proto.zones {
            sink &+= zone.minimumDepth.description.count + zone.maximumDepth.description.count
            sink &+= zone.defaultDepth.description.count + (zone.confirmation?.count ?? 0)
            precondition(zone.allows(zone.defaultDepth), "an accepted zone refuses its own default depth")
            precondition(proto.zone(zone.id) != nil)
        }
        for agent in proto.anesthesia.agents {
            precondition(agent.minimumDwell <= agent.maximumDwell)
            precondition(!agent.isCompounded || proto.anesthesia.allowsCompounded, "a compounded agent where none is allowed")
            for question in agent.excludedBy { precondition(proto.question(question) != nil, "an agent excluded by an unknown question") }
            sink &+= agent.name.count + Grams.text(agent.maximumAmount ?? 0).count + (agent.maximumArea ?? 0)
        }
        for concern in proto.consultation?.concerns ?? [] { sink &+= concern.name.count }
        for product in proto.products { sink &+= product.name.count }
        sink &+= proto.followUp.maintenanceMonths.map { CivilDate.adding(months: $0, to: 20_000) } ?? 0
        for direction in proto.directions { sink &+= direction.symbol.count + direction.asciiSymbol.count }
        for question in proto.screening { sink &+= question.text.count + (question.prophylaxis?.count ?? 0) }
        for item in proto.preparation + proto.antisepsis + proto.aftercare { sink &+= item.text.count }
        sink &+= proto.followUp.minimumWeeks &+ proto.followUp.seriesMaximum
        if sink == -1 { print(sink) }
    } catch {
        _ = error.description.count
    }
    return 0
}
