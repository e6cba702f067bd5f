import Foundation
import Synchronization
import TrilliumLog
import TrilliumServices

/// Copies the room's records to the clinic's database in the background,
/// after each is durable here. The runtime's two calls take a lock and
/// return; the copying happens on its own task, one log at a time, with a
/// connection kept while the server answers and, when it does not, tried
/// again after a wait that doubles up to half a minute.
///
/// Killed at any moment, nothing is lost: the local log is the record, and
/// the next copy (the app's or `trillium sync`) starts from the clinic's head.
public final class ClinicCopier: ClinicCopying {
    private struct Progress {
        /// Records durable here, by log, as the runtime reported them.
        var durable: [String: Int] = [:]
        /// The clinic's head, by log, as the last copy found it.
        var copied: [String: Int] = [:]
        var diverged: [String: Int] = [:]
        var isOnline = false
        /// Whether the first connection and catching up (this room's logs sent, the other rooms' sessions
        /// fetched for the consultation) are done, or have failed: until then the room is told "connecting",
        /// never "offline", and never "synced" before a consultation would see the other rooms.
        var hasTried = false
    }

    private let progress = Mutex(Progress())
    private let address: DatabaseAddress
    private let directory: DataDirectory
    private let workstation: ClinicWorkstation
    private let task = Mutex<Task<Void, Never>?>(nil)
    /// Where every room's sessions are kept, as the clinic-wide views keep them.
    public var clinicCopyDirectory: DataDirectory { ClinicMirror(under: directory, for: address).directory }
    /// How often the task looks for new records: the delay to the clinic's copy is at most this plus a round trip.
    static let pollInterval: Duration = .milliseconds(20)
    static let longestWait: Duration = .seconds(30)
    static let livenessInterval: Duration = .seconds(5)
    static let refreshInterval: Duration = .seconds(120)

    public init(address: DatabaseAddress, directory: DataDirectory, workstation: ClinicWorkstation) {
        self.address = address
        self.directory = directory
        self.workstation = workstation
    }

    /// Starts copying: first every log not yet in the clinic's copy, then each record as it becomes durable.
    public func start() {
        let running = Task.detached { [self] in await run() }
        task.withLock { $0 = running }
    }

    public func stop() {
        task.withLock { $0?.cancel() }
    }

    public func logIsDurable(_ path: String, through seq: Int) {
        progress.withLock { $0.durable[path] = max($0.durable[path] ?? 0, seq) }
    }

    public func status(of path: String?) -> ClinicCopyStatus {
        progress.withLock { progress in
            let hasTried = progress.hasTried
            func behind(_ count: Int) -> ClinicCopyStatus { hasTried ? .offline(toSend: count) : .connecting(toSend: count) }
            if let path {
                if let seq = progress.diverged[path] { return .diverged(seq: seq) }
                let durable = progress.durable[path] ?? 0
                let copied = progress.copied[path] ?? 0
                return progress.isOnline && copied >= durable ? .synced(seq: copied) : behind(max(0, durable - copied))
            }
            let waiting = progress.durable.reduce(0) { $0 + max(0, $1.value - (progress.copied[$1.key] ?? 0)) }
            if !progress.isOnline || waiting > 0 { return behind(waiting) }
            return progress.diverged.isEmpty ? .synced(seq: nil) : .divergedLogs(progress.diverged.count)
        }
    }

    private func run() async {
        var wait: Duration = .milliseconds(500)
        var connection: ClinicConnection?
        var needsFullPass = true
        var protocolKept: Set<String> = []
        var lastHeard = ContinuousClock.now
        var lastRefreshed = ContinuousClock.now - Self.refreshInterval * 2
        while !Task.isCancelled {
            do throws(ClinicDatabaseError) {
                if connection == nil {
                    // Any statement unanswered for 10 s counts as a lost connection: the room sees "offline" and it is tried again.
                    let opened = try await ClinicConnection.open(address, timeout: 5, statementLimit: .seconds(10))
                    connection = opened
                    try await opened.requireCurrentSchema()
                }
                guard let connection else { continue }
                let (directory, workstation) = (self.directory, self.workstation)
                if needsFullPass {
                    let report = try await DirectoryCopy(directory: directory, workstation: workstation).copyAll(over: connection)
                    for result in report.results {
                        note(result, at: directory.path + "/" + result.fileName)
                        protocolKept.insert(directory.path + "/" + result.fileName)
                    }
                    needsFullPass = false
                }
                // Before "synced" shows: then a consultation opened sees the other rooms too.
                if ContinuousClock.now - lastRefreshed > Self.refreshInterval {
                    // Every room's sessions, kept in clinic-copy/ for the consultation's look at a patient's earlier treatments.
                    do throws(ClinicDatabaseError) {
                        _ = try await ClinicMirror(under: directory, for: address).refresh(from: connection)
                    } catch {
                        // A folder here that cannot be written stops the look at other rooms, never the copy.
                        guard case .localFile = error else { throw error }
                    }
                    lastRefreshed = ContinuousClock.now
                }
                progress.withLock { $0.isOnline = true; $0.hasTried = true }
                wait = .milliseconds(500)
                let waiting = pending()
                for path in waiting {
                    // A log's protocol goes with its first copy (the full pass's, or this one's); each record after needs only its own statements.
                    let first = !protocolKept.contains(path)
                    note(try await DirectoryCopy(directory: directory, workstation: workstation).copy(path, over: connection,
                                                                                                     keepingProtocol: first), at: path)
                    protocolKept.insert(path)
                }
                if !waiting.isEmpty {
                    lastHeard = ContinuousClock.now
                } else if ContinuousClock.now - lastHeard > Self.livenessInterval {
                    // Nothing to send: asked whether the server is still there, so that the room sees "offline" before anything waits.
                    try await connection.ping()
                    lastHeard = ContinuousClock.now
                }
                try? await Task.sleep(for: Self.pollInterval)
            } catch {
                progress.withLock { $0.isOnline = false; $0.hasTried = true }
                await connection?.close()
                connection = nil
                needsFullPass = true
                try? await Task.sleep(for: wait)
                wait = min(wait * 2, Self.longestWait)
            }
        }
        await connection?.close()
    }

    /// Logs with durable records the clinic has not confirmed.
    private func pending() -> [String] {
        progress.withLock { progress in
            progress.durable.filter { $0.value > (progress.copied[$0.key] ?? 0) && progress.diverged[$0.key] == nil }.map(\.key).sorted()
        }
    }

    private func note(_ result: CopyResult, at path: String) {
        progress.withLock { progress in
            switch result.outcome {
            case let .copied(_, head):
                progress.copied[path] = head
                progress.durable[path] = max(progress.durable[path] ?? 0, head)
            case let .diverged(seq, _), let .flagged(seq, _):
                progress.diverged[path] = seq
            case .refused:
                progress.diverged[path] = 0
            case .notCopied:
                break
            }
        }
    }
}
