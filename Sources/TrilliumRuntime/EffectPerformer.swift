import TrilliumCore
import TrilliumIdentity
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
    /// The staff accounts and the access log.
    public let staff: StaffDirectory
    /// The person signed in, as the staff log says: the signer of their sign-off.
    private var signedIn: StaffAccount?

    /// Every room's sessions as the clinic's database last gave them (kept by the background copy), where there is one.
    private let clinicCopy: DataDirectory?

    public init(store: SessionStore, treatmentProtocol: TreatmentProtocol, protocolText: String, workstation: String,
                staff: StaffDirectory? = nil, clinicCopy: DataDirectory? = nil) {
        self.clinicCopy = clinicCopy
        self.store = store
        self.treatmentProtocol = treatmentProtocol
        self.protocolText = protocolText
        self.workstation = workstation
        self.staff = staff ?? StaffDirectory(directory: store.directory, clock: store.clock, workstation: workstation, appVersion: store.appVersion)
    }

    /// Performs `effect`; the messages it returns go back into `update`.
    public func perform(_ effect: Effect) -> [AppMessage] {
        switch effect {
        case .loadStart:
            return [.startLoaded(startData())]
        case var .openSession(intake):
            intake.workstation = workstation
            // Accounts made (in another terminal) since this screen was shown: from now on a session is a signed-in person's.
            if intake.operatorID == nil && staff.hasAccounts {
                return [.openFailed("Staff accounts now exist on this workstation: sign in to open a session (quit and start Trillium again).")]
            }
            do {
                let opened = try store.open(intake, treatmentProtocol: treatmentProtocol, protocolText: protocolText)
                recorder = opened
                let earlier = earlierSessions(of: intake.patientReference, excluding: opened.path)
                return [.sessionReady(snapshot(opened), previousDepths: earlier.depths, series: earlier.series)]
            } catch {
                return [.openFailed(error.description)]
            }
        case let .resumeSession(path):
            do {
                let resumed = try store.resume(path: path)
                recorder = resumed
                // Resumed by someone other than who ran it: the hand-over is a record.
                if let account = signedIn, resumed.state.isAttributed, !resumed.state.phase.isSealed, resumed.operatorName != account.id.rawValue {
                    do {
                        try resumed.record(.handedOver(HandOver(from: resumed.operatorName, to: account.id, toName: account.name)),
                                           by: account.id.rawValue)
                    } catch {
                        resumed.close()
                        recorder = nil
                        return [.openFailed("Cannot take the session over: \(error.description)")]
                    }
                }
                let patient = resumed.state.opening?.patientReference ?? ""
                let earlier = earlierSessions(of: patient, excluding: path, before: resumed.state.openedAt)
                return [.sessionReady(snapshot(resumed), previousDepths: earlier.depths, series: earlier.series)]
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
        case let .signIn(id, pin, unlocking):
            return signIn(id, pin: pin, unlocking: unlocking)
        case .signOut:
            if let user = signedIn { try? staff.recordAccess(.signedOut(user: user.id), by: user.id) }
            signedIn = nil
            return []
        case .lockScreen:
            if let user = signedIn { try? staff.recordAccess(.screenLocked(user: user.id), by: user.id) }
            return []
        case let .authoriseOverride(question, reason, director, pin):
            guard let recorder else { return [.refused("No session is open.")] }
            let account: StaffAccount
            do {
                account = try staff.authenticate(director, pin: pin, requiring: .director)
            } catch {
                return [.signInRefused("Not authorised: \(error.description)")]
            }
            guard account.id.rawValue != recorder.operatorName else {
                return [.signInRefused("The operator cannot authorise their own override: another director must.")]
            }
            return record(.screeningOverridden(question: question, reason: reason, authorisedBy: account.id))
        case let .cosign(path, pin):
            guard let user = signedIn else { return [.refused("Sign in first.")] }
            do {
                let (record, director, _) = try SessionSigning.cosign(sessionAt: path, in: store, staff: staff, director: user.id.rawValue, pin: pin)
                return [.startLoaded(startData()), .coSigned("Co-signed as record #\(record.seq): reviewed by \(director.name).")]
            } catch {
                return [.signInRefused("Not co-signed: \(error.description)")]
            }
        case let .signOff(pin):
            guard let recorder, let user = signedIn else { return [.refused("No session is open.")] }
            let signer: StaffAccount
            do {
                signer = try staff.authenticate(user.id.rawValue, pin: pin)
            } catch {
                return [.signInRefused("Not signed: \(error.description)")]
            }
            do {
                let key = try WorkstationKey.loadOrCreate(in: store.directory)
                try SessionSigning(key: key).signOff(recorder, by: signer, attestation: SessionSigning.attestation(by: signer))
                return [.recorded(snapshot(recorder))]
            } catch let error as RecordingError {
                return [outcome(of: error, recorder)]
            } catch {
                return [.refused("The workstation's signing key is unavailable: \(error)")]
            }
        }
    }

    private func record(_ event: SessionEvent) -> [AppMessage] {
        guard let recorder else { return [.refused("No session is open.")] }
        do {
            try recorder.record(event)
            return [.recorded(snapshot(recorder))]
        } catch {
            return [outcome(of: error, recorder)]
        }
    }

    /// Checks the PIN against the staff log (every attempt goes to the
    /// access log); unlocking as someone else hands them the open session.
    private func signIn(_ id: String, pin: String, unlocking: Bool) -> [AppMessage] {
        let account: StaffAccount
        do {
            account = try staff.authenticate(id, pin: pin, recording: { unlocking && $0 == self.signedIn?.id ? .screenUnlocked(user: $0) : .signedIn(user: $0) })
        } catch {
            return [.signInRefused(error.description)]
        }
        var messages: [AppMessage] = []
        if let recorder, recorder.state.isAttributed, !recorder.state.phase.isSealed, recorder.operatorName != account.id.rawValue {
            guard account.roles.contains(.operator) else {
                return [.signInRefused("\(account.name) is not an operator and cannot take over the session.")]
            }
            let handOver = HandOver(from: recorder.operatorName, to: account.id, toName: account.name)
            // Made by the person taking over, signed in just now.
            do {
                try recorder.record(.handedOver(handOver), by: account.id.rawValue)
                messages.append(.recorded(snapshot(recorder)))
            } catch {
                messages.append(outcome(of: error, recorder))
            }
        }
        signedIn = account
        return [.signedIn(SignedInUser(id: account.id, name: account.name, roles: account.roles))] + messages
    }

    private func outcome(of error: RecordingError, _ recorder: SessionRecorder) -> AppMessage {
        switch error {
        case let .refused(refusal):
            return .refused(refusal.description)
        case let .notSaved(failure) where failure.isRefusalOfTheRecord && !recorder.isReadOnly:
            // Nothing was written and the log goes on: said, not a reason to stop the session.
            return .refused(failure.description)
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
    ///
    /// Where staff accounts exist and nobody is signed in, the sign-in screen
    /// comes first and shows nothing of the sessions: the logs are listed
    /// once someone has signed in, so a clinic's morning start does not wait
    /// on years of logs (nor lists them for a screen that would not show them).
    public func startData() -> StartData {
        var data = StartData()
        data.hasStaffAccounts = staff.hasAccounts
        if data.hasStaffAccounts && signedIn == nil { return data }
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
        // Years of sealed, valid sessions from other days show nothing here:
        // they are passed over on both cores by their glance, not decoded.
        let shown = BothCores.map(listings) { listing -> Bool in
            guard let glance = listing.glance, case let .valid(condition) = glance.status,
                  condition != .open || glance.lastPhaseMarker.isSealed else { return true }
            return glance.startedWallMilliseconds.map { CivilDate.daysSinceEpoch(wallMilliseconds: $0) } == today
        }
        for (listing, isShown) in zip(listings, shown) where isShown {
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
                    label: "Resume \(summary.patient)\(anestheticOn(path, phase: verification.lastPhaseMarker)) · \(summary.operatorName) · "
                        + "\(summary.phase) · last saved \(age) ago" + (verification.status.isValid ? "" : " · torn tail will be repaired")))
            }
            if let first = verification.firstStamp, CivilDate.daysSinceEpoch(wallMilliseconds: first.wallMilliseconds) == today {
                // Its state before the names, which a narrow screen cuts first; a sealed one's phase says it twice.
                let sealed = summary.row?.glance.lastPhaseMarker.isSealed == true
                let state = sealed ? summary.status : "\(summary.status) · \(summary.phase)"
                data.today.append("\(Times.minute(first))  \(state)  \(summary.patient)  \(summary.operatorName)")
            }
        }
        data.resumable.reverse()  // the most recent first
        if let director = signedIn, director.holds(.director) {
            data.awaitingReview = awaitingReview(by: director, in: listings)
        }
        return data
    }

    /// Signed sessions of the last two weeks, opened by an account, that no
    /// director has co-signed and `director` did not sign: the director's to
    /// review. Only these few are read; the years before are passed over.
    func awaitingReview(by director: StaffAccount, in listings: [LogIndex.Listing]) -> [StartEntry] {
        let since = store.clock.now().wallMilliseconds - 14 * 86_400_000
        var entries: [StartEntry] = []
        for listing in listings.reversed() {
            guard let glance = listing.glance, case .valid(.signed) = glance.status,
                  let started = glance.startedWallMilliseconds, started >= since,
                  let verification = try? LogReader.verify(path: listing.path),
                  let opening = verification.opening, opening.operatorID != nil,
                  let signOff = verification.signatures.first(where: { $0.kind == .signed }),
                  signOff.signature.signer != director.id,
                  !verification.signatures.contains(where: { $0.kind == .cosigned }),
                  let signedAt = verification.firstStamp else { continue }
            // What the director signs as reviewed is shown with it: only these few sessions are folded.
            let details = (try? store.load(path: listing.path).state).map(ReviewSummary.lines)
                ?? ["Its protocol is not in the data directory: read the report before co-signing."]
            entries.append(StartEntry(kind: .review(path: listing.path),
                                      label: "Review \(opening.patientReference) · signed by \(signOff.signature.signerName) · session of \(Times.dateTime(signedAt))",
                                      details: details))
        }
        return entries
    }

    /// " · ANESTHETIC ON 34 min" for an unfinished session whose anesthetic
    /// was applied and never recorded as removed: its time on the skin runs
    /// on while the app is closed, and is said before anything a narrow
    /// screen would cut. Only sessions left in the anesthesia phase are folded.
    func anestheticOn(_ path: String, phase: SessionPhase) -> String {
        guard phase == .anesthesia, let state = try? store.load(path: path).state, let course = state.anesthetic, course.isOn,
              let dwell = course.dwell(at: store.clock.now()) else { return "" }
        return " · ANESTHETIC ON \(Self.age(dwell))"
    }

    static func age(_ milliseconds: Int64) -> String {
        let minutes = max(0, milliseconds) / 60_000
        if minutes < 60 { return "\(minutes) min" }
        if minutes < 48 * 60 { return "\(minutes / 60) h" }
        return "\(minutes / (24 * 60)) days"
    }

    /// This patient's earlier sessions here, and in the other rooms where the
    /// clinic has a database: the depths of the most recent on each zone, and
    /// the series so far (signed treatments, training left out, and the day of
    /// the last), for the consultation and aftercare.
    public func earlierSessions(of patient: String, excluding path: String, before: EventStamp? = nil)
        -> (depths: [ZoneID: PreviousDepth], series: PatientSeries) {
        var depths: [ZoneID: PreviousDepth] = [:]
        var series = PatientSeries()
        guard !patient.isEmpty else { return (depths, series) }
        let excluded = try? LogReader.verify(path: path).opening?.sessionID
        var seen: Set<String> = excluded.map { [$0] } ?? []
        var sessions: [SessionState] = []
        // This room's files first: a session also in the clinic's copy is taken once, from here.
        let mention = LogIndex.Mention(patient, caseInsensitive: false)
        for directory in [store.directory] + (clinicCopy.map { [$0] } ?? []) {
            guard let listings = try? LogIndex.listing(of: directory.path).logs else { continue }
            // The entry is searched before the path is made: 25,000 of them are passed over.
            for listing in listings where listing.mightMention(mention) && listing.path != path {
                // The index says whose session it is; only this patient's logs are read in full.
                let summary = SessionSummary(listing)
                guard let opening = summary.opening, opening.patientReference == patient, seen.insert(opening.sessionID).inserted,
                      let loaded = try? store.load(path: summary.path), let state = loaded.state, let openedAt = state.openedAt,
                      before.map({ openedAt.wallMilliseconds < $0.wallMilliseconds }) ?? true else { continue }
                sessions.append(state)
            }
        }
        for state in sessions.sorted(by: { ($0.openedAt?.wallMilliseconds ?? 0) < ($1.openedAt?.wallMilliseconds ?? 0) }) {
            guard let openedAt = state.openedAt else { continue }
            let date = Times.date(openedAt)
            for zone in state.plannedZones {
                if let depth = state.progress(of: zone.id).depth { depths[zone.id] = PreviousDepth(depth: depth, date: date) }
            }
            if state.phase == .signed, state.opening?.isTraining == false {
                series.treatments += 1
                series.lastTreatedDay = CivilDate.daysSinceEpoch(wallMilliseconds: openedAt.wallMilliseconds)
            }
        }
        return (depths, series)
    }
}
