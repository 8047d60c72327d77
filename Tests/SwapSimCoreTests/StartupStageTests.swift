import SwapSimCore
import Testing

/// Start-up from nothing, stage by stage (the serving stack's functions of the model), the
/// first-request penalty, per-model overrides, and the host-side costs of the wake mechanisms.
@Suite struct StartupStageTests {
    /// One H100 SXM (HGX platform) serving `arch` under scale-to-zero with the real default stack.
    static func scenario(_ arch: String, tp: Int = 1, gpus: Int = 1, config: ScaleToZeroConfig = ScaleToZeroConfig(keepAlive: .minutes(5))) -> Scenario {
        let gpu = GPUCatalog.named("H100-SXM")!
        var s = Scenario(
            name: "startup",
            cluster: ClusterSpec(
                nodes: 1, gpusPerNode: gpus, gpu: gpu, hostMemory: .gibibytes(1024), swapSpace: .gibibytes(512),
                dmaBandwidth: nil, storageReadBandwidth: nil),
            models: [ModelDeployment(name: "m", architecture: ModelCatalog.named(arch)!, tensorParallel: tp, kvCache: .gibibytes(8), maxBatch: 16)],
            serving: ServingConfig(iterationOverhead: .milliseconds(3), computeEfficiency: 0.5, memoryEfficiency: 0.8, runtimeReservation: .gibibytes(1)),
            costs: CostConfig(gpuHour: Dollars(2)), slo: SLOConfig(ttft: .seconds(5)))
        s.scaleToZero = config
        return s
    }

    static let stack = StackCatalog.defaultStack

    /// The stack's stage seconds for `arch` at `tp`, by stage.
    static func stages(_ arch: String, tp: Int = 1) -> [StartupStage: Double] {
        Dictionary(uniqueKeysWithValues: stack.stageSeconds(ModelCatalog.named(arch)!, tensorParallel: tp))
    }

    /// A cold start runs container, runtime, the load, compile, KV profiling and graph capture,
    /// each logged when it begins and lasting what the stack says; the first request then pays
    /// the lazy initialisation. Llama-3.1-8B: 32 layers, so compile (cold) 3.02 + 0.7221 × 32 s.
    @Test func aColdStartIsTheSumOfTheStacksStages() throws {
        let s = Self.scenario("llama-3.1-8b")
        let result = try simulate(scenario: s, strategy: .scaleToZero, requests: ArrayRequestSource([
            TraceRequest(arrival: .zero, model: 0, inputTokens: 16, outputTokens: 1)]))
        let events = result.lifecycle.filter { $0.kind == .startupStage }
        let order: [StartupStage] = [.container, .runtimeInit, .weightLoad, .compile, .kvProfiling, .graphCapture]
        #expect(events.map(\.reason) == order.map { .stage($0) })
        let st = Self.stages("llama-3.1-8b")
        #expect(abs(st[.compile]! - (3.02 + 0.7221 * 32)) < 1e-9)
        // Each timed stage lasts what the stack says.
        for (i, stage) in order.enumerated() where stage != .weightLoad && i + 1 < order.count {
            let took = (events[i + 1].time - events[i].time).seconds
            #expect(abs(took - st[stage]!) < 1e-6, "\(stage): \(took) s")
        }
        // The load: 16.06 GB through safetensors from the page cache at 8.3 GB/s.
        let load = (events[3].time - events[2].time).seconds
        let bytes = Double(ModelCatalog.named("llama-3.1-8b")!.weightBytes.bytes)
        #expect(abs(load - bytes / 8.3e9) < 0.01, "load \(load) s")
        // The breakdown has every stage once, in order.
        #expect(result.startup.map(\.stage) == order)
        #expect(result.startup.allSatisfy { $0.count == 1 })
        // TTFT: the whole start-up, the first request's initialisation and the prefill.
        let startup = result.startup.reduce(0) { $0 + $1.meanSeconds }
        #expect(result.ttft.max > startup + st[.firstRequest]!)
        #expect(result.ttft.max < startup + st[.firstRequest]! + 0.1)
    }

    /// With a warm-up request, the first-request initialisation is a start-up stage instead and
    /// the first request does not pay it again: the TTFT is the same to within the prefill.
    @Test func aWarmupRequestMovesTheFirstRequestCostIntoTheStartUp() throws {
        let trace = ArrayRequestSource([TraceRequest(arrival: .zero, model: 0, inputTokens: 16, outputTokens: 1)])
        let plain = try simulate(scenario: Self.scenario("llama-3.1-8b"), strategy: .scaleToZero, requests: trace)
        let warmed = try simulate(
            scenario: Self.scenario("llama-3.1-8b", config: ScaleToZeroConfig(keepAlive: .minutes(5), warmupRequest: true)),
            strategy: .scaleToZero, requests: trace)
        #expect(warmed.startup.last?.stage == .firstRequest)
        #expect(abs(warmed.startup.last!.meanSeconds - Self.stages("llama-3.1-8b")[.firstRequest]!) < 1e-6)
        #expect(abs(warmed.ttft.max - plain.ttft.max) < 1e-3)
    }

