/// The results file (`schema: swapsim.bench/1`): keys in a fixed order, so two runs differ only
/// where their figures do.
extension BenchResults {
    static let schema = "swapsim.bench/1"

    var json: OrderedJSON {
        var workloads: [(String, OrderedJSON)] = []
        if let w1 { workloads.append(("W1", w1.json(target: .object([("requests_per_second_min", .rounded(Targets.w1RequestsPerSecond))])))) }
        if let w2 { workloads.append(("W2", w2.json(target: .object([("peak_rss_bytes_max", .int(Targets.w2PeakRSSBytes))])))) }
        if let w3 { workloads.append(("W3", w3.json)) }
        if let w4 {
            workloads.append(("W4", w4.json(target: .object([
                ("requests_per_second_min", .rounded(Targets.w4RequestsPerSecond)), ("peak_rss_bytes_max", .int(Targets.w4PeakRSSBytes)),
                ("swap_ins_per_request_min", .rounded(Targets.w4SwapInsPerRequest)),
            ]))))
        }
        if let reader { workloads.append(("reader", reader.json)) }
        if let scaling { workloads.append(("scaling", scaling.json(models: modelScaling))) }
        return .object([
            ("schema", .string(Self.schema)),
            ("date", .string(machine.date)),
            ("commit", .string(machine.commit)),
            ("commit_dirty", .bool(machine.dirty)),
            ("toolchain", .string(machine.toolchain)),
            ("build", .string(BuildMode.current)),
            ("machine", machine.json),
            ("scale", .rounded(scale)),
            ("percentile_bytes_per_request", .int(Measurement.percentileBytesPerRequest)),
            ("workloads", .object(workloads)),
        ])
    }
}

/// Whether this executable was built for release or debug.
enum BuildMode {
    #if DEBUG
        static let current = "debug"
    #else
        static let current = "release"
    #endif
}

extension TraceFile {
    var json: OrderedJSON { json(after: []) }

    /// The file's figures after `leading` (a series' size or model count).
    func json(after leading: [(String, OrderedJSON)]) -> OrderedJSON {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return .object(leading + [("file", .string(name)), ("requests", .int(rows)), ("bytes", .int(bytes)), ("sha256", .string(sha256))])
    }
}

extension Measurement {
    /// The per-run figures every workload reports.
    var json: OrderedJSON {
        var pairs: [(String, OrderedJSON)] = [
            ("requests", .int(requests)),
            ("wall_s", .rounded(wallSeconds)),
            ("cpu_s", .rounded(cpuSeconds)),
            ("requests_per_second", .rounded(requestsPerSecond)),
            ("events", events.map { .int($0) } ?? .null),
            ("events_per_second", .rounded(eventsPerSecond)),
            ("peak_rss_bytes", .int(peakRSSBytes)),
        ]
        if let s = swapIns, let share = swapInsPerRequest {
            pairs.append(("swap_ins", .int(s)))
            pairs.append(("swap_ins_per_request", .rounded(share)))
            pairs.append(("requests_paying_swap_in", requestsPayingSwapIn.map { .int($0) } ?? .null))
        }
        if let p = percentileBytes, let r = residentBeyondPercentiles {
            pairs.append(("percentile_bytes", .int(p)))
            pairs.append(("rss_beyond_percentiles_bytes", .int(r)))
        }
        return .object(pairs)
    }
}

extension RunOutcome {
    func json(_ extra: (Measurement) -> [(String, OrderedJSON)] = { _ in [] }) -> OrderedJSON {
        switch self {
        case let .success(m):
            guard case let .object(pairs) = m.json else { return m.json }
            return .object(pairs + extra(m))
        case let .failure(e): return .object([("error", .string(e.description))])
        }
    }
}

extension SimulationWorkload {
    func json(target: OrderedJSON) -> OrderedJSON {
        .object([
            ("description", .string(summary)),
            ("trace", trace.json),
            ("target", target),
            ("rounds", .int(rounds)),
            ("strategies", .object(runs.map { r in
                (r.strategy.rawValue, r.outcome.json { m in
                    let rounds: [(String, OrderedJSON)] = [("requests_per_second_rounds", .array(r.roundRates.map { .rounded($0) }))]
                    switch name {
                    case "W1": return rounds + [("meets_target", .bool(m.requestsPerSecond >= Targets.w1RequestsPerSecond))]
                    case "W4":
                        return rounds + [("meets_target", .bool(
                            m.requestsPerSecond >= Targets.w4RequestsPerSecond && m.peakRSSBytes <= Targets.w4PeakRSSBytes
                                && (m.swapInsPerRequest ?? 0) >= Targets.w4SwapInsPerRequest))]
                    default: return [("meets_target", .bool(m.peakRSSBytes <= Targets.w2PeakRSSBytes))]
                    }
                })
            })),
        ])
    }
}

