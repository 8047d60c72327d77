import Foundation
import SwapSimCore
import SwapSimIO
import Testing

/// Bad scenario files: each gives one error whose description names the file, the key path and,
/// where the problem sits on a line of the file, that line.
@Suite struct ScenarioFileErrorTests {
    /// A valid scenario in block style, so that every key has a line of its own.
    static let base = """
        version: 1
        name: tiny
        cluster:
          nodes: 1
          gpus_per_node: 2
          gpu: H100-SXM
          host:
            memory: 256GiB
            swap_space: 128GiB
          storage: {read_bandwidth: 2GB/s}
        models:
          - name: llama
            arch: llama-3.1-8b
            kv_cache: 4GiB
          - name: mistral
            arch: mistral-7b
        slo:
          ttft: 2s

        """

    struct Bad: CustomTestStringConvertible, Sendable {
        var name: String
        /// Text replacements applied to ``ScenarioFileErrorTests/base``; each `from` must occur.
        var edits: [(from: String, to: String)]
        /// The key path the message names (nil for YAML syntax errors, which have none).
        var keyPath: String?
        /// The expected line is the first line of the edited file containing this text; nil: no line.
        var lineOf: String?
        /// Further text the message must hold.
        var says: [String]
        var testDescription: String { name }

        func yaml() -> String {
            var text = ScenarioFileErrorTests.base
            for e in edits {
                precondition(text.contains(e.from), "\(name): '\(e.from)' is not in the base scenario")
                text = text.replacingOccurrences(of: e.from, with: e.to)
            }
            return text
        }
    }

