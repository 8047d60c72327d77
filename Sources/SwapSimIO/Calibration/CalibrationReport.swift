import SwapSimCore

/// The text `swapsim calibrate show` and `swapsim calibrate fit` print. Output depends only on its inputs.
public enum CalibrationReport {
    /// A profile as tables: identity, then per device its copy rates by size, allocation,
    /// pinning and chunked swap, then the all-devices run.
    public static func show(_ p: CalibrationProfile, file: String) -> String {
        typealias T = CalibrationText
        var out = "calibration profile \(file) · \(p.schema) · \(p.tool.name) \(p.tool.version) · measured \(p.createdAt)\n"
        out += "host \(p.host.hostname): \(p.host.cpu), \(p.host.cpus) CPUs, \(T.size(p.host.memoryBytes)) · \(p.host.os)\n"
        out += "driver \(p.driver.library), version \(p.driver.version), NVML \(p.driver.nvml ? "yes" : "no")"
        out += " · \(p.settings.repeats) samples per point after \(p.settings.warmup) warm-up\n"
        for d in p.devices {
            out += "\ndevice \(d.index): \(d.name) · PCI \(d.pciBusId) · \(T.size(d.memoryBytes)) (\(T.size(d.freeBytes)) free)"
            if let l = d.pcie { out += " · PCIe Gen\(l.currentGeneration) x\(l.currentWidth) (max Gen\(l.maxGeneration) x\(l.maxWidth))" }
            out += "\ncontext creation \(T.time(seconds: d.contextInitS)) · data-integrity round trip of \(T.size(d.integrity.bytes)): "
            out += d.integrity.ok ? "ok\n\n" : "\(d.integrity.mismatchedBytes) bytes differ\n\n"
            let sweeps = d.copies.all
            let sizes = Array(Set(sweeps.flatMap { $0.rows.map(\.bytes) })).sorted()
            var rows: [[String]] = [["GB/s at median"] + sweeps.map { $0.key.replacingOccurrences(of: "bidirectional", with: "bidir") }]
            for b in sizes {
                rows.append([T.size(b)] + sweeps.map { s in s.rows.first { $0.bytes == b }.map { Fixed.format($0.gbps, decimals: 3) } ?? "·" })
            }
            out += T.table(rows)
            out += "\n"
            var host: [[String]] = [["host calls (median)", "size", "time", "GB/s"]]
            for (name, list) in [("device alloc", d.allocation.alloc), ("device free", d.allocation.free),
                                 ("pin existing (register)", d.pinning.register), ("unregister", d.pinning.unregister),
                                 ("pinned alloc", d.pinning.hostAlloc), ("pinned free", d.pinning.hostFree)] {
                for r in list { host.append([name, T.size(r.bytes), T.time(seconds: r.medianS), Fixed.format(r.gbps, decimals: 3)]) }
            }
            out += T.table(host)
            out += "\nchunked swap-in of \(T.size(d.chunkedSwap.bufferBytes)) (\(d.chunkedSwap.direction), \(d.chunkedSwap.memory))\n"
            var chunks: [[String]] = [["chunk", "chunks", "median", "min", "max", "GB/s"]]
            for r in d.chunkedSwap.runs {
                chunks.append([T.size(r.chunkBytes), "\(r.chunks)", T.time(seconds: r.row.medianS), T.time(seconds: r.row.minS), T.time(seconds: r.row.maxS), Fixed.format(r.row.gbps, decimals: 3)])
            }
            out += T.table(chunks)
        }
        let a = p.allDevices
        out += "\nall devices at once (\(a.devices.map(String.init).joined(separator: ", "))): \(T.size(a.bytesPerDevice)) each \(a.direction), "
        out += "median \(T.time(seconds: a.row.medianS)) (\(a.clock) clock), \(Fixed.format(a.row.gbps, decimals: 3)) GB/s together\n"
        return out
    }

