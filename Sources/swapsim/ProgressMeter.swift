import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A one-line progress indicator on stderr, shown only when stderr is a terminal and the work
/// is long enough to need one; silent otherwise, so logs and pipes stay clean.
final class ProgressMeter {
    private let enabled: Bool
    private let label: String
    private var lastDraw = Date()
    private let started = Date()
    private var drawn = false

    init(label: String) {
        self.label = label
        enabled = isatty(STDERR_FILENO) != 0
    }

    /// Reports progress; draws at most a few times a second, and not in the first half second.
    func update(done: Int64, total: Int64, items: Int) {
        guard enabled else { return }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) >= 0.2, now.timeIntervalSince(started) >= 0.5 else { return }
        lastDraw = now
        let pct = total > 0 ? Int(Double(done) / Double(total) * 100) : 0
        let line = "\r\(label): \(pct)% (\(items) rows, \(Int(now.timeIntervalSince(started))) s)"
        FileHandle.standardError.write(Data(line.utf8))
        drawn = true
    }

    /// Clears the line.
    func finish() {
        guard enabled && drawn else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