    static let cases: [Bad] = [
        Bad(name: "unknown top-level key",
            edits: [("name: tiny\n", "name: tiny\ncolour: blue\n")],
            keyPath: "colour", lineOf: "colour:",
            says: ["unknown key 'colour'", "(allowed here: cluster, costs, description, models, name, plan, serving, slo, strategies, version)"]),
        Bad(name: "unknown top-level key holding a block mapping",
            edits: [("name: tiny\n", "name: tiny\nextras:\n  owner: me\n")],
            keyPath: "extras", lineOf: "extras:",
            says: ["unknown key 'extras'"]),
        Bad(name: "unknown nested key (swap_space typo)",
            edits: [("    swap_space: 128GiB", "    swapspace: 128GiB")],
            keyPath: "cluster.host.swapspace", lineOf: "swapspace:",
            says: ["unknown key 'cluster.host.swapspace'", "(allowed here: dma_bandwidth, memory, swap_space)"]),
        Bad(name: "unknown key in a model",
            edits: [("    kv_cache: 4GiB", "    kv-cache: 4GiB")],
            keyPath: "models[0].kv-cache", lineOf: "kv-cache:",
            says: ["unknown key 'models[0].kv-cache'", "kv_cache"]),
        Bad(name: "unknown strategy",
            edits: [("slo:\n", "strategies:\n  hot_swap: {gpus: 1}\nslo:\n")],
            keyPath: "strategies.hot_swap", lineOf: "hot_swap:",
            says: ["unknown key 'strategies.hot_swap'", "(allowed here: always-warm, hot-swap, hybrid, pre-warm, scale-to-zero)"]),
        Bad(name: "size without a unit",
            edits: [("    memory: 256GiB", "    memory: 16")],
            keyPath: "cluster.host.memory", lineOf: "memory: 16",
            says: ["expected a size with a unit", "got '16'"]),
        Bad(name: "size with an unknown unit",
            edits: [("    swap_space: 128GiB", "    swap_space: 16 gigs")],
            keyPath: "cluster.host.swap_space", lineOf: "swap_space:",
            says: ["expected a size with a unit", "got '16 gigs'"]),
        Bad(name: "duration without a unit",
            edits: [("  ttft: 2s", "  ttft: 2")],
            keyPath: "slo.ttft", lineOf: "ttft:",
            says: ["expected a duration with a unit", "got '2'"]),
        Bad(name: "rate without per-second",
            edits: [("{read_bandwidth: 2GB/s}", "{read_bandwidth: 2GB}")],
            keyPath: "cluster.storage.read_bandwidth", lineOf: "read_bandwidth",
            says: ["expected a rate with a unit per second", "got '2GB'"]),
        Bad(name: "a list where a mapping goes",
            edits: [("  host:\n    memory: 256GiB\n    swap_space: 128GiB\n", "  host: [256GiB, 128GiB]\n")],
            keyPath: "cluster.host", lineOf: "host:",
            says: ["expected a mapping"]),
        Bad(name: "a mapping where a list goes",
            edits: [("""
                models:
                  - name: llama
                    arch: llama-3.1-8b
                    kv_cache: 4GiB
                  - name: mistral
                    arch: mistral-7b

                """, "models: {name: llama, arch: llama-3.1-8b}\n")],
            keyPath: "models", lineOf: "models:",
            says: ["expected a list"]),
        Bad(name: "a model that is not a mapping",
            edits: [("  - name: mistral\n    arch: mistral-7b\n", "  - mistral-7b\n")],
            keyPath: "models[1]", lineOf: "- mistral-7b",
            says: ["expected a mapping of keys to values"]),
        Bad(name: "a list where a single value goes",
            edits: [("  ttft: 2s", "  ttft: [2s, 3s]")],
            keyPath: "slo.ttft", lineOf: "ttft:",
            says: ["expected a single value"]),
        Bad(name: "text where a whole number goes",
            edits: [("  nodes: 1", "  nodes: one")],
            keyPath: "cluster.nodes", lineOf: "nodes:",
            says: ["expected a whole number; got 'one'"]),
        Bad(name: "missing slo.ttft",
            edits: [("slo:\n  ttft: 2s\n", "slo: {attainment: 0.9}\n")],
            keyPath: "slo.ttft", lineOf: "slo:",
            says: ["missing required key 'slo.ttft'"]),
        Bad(name: "missing cluster.gpus_per_node",
            edits: [("""
                cluster:
                  nodes: 1
                  gpus_per_node: 2
                  gpu: H100-SXM
                  host:
                    memory: 256GiB
                    swap_space: 128GiB
                  storage: {read_bandwidth: 2GB/s}

                """, "cluster: {nodes: 1, gpu: H100-SXM, host: {memory: 256GiB}}\n")],
            keyPath: "cluster.gpus_per_node", lineOf: "cluster:",
            says: ["missing required key 'cluster.gpus_per_node'"]),
        Bad(name: "missing slo",
            edits: [("slo:\n  ttft: 2s\n", "")],
            keyPath: "slo", lineOf: "version:",
            says: ["missing required key 'slo'"]),
        Bad(name: "gpu_memory_utilization above 1",
            edits: [("slo:\n", "serving:\n  gpu_memory_utilization: 1.5\nslo:\n")],
            keyPath: "serving.gpu_memory_utilization", lineOf: "gpu_memory_utilization:",
            says: ["must be a share of the GPU's memory above 0 and at most 1", "1.5"]),
        Bad(name: "max_num_batched_tokens below max_batch",
            edits: [("slo:\n", "serving:\n  max_batch: 64\n  max_num_batched_tokens: 32\nslo:\n")],
            keyPath: "serving.max_num_batched_tokens", lineOf: "max_num_batched_tokens:",
            says: ["32 is less than model 'llama''s max_batch (max_num_seqs) of 64"]),
        Bad(name: "max_batch zero",
            edits: [("slo:\n", "serving:\n  max_batch: 0\nslo:\n")],
            keyPath: "models[0].max_batch", lineOf: "- name: llama",
            says: ["must be between 1 and"]),
        Bad(name: "KV cache that cannot fit under kv_cache auto",
            edits: [("    arch: mistral-7b\n", "    arch: llama-3.1-70b\n")],
            keyPath: "models[1].kv_cache", lineOf: "- name: mistral",
            says: ["kv_cache auto leaves no KV cache", "gpu_memory_utilization 0.9", "raise gpu_memory_utilization or tensor_parallel"]),
        Bad(name: "tensor_parallel of 2^63-1 under kv_cache auto (it crashed the loader's KV message)",
            edits: [("    arch: mistral-7b\n", "    arch: llama-3.1-70b\n    tensor_parallel: 9223372036854775807\n")],
            keyPath: "models[1].tensor_parallel", lineOf: "tensor_parallel: 9223372036854775807",
            says: ["model 'mistral' has tensor_parallel 9223372036854775807 but a node has only"]),
        Bad(name: "unknown serving stack",
            edits: [("slo:\n", "serving:\n  stack: vllm-0.99\nslo:\n")],
            keyPath: "serving.stack", lineOf: "stack:",
            says: ["unknown serving stack 'vllm-0.99'", "vllm-0.11-compile-cache"]),
        Bad(name: "unknown wake mechanism",
            edits: [("slo:\n", "strategies:\n  hot-swap:\n    mechanism: vllm-sleep-l3\nslo:\n")],
            keyPath: "strategies.hot-swap.mechanism", lineOf: "mechanism:",
            says: ["vllm-sleep-l3", "vllm-sleep-l1", "runai-swap"]),
        Bad(name: "a topology that leaves a GPU out",
            edits: [("  storage: {read_bandwidth: 2GB/s}\n", "  storage: {read_bandwidth: 2GB/s}\n  topology:\n    switches: [[0]]\n")],
            keyPath: "cluster.topology.switches", lineOf: "switches:",
            says: ["GPU 1 is under no switch"]),
        Bad(name: "a topology naming a GPU the node lacks",
            edits: [("  storage: {read_bandwidth: 2GB/s}\n", "  storage: {read_bandwidth: 2GB/s}\n  topology:\n    switches: [[0, 1, 2]]\n")],
            keyPath: "cluster.topology.switches", lineOf: "switches:",
            says: ["GPU 2 is not a GPU of the node"]),
        Bad(name: "a start-up stage without a unit",
            edits: [("    arch: mistral-7b\n", "    arch: mistral-7b\n    startup: {compile: 30}\n")],
            keyPath: "models[1].startup.compile", lineOf: "startup:",
            says: ["expected a duration with a unit", "got '30'"]),
        Bad(name: "an unknown start-up stage",
            edits: [("    arch: mistral-7b\n", "    arch: mistral-7b\n    startup: {jit: 30s}\n")],
            keyPath: "models[1].startup.jit", lineOf: "startup:",
            says: ["unknown key 'models[1].startup.jit'", "graph_capture", "weight_load"]),
        Bad(name: "unknown platform",
            edits: [("  gpu: H100-SXM\n", "  gpu: H100-SXM\n  platform: dgx-h900\n")],
            keyPath: "cluster.platform", lineOf: "platform:",
            says: ["unknown platform 'dgx-h900'", "hgx-h100-8gpu"]),
        Bad(name: "unknown storage tier",
            edits: [("{read_bandwidth: 2GB/s}", "{tier: floppy}")],
            keyPath: "cluster.storage.tier", lineOf: "storage:",
            says: ["unknown storage tier 'floppy'", "page-cache"]),
        Bad(name: "unknown GPU",
            edits: [("gpu: H100-SXM", "gpu: H100-XXL")],
            keyPath: "cluster.gpu", lineOf: "gpu:",
            says: ["unknown GPU 'H100-XXL'", "(catalogue: \(GPUCatalog.all.map(\.name).joined(separator: ", ")))"]),
        Bad(name: "unknown GPU base of an inline GPU",
            edits: [("gpu: H100-SXM", "gpu: {base: H100-XXL, memory: 94GiB}")],
            keyPath: "cluster.gpu.base", lineOf: "gpu:",
            says: ["unknown GPU 'H100-XXL'"]),
        Bad(name: "unknown architecture",
            edits: [("arch: mistral-7b", "arch: mistral-8b")],
            keyPath: "models[1].arch", lineOf: "mistral-8b",
            says: ["unknown model architecture 'mistral-8b'", "(catalogue: \(ModelCatalog.all.map(\.name).joined(separator: ", ")))"]),
        Bad(name: "unknown eviction policy",
            edits: [("slo:\n", "strategies:\n  hot-swap: {eviction: fifo}\nslo:\n")],
            keyPath: "strategies.hot-swap.eviction", lineOf: "fifo",
            says: ["unknown eviction policy 'fifo' (one of: lru, lfu, largest, gdsf, belady)"]),
        Bad(name: "model larger than the GPU (70B on one L4)",
            edits: [("gpu: H100-SXM", "gpu: L4"), ("arch: llama-3.1-8b", "arch: llama-3.1-70b"), ("memory: 256GiB", "memory: 512GiB"), ("swap_space: 128GiB", "swap_space: 256GiB")],
            keyPath: "models[0]", lineOf: "- name: llama",
            says: ["model 'llama' needs", "but a L4 has 24.00 GiB", "raise tensor_parallel or shrink kv_cache"]),
        Bad(name: "tensor parallel wider than a node",
            edits: [("    kv_cache: 4GiB", "    kv_cache: 4GiB\n    tensor_parallel: 4")],
            keyPath: "models[0].tensor_parallel", lineOf: "tensor_parallel: 4",
            says: ["model 'llama' has tensor_parallel 4 but a node has only 2 GPUs"]),
        Bad(name: "swap space smaller than the largest model",
            edits: [("swap_space: 128GiB", "swap_space: 10GiB")],
            keyPath: "cluster.host.swap_space", lineOf: "swap_space: 10GiB",
            says: ["swap space 10.00 GiB cannot hold model 'llama'", "at least the largest model"]),
        Bad(name: "swap space larger than host memory",
            edits: [("swap_space: 128GiB", "swap_space: 300GiB")],
            keyPath: "cluster.host.swap_space", lineOf: "swap_space: 300GiB",
            says: ["exceeds host memory"]),
        Bad(name: "duplicate model names",
            edits: [("  - name: mistral", "  - name: llama  # again")],
            keyPath: "models[1].name", lineOf: "# again",
            says: ["model name 'llama' is used twice"]),
        Bad(name: "duplicate key",
            edits: [("name: tiny\n", "name: tiny\nname: other\n")],
            keyPath: "name", lineOf: "name: other",
            says: ["key 'name' appears twice"]),
        Bad(name: "unsupported version",
            edits: [("version: 1", "version: 2")],
            keyPath: "version", lineOf: nil,
            says: ["unsupported scenario version '2' (this swapsim reads version 1)"]),
        Bad(name: "invalid YAML syntax",
            edits: [("name: tiny", "name: tiny: extra")],
            keyPath: nil, lineOf: "tiny: extra",
            says: ["not valid YAML"]),
    ]

