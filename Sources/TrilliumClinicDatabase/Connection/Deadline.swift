import Synchronization

/// The answer of `work`, or `.unreachable` once `limit` has passed without
/// one. A connection that dies mid-statement may never answer (PostgresNIO
/// hands a statement to a closed channel without a promise for the write),
/// and neither a command nor the app's copier may wait for ever. The
/// abandoned work ends when its connection is closed, after this returns.
func answer<T: Sendable>(within limit: Duration, from address: DatabaseAddress,
                         _ work: @escaping @Sendable () async throws(ClinicDatabaseError) -> T) async throws(ClinicDatabaseError) -> T {
    let waiting = Mutex<CheckedContinuation<Result<T, ClinicDatabaseError>, Never>?>(nil)
    let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<T, ClinicDatabaseError>, Never>) in
        waiting.withLock { $0 = continuation }
        // Whichever comes first resumes; the other finds nobody waiting.
        let finish: @Sendable (Result<T, ClinicDatabaseError>) -> Void = { result in
            waiting.withLock { continuation in
                continuation?.resume(returning: result)
                continuation = nil
            }
        }
        let worker = Task {
            do throws(ClinicDatabaseError) {
                finish(.success(try await work()))
            } catch {
                finish(.failure(error))
            }
        }
        Task {
            try? await Task.sleep(for: limit)
            if !worker.isCancelled { finish(.failure(.unreachable(address, "no answer within \(limit)"))) }
        }
    }
    return try result.get()
}