    /// A second request after the replica is ready pays no start-up and no first-request cost.
    @Test func onlyTheFirstRequestOfAProcessPaysItsInitialisation() throws {
        let trace = ArrayRequestSource([
            TraceRequest(arrival: .zero, model: 0, inputTokens: 16, outputTokens: 1),
            TraceRequest(arrival: SimInstant(nanoseconds: 200_000_000_000), model: 0, inputTokens: 16, outputTokens: 1)])
        let r = try simulate(scenario: Self.scenario("llama-3.1-8b"), strategy: .scaleToZero, requests: trace)
        #expect(r.ttft.p50 < 0.1)
        #expect(r.ttft.max > 50)
    }

    /// `models[].startup` replaces a stage for one model, the weight load included; stages the
    /// scenario's strategy states (`cold_start.container`) give way to the model's own.
    @Test func perModelStagesOverrideTheStack() throws {
        var s = Self.scenario("llama-3.1-8b", config: ScaleToZeroConfig(keepAlive: .minutes(5), containerStart: .seconds(3)))
        s.models[0].startup = [.compile: .seconds(7), .weightLoad: .seconds(11)]
        let steps = s.startupSteps(of: 0, overrides: s.scaleToZero.overrides, warmupRequest: false)
        #expect(steps.first == StartupStep(.container, .seconds(3)))
        #expect(steps.contains(StartupStep(.compile, .seconds(7))))
        #expect(steps.contains(StartupStep(.weightLoad, .seconds(11))))
        let r = try simulate(scenario: s, strategy: .scaleToZero, requests: ArrayRequestSource([
            TraceRequest(arrival: .zero, model: 0, inputTokens: 16, outputTokens: 1)]))
        #expect(abs(r.startup.first { $0.stage == .weightLoad }!.meanSeconds - 11) < 1e-6)
        #expect(abs(r.startup.first { $0.stage == .compile }!.meanSeconds - 7) < 1e-6)
        #expect(abs(r.startup.first { $0.stage == .container }!.meanSeconds - 3) < 1e-6)
    }

    /// Compile and graph capture grow with the model: a 70B model's start-up is longer than an
    /// 8B model's beyond its weight load, and each further tensor-parallel rank adds its cost.
    @Test func stagesGrowWithTheModelAndTensorParallelism() {
        let small = Self.stages("llama-3.1-8b")
        let large = Self.stages("llama-3.1-70b", tp: 4)
        #expect(large[.compile]! > small[.compile]!)
        #expect(large[.graphCapture]! > small[.graphCapture]!)
        #expect(abs(large[.runtimeInit]! - small[.runtimeInit]! - 3 * 10.94) < 1e-9)
    }

    /// Two cold starts at once read from one storage tier: the node's bandwidth is shared. From
    /// the page cache each rank reads at 8.3 GB/s; with a 10 GB/s tier two loads get 5 GB/s each.
    @Test func loadsAtOnceShareTheStorageTier() throws {
        var s = Self.scenario("llama-3.1-8b", gpus: 2)
        s.models.append(ModelDeployment(name: "n", architecture: ModelCatalog.named("llama-3.1-8b")!, tensorParallel: 1, kvCache: .gibibytes(8), maxBatch: 16))
        s.cluster.storage.bandwidth = .gigabytesPerSecond(10)
        s.cluster.storageStated = true
        let r = try simulate(scenario: s, strategy: .scaleToZero, requests: ArrayRequestSource([
            TraceRequest(arrival: .zero, model: 0, inputTokens: 16, outputTokens: 1),
            TraceRequest(arrival: .zero, model: 1, inputTokens: 16, outputTokens: 1)]))
        let bytes = Double(ModelCatalog.named("llama-3.1-8b")!.weightBytes.bytes)
        let load = r.startup.first { $0.stage == .weightLoad }!
        #expect(load.count == 2)
        #expect(abs(load.meanSeconds - bytes / 5e9) < 0.01, "\(load.meanSeconds)")
    }

    /// An unknown GPU's node (no platform named) gets each GPU on a root port of its own; the
    /// H100 gets the HGX board: two GPUs per PCIe switch.
    @Test func aScenarioNamingOnlyTheGPUGetsItsPlatformsTopology() {
        let s = Self.scenario("llama-3.1-8b", gpus: 8)
        #expect(s.cluster.topology.name == "hgx-h100-8gpu")
        #expect(s.cluster.topology.switches.map(\.gpus) == [[0, 1], [2, 3], [4, 5], [6, 7]])
        #expect(s.serving.stack.name == "vllm-0.11")
        #expect(s.hotSwap.mechanism == .vllmSleepL1)
    }
}
