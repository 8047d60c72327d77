import Foundation
import Testing

/// Headless Chromium, when installed (`.ci/run` installs the Debian `chromium` package).
enum Chromium {
    static let executable: String? = {
        if let env = ProcessInfo.processInfo.environment["CHROMIUM"], FileManager.default.isExecutableFile(atPath: env) { return env }
        return ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    static let python: String? = ["/usr/bin/python3", "/usr/local/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) }

    static var available: Bool { executable != nil && python != nil }

    /// Renders `page` at `width` × `height` into `png`, returning what the page logged to its
    /// console (lines Chromium tags `CONSOLE`) and any uncaught errors.
    static func screenshot(_ page: String, width: Int, height: Int, png: String, profile: String) throws -> [String] {
        let log = png + ".log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable!)
        p.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--user-data-dir=\(profile)",
            "--enable-logging=stderr", "--v=0", "--screenshot=\(png)", "--window-size=\(width),\(height)",
            URL(fileURLWithPath: page).absoluteString,
        ]
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        try p.run()
        let deadline = Date().addingTimeInterval(120)
        while p.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if p.isRunning { p.terminate() }
        p.waitUntilExit()
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map(String.init).filter { $0.contains(":CONSOLE") || $0.contains("Uncaught") }
    }

    /// Renders `page` at each size and expects what every report page must be: nothing logged,
    /// the size asked for, and far from blank (text, table shading, chart colours: over 100
    /// colours and over 2 % of the pixels drawn on). With `SWAPSIM_KEEP_SCREENSHOTS=DIR` the
    /// pictures are kept as `DIR/<keepAs>-<size>.png`.
    static func expectRendersCleanly(
        _ page: String, sizes: [(name: String, width: Int, height: Int)], in dir: TemporaryDirectory, keepAs: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        for (name, width, height) in sizes {
            let png = dir.path("\(name).png")
            let logged = try screenshot(page, width: width, height: height, png: png, profile: dir.path("profile-\(name)"))
            #expect(logged.isEmpty, "the page logged: \(logged)", sourceLocation: sourceLocation)
            let image = try PNGImage(path: png, scratch: dir.path(name))
            #expect(image.width == width && image.height == height, sourceLocation: sourceLocation)
            let stats = image.colourStatistics()
            #expect(stats.distinct > 100, "only \(stats.distinct) colours in the \(name) screenshot", sourceLocation: sourceLocation)
            #expect(stats.inked > 0.02, "only \(stats.inked) of the \(name) screenshot is drawn on", sourceLocation: sourceLocation)
            if let keep = ProcessInfo.processInfo.environment["SWAPSIM_KEEP_SCREENSHOTS"] {
                try? FileManager.default.createDirectory(atPath: keep, withIntermediateDirectories: true)
                try? FileManager.default.copyItem(atPath: png, toPath: keep + "/\(keepAs)-\(name).png")
            }
        }
    }
}

/// A PNG's pixels, decompressed by Python's zlib and unfiltered here (8-bit RGB or RGBA only).
struct PNGImage {
    var width = 0, height = 0
    /// Bytes per pixel (3 or 4).
    var channels = 0
    var pixels: [UInt8] = []

    init(path: String, scratch: String) throws {
        let raw = scratch + ".raw"
        let script = """
            import struct, sys, zlib
            data = open(sys.argv[1], 'rb').read()
            assert data[:8] == b'\\x89PNG\\r\\n\\x1a\\n', 'not a PNG'
            i, idat, head = 8, b'', None
            while i < len(data):
                n, kind = struct.unpack('>I4s', data[i:i + 8])
                body = data[i + 8:i + 8 + n]
                if kind == b'IHDR': head = struct.unpack('>IIBBBBB', body)
                if kind == b'IDAT': idat += body
                i += 12 + n
            open(sys.argv[2], 'wb').write(zlib.decompress(idat))
            print(head[0], head[1], head[2], head[3])  # width, height, bit depth, colour type
            """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Chromium.python!)
        p.arguments = ["-c", script, path, raw]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let header = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        let fields = header.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
        guard p.terminationStatus == 0, fields.count == 4, fields[2] == 8, fields[3] == 2 || fields[3] == 6 else {
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: path])
        }
        width = fields[0]
        height = fields[1]
        channels = fields[3] == 6 ? 4 : 3
        let filtered = [UInt8](try Data(contentsOf: URL(fileURLWithPath: raw)))
        let stride = width * channels
        pixels = [UInt8](repeating: 0, count: stride * height)
        for y in 0..<height {
            let filter = filtered[y * (stride + 1)]
            for x in 0..<stride {
                let v = filtered[y * (stride + 1) + 1 + x]
                let a = x >= channels ? Int(pixels[y * stride + x - channels]) : 0
                let b = y > 0 ? Int(pixels[(y - 1) * stride + x]) : 0
                let c = x >= channels && y > 0 ? Int(pixels[(y - 1) * stride + x - channels]) : 0
                let predictor: Int
                switch filter {
                case 1: predictor = a
                case 2: predictor = b
                case 3: predictor = (a + b) / 2
                case 4:
                    let p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
                    predictor = pa <= pb && pa <= pc ? a : (pb <= pc ? b : c)
                default: predictor = 0
                }
                pixels[y * stride + x] = UInt8(truncatingIfNeeded: Int(v) + predictor)
            }
        }
    }

    /// Distinct RGB colours, and the share of pixels that are not near-white.
    func colourStatistics() -> (distinct: Int, inked: Double) {
        var seen = Set<UInt32>()
        var inked = 0
        for i in 0..<(width * height) {
            let r = pixels[i * channels], g = pixels[i * channels + 1], b = pixels[i * channels + 2]
            seen.insert(UInt32(r) << 16 | UInt32(g) << 8 | UInt32(b))
            if Int(r) + Int(g) + Int(b) < 3 * 235 { inked += 1 }
        }
        return (seen.count, Double(inked) / Double(max(1, width * height)))
    }
}

