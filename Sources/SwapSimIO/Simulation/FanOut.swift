import Dispatch
import Foundation
import Synchronization

/// Independent jobs run on a bounded number of threads, their results returned in job order:
/// the one parallel fan-out `compare` (a simulation per strategy) and `plan` (a simulation per
/// configuration and seed) share.
///
/// Jobs are handed out in order to at most `threads` workers; each result goes to its job's
/// slot, so what comes back never depends on timing or on `threads`.
public enum FanOut {
    /// The default number of jobs run at once: every core the process may use.
    public static var defaultThreads: Int { ProcessInfo.processInfo.activeProcessorCount }

    /// Runs `body(0) … body(count - 1)` on up to `threads` threads (at least 1) and returns
    /// their results in index order. With one thread they run in order on the caller's.
    public static func map<T: Sendable>(count: Int, threads: Int, _ body: @Sendable (Int) -> T) -> [T] {
        guard count > 0 else { return [] }
        let slots = Mutex<[T?]>(Array(repeating: nil, count: count))
        let next = Mutex(0)
        // concurrentPerform returns only when every worker has: `body` does not outlive the call.
        return withoutActuallyEscaping(body) { body in
            let work: @Sendable (Int) -> Void = { _ in
                while true {
                    let i = next.withLock { n in defer { n += 1 }; return n }
                    guard i < count else { return }
                    let r = body(i)
                    slots.withLock { $0[i] = r }
                }
            }
            let workers = max(1, min(threads, count))
            if workers == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: workers, execute: work) }
            return slots.withLock { $0 }.map { $0! }
        }
    }
}
