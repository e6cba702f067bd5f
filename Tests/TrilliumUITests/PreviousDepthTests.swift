import Foundation
import Testing
import TrilliumCore
import TrilliumLog
import TrilliumRuntime
import TrilliumServices
import TrilliumSettings
import TrilliumUI

/// The treatment screen shows the depth each zone had at this patient's
/// earlier sessions: read from their logs, and from no one else's.
@Suite("Previous depths")
struct PreviousDepthTests {
    @Test func depthsComeFromThisPatientsEarlierSessionsOnly() throws {
        let root = NSTemporaryDirectory() + "trillium-depths-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let directory = DataDirectory(path: root)
        let paths = try SampleGenerator(sessionCount: 12, seed: 31).write(into: directory)
        let store = SessionStore(directory: directory, appVersion: "test")
        let performer = EffectPerformer(store: store, treatmentProtocol: ProtocolFile.defaultProtocol(),
                                        protocolText: DefaultProtocol.text, workstation: "test")
        let sessions = try paths.map { try store.load(path: $0) }
        let patients = sessions.compactMap { $0.state?.opening?.patientReference }
        // A patient with an earlier session, and the latest of theirs.
        let returning = try #require(patients.first { patient in patients.filter { $0 == patient }.count >= 2 })
        let theirs = paths.indices.filter { patients[$0] == returning }
        let latest = theirs.last!

        var expected: [ZoneID: PreviousDepth] = [:]
        for index in theirs.dropLast() {
            let state = try #require(sessions[index].state)
            let date = Times.date(try #require(state.openedAt))
            for zone in state.plannedZones {
                if let depth = state.progress(of: zone.id).depth { expected[zone.id] = PreviousDepth(depth: depth, date: date) }
            }
        }
        #expect(!expected.isEmpty)
        #expect(performer.earlierSessions(of: returning, excluding: paths[latest]).depths == expected)
        #expect(performer.earlierSessions(of: "P-NOBODY", excluding: paths[latest]).depths.isEmpty)
    }

    /// Accounts made in another terminal while the app waited on intake: the
    /// session it then opens would be nobody's, so it is not opened.
    @Test func noSessionIsOpenedWithoutAnAccountOnceAccountsExist() throws {
        let root = NSTemporaryDirectory() + "trillium-accounts-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let directory = DataDirectory(path: root)
        try directory.prepare()
        let store = SessionStore(directory: directory, appVersion: "test")
        let performer = EffectPerformer(store: store, treatmentProtocol: ProtocolFile.defaultProtocol(),
                                        protocolText: DefaultProtocol.text, workstation: "test")
        let intake = Intake(patientReference: "P-1", operatorName: "Op", workstation: "",
                            device: DeviceIdentity(model: "SkinPen Precision", serial: "S1", profile: "skinpen"),
                            cartridge: Cartridge(lot: "L1", expiry: "2099-05"), plannedZones: ["forehead"], isTraining: false)
        try StaffDirectory(directory: directory, workstation: "test", appVersion: "test")
            .createFirstAdministrator(id: "ada", name: "Ada Admin", pin: "admin-pin")
        let refused = performer.perform(.openSession(intake))
        guard case let .openFailed(reason)? = refused.first else { Issue.record("opened: \(refused)"); return }
        #expect(reason.contains("sign in to open a session"))
        #expect(try DataDirectory.logFiles(in: root).isEmpty, "no log was written")
    }
}