/// The demo's HTML report rendered by a real browser: not blank, nothing logged.
@Suite(.serialized) struct ReportHTMLScreenshotTests {
    @Test(.enabled(if: Chromium.available, "needs chromium and python3 (bash .ci/run installs them)"))
    func demoReportRendersWithoutErrors() throws {
        let dir = try TemporaryDirectory()
        let run = try SwapSimExecutable.run(["compare", "--report", dir.path("report"), "--format", "csv"])
        #expect(run.status == 0, "\(run)")
        try Chromium.expectRendersCleanly(
            dir.path("report/report.html"), sizes: [("desktop", 1200, 2400), ("phone", 390, 1600)], in: dir, keepAs: "report")
    }

    @Test(.enabled(if: Chromium.available, "needs chromium and python3 (bash .ci/run installs them)"))
    func manyModelsReportDrawsTheResidencyChart() throws {
        let dir = try TemporaryDirectory()
        let run = try SwapSimExecutable.run([
            "compare", "--scenario", "scenarios/h100-8x-many-models.yaml", "--trace", "traces/many-models.csv", "--report", dir.path("report"), "--format", "csv",
        ])
        #expect(run.status == 0, "\(run)")
        let page = try String(contentsOfFile: dir.path("report/report.html"), encoding: .utf8)
        // 24 models: a row per model over time instead of each GPU's memory in stripes.
        #expect(page.contains("<h2>Model residency over time</h2>"))
        #expect(!page.contains("<h2>GPU memory over time</h2>"))
        for s in ["always-warm", "scale-to-zero", "hot-swap"] { #expect(page.contains("\(s): which models are on GPUs"), "\(s)") }
        #expect(page.contains("<h2>Queue length over time</h2>") && page.contains("<h2>Host link utilisation over time</h2>"))
        // Nothing meets the SLO but always-warm here; the banner is the success one.
        #expect(page.contains("<p class=\"verdict\">Cheapest meeting the SLO: always-warm"))
        try Chromium.expectRendersCleanly(
            dir.path("report/report.html"), sizes: [("desktop", 1200, 2400), ("phone", 390, 1600)], in: dir, keepAs: "many-models")
        // The residency section alone, drawn: not blank, nothing logged.
        let start = try #require(page.range(of: "<h2>Model residency over time</h2>"))
        let end = try #require(page.range(of: "<h2>Reproduce</h2>"))
        let head = try #require(page.range(of: "<main>"))
        let residency = String(page[..<head.upperBound]) + String(page[start.lowerBound..<end.lowerBound]) + "</main></body></html>\n"
        let only = try dir.write("residency.html", residency)
        try Chromium.expectRendersCleanly(only, sizes: [("residency", 1200, 1800)], in: dir, keepAs: "residency")
    }

    @Test func smallPoolsKeepTheMemoryViewAndAMissIsAWarning() throws {
        let dir = try TemporaryDirectory()
        let run = try SwapSimExecutable.run(["compare", "--report", dir.path("demo"), "--format", "csv"])
        #expect(run.status == 0, "\(run)")
        let page = try String(contentsOfFile: dir.path("demo/report.html"), encoding: .utf8)
        #expect(page.contains("<h2>GPU memory over time</h2>") && !page.contains("<h2>Model residency over time</h2>"))
        // A TTFT target nobody meets: the verdict is a warning banner, not the green one.
        let scenario = try String(contentsOf: SwapSimExecutable.repositoryRoot.appendingPathComponent("scenarios/demo.yaml"), encoding: .utf8)
        let tight = try dir.write("tight.yaml", Self.withSLO(scenario, ttft: "1ms"))
        let miss = try SwapSimExecutable.run(["compare", "--scenario", tight, "--trace", "traces/demo.csv", "--report", dir.path("miss"), "--format", "csv"])
        #expect(miss.status == 0, "\(miss)")
        let missPage = try String(contentsOfFile: dir.path("miss/report.html"), encoding: .utf8)
        #expect(missPage.contains("<p class=\"verdict miss\">No strategy meets the SLO.</p>"))
    }

    /// `scenario` with its top-level `slo:` section replaced by one with a TTFT target of `ttft`.
    static func withSLO(_ scenario: String, ttft: String) -> String {
        var out: [Substring] = []
        var skipping = false
        for line in scenario.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("slo:") {
                out.append("slo: {ttft: \(ttft)}")
                skipping = true
                continue
            }
            if skipping && (line.hasPrefix(" ") || line.isEmpty) { continue }
            skipping = false
            out.append(line)
        }
        return out.joined(separator: "\n")
    }

    @Test(.enabled(if: Chromium.available, "needs chromium and python3 (bash .ci/run installs them)"))
    func consoleErrorsAreCaught() throws {
        // The check above would see a page that logs or throws: a control that it can fail.
        let dir = try TemporaryDirectory()
        let page = try dir.write("bad.html", "<!DOCTYPE html><p>x</p><script>throw new Error('boom')</script>")
        let logged = try Chromium.screenshot(page, width: 300, height: 200, png: dir.path("bad.png"), profile: dir.path("profile"))
        #expect(logged.contains { $0.contains("Uncaught Error: boom") })
    }
}
