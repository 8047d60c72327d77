import Synchronization
import Testing

@testable import SwapSimIO

@Suite struct ProgressLineTests {
    @Test func lineShowsDoneTotalRateAndETA() {
        let text = ProgressLine.text(label: "plan", unit: .items("evaluations"), done: 96, total: 120, elapsed: 48, detail: "round 3")
        #expect(text == "plan: 96/120 evaluations (80%) · 2.0/s · ETA 12 s · round 3")
    }

    @Test func bytesAreShownInDecimalUnits() {
        let text = ProgressLine.text(label: "reading t.csv", unit: .bytes, done: 1_200_000_000, total: 2_600_000_000, elapsed: 10, detail: nil)
        #expect(text == "reading t.csv: 1.2 GB/2.6 GB read (46%) · 120.0 MB/s · ETA 12 s")
    }

    @Test func withoutATotalNoPercentageOrETA() {
        let text = ProgressLine.text(label: "replay", unit: .items("requests"), done: 1_234_567, total: nil, elapsed: 2, detail: nil)
        #expect(text == "replay: 1,234,567 requests · 617,284/s")
    }

    @Test(arguments: [(3.24, "3.2 s"), (14.4, "14 s"), (185, "3 min 05 s"), (3_720, "1 h 02 min"), (-1, "—")])
    func durations(_ seconds: Double, _ expected: String) {
        #expect(ProgressLine.duration(seconds) == expected)
    }

    @Test func modeFollowsTheTerminalAndTheFlag() {
        #expect(ProgressLine.mode(requested: false, stderrIsTerminal: true) == .live)
        #expect(ProgressLine.mode(requested: true, stderrIsTerminal: true) == .live)
        #expect(ProgressLine.mode(requested: true, stderrIsTerminal: false) == .periodic)
        #expect(ProgressLine.mode(requested: false, stderrIsTerminal: false) == .off)
    }

    @Test func periodicModeEndsWithOneSummaryLineAndOffWritesNothing() {
        let written = Mutex<[String]>([])
        let line = ProgressLine(label: "validate", unit: .items("cases"), mode: .periodic) { t in written.withLock { $0.append(t) } }
        line.update(done: 3, total: 32)  // within the first five seconds: no line yet
        line.update(done: 32, total: 32)
        line.finish()
        line.finish()
        let lines = written.withLock { $0 }
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("validate: 32 cases done in ") == true, "\(lines)")

        let silent = Mutex<[String]>([])
        let off = ProgressLine(label: "x", unit: .bytes, mode: .off) { t in silent.withLock { $0.append(t) } }
        off.update(done: 1, total: 2)
        off.finish()
        #expect(silent.withLock { $0 }.isEmpty)
    }
}
