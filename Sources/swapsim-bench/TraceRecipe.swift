import Foundation
import SwapSimCore
import SwapSimIO

/// A benchmark trace the harness generates: the W1 shape (24 h, Zipf(1.0) over the scenario's
/// models, a diurnal cycle peaking at 14 h with amplitude 0.6, lognormal tokens with means
/// 1,000 in and 250 out, σ = 1, seed 7), resized.
///
/// W2's 10 M requests stretch W1 in time: ten days of W1's traffic (the daily cycle repeating),
/// so the cluster sees the same load at every hour and only the length of the trace grows.
/// (Ten times the rate over one day would overload the cluster and measure its ever-growing
/// queues instead.) The 100 k trace keeps W1's day at a tenth of its rate, so it has the whole
/// daily shape.
struct TraceRecipe: Equatable {
    /// The size's name in file names and tables ("100k", "1M", "10M").
    var label: String
    /// The file name's start: the W1 shape over W1's models, or over another scenario's
    /// (W4's `w4-1000-models`, the model series' `w4-20-models`).
    var stem = "w1-shape"
    /// Multiple of W1's rate.
    var rateMultiple: Double
    /// Days of traffic (W1 has one).
    var days: Int
    /// The harness's `--scale`, which multiplies the rate again (tests use 0.0005).
    var scale: Double

    /// W1's mean rate: 1,000,000 requests over 24 h (the CLI's `--rate 11.574`).
    static let w1Rate = 11.574
    static let seed: UInt64 = 7
    /// Bump when the generation changes, so stale files are regenerated.
    static let version = 2

    static func w1(scale: Double) -> TraceRecipe { TraceRecipe(label: "1M", rateMultiple: 1, days: 1, scale: scale) }
    static func w2(scale: Double) -> TraceRecipe { TraceRecipe(label: "10M", rateMultiple: 1, days: 10, scale: scale) }
    static func hundredThousand(scale: Double) -> TraceRecipe { TraceRecipe(label: "100k", rateMultiple: 0.1, days: 1, scale: scale) }
    /// W4: W2's ten days over the swap-heavy scenario's `models` models.
    static func w4(models: Int, scale: Double) -> TraceRecipe {
        TraceRecipe(label: "10M", stem: "w4-\(models)-models", rateMultiple: 1, days: 10, scale: scale)
    }
    /// The model series: W1's day over the swap-heavy scenario's first `models` models.
    static func modelSeries(models: Int, scale: Double) -> TraceRecipe {
        TraceRecipe(label: "1M", stem: "w4-\(models)-models", rateMultiple: 1, days: 1, scale: scale)
    }

    var rate: Double { Self.w1Rate * rateMultiple * scale }
    /// Length of the trace in seconds.
    var durationSeconds: Int64 { 86_400 * Int64(days) }

    /// The requests the recipe aims at (the generated count is within a Poisson spread of it).
    var nominalRequests: Int { Int((rate * Double(durationSeconds)).rounded()) }

    /// The file name in the data folder: the size, and the scale when it is not 1.
    var fileName: String { scale == 1 ? "\(stem)-\(label).csv" : "\(stem)-\(label)-scale-\(scale).csv" }

    /// Everything that decides the file's bytes, for the sidecar.
    func description(models: [String]) -> String {
        """
        swapsim-bench trace v\(Self.version): rate \(rate)/s, duration \(durationSeconds)s, diurnal amplitude 0.6 period 24h peak 14h, \
        zipf 1.0 over \(models.count) models (\(SHA256.hex(models.joined(separator: ",")).prefix(16))), \
        input lognormal:1000,1, output lognormal:250,1, max tokens 32768, seed \(Self.seed)
        """
    }

    func parameters(models: Int) -> TraceGenerator.Parameters {
        TraceGenerator.Parameters(
            traffic: .shared(.poisson(rate: rate), weights: TraceGenerator.Traffic.zipfWeights(models: models, exponent: 1.0)),
            diurnal: DiurnalModulation(amplitude: 0.6, period: .seconds(86_400), peak: .seconds(14 * 3600)),
            duration: .seconds(durationSeconds), inputTokens: .lognormal(mean: 1000, sigma: 1), outputTokens: .lognormal(mean: 250, sigma: 1),
            maxTokens: 32768)
    }
}

/// A generated trace on disk, with what its sidecar records.
struct TraceFile {
    var path: String
    var bytes: Int64
    var rows: Int
    var sha256: String
    /// Whether this run generated it (false: reused from an earlier run).
    var generated: Bool
}

extension TraceRecipe {
    /// The trace in `folder`, reused when its sidecar (`FILE.sidecar`) matches this recipe and the
    /// file's size and SHA-256, else generated (native CSV) and its sidecar written.
    func materialise(in folder: String, models: [String], log: (String) -> Void) throws -> TraceFile {
        let path = folder + "/" + fileName
        let sidecar = path + ".sidecar"
        let recipe = description(models: models)
        if let text = try? String(contentsOfFile: sidecar, encoding: .utf8), let s = Sidecar(text), s.recipe == recipe,
            let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int64, size == s.bytes
        {
            log("checking \(path) (\(s.rows) requests) against its sidecar")
            if (try? SHA256.hex(fileAt: path)) == s.sha256 {
                return TraceFile(path: path, bytes: s.bytes, rows: s.rows, sha256: s.sha256, generated: false)
            }
        }
        log("generating \(path) (about \(nominalRequests) requests; not timed)")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let writer = try TraceFileWriter(path: path, format: .csv)
        var generator = TraceGenerator(parameters(models: models.count), seed: Self.seed)
        var rows = 0
        while let r = generator.next() {
            writer.write(r, modelName: models[r.model])
            rows += 1
        }
        writer.finish()
        let size = (try FileManager.default.attributesOfItem(atPath: path))[.size] as? Int64 ?? 0
        let hash = try SHA256.hex(fileAt: path)
        try Sidecar(recipe: recipe, bytes: size, rows: rows, sha256: hash).text.write(toFile: sidecar, atomically: true, encoding: .utf8)
        return TraceFile(path: path, bytes: size, rows: rows, sha256: hash, generated: true)
    }
}

/// What the harness records beside a generated trace to reuse it: the recipe, size, rows and SHA-256.
struct Sidecar {
    var recipe: String
    var bytes: Int64
    var rows: Int
    var sha256: String

    init(recipe: String, bytes: Int64, rows: Int, sha256: String) {
        self.recipe = recipe
        self.bytes = bytes
        self.rows = rows
        self.sha256 = sha256
    }

    init?(_ text: String) {
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let eq = line.firstIndex(of: "=") else { continue }
            fields[String(line[..<eq])] = String(line[line.index(after: eq)...])
        }
        guard let recipe = fields["recipe"], let b = fields["bytes"].flatMap({ Int64($0) }), let r = fields["rows"].flatMap({ Int($0) }),
            let h = fields["sha256"]
        else { return nil }
        self.init(recipe: recipe, bytes: b, rows: r, sha256: h)
    }

    var text: String { "recipe=\(recipe)\nbytes=\(bytes)\nrows=\(rows)\nsha256=\(sha256)\n" }
}
