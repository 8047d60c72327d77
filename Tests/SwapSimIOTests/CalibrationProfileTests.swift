import Foundation
import SwapSimCore
import SwapSimIO
import Testing

/// A profile as gpu-calibrate writes it, computed from an exact model instead of measured.
enum SyntheticProfile {
    static func row(_ bytes: Int64, _ seconds: Double, moved: Int64? = nil) -> [String: Any] {
        ["bytes": bytes, "samples": 3, "median_s": seconds, "min_s": seconds, "max_s": seconds, "gbps": Double(moved ?? bytes) / seconds / 1e9]
    }

    static func sweep(latency: Double, gbps: Double) -> [[String: Any]] {
        (12...26).map { row(Int64(1) << $0, latency + Double(Int64(1) << $0) / (gbps * 1e9)) }
    }

    /// The profile's JSON object: `devices` devices of the given link, all of them at once capped at `node` GB/s.
    static func object(devices: Int = 2, h2d: Double = 24, d2h: Double = 26, pageable: Double = 9, latency: Double = 9e-6, node: Double = 40) -> [String: Any] {
        let largest: Int64 = 1 << 26
        let device: (Int) -> [String: Any] = { i in
            [
                "index": i, "name": "synthetic device \(i)", "pci_bus_id": "0000:1\(i):00.0", "memory_bytes": Int64(80) << 30,
                "free_bytes": Int64(79) << 30, "pcie": NSNull(), "context_init_s": 0.25, "largest_bytes": largest,
                "allocation": ["alloc": [row(largest, 1e-3)], "free": [row(largest, 1e-4)]],
                "pinning": ["register": [row(largest, 0.01)], "unregister": [row(largest, 0.001)], "host_alloc": [row(largest, 0.02)], "host_free": [row(largest, 0.001)]],
                "copies": [
                    "h2d_pinned": sweep(latency: latency, gbps: h2d), "h2d_pageable": sweep(latency: latency, gbps: pageable),
                    "d2h_pinned": sweep(latency: latency, gbps: d2h), "d2h_pageable": sweep(latency: latency, gbps: pageable),
                    "bidirectional_pinned": sweep(latency: latency, gbps: h2d + d2h), "bidirectional_pageable": sweep(latency: latency, gbps: pageable),
                    "d2d": sweep(latency: latency, gbps: 1000),
                ],
                "chunked_swap": [
                    "direction": "h2d", "memory": "pinned", "buffer_bytes": largest,
                    "runs": [Int64(1) << 20, Int64(1) << 24, largest].map { chunk -> [String: Any] in
                        let n = largest / chunk
                        var r = row(largest, Double(n) * (latency + Double(chunk) / (h2d * 1e9)))
                        r["chunk_bytes"] = chunk
                        r["chunks"] = n
                        return r
                    },
                ],
                "integrity": ["bytes": largest, "mismatched_bytes": 0, "ok": true],
            ]
        }
        var all = row(largest, Double(largest) * Double(devices) / (node * 1e9), moved: largest * Int64(devices))
        all.merge(["devices": Array(0..<devices), "direction": "h2d", "memory": "pinned", "clock": "host", "bytes_per_device": largest]) { a, _ in a }
        return [
            "schema": "swapsim.calibration/1", "tool": ["name": "gpu-calibrate", "version": "1"], "created_at": "2026-01-01T00:00:00Z",
            "host": ["hostname": "test", "os": "Linux", "cpu": "test", "cpus": 2, "memory_bytes": Int64(1) << 34],
            "driver": ["library": "synthetic", "version": 12000, "nvml": false],
            "settings": ["repeats": 3, "warmup": 1, "min_bytes": 4096, "max_bytes": largest, "swap_bytes": largest],
            "devices": (0..<devices).map(device), "all_devices": all,
        ]
    }

    static func data(_ object: [String: Any]) throws -> Data { try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) }
}

@Suite struct CalibrationProfileTests {
    @Test func aProfileParsesAndFits() throws {
        let p = try CalibrationProfile.parse(SyntheticProfile.data(SyntheticProfile.object()), file: "p.json")
        let fit = try ProfileFit(profile: p, file: "p.json", device: 1)
        #expect(fit.device.index == 1)
        #expect(abs(fit.hostToDevicePinned.bandwidth.gigabytesPerSecond - 24) < 0.01)
        #expect(abs(fit.deviceToHostPinned.bandwidth.gigabytesPerSecond - 26) < 0.01)
        #expect(abs(fit.hostToDevicePageable.bandwidth.gigabytesPerSecond - 9) < 0.01)
        #expect(abs(fit.hostToDevicePinned.latency.nanoseconds - 9_000) < 20)
        #expect(abs((fit.dmaBandwidth?.gigabytesPerSecond ?? 0) - 40) < 0.01)
        let v = SwapValidation(fit: fit)
        #expect(v.rows.count == 3)
        #expect(abs(v.worst?.error ?? 1) < 0.001)
    }

