#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation
import SwapSimCore
import Synchronization

/// How a fuzz run is set up.
public struct FuzzConfiguration: Sendable {
    public var seed: UInt64 = 1
    /// The first iteration and how many: iteration `i` is the same input in any run with this seed.
    public var firstIteration = 0
    public var iterations = 1000
    /// Seconds an input may take; one that takes longer is a hang (a finding).
    public var timeLimit = 5.0
    /// Resident memory the process may reach, in bytes; beyond it the input is a memory finding.
    public var memoryLimit = 1 << 30
    /// Whether parsed inputs are simulated (false: parsers only).
    public var simulate = true
    /// Where failing inputs are saved (nil: not saved).
    public var out: URL?
    /// The file the current input is written to before it runs (its metadata beside it, in
    /// `.json`, and its phase in `.phase`), so a crash leaves it behind.
    public var current: URL = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("swapsim-fuzz-current")

    public init() {}

    /// A process killed for a hang exits with this status; over memory, ``memoryExitStatus``.
    public static let hangExitStatus: Int32 = 124
    public static let memoryExitStatus: Int32 = 125

    /// Seconds after which a running input is taken to hang and the process is stopped.
    public var hardTimeLimit: Double { max(10, 4 * timeLimit) }
}

/// A seeded fuzz run in this process: iteration `i` mutates a seed of the corpus chosen by the
/// stream `fuzz/i` of the seed, runs it through the harness, and records what it did.
///
/// Before each input runs it is written to ``FuzzConfiguration/current``; a watchdog thread
/// stops the process (status 124) when an input runs past ``FuzzConfiguration/hardTimeLimit``
/// and (status 125) when resident memory passes the limit, leaving the input there.
public final class FuzzCampaign: @unchecked Sendable {
    public let corpus: FuzzCorpus
    public let configuration: FuzzConfiguration

    public init(corpus: FuzzCorpus, configuration: FuzzConfiguration) {
        self.corpus = corpus
        self.configuration = configuration
    }

    /// The input of iteration `i`: one seed in sixteen as it is, the others mutated.
    public func input(at i: Int) -> FuzzInput {
        var rng = RandomStream(seed: configuration.seed, stream: "fuzz/\(i)")
        let seed = corpus.seeds[Int(rng.nextInt(below: UInt64(corpus.seeds.count)))]
        var input = seed
        input.variant = Int(rng.nextInt(below: UInt64(FuzzInput.variants)))
        if rng.nextInt(below: 16) != 0 { input.bytes = Mutator.mutate(seed.bytes, others: corpus.seeds, rng: &rng) }
        return input
    }

    /// A short description of iteration `i`'s input: its kind, variant and seed.
    public func describe(_ input: FuzzInput) -> String {
        "\(input.kind.rawValue)\(input.variant == 0 ? "" : "+\(input.variant)") from \(input.name)"
    }

    /// Runs the configured iterations through `harness`, calling `each` after every input.
    public func run(harness: FuzzHarness, each: ((Int, FuzzInput, FuzzOutcome, Double, Int) -> Void)? = nil) -> FuzzStatistics {
        var stats = FuzzStatistics(seed: configuration.seed)
        let started = ResourceUsage.now()
        let current = CurrentInput(configuration.current)
        let watchdog = Watchdog(configuration: configuration, current: configuration.current.path)
        watchdog.start()
        harness.phase = { current.setPhase($0) }
        for i in configuration.firstIteration..<(configuration.firstIteration + configuration.iterations) {
            let input = input(at: i)
            current.set(input, iteration: i, seed: configuration.seed)
            watchdog.begin(iteration: i)
            let t0 = ResourceUsage.now()
            let outcome = harness.evaluate(input)
            let seconds = Double(ResourceUsage.now() - t0) / 1e9
            watchdog.end()
            let rss = ResourceUsage.residentBytes()
            stats.record(
                iteration: i, input: describe(input), kind: input.kind.rawValue, errorKind: outcome.errorKind, simulations: outcome.simulations,
                seconds: seconds, rss: rss)
            if seconds > configuration.timeLimit {
                stats.findings.append(FuzzFinding(
                    kind: .hang, iteration: i, input: describe(input), phase: "the whole input",
                    detail: "took \(FuzzStatistics.seconds(seconds)) s, over the \(configuration.timeLimit) s budget", saved: save(input, "hang-\(i)")))
            }
            each?(i, input, outcome, seconds, rss)
        }
        watchdog.finish()
        current.clear()
        stats.wallSeconds = Double(ResourceUsage.now() - started) / 1e9
        return stats
    }

