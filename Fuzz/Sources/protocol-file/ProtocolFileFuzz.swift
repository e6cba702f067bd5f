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
        sink &+= proto.device.depthStep.description.count
        sink &+= proto.device.maximumDepth.description.count
        sink &+= proto.device.evaluatedMaximumDepth.millimetreText.count
        for zone in proto.zones {
            sink &+= zone.minimumDepth.description.count + zone.maximumDepth.description.count
            sink &+= zone.defaultDepth.description.count
            precondition(zone.allows(zone.defaultDepth), "an accepted zone refuses its own default depth")
            precondition(proto.zone(zone.id) != nil)
        }
        for agent in proto.anesthesia.agents {
            precondition(agent.minimumDwell <= agent.maximumDwell)
            sink &+= agent.name.count
        }
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
