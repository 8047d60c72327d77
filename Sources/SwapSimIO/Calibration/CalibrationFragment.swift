import Foundation
import SwapSimCore
import Yams

/// The scenario fragment `swapsim calibrate fit` writes and a scenario's `cluster.calibration` loads.
///
/// ```yaml
/// version: 1
/// link: {h2d: 24.1GB/s, d2h: 25.3GB/s, pageable_h2d: 9.8GB/s, latency: 8.2us}
/// host: {dma_bandwidth: 48.0GB/s}      # only when the profile ran two or more devices at once
/// ```
/// Every key is optional except `version`; unknown keys are errors naming their key path.
public enum CalibrationFragment {
    /// The fragment's YAML for `fit`, with where it came from in comments.
    public static func render(_ fit: ProfileFit) -> String {
        let l = fit.link
        var out = """
            # swapsim calibration fragment: host-link figures fitted by `swapsim calibrate fit`
            # from \(fit.file), device \(fit.device.index): \(fit.device.name) (PCI \(fit.device.pciBusId)), measured \(fit.createdAt).
            # Load it from a scenario with `cluster: {calibration: FILE}` (a path relative to the scenario);
            # keys written in the scenario's cluster.link and cluster.host override these.

            """
        out += "version: 1\nlink:\n"
        if let v = l.hostToDevice { out += "  h2d: \(rate(v))\n" }
        if let v = l.deviceToHost { out += "  d2h: \(rate(v))\n" }
        if let v = l.pageableHostToDevice { out += "  pageable_h2d: \(rate(v))\n" }
        if let v = l.latency { out += "  latency: \(Fixed.format(Double(v.nanoseconds) / 1000, decimals: 3))us\n" }
        if let v = l.dmaBandwidth {
            out += "host:\n  dma_bandwidth: \(rate(v))   # \(fit.devicesAtOnce) devices copying at once\n"
        } else {
            out += "# host.dma_bandwidth: not fitted (the profile's all-devices run had \(fit.devicesAtOnce) device)\n"
        }
        return out
    }

    /// A rate as the scenario files write it, in decimal GB/s to the byte per millisecond.
    static func rate(_ b: Bandwidth) -> String { "\(Fixed.format(b.gigabytesPerSecond, decimals: 6))GB/s" }

    /// Parses fragment YAML; `file` names it in errors.
    static func parse(_ text: String, file: String) throws(ScenarioFileError) -> CalibratedLink {
        let root = try ScenarioLoader.compose(text, file: file)
        var top = try YAMLMap(root, path: "", file: file, keyLines: KeyLines())
        top.expect(["version", "link", "host"])
        guard let (version, _) = try top.scalar("version") else { throw .missingKey(file: file, keyPath: "version", line: 1) }
        guard version == "1" else { throw .unsupportedVersion(file: file, version: version) }
        var link = CalibratedLink()
        if var lm = try top.map("link") {
            lm.expect(["h2d", "d2h", "pageable_h2d", "latency"])
            link.hostToDevice = try lm.bandwidth("h2d")
            link.deviceToHost = try lm.bandwidth("d2h")
            link.pageableHostToDevice = try lm.bandwidth("pageable_h2d")
            link.latency = try lm.duration("latency")
            try lm.finish()
        }
        if var hm = try top.map("host") {
            hm.expect(["dma_bandwidth"])
            link.dmaBandwidth = try hm.bandwidth("dma_bandwidth")
            try hm.finish()
        }
        try top.finish()
        return link
    }

    /// Loads what `cluster.calibration` names: a fragment (YAML), or a profile (`.json`) fitted on load (its first device).
    ///
    /// `path` is relative to the scenario file `scenarioFile` unless absolute. Errors in a
    /// fragment name the fragment's file and key; a profile's errors are reported at the
    /// scenario's `keyPath`.
    static func load(_ path: String, scenarioFile: String, keyPath: String, line: Int?) throws(ScenarioFileError) -> CalibratedLink {
        var resolved = path
        if !path.hasPrefix("/"), let slash = scenarioFile.lastIndex(of: "/") {
            resolved = String(scenarioFile[...slash]) + path
        }
        if resolved.hasSuffix(".json") {
            do {
                let profile = try CalibrationProfile.load(path: resolved)
                return try ProfileFit(profile: profile, file: resolved, device: nil).link
            } catch {
                throw .invalid(file: scenarioFile, keyPath: keyPath, line: line, reason: error.description)
            }
        }
        let text: String
        do {
            text = try YAMLText.read(resolved)
        } catch {
            guard case let .unreadable(_, why) = error else { throw error }
            throw .invalid(file: scenarioFile, keyPath: keyPath, line: line, reason: "cannot read calibration '\(resolved)': \(why)")
        }
        return try parse(text, file: resolved)
    }
}