    /// Runs one input as the campaign runs each: written to the current-input file first, under
    /// the watchdog (a hang or memory over budget stops the process with status 124 or 125).
    public static func replay(_ input: FuzzInput, harness: FuzzHarness, configuration: FuzzConfiguration) -> FuzzOutcome {
        let current = CurrentInput(configuration.current)
        let watchdog = Watchdog(configuration: configuration, current: configuration.current.path)
        watchdog.start()
        harness.phase = { current.setPhase($0) }
        current.set(input, iteration: -1, seed: configuration.seed)
        watchdog.begin(iteration: -1)
        let outcome = harness.evaluate(input)
        watchdog.end()
        watchdog.finish()
        current.clear()
        return outcome
    }

    /// Saves `input` into the out folder as `NAME.KIND[+V].EXT`; returns its path.
    public func save(_ input: FuzzInput, _ name: String) -> String? {
        guard let out = configuration.out else { return nil }
        try? FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let url = out.appendingPathComponent(input.fileName(name))
        return (try? Data(input.bytes).write(to: url)).map { url.path }
    }
}

/// The current input on disk: its bytes, its metadata and its phase, each rewritten in place
/// through a descriptor kept open (a few microseconds per input).
final class CurrentInput {
    let bytes: Int32, meta: Int32, phase: Int32
    let url: URL

    init(_ url: URL) {
        self.url = url
        func openFile(_ path: String) -> Int32 { open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644) }
        bytes = openFile(url.path)
        meta = openFile(url.path + ".json")
        phase = openFile(url.path + ".phase")
    }

    deinit {
        for fd in [bytes, meta, phase] where fd >= 0 { close(fd) }
    }

    static func put(_ fd: Int32, _ data: [UInt8]) {
        guard fd >= 0 else { return }
        _ = data.withUnsafeBytes { pwrite(fd, $0.baseAddress, data.count, 0) }
        _ = ftruncate(fd, off_t(data.count))
    }

    func set(_ input: FuzzInput, iteration: Int, seed: UInt64) {
        Self.put(bytes, input.bytes)
        let text = "{\"iteration\": \(iteration), \"seed\": \(seed), \"kind\": \"\(input.kind.rawValue)\", \"variant\": \(input.variant), \"from\": \(input.name.jsonQuoted), \"file\": \(input.fileName("input").jsonQuoted)}\n"
        Self.put(meta, Array(text.utf8))
        Self.put(phase, Array("start\n".utf8))
    }

    func setPhase(_ p: String) { Self.put(phase, Array((p + "\n").utf8)) }

    func clear() {
        for fd in [bytes, meta, phase] where fd >= 0 { _ = ftruncate(fd, 0) }
    }
}

/// Watches the running input from another thread: stops the process when it runs too long or
/// resident memory passes the limit, saying which input (it is in the current-input file).
final class Watchdog: Sendable {
    private let started = Atomic<UInt64>(0)
    private let finished = Atomic<Bool>(false)
    private let iteration = Atomic<Int>(-1)
    private let hardLimit: UInt64
    private let memoryLimit: Int
    private let current: String

    init(configuration: FuzzConfiguration, current: String) {
        hardLimit = UInt64(configuration.hardTimeLimit * 1e9)
        memoryLimit = configuration.memoryLimit
        self.current = current
    }

    func begin(iteration i: Int) {
        iteration.store(i, ordering: .relaxed)
        started.store(ResourceUsage.now(), ordering: .releasing)
    }

    func end() { started.store(0, ordering: .releasing) }

    /// Ends the watching thread (within its 20 ms poll).
    func finish() { finished.store(true, ordering: .releasing) }

    func start() {
        let thread = Thread { [self] in
            while !finished.load(ordering: .acquiring) {
                usleep(20_000)
                let t = started.load(ordering: .acquiring)
                guard t != 0 else { continue }
                let rss = ResourceUsage.residentBytes()
                if rss > memoryLimit {
                    stop("iteration \(iteration.load(ordering: .relaxed)) is over its memory budget: resident \(rss >> 20) MiB > \(memoryLimit >> 20) MiB", FuzzConfiguration.memoryExitStatus)
                }
                let now = ResourceUsage.now()
                if now > t && now - t > hardLimit {
                    stop("iteration \(iteration.load(ordering: .relaxed)) still runs after \((now - t) / 1_000_000_000) s: a hang", FuzzConfiguration.hangExitStatus)
                }
            }
        }
        thread.stackSize = 1 << 16
        thread.start()
    }

    private func stop(_ why: String, _ status: Int32) -> Never {
        let line = "swapsim-fuzz: \(why); the input is in \(current) (phase in \(current).phase)\n"
        _ = line.withCString { write(2, $0, strlen($0)) }
        _exit(status)
    }
}
