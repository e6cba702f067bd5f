import TrilliumCore
import TrilliumLog
import TrilliumServices
import TrilliumUI

/// Carries out the UI's effects against the data directory and reports each
/// outcome as a message. It holds the one open session's recorder.
public final class EffectPerformer {
    public let store: SessionStore
    public let treatmentProtocol: TreatmentProtocol
    public let protocolText: String
    public let workstation: String
    public private(set) var recorder: SessionRecorder?

    public init(store: SessionStore, treatmentProtocol: TreatmentProtocol, protocolText: String, workstation: String) {
        self.store = store
        self.treatmentProtocol = treatmentProtocol
        self.protocolText = protocolText
        self.workstation = workstation
    }

    /// Performs `effect`; the messages it returns go back into `update`.
    public func perform(_ effect: Effect) -> [AppMessage] {
        switch effect {
        case .loadStart:
            return [.startLoaded(startData())]
        case var .openSession(intake):
            intake.workstation = workstation
            do {
                let opened = try store.open(intake, treatmentProtocol: treatmentProtocol, protocolText: protocolText)
                recorder = opened
                return [.sessionReady(snapshot(opened), previousDepths: previousDepths(for: intake.patientReference, excluding: opened.path))]
            } catch {
                return [.openFailed(error.description)]
            }
        case let .resumeSession(path):
            do {
                let resumed = try store.resume(path: path)
                recorder = resumed
                let patient = resumed.state.opening?.patientReference ?? ""
                return [.sessionReady(snapshot(resumed), previousDepths: previousDepths(for: patient, excluding: path))]
            } catch {
                return [.openFailed("Cannot resume: \(error.description)")]
            }
        case let .record(event):
            guard let recorder else { return [.refused("No session is open.")] }
            do {
                try recorder.record(event)
                return [.recorded(snapshot(recorder))]
            } catch {
                return [outcome(of: error, recorder)]
            }
        case let .removeAnesthetic(reason):
            guard let recorder else { return [.refused("No session is open.")] }
            do {
                try recorder.removeAnesthetic(earlyRemovalReason: reason)
                return [.recorded(snapshot(recorder))]
            } catch {
                return [outcome(of: error, recorder)]
            }
        case .closeSession:
            recorder?.close()
            recorder = nil
            return []
        case .bell, .quit:
            return []
        }
    }

    private func outcome(of error: RecordingError, _ recorder: SessionRecorder) -> AppMessage {
        switch error {
        case let .refused(refusal):
            return .refused(refusal.description)
        case let .notSaved(failure):
            return .saveFailed(snapshot(recorder, readOnly: failure.description), failure.description)
        }
    }

    public func snapshot(_ recorder: SessionRecorder, readOnly: String? = nil) -> SessionSnapshot {
        var reason = readOnly
        if reason == nil, let failure = recorder.writer.failure {
            reason = LogWriteError.stopped(failure, lastSavedSeq: recorder.lastSavedSeq).description
        }
        return SessionSnapshot(state: recorder.state, path: recorder.path, lastSavedSeq: recorder.lastSavedSeq,
                               headDigest: recorder.writer.headDigest, readOnlyReason: reason,
                               recentRecords: recorder.recentRecords)
    }

    /// The start screen: unfinished sessions to resume, today's sessions, and
    /// the last operator and device to prefill intake.
    public func startData() -> StartData {
        var data = StartData()
        let listings: [LogIndex.Listing]
        do {
            listings = try LogIndex.listing(of: store.directory.path).logs
        } catch {
            // A data directory that does not exist yet simply has no sessions.
            return data
        }
        let today = CivilDate.daysSinceEpoch(wallMilliseconds: store.clock.now().wallMilliseconds)
        // The operator and device of the latest session are offered again.
        for listing in listings.reversed() {
            guard let opening = SessionSummary(listing).opening else { continue }
            data.lastOperator = opening.operatorName
            data.lastDevice = opening.device
            break
        }
        for listing in listings {
            // Years of sealed, valid sessions from other days show nothing here: they are not decoded.
            if let glance = listing.glance, case let .valid(condition) = glance.status,
               condition != .open || glance.lastPhaseMarker.isSealed,
               glance.startedWallMilliseconds.map({ CivilDate.daysSinceEpoch(wallMilliseconds: $0) }) != today {
                continue
            }
            let summary = SessionSummary(listing)
            let path = summary.path
            guard let verification = summary.verification else {
                data.unreadable.append("\(summary.fileName): \(summary.status)")
                continue
            }
            if case .corrupt = verification.status { data.unreadable.append("\(summary.fileName): \(summary.status), not resumable") }
            if summary.isResumable {
                let age = verification.lastStamp.map { Self.age(store.clock.now().elapsed(since: $0)) } ?? ""
                data.resumable.append(StartEntry(kind: .resume(path: path),
                    label: "Resume \(summary.patient) · \(summary.operatorName) · \(summary.phase) · last saved \(age) ago"
                        + (verification.status.isValid ? "" : " · torn tail will be repaired")))
            }
            if let first = verification.firstStamp, CivilDate.daysSinceEpoch(wallMilliseconds: first.wallMilliseconds) == today {
                data.today.append("\(Times.minute(first))  \(summary.patient)  \(summary.operatorName)  \(summary.phase)  \(summary.status)")
            }
        }
        data.resumable.reverse()  // the most recent first
        return data
    }

    static func age(_ milliseconds: Int64) -> String {
        let minutes = max(0, milliseconds) / 60_000
        if minutes < 60 { return "\(minutes) min" }
        if minutes < 48 * 60 { return "\(minutes / 60) h" }
        return "\(minutes / (24 * 60)) days"
    }

    /// The depths used on this patient's zones in their most recent earlier session.
    public func previousDepths(for patient: String, excluding path: String) -> [ZoneID: PreviousDepth] {
        guard !patient.isEmpty, let listings = try? LogIndex.listing(of: store.directory.path).logs else { return [:] }
        var result: [ZoneID: PreviousDepth] = [:]
        for listing in listings where listing.path != path && listing.mightMention(patient, caseInsensitive: false) {
            // The index says whose session it is; only this patient's logs are read in full.
            let summary = SessionSummary(listing)
            guard summary.opening?.patientReference == patient,
                  let loaded = try? store.load(path: summary.path), let state = loaded.state, let openedAt = state.openedAt else { continue }
            let date = Times.date(openedAt)
            for zone in state.plannedZones {
                if let depth = state.progress(of: zone.id).depth { result[zone.id] = PreviousDepth(depth: depth, date: date) }
            }
        }
        return result
    }
}