extension PlanWorkload {
    var json: OrderedJSON {
        var pairs: [(String, OrderedJSON)] = [
            ("description", .string(summary)),
            ("api", .string("library: SwapSimIO Planner.run")),
            ("threads", .int(threads)),
            ("trace", trace.json),
            ("target", .object([("wall_s_max", .rounded(Targets.w3WallSeconds)), ("configurations", .int(PlanBenchmark.targetConfigurations))])),
        ]
        switch outcome {
        case let .success((m, f)):
            let evaluations = Int(f["evaluations"] ?? "") ?? 0
            let simulated = Double(evaluations) * Double(m.requests)
            pairs += [
                ("chains", .int(Int(f["chains"] ?? "") ?? 0)),
                ("configurations", .int(Int(f["configurations"] ?? "") ?? 0)),
                ("evaluations", .int(evaluations)),
                ("rounds", .int(Int(f["rounds"] ?? "") ?? 0)),
                ("requests", .int(m.requests)),
                ("simulated_requests", .rounded(simulated)),
                ("wall_s", .rounded(m.wallSeconds)),
                ("requests_per_second", .rounded(simulated / max(m.wallSeconds, 1e-9))),
                ("events_per_second", .null),
                ("peak_rss_bytes", .int(m.peakRSSBytes)),
                ("cheapest", .string(f["cheapest"] ?? "")),
                ("meets_target", .bool(m.wallSeconds <= Targets.w3WallSeconds)),
            ]
        case let .failure(e):
            pairs.append(("error", .string(e.description)))
        }
        return .object(pairs)
    }
}

extension ReaderWorkload {
    var json: OrderedJSON {
        func figures(_ o: RunOutcome) -> OrderedJSON {
            switch o {
            case let .success(m):
                return .object([
                    ("rows", .int(m.requests)), ("wall_s", .rounded(m.wallSeconds)),
                    ("mb_per_second", .rounded(Double(trace.bytes) / 1e6 / max(m.wallSeconds, 1e-9))),
                    ("rows_per_second", .rounded(m.requestsPerSecond)), ("peak_rss_bytes", .int(m.peakRSSBytes)),
                    ("meets_target", .bool(Double(trace.bytes) / 1e6 / max(m.wallSeconds, 1e-9) >= Targets.readerMegabytesPerSecond)),
                ])
            case let .failure(e): return .object([("error", .string(e.description))])
            }
        }
        return .object([
            ("description", .string("the W2 file read on one core: native CSV rows alone (MappedCSVReader), and as requests through TraceInput")),
            ("trace", trace.json),
            ("target", .object([("mb_per_second_min", .rounded(Targets.readerMegabytesPerSecond))])),
            ("native_csv_rows", figures(rows)),
            ("trace_input_requests", figures(requests)),
        ])
    }
}

extension ScalingWorkload {
    /// The size series, with the model series (`models`) when it ran.
    func json(models: ModelScalingWorkload?) -> OrderedJSON {
        .object([
            ("description", .string("each strategy at 100k, 1M and 10M requests (a tenth of W1's rate over its day, W1, and W1 over ten days); linear when ns per request stays flat")),
            ("traces", .array(traces.map { t in
                t.file.json(after: [("size", .string(t.label))])
            })),
            ("strategies", .object(runs.map { r in
                (r.strategy.rawValue, .array(zip(traces, r.outcomes).map { t, o in
                    o.json { m in [("size", .string(t.label)), ("ns_per_request", .rounded(m.nanosecondsPerRequest))] }
                }))
            })),
        ] + (models.map { [("models", $0.json)] } ?? []))
    }
}

extension ModelScalingWorkload {
    var json: OrderedJSON {
        var strategies: [(String, OrderedJSON)] = []
        for r in runs {
            let ns = r.outcomes.map { (try? $0.outcome.get())?.nanosecondsPerRequest }
            var flat: OrderedJSON = .null
            if let first = ns.first ?? nil, let last = ns.last ?? nil, first > 0 {
                flat = .bool(last / first <= Targets.modelScalingFactor)
            }
            strategies.append((r.strategy.rawValue, .object([
                ("runs", .array(zip(traces, r.outcomes).map { t, o in
                    o.outcome.json { m in
                        [("models", .int(t.models)), ("ns_per_request", .rounded(m.nanosecondsPerRequest)),
                         ("requests_per_second_rounds", .array(o.roundRates.map { .rounded($0) }))]
                    }
                })),
                ("meets_target", flat),
            ])))
        }
        return .object([
            ("description", .string("hot-swap and hybrid over W1's day on the first \(traces.map { String($0.models) }.joined(separator: ", ")) models of W4's scenario; flat when ns per request at the most models is within 2x of the fewest")),
            ("target", .object([("ns_per_request_ratio_max", .rounded(Targets.modelScalingFactor))])),
            ("rounds", .int(rounds)),
            ("traces", .array(traces.map { t in
                t.file.json(after: [("models", .int(t.models))])
            })),
            ("strategies", .object(strategies)),
        ])
    }
}
