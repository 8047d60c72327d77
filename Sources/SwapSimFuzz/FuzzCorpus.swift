import Foundation

/// The inputs mutations start from: the shipped scenarios and traces, the fuzz seeds kept in
/// `Tests/FuzzCorpus/seeds` (a calibration profile, a fragment, and a file of every other trace
/// format), small slices of the real traces in `../shared/traces` when they are there, and the
/// files of any extra folders named (`--corpus DIR`).
///
/// Traces are cut to their first ``maxLines`` lines: mutations act on structure, and a short
/// input keeps each run well inside its time budget. Seeds are sorted by name, so a seed and an
/// iteration always give the same input.
public struct FuzzCorpus: Sendable {
    public var seeds: [FuzzInput]

    /// Lines kept of each trace seed.
    public static let maxLines = 120

    public init(seeds: [FuzzInput]) { self.seeds = seeds }

    /// The default seeds under `root` (a swapsim checkout) and the files of `extraFolders`.
    /// - Throws: ``FuzzError/noSeeds(_:)`` when nothing was found.
    public static func load(root: URL, extraFolders: [URL] = []) throws -> FuzzCorpus {
        var seeds: [FuzzInput] = []
        let fm = FileManager.default
        func files(_ folder: URL) -> [URL] {
            ((try? fm.contentsOfDirectory(atPath: folder.path)) ?? []).sorted().map { folder.appendingPathComponent($0) }
        }
        func add(_ url: URL, _ kind: FuzzKind, variant: Int = 0) {
            guard let data = fm.contents(atPath: url.path) else { return }
            seeds.append(FuzzInput(kind: kind, variant: variant, bytes: kind.isTrace ? slice(Array(data)) : Array(data), name: url.lastPathComponent))
        }
        for f in files(root.appendingPathComponent("scenarios")) where f.pathExtension == "yaml" { add(f, .scenario) }
        for f in files(root.appendingPathComponent("traces")) where f.pathExtension == "csv" { add(f, .native) }
        for folder in [root.appendingPathComponent("Tests/FuzzCorpus/seeds")] + extraFolders {
            for f in files(folder) {
                if let (kind, variant) = FuzzInput.kindAndVariant(ofFileName: f.lastPathComponent) { add(f, kind, variant: variant) }
            }
        }
        let shared = root.deletingLastPathComponent().appendingPathComponent("shared/traces")
        for name in ["AzureLLMInferenceTrace_code.csv", "AzureLLMInferenceTrace_conv.csv"] {
            let f = shared.appendingPathComponent("azure-llm-inference-2023").appendingPathComponent(name)
            if fm.fileExists(atPath: f.path) { add(f, .azure) }
        }
        let servegen = shared.appendingPathComponent("alibaba-servegen/data/reason/deepseek-r1/chunk-0-trace.csv")
        if fm.fileExists(atPath: servegen.path) { add(servegen, .servegen) }
        guard !seeds.isEmpty else { throw FuzzError.noSeeds(root.path) }
        return FuzzCorpus(seeds: seeds)
    }

    /// The first ``maxLines`` lines of `bytes`.
    static func slice(_ bytes: [UInt8]) -> [UInt8] {
        var lines = 0
        for (i, b) in bytes.enumerated() where b == 10 {
            lines += 1
            if lines == maxLines { return Array(bytes[...i]) }
        }
        return bytes
    }
}

/// Why the harness could not start.
public enum FuzzError: Error, CustomStringConvertible, Sendable {
    case noSeeds(String)
    case unreadable(String)
    /// A worker process stopped for another reason than a crash, a hang or memory.
    case workerFailed(String)

    public var description: String {
        switch self {
        case let .noSeeds(root): return "\(root): no fuzz seeds found (expected scenarios/, traces/ and Tests/FuzzCorpus/seeds/ in a swapsim checkout; see --corpus)"
        case let .unreadable(path): return "\(path): cannot read the input"
        case let .workerFailed(why): return why
        }
    }
}