    @Test(arguments: cases)
    func badScenarioGivesOneClearError(_ c: Bad) throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("scenario.yaml", c.yaml())
        let error = #expect(throws: ScenarioFileError.self) { try ScenarioLoader.load(path: path) }
        guard let message = error?.description else { return }
        if let fragment = c.lineOf {
            let line = try #require(lineNumber(of: fragment, in: c.yaml()))
            #expect(message.hasPrefix("\(path):\(line): "), "expected \(path):\(line): …, got: \(message)")
        } else {
            #expect(message.hasPrefix("\(path): "), "expected \(path): …, got: \(message)")
        }
        if let keyPath = c.keyPath {
            #expect(message.contains(keyPath), "key path \(keyPath) missing from: \(message)")
        }
        for s in c.says { #expect(message.contains(s), "'\(s)' missing from: \(message)") }
        #expect(!message.contains("\n"), "one line: \(message)")
    }

    @Test func baseScenarioIsValid() throws {
        let s = try ScenarioLoader.parse(Self.base, file: "base.yaml")
        #expect(s.models.map(\.name) == ["llama", "mistral"])
    }

    @Test func missingFile() throws {
        let dir = try TemporaryDirectory()
        let path = dir.url.appendingPathComponent("absent.yaml").path
        let error = #expect(throws: ScenarioFileError.self) { try ScenarioLoader.load(path: path) }
        #expect(error == .unreadable(file: path, reason: "no such file"))
        #expect(error?.description == "\(path): cannot read scenario: no such file")
    }

    @Test func emptyFile() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("empty.yaml", "# nothing here\n")
        let error = #expect(throws: ScenarioFileError.self) { try ScenarioLoader.load(path: path) }
        #expect(error?.description == "\(path): not valid YAML: the file is empty")
    }

    @Test func topLevelMustBeAMapping() throws {
        let error = #expect(throws: ScenarioFileError.self) { try ScenarioLoader.parse("- a\n- b\n", file: "list.yaml") }
        #expect(error?.description == "list.yaml:1: (top level): expected a mapping of keys to values")
    }

    @Test func missingVersion() throws {
        let text = Self.base.replacingOccurrences(of: "version: 1\n", with: "")
        let error = #expect(throws: ScenarioFileError.self) { try ScenarioLoader.parse(text, file: "nov.yaml") }
        #expect(error?.description == "nov.yaml:1: missing required key 'version'")
    }
}
