import Foundation
import SwapSimIO
import Testing

/// Same command ⇒ byte-identical output; `trace generate` is a function of its seed.
@Suite(.timeLimit(.minutes(5))) struct CLIDeterminismTests {
    @Test(arguments: ["table", "json", "csv", "markdown"])
    func sameCommandTwiceGivesIdenticalStdout(_ format: String) throws {
        let args = ["compare", "--format", format]
        let first = try SwapSimExecutable.run(args)
        let second = try SwapSimExecutable.run(args)
        #expect(first.status == 0 && second.status == 0)
        #expect(!first.stdout.isEmpty)
        #expect(first.stdout == second.stdout)
    }

    @Test func threadCountDoesNotChangeOutput() throws {
        let one = try SwapSimExecutable.run(["compare", "--format", "json", "--threads", "1"])
        let three = try SwapSimExecutable.run(["compare", "--format", "json", "--threads", "3"])
        #expect(one.status == 0 && three.status == 0)
        #expect(one.stdout == three.stdout)
    }

    func generate(seed: Int, into dir: TemporaryDirectory, name: String) throws -> Data {
        let out = dir.path(name)
        let r = try SwapSimExecutable.run([
            "trace", "generate", "--models", "llama,mistral,qwen", "--rate", "3", "--duration", "2m", "--zipf", "1.1",
            "--seed", String(seed), "-o", out,
        ])
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.isEmpty)
        return try Data(contentsOf: URL(fileURLWithPath: out))
    }

    @Test func traceGenerateSameSeedGivesIdenticalFiles() throws {
        let dir = try TemporaryDirectory()
        let a = try generate(seed: 42, into: dir, name: "a.csv")
        let b = try generate(seed: 42, into: dir, name: "b.csv")
        #expect(a.count > 100)
        #expect(a == b)
    }

    @Test func traceGenerateDifferentSeedsDiffer() throws {
        let dir = try TemporaryDirectory()
        let a = try generate(seed: 1, into: dir, name: "a.csv")
        let b = try generate(seed: 2, into: dir, name: "b.csv")
        #expect(a != b)
    }

    @Test func traceGenerateToStdoutMatchesTheFile() throws {
        let dir = try TemporaryDirectory()
        let file = try generate(seed: 7, into: dir, name: "a.csv")
        let r = try SwapSimExecutable.run([
            "trace", "generate", "--models", "llama,mistral,qwen", "--rate", "3", "--duration", "2m", "--zipf", "1.1", "--seed", "7",
        ])
        #expect(r.status == 0)
        #expect(Data(r.stdout.utf8) == file)
    }

    /// What `trace generate` writes, the trace reader reads: sorted, known models, every row valid.
    @Test func generatedTraceReadsBack() throws {
        let dir = try TemporaryDirectory()
        _ = try generate(seed: 3, into: dir, name: "t.csv")
        let reader = try TraceInput(path: dir.path("t.csv"), options: TraceInputOptions(), models: ["llama", "mistral", "qwen"])
        var n = 0
        var models = Set<Int>()
        while let r = try reader.next() {
            n += 1
            models.insert(r.model)
        }
        // 3 req/s for 2 minutes: about 360 requests.
        #expect(n > 250 && n < 470)
        #expect(models == [0, 1, 2])
    }
}