    /// The fitted parameters, each copy's residuals by size, and the other figures `fit` reports.
    public static func fitTable(_ f: ProfileFit) -> String {
        typealias T = CalibrationText
        var out = "calibration fit · \(f.file) · device \(f.device.index): \(f.device.name) · measured \(f.createdAt)\n"
        out += "t(bytes) = latency + bytes / bandwidth, fitted over the bandwidth-bound sizes (time ≥ 2 × the smallest size's)\n\n"
        var rows: [[String]] = [["copy", "latency", "bandwidth", "sizes fitted", "worst residual"]]
        for (key, fit) in f.fits {
            let used = fit.points.filter(\.usedInFit)
            let span = "\(T.size(used.first?.bytes.bytes ?? 0))–\(T.size(used.last?.bytes.bytes ?? 0)) (\(used.count))"
            rows.append([key, T.time(fit.latency), T.rate(fit.bandwidth), span, T.percent(fit.worstResidual)])
        }
        out += T.table(rows)
        out += "\nresiduals, (measured − fitted) / measured; sizes in brackets are not bandwidth-bound and not fitted\n"
        var res: [[String]] = [["size"] + f.fits.map(\.key)]
        let sizes = Array(Set(f.fits.flatMap { $0.fit.points.map(\.bytes.bytes) })).sorted()
        for b in sizes {
            res.append([T.size(b)] + f.fits.map { e in
                guard let p = e.fit.points.first(where: { $0.bytes.bytes == b }) else { return "·" }
                return p.usedInFit ? T.percent(p.residual) : "(\(T.percent(p.residual)))"
            })
        }
        out += T.table(res)
        out += "\n"
        if let dma = f.dmaBandwidth {
            out += "node DMA cap: \(T.rate(dma)) (\(f.devicesAtOnce) devices copying host→device at once, the fastest of \(f.allDevicesRepeats) repeats on the host clock)\n"
        } else {
            out += "node DMA cap: not fitted (the all-devices run had \(f.devicesAtOnce) device; it needs two or more)\n"
        }
        out += "context creation: \(T.time(seconds: f.device.contextInitS))\n"
        let largest = f.device.pinning.register.map(\.bytes).max() ?? 0
        out += "page pinning at \(T.size(largest)): register \(f.registerThroughput.map(T.rate) ?? "—"), pinned allocation \(f.pinnedAllocationThroughput.map(T.rate) ?? "—")\n"
        return out
    }

    /// The fit as JSON (`schema: swapsim.calibration-fit/1`), with the fragment's YAML as a string.
    public static func fitJSON(_ f: ProfileFit) -> String {
        var w = JSONWriter()
        w.open()
        w.string("schema", "swapsim.calibration-fit/1")
        w.string("profile", f.file)
        w.open("device")
        w.int("index", f.device.index)
        w.string("name", f.device.name)
        w.string("pci_bus_id", f.device.pciBusId)
        w.close()
        w.string("measured_at", f.createdAt)
        w.open("fits", array: true)
        for (key, fit) in f.fits {
            w.open()
            w.string("copy", key)
            w.double("latency_s", fit.latency.seconds)
            w.double("bandwidth_gbps", fit.bandwidth.gigabytesPerSecond)
            w.double("worst_residual", fit.worstResidual)
            w.open("points", array: true)
            for p in fit.points {
                w.open()
                w.int("bytes", p.bytes.bytes)
                w.double("measured_s", p.measured.seconds)
                w.double("fitted_s", p.fitted.seconds)
                w.double("residual", p.residual)
                w.bool("fitted", p.usedInFit)
                w.close()
            }
            w.close(array: true)
            w.close()
        }
        w.close(array: true)
        w.double("dma_bandwidth_gbps", f.dmaBandwidth?.gigabytesPerSecond ?? .nan)
        w.int("devices_at_once", f.devicesAtOnce)
        w.double("context_init_s", f.device.contextInitS)
        w.double("register_gbps", f.registerThroughput?.gigabytesPerSecond ?? .nan)
        w.double("pinned_alloc_gbps", f.pinnedAllocationThroughput?.gigabytesPerSecond ?? .nan)
        w.string("fragment", CalibrationFragment.render(f))
        w.close()
        return w.text + "\n"
    }
}
