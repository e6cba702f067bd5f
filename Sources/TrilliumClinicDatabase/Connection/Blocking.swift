import Foundation

/// Waits for async work from synchronous code: the commands are
/// synchronous (and the terminal's loop must be), PostgresNIO is async.
/// Never called on a thread that Swift concurrency runs tasks on.
public enum Blocking {
    public static func wait<T: Sendable>(_ work: @escaping @Sendable () async throws(ClinicDatabaseError) -> T) throws(ClinicDatabaseError) -> T {
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            do throws(ClinicDatabaseError) {
                box.result = .success(try await work())
            } catch {
                box.result = .failure(error)
            }
            done.signal()
        }
        done.wait()
        return try box.result!.get()
    }

    /// Written by the task before it signals, read after the wait: the semaphore orders the two.
    private final class ResultBox<T: Sendable>: @unchecked Sendable {
        var result: Result<T, ClinicDatabaseError>?
    }
}
