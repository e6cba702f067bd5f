#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization
import TrilliumCore
import TrilliumLog
import TrilliumSettings

/// What a person enters at intake; the store turns it into `session.opened`.
public struct Intake: Sendable, Equatable {
    public var patientReference: String
    public var operatorName: String
    public var workstation: String
    public var device: DeviceIdentity
    public var cartridge: Cartridge
    public var plannedZones: [ZoneID]
    public var isTraining: Bool
    /// The signed-in account opening the session; nil only where no staff accounts exist.
    public var operatorID: StaffID?

    public init(
        patientReference: String, operatorName: String, workstation: String, device: DeviceIdentity,
        cartridge: Cartridge, plannedZones: [ZoneID], isTraining: Bool, operatorID: StaffID? = nil
    ) {
        self.operatorID = operatorID
        self.patientReference = patientReference
        self.operatorName = operatorName
        self.workstation = workstation
        self.device = device
        self.cartridge = cartridge
        self.plannedZones = plannedZones
        self.isTraining = isTraining
    }
}

public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    case dataDirectory(FileError)
    case refused(SessionError)
    case notSaved(LogWriteError)
    case resume(ResumeError)
    case unreadable(path: String, reason: String)
    case protocolUnavailable(digest: String)
    case protocolInvalid(SettingsFileError)
    /// The log verifies but its records do not fold: a protocol or program defect.
    case inconsistent(path: String, seq: Int, SessionError)
    case sessionNotFound(String)
    /// The start of an id that more than one session's id begins with: which of them is not guessed.
    case ambiguousSession(String, files: [String])

    public var description: String {
        switch self {
        case let .dataDirectory(error): "data directory: \(error)"
        case let .refused(error): error.description
        case let .notSaved(error): error.description
        case let .resume(error): error.description
        case let .unreadable(path, reason): "\(path): \(reason)"
        case let .protocolUnavailable(digest):
            "the protocol this session followed (SHA-256 \(digest)) is neither in the protocols/ folder beside the log nor in the data directory's protocols/ folder"
        case let .protocolInvalid(error): "the stored protocol is invalid: \(error)"
        case let .inconsistent(path, seq, error): "\(path): record \(seq) does not follow from the ones before: \(error)"
        case let .sessionNotFound(name): "no session \"\(name)\" in the data directory"
        case let .ambiguousSession(name, files):
            "\"\(name)\" fits \(files.count) sessions (\(files.prefix(3).joined(separator: ", "))\(files.count > 3 ? ", …" : "")): "
                + "give more of the session id, or the whole file name"
        }
    }
}

/// A session read back from its log, for reports and listings.
public struct LoadedSession {
    public var verification: LogVerification
    /// The fold of every valid record, or of those before the first the core
    /// refused; nil when the protocol is not available. Its notes stay in
    /// the log and are read back when asked for.
    public var state: SessionState?
    /// A record that verifies but does not follow from the ones before it
    /// (a crafted or damaged log): reports show the session up to it.
    public var refusal: SessionReplay.Refusal?
    /// The electronic signatures that do not check out against the keys
    /// this data directory trusts; nil when they were not checked (a
    /// listing, which leaves that to `verify`).
    public var signatureProblems: [String]?

    /// Whether every record checked out and folded, and every signature
    /// checked: what a report's exit status says.
    public var isTrustworthy: Bool { verification.status.isValid && refusal == nil && signatureProblems?.isEmpty != false }

    /// What every report says first when the log is not wholly trustworthy.
    public var integrityAlert: String? {
        guard !isTrustworthy else { return nil }
        // A chain that holds under a signature that does not: the record is all there, but nothing vouches for it.
        let consequence = verification.status.isValid && refusal == nil
            ? "Its signature does not vouch for this record." : "This record holds only what was valid."
        return "Log integrity: \(integritySummary). \(consequence)"
    }

    /// The log's integrity in one line, for reports: in `trillium verify`'s
    /// words, what fails first.
    public var integritySummary: String {
        let signatures = signatureProblems.flatMap { $0.isEmpty ? nil : "corrupt: " + $0.joined(separator: "; ") + "; framing and chain: " } ?? ""
        guard let refusal else { return signatures + verification.summary }
        return signatures + "does not follow: record \(refusal.seq) is refused (\(refusal.error)); shown up to record \(refusal.seq - 1)"
    }
}

/// The data directory as the app uses it: new sessions, resumed sessions,
/// loaded sessions, and the protocols they followed.
public final class SessionStore {
    public let directory: DataDirectory
    public let clock: SessionClock
    private let ids: RecordIDSource
    /// Every file call the store makes goes through these.
    let files: FileOperations
    public let appVersion: String
    /// Protocols already read, by the SHA-256 of their text: a protocol is
    /// named by its digest, so the one read once is the one every later
    /// session naming it followed. A recall over hundreds of sessions parsed
    /// the same file once for each of them. Sessions are loaded on both cores.
    private let protocols = Mutex<[String: TreatmentProtocol]>([:])