    /// The all-devices run is timed on the host clock, where delays only add time: a run whose
    /// median repeat was held up still fits the cap from its fastest one.
    @Test func theDMACapComesFromTheFastestRepeat() throws {
        var object = SyntheticProfile.object(node: 40)
        var all = try #require(object["all_devices"] as? [String: Any])
        let fastest = try #require(all["min_s"] as? Double)
        all["median_s"] = fastest * 1.3
        all["max_s"] = fastest * 2
        object["all_devices"] = all
        let fit = try ProfileFit(profile: CalibrationProfile.parse(SyntheticProfile.data(object), file: "p.json"), file: "p.json", device: nil)
        #expect(abs((fit.dmaBandwidth?.gigabytesPerSecond ?? 0) - 40) < 0.01)
        #expect(fit.allDevicesRepeats == 3)
        #expect(CalibrationReport.fitTable(fit).contains("the fastest of 3 repeats on the host clock"))
    }

    @Test func oneDeviceFitsNoDMACap() throws {
        let p = try CalibrationProfile.parse(SyntheticProfile.data(SyntheticProfile.object(devices: 1)), file: "p.json")
        let fit = try ProfileFit(profile: p, file: "p.json", device: nil)
        #expect(fit.dmaBandwidth == nil)
        #expect(!CalibrationFragment.render(fit).contains("\nhost:"))
    }

    struct Broken: CustomTestStringConvertible, Sendable {
        var name: String
        var message: String
        var testDescription: String { name }
    }

    /// Each broken profile, by what is wrong with it, and the error it must give.
    static let broken: [Broken] = [
        Broken(name: "wrong schema", message: "p.json: schema: 'swapsim.summary/1'; this swapsim reads calibration profiles of schema 'swapsim.calibration/1' (written by gpu-calibrate)"),
        Broken(name: "missing key", message: "p.json: devices[0].copies.h2d_pinned[3].median_s: missing required key"),
        Broken(name: "wrong type", message: "p.json: devices[1].name: expected a string"),
        Broken(name: "negative time", message: "p.json: devices[0].copies.d2h_pinned[0].median_s: must be a positive time, got -1.0"),
        Broken(name: "too narrow", message: "p.json: devices[0].copies.h2d_pinned: cannot fit latency and bandwidth: only 0 size(s) are bandwidth-bound (take at least twice the smallest size's time); at least 2 are needed: measure larger copies (gpu-calibrate --max-bytes)"),
        Broken(name: "not JSON", message: ""),
    ]

    @Test(arguments: broken)
    func aBrokenProfileNamesFileAndKey(_ b: Broken) throws {
        var o = SyntheticProfile.object()
        var devices = o["devices"] as! [[String: Any]]
        var copies = devices[0]["copies"] as! [String: Any]
        switch b.name {
        case "wrong schema": o["schema"] = "swapsim.summary/1"
        case "missing key":
            var rows = copies["h2d_pinned"] as! [[String: Any]]
            rows[3]["median_s"] = nil
            copies["h2d_pinned"] = rows
        case "wrong type": devices[1]["name"] = 7
        case "negative time":
            var rows = copies["d2h_pinned"] as! [[String: Any]]
            rows[0]["median_s"] = -1.0
            copies["d2h_pinned"] = rows
        case "too narrow": copies["h2d_pinned"] = Array((copies["h2d_pinned"] as! [[String: Any]]).prefix(2))
        default: break
        }
        devices[0]["copies"] = copies
        o["devices"] = devices
        let data = b.name == "not JSON" ? Data("{\"schema\": ".utf8) : try SyntheticProfile.data(o)
        do {
            let p = try CalibrationProfile.parse(data, file: "p.json")
            _ = try ProfileFit(profile: p, file: "p.json", device: nil)
            Issue.record("no error for \(b.name)")
        } catch {
            if b.message.isEmpty {
                #expect(error.description.hasPrefix("p.json: not a calibration profile (invalid JSON): "))
            } else {
                #expect(error.description == b.message)
            }
        }
    }

