import SwapSimCore

/// The report as Markdown, CSV and JSON: what `--report DIR` writes beside the HTML page.
extension RunReport {
    // MARK: Markdown

    /// The comparison, the TTFT breakdown, the lifecycle counts with their commonest reasons,
    /// and how to reproduce the run.
    public func markdown() -> String {
        func cell(_ s: String) -> String { Markdown.text(s) }
        let s = summary
        var out = s.markdown()
        let perModel = s.perModelMarkdown(cell: cell)
        if !perModel.isEmpty { out += "\n## Per model\n" + perModel }
        out += "\n## Where the time went\n\nMean TTFT by component, in seconds.\n\n"
        out += "| strategy | queueing | swap-in wait | cold-start wait | prefill | mean TTFT |\n|---|---:|---:|---:|---:|---:|\n"
        for r in s.results {
            let b = r.breakdown
            out += "| \(r.strategy.rawValue) | \(Self.sec(b.queueing)) | \(Self.sec(b.swapWait)) | \(Self.sec(b.coldStartWait)) | \(Self.sec(b.prefill)) | \(Self.sec(r.ttft.mean)) |\n"
        }
        let started = s.results.filter { !$0.startup.isEmpty }
        if !started.isEmpty {
            let stages = StartupStage.allCases.filter { st in started.contains { $0.startup.contains { $0.stage == st } } }
            out += "\nCold starts by stage: mean seconds per start-up that ran the stage.\n\n"
            out += "| strategy | " + stages.map(\.rawValue).joined(separator: " | ") + " |\n|---|" + stages.map { _ in "---:|" }.joined() + "\n"
            for r in started {
                let cells = stages.map { st in r.startup.first { $0.stage == st }.map { Self.sec($0.meanSeconds) } ?? "" }
                out += "| \(r.strategy.rawValue) | " + cells.joined(separator: " | ") + " |\n"
            }
        }
        out += "\n## Lifecycle events\n\n"
        out += "| strategy | cold starts | swap-ins | swap-outs | evictions | teardowns | requests paying a cold start | requests paying a swap-in |\n"
        out += "|---|---:|---:|---:|---:|---:|---:|---:|\n"
        for r in s.results {
            out += "| \(r.strategy.rawValue) | \(r.coldStarts) | \(r.swapIns) | \(r.swapOuts) | \(r.evictions) | \(r.teardowns) | \(r.requestsPayingColdStart) | \(r.requestsPayingSwapIn) |\n"
        }
        let reasons = s.results.map { ($0.strategy, Self.commonestReasons($0.lifecycle, names: modelNames, limit: 5)) }.filter { !$0.1.isEmpty }
        let sampled = s.results.filter { $0.lifecycleRecorded > $0.lifecycle.count }
        if !sampled.isEmpty {
            let which = sampled.map { "\($0.strategy.rawValue) \($0.lifecycle.count) of \($0.lifecycleRecorded)" }.joined(separator: ", ")
            out += "\nThe counts above are exact; the reasons below and the charts come from an even sample of the steps (\(which)).\n"
        }
        if !reasons.isEmpty {
            out += "\nCommonest reasons:\n\n| strategy | event | reason | count |\n|---|---|---|---:|\n"
            for (k, rs) in reasons {
                for r in rs { out += "| \(k.rawValue) | \(r.kind.rawValue) | \(cell(r.reason)) | \(r.count) |\n" }
            }
        }
        out += "\n## Reproduce\n\n"
        out += "| | |\n|---|---|\n"
        out += "| scenario | \(cell(scenarioPath)) |\n"
        out += "| scenario SHA-256 | \(cell(scenarioHash)) |\n"
        out += "| trace | \(cell(s.trace)) |\n"
        out += "| trace SHA-256 | \(cell(traceHash)) |\n"
        out += "| seed | \(s.seed) |\n"
        out += "| GPU | \(cell(gpuName)) |\n"
        out += "| swapsim | \(cell(toolVersion)) |\n"
        out += "\n" + Markdown.fence(command, language: "sh")
        return out
    }

    static func sec(_ v: Double) -> String { Fixed.format(v, decimals: 3) }

    /// One (event kind, reason) pair and how often it occurred.
    struct ReasonCount {
        var kind: LifecycleEvent.Kind
        var reason: String
        var count: Int
    }

    /// The `limit` commonest (kind, reason) pairs: most frequent first, ties by kind then reason.
    ///
    /// Reasons naming a time or size vary per event; they are counted as they are.
    static func commonestReasons(_ events: [LifecycleEvent], names: [String], limit: Int) -> [ReasonCount] {
        var counts: [String: ReasonCount] = [:]
        // Start-up stages have a table of their own; every cold start runs the same ones.
        for e in events where e.kind != .startupStage {
            let reason = e.reasonText(names)
            let key = e.kind.rawValue + "\u{1}" + reason
            counts[key, default: ReasonCount(kind: e.kind, reason: reason, count: 0)].count += 1
        }
        // Sorted with a total order, so dictionary order never reaches the output.
        let sorted = counts.values.sorted { a, b in
            if a.count != b.count { return a.count > b.count }
            if a.kind.rawValue != b.kind.rawValue { return a.kind.rawValue < b.kind.rawValue }
            return Array(a.reason.utf8).lexicographicallyPrecedes(Array(b.reason.utf8))
        }
        return Array(sorted.prefix(limit))
    }

    // MARK: CSV

