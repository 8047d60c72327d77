import Foundation
import Testing

/// `swapsim validate` as users run it: the shipped cases pass, a miss exits non-zero, and a bad
/// case name or file gives one error line.
@Suite struct ValidateCommandTests {
    @Test func theShippedCasesPass() throws {
        let r = try SwapSimExecutable.run(["validate"])
        #expect(r.exited && r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("vllm-sleep-l1-qwen3-coder-30b-a100"))
        #expect(r.stdout.contains("PASS"))
    }

    @Test func chosenCasesInMarkdownAndJSON() throws {
        let md = try SwapSimExecutable.run(["validate", "--case", "nvbandwidth-h100-hgx-gen5", "pin-rate-h200-nvl-host", "--format", "markdown"])
        #expect(md.status == 0)
        #expect(md.stdout.hasPrefix("| case | figure |"))
        #expect(!md.stdout.contains("qwen3"))
        let json = try SwapSimExecutable.run(["validate", "--case", "nvbandwidth-h100-hgx-gen5", "--format", "json"])
        #expect(json.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(object?["passed"] as? Bool == true)
    }

    @Test func aMissExitsNonZero() throws {
        let dir = try TemporaryDirectory()
        let shipped = try String(
            contentsOf: SwapSimExecutable.repositoryRoot.appendingPathComponent("validation/cases/nvbandwidth-h100-hgx-gen5.yaml"), encoding: .utf8)
        _ = try dir.write("fast-link.yaml", shipped.replacingOccurrences(of: "measured: [55.36]", with: "measured: [110.0]"))
        let r = try SwapSimExecutable.run(["validate", "--dir", dir.url.path])
        #expect(r.exited && r.status == 1)
        #expect(r.stdout.contains("MISS") && r.stdout.contains("FAIL"))
    }

    @Test func anUnknownCaseIsOneErrorLine() throws {
        let r = try SwapSimExecutable.run(["validate", "--case", "no-such-case"])
        #expect(r.status == 1)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("error: --case: no case 'no-such-case'"), "\(r.stderr)")
    }
}
