/// The cluster's state sampled over a run, downsampled to a bounded number of points: what
/// reports draw as GPU memory, link utilisation and queue length over time.
///
/// Samples are taken at multiples of ``interval`` from time zero. The state between two events
/// does not change, so a sample is the exact state at its instant. When the count would pass
/// the recorder's limit, every other sample is dropped and the interval doubles: memory stays
/// bounded however long the trace, and the samples kept are still exact. The limit is lower on
/// clusters of more than 1,024 GPUs, so it is bounded however large the cluster too
/// (``TimelineRecorder/gpuSampleBudget``).
public struct Timeline: Hashable, Sendable {
    /// Spacing of the samples.
    public var interval: SimDuration
    /// Capacity of each GPU's host→device link (bytes per second), for utilisation.
    public var hostToDeviceCapacity: Double
    /// Capacity of each GPU's device→host link (bytes per second); equal to host→device when half-duplex.
    public var deviceToHostCapacity: Double
    /// GPUs sampled (the strategy's pool).
    public var gpus: Int
    /// The samples, in time order.
    public var samples: [TimelineSample]

    public init(interval: SimDuration, hostToDeviceCapacity: Double, deviceToHostCapacity: Double, gpus: Int, samples: [TimelineSample]) {
        self.interval = interval
        self.hostToDeviceCapacity = hostToDeviceCapacity
        self.deviceToHostCapacity = deviceToHostCapacity
        self.gpus = gpus
        self.samples = samples
    }

    /// Mean utilisation of GPU `g`'s host→device link between samples `i - 1` and `i` (0 for the first).
    public func hostToDeviceUtilization(gpu g: Int, sample i: Int) -> Double {
        utilization(i, capacity: hostToDeviceCapacity) { $0.hostToDeviceBytes[g] }
    }

    /// Mean utilisation of GPU `g`'s device→host link between samples `i - 1` and `i` (0 for the first).
    public func deviceToHostUtilization(gpu g: Int, sample i: Int) -> Double {
        utilization(i, capacity: deviceToHostCapacity) { $0.deviceToHostBytes[g] }
    }

    private func utilization(_ i: Int, capacity: Double, _ bytes: (TimelineSample) -> Int64) -> Double {
        guard i > 0, capacity > 0 else { return 0 }
        let dt = (samples[i].time - samples[i - 1].time).seconds
        guard dt > 0 else { return 0 }
        return Double(bytes(samples[i]) - bytes(samples[i - 1])) / (capacity * dt)
    }
}

/// Memory one model (or the runtime reservations) holds on one GPU at a sample.
public struct ResidentShare: Hashable, Sendable {
    /// Index of the model in the scenario, or nil for server runtime reservations.
    public var model: Int?
    public var bytes: ByteCount

    public init(model: Int?, bytes: ByteCount) {
        self.model = model
        self.bytes = bytes
    }
}

/// The cluster's state at one instant.
public struct TimelineSample: Hashable, Sendable {
    public var time: SimInstant
    /// Per GPU: memory held, by model in scenario order, runtime reservations first.
    public var residents: [[ResidentShare]]
    /// Per GPU: bytes its host→device link has carried since the start.
    public var hostToDeviceBytes: [Int64]
    /// Per GPU: bytes its device→host link has carried since the start.
    public var deviceToHostBytes: [Int64]
    /// Requests that have arrived and not yet started prefill: waiting for a swap-in, a cold
    /// start or a place in a batch.
    public var queued: Int
    /// Requests in a running batch.
    public var running: Int

    public init(time: SimInstant, residents: [[ResidentShare]], hostToDeviceBytes: [Int64], deviceToHostBytes: [Int64], queued: Int, running: Int) {
        self.time = time
        self.residents = residents
        self.hostToDeviceBytes = hostToDeviceBytes
        self.deviceToHostBytes = deviceToHostBytes
        self.queued = queued
        self.running = running
    }

    /// Memory in use on GPU `g`.
    public func memoryUsed(gpu g: Int) -> ByteCount {
        var total = ByteCount.zero
        for r in residents[g] { total += r.bytes }
        return total
    }
}

/// Samples a simulation's state at a doubling interval, keeping at most `limit` samples.
struct TimelineRecorder {
    /// The most samples kept on a small cluster.
    static let defaultLimit = 512
    /// The most GPU-samples (samples × GPUs sampled) kept: each holds the GPU's residents and
    /// link counters (about 100 bytes), so a run's timeline stays under about 50 MiB however
    /// large the cluster. Up to 1,024 GPUs this allows ``defaultLimit`` samples.
    static let gpuSampleBudget = 1 << 19

    /// The sample limit for a timeline of `gpus` GPUs: ``defaultLimit``, fewer (an even count,
    /// at least 4) where the cluster is so large that ``gpuSampleBudget`` would not hold them.
    static func limit(forGPUs gpus: Int) -> Int {
        let fit = gpuSampleBudget / max(1, gpus)
        return max(4, min(defaultLimit, fit) & ~1)
    }

    private(set) var interval: SimDuration
    private(set) var samples: [TimelineSample] = []
    let limit: Int
    /// The next instant to sample.
    private(set) var nextAt: SimInstant = .zero

    /// - Parameters:
    ///   - initialInterval: spacing before any downsampling.
    ///   - limit: the most samples kept (even, at least 4).
    init(initialInterval: SimDuration = .seconds(1), limit: Int = TimelineRecorder.defaultLimit) {
        precondition(limit >= 4 && limit % 2 == 0)
        interval = initialInterval
        self.limit = limit
    }

    /// A recorder that never samples: for runs whose timeline nobody reads (a plan's
    /// evaluations), which then skip the per-sample walk over every GPU and replica.
    static var disabled: TimelineRecorder {
        var t = TimelineRecorder()
        t.nextAt = SimInstant(nanoseconds: .max)
        return t
    }

    /// Whether a sample is due before the state moves on at `now`.
    @inline(__always) func isDue(before now: SimInstant) -> Bool { now >= nextAt }

    /// Records `take(t)` for every due sample instant `t` up to and including `now`.
    ///
    /// Called before the events at `now` change anything, so the state is the one in force at each instant.
    mutating func record(upTo now: SimInstant, _ take: (SimInstant) -> TimelineSample) {
        while nextAt <= now {
            samples.append(take(nextAt))
            if samples.count > limit { halve() }
            nextAt = nextAt + interval
        }
    }

    /// Drops every other sample (keeping those at even multiples of the doubled interval).
    private mutating func halve() {
        var kept: [TimelineSample] = []
        kept.reserveCapacity(limit / 2 + 1)
        var i = 0
        while i < samples.count {
            kept.append(samples[i])
            i += 2
        }
        samples = kept
        interval = interval * 2
        // The next sample lands on the new grid: one doubled interval after the last kept one.
        nextAt = samples[samples.count - 1].time
    }
}
