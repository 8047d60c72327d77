/// Every model keeps its replicas on GPUs for the whole trace; every GPU is billed all the time.
///
/// Replicas are placed once at the start by first-fit decreasing, so small models may share a
/// GPU when memory allows. Requests go to the model's replica with the fewest outstanding
/// requests (ties to the lowest index).
final class AlwaysWarmStrategy: ServingStrategy {
    private var replicasOf: [[Int]] = []

    func start(_ sim: Simulation) throws(ScenarioError) {
        let s = sim.scenario
        var items: [(bytes: ByteCount, width: Int)] = []
        var owners: [Int] = []
        for (i, m) in s.models.enumerated() {
            for _ in 0..<s.alwaysWarm.replicas {
                items.append((s.perGPUFootprint(m), m.tensorParallel))
                owners.append(i)
            }
        }
        let (groups, _) = Placement.firstFitDecreasing(items: items, capacity: sim.gpuCapacity, cluster: s.cluster, limit: sim.poolSize)
        if groups.contains(where: { $0 == nil }) {
            let needed = Placement.gpusNeeded(items: items, capacity: sim.gpuCapacity, cluster: s.cluster)
            throw .alwaysWarmDoesNotFit(needed: needed, available: sim.poolSize, gpu: s.cluster.gpu.name)
        }
        replicasOf = Array(repeating: [], count: s.models.count)
        for (k, g) in groups.enumerated() {
            let m = owners[k]
            let r = sim.addReplica(model: m, gpus: g!, state: .ready)
            sim.allocate(items[k].bytes, on: g!, for: m)
            sim.replicas[r].holdsMemory = true
            replicasOf[m].append(r)
        }
    }

    func route(slot: Int32, model: Int, _ sim: Simulation) {
        var best = replicasOf[model][0]
        for r in replicasOf[model].dropFirst() where sim.replicas[r].batcher.outstanding < sim.replicas[best].batcher.outstanding {
            best = r
        }
        sim.deliver(slot, to: best)
    }

    func replicaIdle(_ r: Int, _ sim: Simulation) {}
    func timerFired(_ r: Int, _ sim: Simulation) {}
    func stageFinished(_ r: Int, _ sim: Simulation) {}
    func transferFinished(_ r: Int, kind: TransferKind, _ sim: Simulation) {}

    func billedGPUNanoseconds(_ sim: Simulation, horizon: SimInstant) -> Int128 {
        Int128(sim.poolSize) * Int128(horizon.nanoseconds)
    }

    var billedHostMemory: ByteCount { .zero }
}