    public init(
        directory: DataDirectory, clock: SessionClock = SystemClock(), ids: RecordIDSource = RandomRecordIDs(),
        files: FileOperations = POSIXFileOperations(), appVersion: String
    ) {
        self.directory = directory
        self.clock = clock
        self.ids = ids
        self.files = files
        self.appVersion = appVersion
    }

    /// Opens a new session: keeps a copy of its protocol, creates its log and
    /// writes `session.opened`, all durable before this returns.
    public func open(_ intake: Intake, treatmentProtocol: TreatmentProtocol, protocolText: String) throws(StoreError) -> SessionRecorder {
        do {
            try directory.prepare(files: files)
        } catch {
            throw .dataDirectory(error)
        }
        let stamp = clock.now()
        let sessionID = ids.next()
        let opening = SessionOpening(
            sessionID: sessionID, patientReference: intake.patientReference, operatorName: intake.operatorName,
            workstation: intake.workstation, device: intake.device, cartridge: intake.cartridge,
            protocolReference: ProtocolReference(treatmentProtocol), plannedZones: intake.plannedZones,
            appVersion: appVersion, isTraining: intake.isTraining, operatorID: intake.operatorID)
        let state = SessionState(treatmentProtocol: treatmentProtocol)
        let first = SessionRecord(seq: 1, id: ids.next(), stamp: stamp, by: intake.operatorID?.rawValue ?? intake.operatorName,
                                  event: .opened(opening))
        do {
            try state.validate(first)
        } catch {
            throw .refused(error)
        }
        try keepProtocol(text: protocolText, digest: treatmentProtocol.digest)
        let writer: SessionLogWriter
        do {
            writer = try SessionLogWriter.create(
                path: directory.sessionPath(startedAt: stamp.wallMilliseconds, sessionID: sessionID), first: first, files: files)
        } catch {
            throw .notSaved(error)
        }
        var opened = state
        do {
            try opened.apply(first)
        } catch {
            // validate() accepted this very record against this very state.
            preconditionFailure("the core accepted session.opened on trial and refused it on apply: \(error)")
        }
        return SessionRecorder(state: opened, writer: writer, clock: clock, ids: ids, recentRecords: [first])
    }

    /// Reopens an unfinished session after a crash or a quit: recovers a torn
    /// tail (recording `log.repaired`), then folds the log back into its state.
    public func resume(path: String) throws(StoreError) -> SessionRecorder {
        var lines: [RecordLine] = []
        let resumed: ResumedLog
        do {
            resumed = try LogRecovery.resume(path: path, files: files) { lines.append($0) }
        } catch {
            throw .resume(error)
        }
        guard let opening = resumed.verification.opening else { throw .resume(.empty(path: path)) }
        let treatmentProtocol = try loadProtocol(digest: opening.protocolReference.digest, forLogAt: path)
        let state = try fold(lines, protocol: treatmentProtocol, path: path)
        let recorder = SessionRecorder(
            state: state, writer: resumed.writer, clock: clock, ids: ids,
            recentRecords: lines.suffix(SessionRecorder.recentLimit).map(\.record))
        if let repair = resumed.repair {
            do {
                try recorder.record(.logRepaired(repair))
            } catch {
                switch error {
                case let .refused(refusal): throw .refused(refusal)
                case let .notSaved(failure): throw .notSaved(failure)
                }
            }
        }
        return recorder
    }

    /// Reads a session for display: verified, and folded as it is read
    /// where its protocol is known. Nothing is held per record: the lines
    /// go as they are folded, and the notes stay in the log (`LogNoteArchive`),
    /// so a session of a million records folds in the memory of a short one.
    /// A report checks the signatures too (`checkingSignatures`); a listing
    /// of thousands leaves them to `verify`.
    public func load(path: String, checkingSignatures: Bool = false) throws(StoreError) -> LoadedSession {
        let archive = LogNoteArchive(path: path, files: files)
        var state: SessionState?
        var refusal: SessionReplay.Refusal?
        // Whether records are still folded: a flag, because comparing the
        // optional state with nil compared (and copied) the whole state each record.
        var isFolding = false
        var offset = 0
        let verification: LogVerification
        do throws(LogReadError) {
            verification = try LogReader.readRecords(path: path, files: files) { record, length in
                defer { offset += length + 1 }
                if record.event.kind == .noteAdded { archive.add(seq: record.seq, offset: offset, length: length) }
                if record.seq == 1, case let .opened(opening) = record.event,
                   let treatmentProtocol = try? loadProtocol(digest: opening.protocolReference.digest, forLogAt: path) {
                    state = SessionState(treatmentProtocol: treatmentProtocol, notesIn: archive)
                    isFolding = true
                }
                guard isFolding else { return }
                do throws(SessionError) {
                    try state?.apply(record)
                } catch {
                    refusal = SessionReplay.Refusal(seq: record.seq, error: error)
                    isFolding = false
                }
            }
        } catch {
            throw .unreadable(path: path, reason: error.description)
        }
        return LoadedSession(verification: verification, state: state, refusal: refusal,
                             signatureProblems: checkingSignatures ? signatureProblems(of: verification) : nil)
    }

