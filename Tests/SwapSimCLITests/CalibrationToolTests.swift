import Foundation
import SwapSimCore
import SwapSimIO
import Testing

/// The real `gpu-calibrate` binary run against the test-only stand-in driver (Tests/StandInDriver),
/// then `swapsim calibrate` on the profile it wrote. No GPU is involved anywhere.
enum StandInCalibration {
    /// What the stand-in is configured to model: the figures `calibrate fit` must recover.
    ///
    /// The all-devices run is timed on the host clock, and the stand-in's memcpy of every
    /// device's bytes falls inside that time: at these rates it needs under half a core to keep
    /// ahead, so the run stays on the model while the rest of the suite loads the CPUs. At twice
    /// these rates, four busy processes on two cores made the fastest of three repeats miss the
    /// node cap by 26 % in one run of six, and the median in five of six; at these, none missed.
    static let h2d = 1.0, d2h = 0.8, pageable = 0.4, node = 1.25, latencyMicroseconds = 1000.0

    static let environment: [String: String] = [
        "STANDIN_CUDA_DEVICES": "2", "STANDIN_CUDA_H2D_GBPS": "\(h2d)", "STANDIN_CUDA_D2H_GBPS": "\(d2h)",
        "STANDIN_CUDA_PAGEABLE_GBPS": "\(pageable)", "STANDIN_CUDA_NODE_GBPS": "\(node)",
        "STANDIN_CUDA_LATENCY_US": "\(latencyMicroseconds)", "STANDIN_CUDA_MEMORY_BYTES": "\(1 << 30)",
    ]

    /// A folder for this test process's stand-in library and profile.
    static let folder: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("swapsim-standin-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    /// `gpu-calibrate`, beside the swapsim executable the tests found.
    static func tool() throws -> URL {
        try SwapSimExecutable.location.get().deletingLastPathComponent().appendingPathComponent("gpu-calibrate")
    }

    /// The stand-in driver, compiled with the system C compiler once per test process.
    static let library: Result<String, any Error> = Result {
        let out = folder.appendingPathComponent("libstandin_cuda.so").path
        let source = SwapSimExecutable.repositoryRoot.appendingPathComponent("Tests/StandInDriver/standin_cuda.c").path
        let r = try run(URL(fileURLWithPath: "/usr/bin/env"), ["cc", "-shared", "-fPIC", "-O2", "-std=c11", "-o", out, source, "-lpthread"])
        guard r.status == 0 else { throw CLIFailure("cc could not build the stand-in driver: \(r.stderr)") }
        return out
    }

    /// One profile measured on the stand-in, shared by the tests (small sizes, few repeats: a few seconds).
    static let profile: Result<String, any Error> = Result {
        let path = folder.appendingPathComponent("standin-profile.json").path
        let r = try run(try tool(), [
            "--driver", try library.get(), "--nvml", try library.get(), "--max-bytes", "32MiB", "--swap-bytes", "32MiB",
            "--repeats", "3", "-o", path,
        ], environment: environment)
        guard r.status == 0 else { throw CLIFailure("gpu-calibrate failed: \(r)") }
        return path
    }

    struct CLIFailure: Error, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
    }

    /// Runs `executable` with `arguments` and extra environment variables, capturing its output.
    static func run(_ executable: URL, _ arguments: [String], environment extra: [String: String] = [:]) throws -> SwapSimExecutable.Execution {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(extra) { _, new in new }
        // Output goes to files, not pipes, so a full pipe can never stall the child.
        let out = folder.appendingPathComponent("stdout-\(UUID().uuidString)"), err = folder.appendingPathComponent("stderr-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: err)
        }
        let outHandle = try FileHandle(forWritingTo: out), errHandle = try FileHandle(forWritingTo: err)
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try outHandle.close()
        try errHandle.close()
        let stdoutData = try Data(contentsOf: out), stderrData = try Data(contentsOf: err)
        return .init(
            status: process.terminationStatus, exited: process.terminationReason == .exit,
            stdout: String(decoding: stdoutData, as: UTF8.self), stderr: String(decoding: stderrData, as: UTF8.self))
    }
}

@Suite struct CalibrationToolTests {
    /// The keys every profile object must hold, and the JSON type of each (per swapsim.calibration/1).
    enum Kind { case string, int, number, bool, object, array, objectOrNull }

    /// Checks a JSONSerialization value's type (swift-corelibs-foundation: whole numbers are Int, booleans Bool).
    static func check(_ value: Any?, _ kind: Kind, _ path: String) {
        switch kind {
        case .string: #expect(value is String, "\(path) should be a string")
        case .int: #expect(value is Int && !(value is Bool && !(value is Int)), "\(path) should be a whole number")
        case .number: #expect(value is Double || value is Int, "\(path) should be a number")
        case .bool: #expect(value is Bool, "\(path) should be true or false")
        case .object: #expect(value is [String: Any], "\(path) should be an object")
        case .array: #expect(value is [Any], "\(path) should be a list")
        case .objectOrNull: #expect(value is [String: Any] || value is NSNull, "\(path) should be an object or null")
        }
    }