    @Test func anUnknownDeviceIsAnError() throws {
        let p = try CalibrationProfile.parse(SyntheticProfile.data(SyntheticProfile.object()), file: "p.json")
        #expect(throws: CalibrationError.noSuchDevice(file: "p.json", index: 5, available: [0, 1])) {
            try ProfileFit(profile: p, file: "p.json", device: 5)
        }
    }

    // MARK: - cluster.calibration

    static func scenario(calibration: String, link: String = "", host: String = "") -> String {
        """
        version: 1
        name: calibrated
        cluster:
          gpus_per_node: 2
          gpu: H100-SXM
          calibration: \(calibration)
        \(link)
          host: {memory: 256GiB\(host)}
        models:
          - {name: llama, arch: llama-3.1-8b}
        slo: {ttft: 2s}
        """
    }

    @Test func theFragmentFitWritesOverridesTheCatalogue() throws {
        let dir = try TemporaryDirectory()
        let p = try CalibrationProfile.parse(SyntheticProfile.data(SyntheticProfile.object()), file: "p.json")
        try FileManager.default.createDirectory(at: dir.url.appendingPathComponent("profiles"), withIntermediateDirectories: true)
        try dir.write("profiles/node.yaml", CalibrationFragment.render(try ProfileFit(profile: p, file: "p.json", device: nil)))
        let s = try ScenarioLoader.load(path: try dir.write("s.yaml", Self.scenario(calibration: "profiles/node.yaml")))
        let catalogue = GPUCatalog.named("H100-SXM")!.link
        #expect(s.cluster.gpu.link != catalogue)
        #expect(abs(s.cluster.gpu.link.hostToDevice.gigabytesPerSecond - 24) < 0.01)
        #expect(abs(s.cluster.gpu.link.deviceToHost.gigabytesPerSecond - 26) < 0.01)
        #expect(abs(s.cluster.gpu.link.pageableHostToDevice.gigabytesPerSecond - 9) < 0.01)
        #expect(abs(s.cluster.gpu.link.latency.nanoseconds - 9_000) < 20)
        #expect(abs((s.cluster.dmaBandwidth?.gigabytesPerSecond ?? 0) - 40) < 0.01)
        #expect(s.cluster.gpu.link.duplex == catalogue.duplex)
    }

    @Test func aProfileCanBeNamedDirectly() throws {
        let dir = try TemporaryDirectory()
        try SyntheticProfile.data(SyntheticProfile.object()).write(to: dir.url.appendingPathComponent("node.json"))
        let s = try ScenarioLoader.load(path: try dir.write("s.yaml", Self.scenario(calibration: "node.json")))
        #expect(abs(s.cluster.gpu.link.hostToDevice.gigabytesPerSecond - 24) < 0.01)
    }

    @Test func explicitScenarioKeysOverrideTheCalibration() throws {
        let dir = try TemporaryDirectory()
        try dir.write("f.yaml", "version: 1\nlink: {h2d: 20GB/s, d2h: 21GB/s, pageable_h2d: 7GB/s, latency: 12us}\nhost: {dma_bandwidth: 30GB/s}\n")
        let s = try ScenarioLoader.load(path: try dir.write("s.yaml", Self.scenario(calibration: "f.yaml", link: "  link: {h2d: 10GB/s}", host: ", dma_bandwidth: 15GB/s")))
        #expect(s.cluster.gpu.link.hostToDevice == .gigabytesPerSecond(10))
        #expect(s.cluster.gpu.link.deviceToHost == .gigabytesPerSecond(21))
        #expect(s.cluster.gpu.link.pageableHostToDevice == .gigabytesPerSecond(7))
        #expect(s.cluster.gpu.link.latency == .microseconds(12))
        #expect(s.cluster.dmaBandwidth == .gigabytesPerSecond(15))
    }

    struct BadFragment: CustomTestStringConvertible, Sendable {
        var fragment: String
        var message: String
        var testDescription: String { message }
    }

    static let badFragments = [
        BadFragment(fragment: "version: 1\nlink: {h2d: 20GB/s, bogus: 1}\n", message: "DIR/f.yaml:2: unknown key 'link.bogus' (allowed here: d2h, h2d, latency, pageable_h2d)"),
        BadFragment(fragment: "version: 1\nextra: 1\n", message: "DIR/f.yaml:2: unknown key 'extra' (allowed here: host, link, version)"),
        BadFragment(fragment: "version: 1\nlink: {h2d: 20}\n", message: "DIR/f.yaml:2: link.h2d: expected a rate with a unit per second (e.g. 25GB/s, 12.5GiB/s, 200Gbit/s); got '20'"),
        BadFragment(fragment: "version: 2\n", message: "DIR/f.yaml: version: unsupported scenario version '2' (this swapsim reads version 1)"),
    ]

    @Test(arguments: badFragments)
    func aBadFragmentNamesItsFileAndKey(_ b: BadFragment) throws {
        let dir = try TemporaryDirectory()
        try dir.write("f.yaml", b.fragment)
        let path = try dir.write("s.yaml", Self.scenario(calibration: "f.yaml"))
        #expect(throws: (any Error).self) { try ScenarioLoader.load(path: path) }
        do { _ = try ScenarioLoader.load(path: path) } catch {
            #expect(error.description == b.message.replacingOccurrences(of: "DIR", with: dir.url.path))
        }
    }

    @Test func aMissingCalibrationFileNamesTheScenarioKey() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("s.yaml", Self.scenario(calibration: "nowhere.yaml"))
        do {
            _ = try ScenarioLoader.load(path: path)
            Issue.record("no error")
        } catch {
            #expect(error.description == "\(path):6: cluster.calibration: cannot read calibration '\(dir.url.path)/nowhere.yaml': no such file")
        }
    }
}