    /// What replay holds of a log: its verified bytes, each record decoded when it is shown.
    public func readForReplay(path: String) throws(StoreError) -> ReplayLog {
        do {
            return try ReplayLog(path: path, files: files)
        } catch {
            throw .unreadable(path: path, reason: error.description)
        }
    }

    /// The longest protocol file read: the embedded one is about 12 KB.
    public static let protocolSizeLimit = 1 << 20

    /// The protocol a session names, by the SHA-256 of its text. It is looked
    /// for beside the log first (the `protocols/` folder of the log's own
    /// directory, so a log copied out with its protocols still reads), then
    /// in this data directory, then it may be the embedded default.
    public func loadProtocol(digest: String, forLogAt logPath: String? = nil) throws(StoreError) -> TreatmentProtocol {
        guard Digest.isWellFormed(ArraySlice(digest.utf8)) else { throw .protocolUnavailable(digest: digest) }
        if let known = protocols.withLock({ $0[digest] }) { return known }
        let found = try readProtocol(digest: digest, forLogAt: logPath)
        protocols.withLock { $0[digest] = found }
        return found
    }

    private func readProtocol(digest: String, forLogAt logPath: String?) throws(StoreError) -> TreatmentProtocol {
        var candidates: [String] = []
        if let logPath {
            candidates.append(SessionLogWriter.directoryPath(of: logPath) + "/protocols/" + digest + ".toml")
        }
        candidates.append(directory.protocolPath(digest: digest))
        for path in candidates {
            guard let bytes = try? files.readWholeFile(path, limit: Self.protocolSizeLimit),
                  let text = String(validating: bytes, as: UTF8.self),
                  ProtocolFile.digest(of: text) == digest else { continue }
            do {
                return try ProtocolFile.parse(text, file: path)
            } catch {
                throw .protocolInvalid(error)
            }
        }
        if DefaultProtocol.digest == digest { return ProtocolFile.defaultProtocol() }
        throw .protocolUnavailable(digest: digest)
    }

    /// Finds a session by file path, file name, or the start of its session id.
    public func locate(_ reference: String) throws(StoreError) -> String {
        if reference.contains("/"), files.exists(reference) { return reference }
        let candidates: [String]
        do {
            candidates = try directory.sessionFiles(files: files)
        } catch {
            throw .dataDirectory(error)
        }
        let lowered = reference.lowercased()
        if let byName = candidates.first(where: { $0.hasSuffix("/" + reference) }) { return byName }
        func fileName(_ path: String) -> String { path.split(separator: "/").last.map(String.init) ?? path }
        var matches = candidates.filter { path in
            let name = fileName(path)
            return name.contains("_" + lowered) || name.hasPrefix(lowered)
        }
        // A file name holds only the first eight digits of its session's id: the whole id, or
        // more of it than that, is looked for in the sessions themselves (through the index).
        if matches.isEmpty, !lowered.isEmpty, let listings = try? LogIndex.listing(of: directory.path, files: files).logs {
            matches = listings.compactMap { listing in
                guard let id = (try? listing.result.get())?.opening?.sessionID.lowercased(), id.hasPrefix(lowered) else { return nil }
                return listing.path
            }
        }
        if matches.count == 1 { return matches[0] }
        if matches.count > 1 { throw .ambiguousSession(reference, files: matches.map(fileName)) }
        if files.exists(reference) { return reference }
        throw .sessionNotFound(reference)
    }

    private func fold(_ lines: [RecordLine], protocol treatmentProtocol: TreatmentProtocol, path: String) throws(StoreError) -> SessionState {
        var state = SessionState(treatmentProtocol: treatmentProtocol)
        for line in lines {
            do {
                try state.apply(line.record)
            } catch {
                throw .inconsistent(path: path, seq: line.record.seq, error)
            }
        }
        return state
    }

    /// Keeps the protocol's exact text under protocols/<digest>.toml (0600),
    /// durably: written to a temporary file, synced, renamed into place, and
    /// the folder synced. A failure (a full disk) leaves no partial file.
    private func keepProtocol(text: String, digest: String) throws(StoreError) {
        let path = directory.protocolPath(digest: digest)
        if let existing = try? files.readWholeFile(path, limit: Self.protocolSizeLimit), existing == Array(text.utf8) { return }
        do {
            try files.replaceDurably(path, with: Array(text.utf8))
        } catch {
            throw .dataDirectory(error)
        }
    }
}
