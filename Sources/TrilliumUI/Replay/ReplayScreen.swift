import TrilliumCore
import TrilliumServices

/// The live app's screen as it stood at the record under the replay cursor:
/// an `AppModel` built from the folded state and drawn by `AppView`, the
/// very views the operator saw.
extension ReplayModel {
    /// The live app's reference size; replay draws its screens at this size
    /// whatever the terminal, so they look as they did in the treatment room.
    public static let screenSize = AppModel.minimumSize

    public var screenModel: AppModel {
        var model = AppModel(size: Self.screenSize, glyphs: glyphs, now: now, treatmentProtocol: state.treatmentProtocol)
        model.screen = .session
        model.session = SessionSnapshot(state: state, path: path, lastSavedSeq: record.seq, headDigest: digests[position])
        let (cursor, zoneCursor) = highlight(on: model.screenContext)
        model.cursor = cursor
        model.zoneCursor = zoneCursor
        model.dwellStage = model.dwellStageNow?.name
        return model
    }

    /// The screen's own rendering, at the live app's size.
    public var screenBuffer: Buffer {
        AppView.render(screenModel)
    }

    /// The list row and zone the operator was working on: the ones the
    /// record (or the latest record before it that names one) is about.
    func highlight(on context: KeyContext) -> (cursor: Int, zoneCursor: Int) {
        let p = state.treatmentProtocol
        /// The index of `id` in the list this screen shows, if the record is about that list.
        func index<Kind>(_ id: Identifier<Kind>, in list: KeyContext, _ ids: [Identifier<Kind>]) -> Int? {
            list == context ? ids.firstIndex(of: id) : nil
        }
        var cursor = 0
        var zoneCursor = 0
        var foundCursor = false
        var foundZone = false
        for record in replay.records[max(0, position - 200)...position].reversed() where !(foundCursor && foundZone) {
            switch record.event {
            case let .screeningAnswered(question, _), let .screeningOverridden(question, _, _), let .prophylaxisConfirmed(question):
                if !foundCursor, let found = index(question, in: .screening, p.screening.map(\.id)) { cursor = found; foundCursor = true }
            case let .preparationConfirmed(item, _):
                if !foundCursor, let found = index(item, in: .preparation, p.preparation.map(\.id)) { cursor = found; foundCursor = true }
            case let .antisepsisConfirmed(item):
                if !foundCursor, let found = index(item, in: .antisepsis, p.antisepsis.map(\.id)) { cursor = found; foundCursor = true }
            case let .aftercareConfirmed(item):
                if !foundCursor, let found = index(item, in: .aftercare, p.aftercare.map(\.id)) { cursor = found; foundCursor = true }
            case let .depthSet(zone, _, _), let .passRecorded(zone, _, _), let .endpointReached(zone, _),
                 let .zoneCompleted(zone), let .zoneSkipped(zone, _):
                if !foundZone, let index = state.plannedZones.firstIndex(where: { $0.id == zone }) { zoneCursor = index; foundZone = true }
            default: break
            }
        }
        return (cursor, zoneCursor)
    }
}