    static func checkKeys(_ object: Any?, _ keys: [String: Kind], _ path: String) {
        guard let o = object as? [String: Any] else { Issue.record("\(path) should be an object"); return }
        for (k, kind) in keys.sorted(by: { $0.key < $1.key }) {
            #expect(o[k] != nil, "\(path).\(k) is missing")
            check(o[k], kind, "\(path).\(k)")
        }
    }

    static let row: [String: Kind] = ["bytes": .int, "samples": .int, "median_s": .number, "min_s": .number, "max_s": .number, "gbps": .number]

    @Test func theProfileFollowsTheSchema() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: try StandInCalibration.profile.get()))
        let top = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        #expect(top?["schema"] as? String == "swapsim.calibration/1")
        let violations = try JSONSchemaTests.schema("calibration-1").violations(of: String(decoding: data, as: UTF8.self))
        #expect(violations.isEmpty, "docs/schemas/calibration-1.schema.json: \(violations.prefix(10))")
        Self.checkKeys(top, ["schema": .string, "tool": .object, "created_at": .string, "host": .object, "driver": .object, "settings": .object, "devices": .array, "all_devices": .object], "")
        Self.checkKeys(top?["host"], ["hostname": .string, "os": .string, "cpu": .string, "cpus": .int, "memory_bytes": .int], "host")
        Self.checkKeys(top?["driver"], ["library": .string, "version": .int, "nvml": .bool], "driver")
        Self.checkKeys(top?["settings"], ["repeats": .int, "warmup": .int, "min_bytes": .int, "max_bytes": .int, "swap_bytes": .int], "settings")
        let devices = top?["devices"] as? [[String: Any]] ?? []
        #expect(devices.count == 2)
        for (i, d) in devices.enumerated() {
            let p = "devices[\(i)]"
            Self.checkKeys(d, [
                "index": .int, "name": .string, "pci_bus_id": .string, "memory_bytes": .int, "free_bytes": .int, "pcie": .objectOrNull,
                "context_init_s": .number, "largest_bytes": .int, "allocation": .object, "pinning": .object, "copies": .object,
                "chunked_swap": .object, "integrity": .object,
            ], p)
            #expect((d["name"] as? String)?.contains("stand-in") == true)
            Self.checkKeys(d["pcie"], ["current_generation": .int, "current_width": .int, "max_generation": .int, "max_width": .int], p + ".pcie")
            Self.checkKeys(d["integrity"], ["bytes": .int, "mismatched_bytes": .int, "ok": .bool], p + ".integrity")
            #expect((d["integrity"] as? [String: Any])?["ok"] as? Bool == true)
            let copies = d["copies"] as? [String: Any] ?? [:]
            for key in ["h2d_pinned", "h2d_pageable", "d2h_pinned", "d2h_pageable", "bidirectional_pinned", "bidirectional_pageable", "d2d"] {
                let rows = copies[key] as? [Any] ?? []
                // 4 KiB to 32 MiB in powers of two.
                #expect(rows.count == 14, "\(p).copies.\(key) should have 14 sizes")
                for (k, r) in rows.enumerated() { Self.checkKeys(r, Self.row, "\(p).copies.\(key)[\(k)]") }
            }
            for (group, keys) in [("allocation", ["alloc", "free"]), ("pinning", ["register", "unregister", "host_alloc", "host_free"])] {
                for key in keys {
                    for (k, r) in ((d[group] as? [String: Any])?[key] as? [Any] ?? []).enumerated() { Self.checkKeys(r, Self.row, "\(p).\(group).\(key)[\(k)]") }
                }
            }
            let swap = d["chunked_swap"] as? [String: Any]
            Self.checkKeys(swap, ["direction": .string, "memory": .string, "buffer_bytes": .int, "runs": .array], p + ".chunked_swap")
            for (k, r) in (swap?["runs"] as? [Any] ?? []).enumerated() {
                Self.checkKeys(r, Self.row.merging(["chunk_bytes": .int, "chunks": .int]) { a, _ in a }, "\(p).chunked_swap.runs[\(k)]")
            }
        }
        Self.checkKeys(top?["all_devices"], Self.row.merging(["devices": .array, "direction": .string, "memory": .string, "clock": .string, "bytes_per_device": .int]) { a, _ in a }, "all_devices")
        // And the project's own reader accepts it.
        _ = try CalibrationProfile.load(path: try StandInCalibration.profile.get())
    }

    @Test func fitRecoversTheConfiguredBandwidthAndLatency() throws {
        let r = try SwapSimExecutable.run(["calibrate", "fit", try StandInCalibration.profile.get(), "--format", "json"])
        #expect(r.status == 0, "\(r)")
        let o = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        let fits = Dictionary(uniqueKeysWithValues: (o?["fits"] as? [[String: Any]] ?? []).map { ($0["copy"] as? String ?? "", $0) })
        let expected = [("h2d_pinned", StandInCalibration.h2d), ("d2h_pinned", StandInCalibration.d2h), ("h2d_pageable", StandInCalibration.pageable), ("d2h_pageable", StandInCalibration.pageable)]
        for (key, gbps) in expected {
            let bandwidth = fits[key]?["bandwidth_gbps"] as? Double ?? 0
            let latency = fits[key]?["latency_s"] as? Double ?? 0
            #expect(abs(bandwidth - gbps) / gbps < 0.05, "\(key): fitted \(bandwidth) GB/s, configured \(gbps)")
            #expect(abs(latency * 1e6 - StandInCalibration.latencyMicroseconds) / StandInCalibration.latencyMicroseconds < 0.05, "\(key): fitted \(latency) s")
        }
        let dma = o?["dma_bandwidth_gbps"] as? Double ?? 0
        #expect(abs(dma - StandInCalibration.node) / StandInCalibration.node < 0.05, "node cap: fitted \(dma) GB/s, configured \(StandInCalibration.node)")
    }

    @Test func theFragmentFitWritesLoadsIntoAScenario() throws {
        let dir = try TemporaryDirectory()
        let r = try SwapSimExecutable.run(["calibrate", "fit", try StandInCalibration.profile.get(), "-o", dir.path("node.yaml")])
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.contains("h2d_pinned"))
        let scenario = try dir.write("s.yaml", """
            version: 1
            name: calibrated
            cluster: {gpus_per_node: 2, gpu: L4, calibration: node.yaml, host: {memory: 64GiB}}
            models: [{name: m, arch: mistral-7b}]
            slo: {ttft: 2s}
            """)
        let s = try ScenarioLoader.load(path: scenario)
        #expect(abs(s.cluster.gpu.link.hostToDevice.gigabytesPerSecond - StandInCalibration.h2d) / StandInCalibration.h2d < 0.05)
        #expect(abs((s.cluster.dmaBandwidth?.gigabytesPerSecond ?? 0) - StandInCalibration.node) / StandInCalibration.node < 0.05)
    }

    @Test func validateReportsUnderFivePercentError() throws {
        let r = try SwapSimExecutable.run(["calibrate", "validate", try StandInCalibration.profile.get(), "--max-error", "5"])
        #expect(r.status == 0, "\(r)")
        let worst = r.stdout.split(separator: "\n").first { $0.hasPrefix("worst error: ") }
        let percent = worst.flatMap { Double($0.dropFirst("worst error: ".count).prefix { $0 != "%" }) }
        #expect(percent.map { $0 < 5 } == true, "\(r.stdout)")
    }

    @Test func showPrintsEveryDevice() throws {
        let r = try SwapSimExecutable.run(["calibrate", "show", try StandInCalibration.profile.get()])
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.contains("device 0: swapsim stand-in device 0"))
        #expect(r.stdout.contains("device 1: swapsim stand-in device 1"))
        #expect(r.stdout.contains("PCIe Gen4 x16"))
    }

    @Test func noDriverIsOneClearError() throws {
        let r = try StandInCalibration.run(try StandInCalibration.tool(), ["--driver", "/nonexistent/libcuda.so.1"])
        #expect(r.exited && r.status == 1)
        #expect(r.stdout.isEmpty)
        #expect(r.stderrLines.count == 1)
        #expect(r.stderr.hasPrefix("gpu-calibrate: error: cannot load the CUDA driver library '/nonexistent/libcuda.so.1'"))
    }

    @Test func noDeviceIsOneClearError() throws {
        let r = try StandInCalibration.run(try StandInCalibration.tool(), ["--driver", try StandInCalibration.library.get()], environment: ["STANDIN_CUDA_NO_DEVICE": "1"])
        #expect(r.exited && r.status == 1)
        #expect(r.stderr == "gpu-calibrate: error: cuInit (no usable NVIDIA GPU or driver?) failed: CUDA_ERROR_NO_DEVICE (100): no CUDA-capable device is detected\n")
    }

    @Test func aBadOptionIsOneClearError() throws {
        let r = try StandInCalibration.run(try StandInCalibration.tool(), ["--devices", "7", "--driver", try StandInCalibration.library.get()])
        #expect(r.exited && r.status == 1)
        #expect(r.stderr == "gpu-calibrate: error: --devices: '7' is not a device of this machine (0..0)\n")
    }

    @Test func aBadProfileIsOneClearError() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("p.json", "{\"schema\": \"swapsim.calibration/1\", \"devices\": []}")
        for command in ["fit", "show", "validate"] {
            let r = try SwapSimExecutable.run(["calibrate", command, path])
            #expect(r.exited && r.status == 1)
            #expect(r.stderr == "error: \(path): tool: missing required key\n", "\(command): \(r)")
        }
        let missing = try SwapSimExecutable.run(["calibrate", "fit", dir.path("none.json")])
        #expect(missing.stderr == "error: \(dir.path("none.json")): cannot read calibration profile: no such file\n")
    }
}