    /// One row per strategy: the summary CSV's columns, then the TTFT breakdown, whether the
    /// strategy is the cheapest meeting the SLO, and the run's identity.
    public func csv() -> String {
        let s = summary
        var lines = s.csv().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        guard !lines.isEmpty else { return "" }
        lines[0] += ",ttft_queueing_mean_s,ttft_swap_wait_mean_s,ttft_cold_start_wait_mean_s,ttft_prefill_mean_s"
            + ",cheapest_meeting_slo,scenario_sha256,trace_sha256,tool_version"
        let best = s.cheapestMeetingSLO?.strategy
        let n = JSONWriter.number
        for (i, r) in s.results.enumerated() where i + 1 < lines.count {
            let b = r.breakdown
            lines[i + 1] += "," + [
                n(b.queueing), n(b.swapWait), n(b.coldStartWait), n(b.prefill), r.strategy == best ? "true" : "false",
                scenarioHash, traceHash, Self.csvField(toolVersion),
            ].joined(separator: ",")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `s` as a CSV field (RFC 4180): quoted, with quotes doubled, when it holds a comma, quote or line break.
    static func csvField(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
            ? "\"" + s.replacingAll("\"", with: "\"\"") + "\"" : s
    }

    // MARK: JSON

    /// The report as JSON, schema `swapsim.report/1`: the run's identity, the summary
    /// (`swapsim.summary/1`, as `simulate --format json` prints it) and per strategy the TTFT CDF,
    /// the lifecycle events and the timeline. Fields may be added, never renamed or dropped.
    public func json() -> String {
        var w = JSONWriter()
        w.open()
        w.string("schema", "swapsim.report/1")
        w.open("scenario")
        w.string("name", summary.scenario)
        w.string("path", scenarioPath)
        w.string("sha256", scenarioHash)
        w.close()
        w.open("trace")
        w.string("path", summary.trace)
        w.string("sha256", traceHash)
        w.close()
        w.uint("seed", summary.seed)
        w.string("tool_version", toolVersion)
        w.string("command", command)
        w.open("gpu")
        w.string("name", gpuName)
        w.int("memory_bytes", gpuMemory.bytes)
        w.close()
        w.open("models", array: true)
        for m in modelNames { w.string(nil, m) }
        w.close(array: true)
        w.string("summary", Self.summaryPlaceholder)
        w.open("strategies", array: true)
        for r in summary.results {
            w.open()
            w.string("strategy", r.strategy.rawValue)
            w.open("ttft_cdf")
            w.double("completed_share", r.ttftCDF.completedShare)
            w.open("quantiles", array: true)
            for q in r.ttftCDF.quantiles { w.double(nil, q) }
            w.close(array: true)
            w.open("seconds", array: true)
            for v in r.ttftCDF.seconds { w.double(nil, v) }
            w.close(array: true)
            w.close()
            // Steps the run recorded; `lifecycle` holds an even sample of them when there were
            // more than the log keeps (LifecycleLog).
            w.int("lifecycle_recorded", r.lifecycleRecorded)
            w.open("lifecycle", array: true)
            for e in r.lifecycle {
                w.open()
                w.double("time_s", e.time.seconds)
                w.string("kind", e.kind.rawValue)
                w.string("model", modelName(e.model))
                w.open("gpus", array: true)
                for g in e.gpus { w.int(nil, g) }
                w.close(array: true)
                w.int("bytes", e.bytes.bytes)
                w.string("reason", e.reasonText(modelNames))
                w.close()
            }
            w.close(array: true)
            let tl = r.timeline
            w.open("timeline")
            w.double("interval_s", tl.interval.seconds)
            w.open("samples", array: true)
            for (i, sample) in tl.samples.enumerated() {
                w.open()
                w.double("time_s", sample.time.seconds)
                w.int("queued", sample.queued)
                w.int("running", sample.running)
                w.open("gpus", array: true)
                for g in sample.residents.indices {
                    w.open()
                    w.int("memory_used_bytes", sample.memoryUsed(gpu: g).bytes)
                    w.open("residents", array: true)
                    for share in sample.residents[g] {
                        w.open()
                        w.string("model", modelName(share.model))
                        w.int("bytes", share.bytes.bytes)
                        w.close()
                    }
                    w.close(array: true)
                    w.double("h2d_utilization", tl.hostToDeviceUtilization(gpu: g, sample: i))
                    w.double("d2h_utilization", tl.deviceToHostUtilization(gpu: g, sample: i))
                    w.close()
                }
                w.close(array: true)
                w.close()
            }
            w.close(array: true)
            w.close()
            w.close()
        }
        w.close(array: true)
        w.close()
        // The summary object goes in whole, indented one level, where its placeholder stands.
        let summaryJSON = summary.json().split(separator: "\n").joined(separator: "\n  ")
        return w.text.replacingOccurrencesOfPlaceholder(JSONWriter.quote(Self.summaryPlaceholder), with: summaryJSON) + "\n"
    }

    private static let summaryPlaceholder = "\u{1}summary\u{1}"
}

extension String {
    /// This text with the first occurrence of `placeholder` replaced by `value`.
    func replacingOccurrencesOfPlaceholder(_ placeholder: String, with value: String) -> String {
        let chars = Array(self.utf8), p = Array(placeholder.utf8)
        guard p.count <= chars.count else { return self }
        var i = 0
        while i + p.count <= chars.count {
            if chars[i] == p[0] && Array(chars[i..<(i + p.count)]) == p {
                return String(decoding: chars[..<i], as: UTF8.self) + value + String(decoding: chars[(i + p.count)...], as: UTF8.self)
            }
            i += 1
        }
        return self
    }
}
