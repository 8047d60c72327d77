import Foundation
import SwapSimFuzz
import Testing

/// One input of the corpus: the file and what it must give.
struct CorpusEntry: CustomTestStringConvertible, Sendable {
    var file: String
    /// `ok`, or `error: ` and the message (the harness's folder written as `WORK`, the core's
    /// latest arrival as `{latest-arrival}`); one ending in `…` is a prefix (for a message the
    /// lead has still to write).
    var expected: String
    /// For an input that crashes the core: the lead's item it waits on. Such an input is replayed
    /// in a child process (a crash would end this one) and its mismatch recorded as known.
    var knownIssue: String?
    /// For an input too large to simulate in a debug build within the suite's time limit (a
    /// 12,288-GPU cluster, whose invariants are checked after every event): why. It is parsed
    /// and validated here; the release fuzz run (README, "Fuzzing") simulates it.
    var slow: String? = nil

    var testDescription: String { file }

    /// Whether `verdict` is what this entry expects.
    func matches(_ verdict: String) -> Bool {
        let v = FuzzFixtures.normalized(verdict)
        return expected.hasSuffix("…") ? v.hasPrefix(expected.dropLast()) : v == expected
    }

    static let all: [CorpusEntry] = {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: FuzzFixtures.corpus.path)) ?? []).sorted()
        return names.compactMap { name in
            guard FuzzInput.kindAndVariant(ofFileName: name) != nil else { return nil }
            let base = String(name.prefix { $0 != "." })
            let text = (try? String(contentsOf: FuzzFixtures.corpus.appendingPathComponent(base + ".expected"), encoding: .utf8)) ?? ""
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let known = lines.first { $0.hasPrefix("known-issue: ") }.map { String($0.dropFirst("known-issue: ".count)) }
            let slow = lines.first { $0.hasPrefix("slow: ") }.map { String($0.dropFirst("slow: ".count)) }
            return CorpusEntry(file: name, expected: lines.first ?? "", knownIssue: known, slow: slow)
        }
    }()
}

/// Every input that ever failed, replayed through the harness with its expected outcome.
@Suite(.timeLimit(.minutes(2))) struct FuzzCorpusReplayTests {
    @Test func theCorpusHasEntriesAndEachHasItsExpectation() throws {
        #expect(CorpusEntry.all.count >= 10)
        for e in CorpusEntry.all {
            #expect(e.expected == "ok" || e.expected.hasPrefix("error: "), "\(e.file): \(e.expected)")
        }
    }

    @Test(arguments: CorpusEntry.all)
    func replay(_ entry: CorpusEntry) throws {
        let path = FuzzFixtures.corpus.appendingPathComponent(entry.file)
        if let issue = entry.knownIssue {
            // In a child process, under a memory budget: a core crash or blow-up ends it, not this one.
            let r = try FuzzFixtures.run([
                "--replay", path.path, "--current", FuzzFixtures.scratch("replay").appendingPathComponent("current").path,
                "--memory-limit", "512", "--time-limit", "2",
            ])
            let verdict = r.stdout.trimmingCharacters(in: .newlines)
            withKnownIssue("core crash waiting on \(issue)") {
                #expect(r.status == 0, "\(entry.file) did not finish: \(r.stderr.suffix(300))")
                #expect(entry.matches(verdict), "\(verdict)")
            }
            return
        }
        let (kind, variant) = try #require(FuzzInput.kindAndVariant(ofFileName: entry.file))
        let work = FuzzFixtures.scratch("replay")
        defer { try? FileManager.default.removeItem(at: work) }
        let harness = try FuzzHarness(root: FuzzFixtures.root, work: work, simulate: entry.slow == nil)
        let input = FuzzInput(kind: kind, variant: variant, bytes: Array(try Data(contentsOf: path)), name: entry.file)
        let verdict = harness.evaluate(input).verdict
        #expect(entry.matches(verdict), "\(verdict)")
    }
}
