import Foundation
import Synchronization
import SwapSimCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Progress of long work on stderr: done/total, rate and ETA.
///
/// On a terminal the line is redrawn in place a few times a second and cleared at the end. When
/// stderr is not a terminal (a log, a CI job, `2> file`) nothing is written unless asked for
/// (`--progress`): then a plain line every ``periodicInterval`` and a last one saying how long
/// the work took. Progress never reaches stdout, so outputs stay byte-identical with or without it.
///
/// Safe to call from any thread: updates are serialised by a lock.
public final class ProgressLine: Sendable {
    /// How the line is written.
    public enum Mode: Sendable, Equatable {
        /// Nothing is written.
        case off
        /// A line redrawn in place (stderr is a terminal).
        case live
        /// A plain line every few seconds, and one at the end (`--progress` without a terminal).
        case periodic
    }

    /// What `done` and `total` count.
    public enum Unit: Sendable, Equatable {
        /// Bytes read, shown as kB/MB/GB.
        case bytes
        /// Items, named in the plural ("evaluations", "requests", "cases").
        case items(String)
    }

    /// Seconds between plain lines in ``Mode/periodic``.
    public static let periodicInterval = 5.0

    /// The mode for a command: live on a terminal, periodic with `--progress` otherwise, else off.
    public static func mode(requested: Bool, stderrIsTerminal: Bool = isatty(STDERR_FILENO) != 0) -> Mode {
        stderrIsTerminal ? .live : (requested ? .periodic : .off)
    }

    private struct State {
        var lastDraw = 0.0
        var drawn = false
        var finished = false
        var done: Int64 = 0
        var total: Int64? = nil
        var detail: String? = nil
    }

    private let label: String
    private let unit: Unit
    public let mode: Mode
    private let started = Date()
    private let state = Mutex(State())
    private let write: @Sendable (String) -> Void

    /// A progress line for `label` ("plan", "reading trace.csv") counting `unit`.
    ///
    /// - Parameter write: where text goes (default: stderr); tests pass their own.
    public init(label: String, unit: Unit, mode: Mode, write: @escaping @Sendable (String) -> Void = ProgressLine.standardError) {
        self.label = TerminalText.safe(label)
        self.unit = unit
        self.mode = mode
        self.write = write
    }

    /// Writes `text` to standard error.
    public static let standardError: @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }

    /// Records progress: `done` of `total` (nil: not known), with a short `detail` shown after.
    /// Draws at most five times a second on a terminal (not in the first half second), and every
    /// ``periodicInterval`` seconds in periodic mode.
    public func update(done: Int64, total: Int64?, detail: String? = nil) {
        guard mode != .off else { return }
        let now = Date().timeIntervalSince(started)
        state.withLock { s in
            guard !s.finished else { return }
            s.done = done
            s.total = total
            s.detail = detail
            switch mode {
            case .off: return
            case .live:
                guard now - s.lastDraw >= 0.2, now >= 0.5 else { return }
                s.lastDraw = now
                s.drawn = true
                write("\r\u{1B}[K" + Self.text(label: label, unit: unit, done: done, total: total, elapsed: now, detail: detail))
            case .periodic:
                guard now - s.lastDraw >= Self.periodicInterval else { return }
                s.lastDraw = now
                write(Self.text(label: label, unit: unit, done: done, total: total, elapsed: now, detail: detail) + "\n")
            }
        }
    }

    /// Ends the line: a terminal's is cleared; periodic mode writes how much was done in how
    /// long. A second call does nothing.
    public func finish() {
        let now = Date().timeIntervalSince(started)
        state.withLock { s in
            guard !s.finished else { return }
            s.finished = true
            switch mode {
            case .off: return
            case .live: if s.drawn { write("\r\u{1B}[K") }
            case .periodic:
                let verb = unit == .bytes ? "" : " done"
                write("\(label): \(Self.amount(s.done, unit)) \(Self.unitName(unit))\(verb) in \(Self.duration(now))\n")
            }
        }
    }

    // MARK: Text

    /// One progress line: "plan: 96/120 evaluations (80%) · 2.1/s · ETA 11 s · round 3".
    ///
    /// The rate is `done / elapsed`; the ETA assumes it holds for the rest. Without a total only
    /// the count and rate are shown.
    public static func text(label: String, unit: Unit, done: Int64, total: Int64?, elapsed: Double, detail: String?) -> String {
        var parts: [String] = []
        if let total, total > 0 {
            let pct = Int(min(100, max(0, Double(done) / Double(total) * 100)))
            parts.append("\(amount(done, unit))/\(amount(total, unit)) \(unitName(unit)) (\(pct)%)")
        } else {
            parts.append("\(amount(done, unit)) \(unitName(unit))")
        }
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        if rate > 0 {
            parts.append(rateText(rate, unit))
            if let total, total > done { parts.append("ETA " + duration(Double(total - done) / rate)) }
        }
        if let detail, !detail.isEmpty { parts.append(detail) }
        return "\(label): " + parts.joined(separator: " · ")
    }

    /// `n` with thousands separators and `noun`: "1,234,567 rows".
    public static func count(_ n: Int64, _ noun: String) -> String { TraceInspectReport.grouped(Int(n)) + " " + noun }

    static func unitName(_ u: Unit) -> String {
        switch u {
        case .bytes: return "read"
        case let .items(name): return name
        }
    }

    /// A count as shown: items with thousands separators, bytes in decimal units.
    static func amount(_ n: Int64, _ u: Unit) -> String {
        switch u {
        case .items: return TraceInspectReport.grouped(Int(n))
        case .bytes: return byteText(Double(n))
        }
    }

    static func byteText(_ b: Double) -> String {
        let units: [(Double, String)] = [(1e12, "TB"), (1e9, "GB"), (1e6, "MB"), (1e3, "kB")]
        for (scale, name) in units where b >= scale { return Fixed.format(b / scale, decimals: 1) + " " + name }
        return "\(Int(b)) B"
    }

    static func rateText(_ r: Double, _ u: Unit) -> String {
        switch u {
        case .bytes: return byteText(r) + "/s"
        case .items: return (r >= 100 ? TraceInspectReport.grouped(Int(r.rounded())) : Fixed.format(r, decimals: 1)) + "/s"
        }
    }

    /// Seconds as "14 s", "3 min 05 s" or "1 h 02 min".
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "—" }
        if seconds < 10 { return Fixed.format(seconds, decimals: 1) + " s" }
        let s = Int(seconds.rounded())
        if s < 60 { return "\(s) s" }
        if s < 3600 { return "\(s / 60) min " + pad2(s % 60) + " s" }
        return "\(s / 3600) h " + pad2((s % 3600) / 60) + " min"
    }

    private static func pad2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
