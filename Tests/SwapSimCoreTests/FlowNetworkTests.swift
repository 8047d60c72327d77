import SwapSimCore
import Testing

@Suite struct FlowNetworkTests {
    /// ⌈bytes / bytesPerSecond · 10⁹⌉ in exact integer arithmetic.
    static func ceilNs(bytes: Int64, bytesPerSecond: Int64) -> Int64 {
        let num = Int128(bytes) * 1_000_000_000
        return Int64((num + Int128(bytesPerSecond) - 1) / Int128(bytesPerSecond))
    }

    @Test(arguments: [
        (Int64(1_000_000_000), Int64(20_000_000_000)),  // 50 ms exactly
        (Int64(10_000_000_002), Int64(20_000_000_000)),  // 500,000,000.1 ns → rounds up
        (Int64(123_456_789), Int64(3_000_000_000)),
        (Int64(1), Int64(25_000_000_000)),  // 0.04 ns → 1 ns
    ])
    func singleFlowTakesCeilOfBytesOverBandwidth(bytes: Int64, bandwidth: Int64) {
        var net = FlowNetwork()
        let link = net.addResource(Bandwidth(bytesPerSecond: Double(bandwidth)))
        let start = SimInstant(nanoseconds: 1_000)
        let id = net.start(bytes: .bytes(bytes), path: [link], cap: nil, tag: 42, at: start)
        #expect(net.rate(of: id) == Double(bandwidth))
        let expected = start + .nanoseconds(Self.ceilNs(bytes: bytes, bytesPerSecond: bandwidth))
        #expect(net.nextCompletion == expected)
        // Not finished a nanosecond early (unless it is a sub-nanosecond flow).
        if expected.nanoseconds - start.nanoseconds > 1 {
            #expect(net.removeFinished(at: SimInstant(nanoseconds: expected.nanoseconds - 1)) == [])
        }
        #expect(net.removeFinished(at: expected) == [42])
        #expect(net.activeCount == 0)
        #expect(net.nextCompletion == nil)
    }

    /// Two flows on one 1 GB/s link: 1 GB and 3 GB. Each gets 0.5 GB/s until the first has moved
    /// its 1 GB at t = 2 s; the second then has 2 GB left at the full 1 GB/s, so it ends at 4 s.
    @Test func sharedLinkSplitsEvenlyAndTheSurvivorSpeedsUp() {
        var net = FlowNetwork()
        let link = net.addResource(.gigabytesPerSecond(1))
        let a = net.start(bytes: .bytes(1_000_000_000), path: [link], cap: nil, tag: 1, at: .zero)
        let b = net.start(bytes: .bytes(3_000_000_000), path: [link], cap: nil, tag: 2, at: .zero)
        #expect(net.rate(of: a) == 0.5e9)
        #expect(net.rate(of: b) == 0.5e9)
        #expect(net.load(of: link) == 1e9)
        #expect(net.nextCompletion == SimInstant(nanoseconds: 2_000_000_000))
        #expect(net.removeFinished(at: SimInstant(nanoseconds: 2_000_000_000)) == [1])
        #expect(net.rate(of: a) == nil)
        #expect(net.rate(of: b) == 1e9)
        #expect(net.nextCompletion == SimInstant(nanoseconds: 4_000_000_000))
        #expect(net.removeFinished(at: SimInstant(nanoseconds: 4_000_000_000)) == [2])
    }

    /// A flow that joins later slows the first one down from then on: 2 GB alone on 1 GB/s for
    /// 1 s (1 GB left), then shared with a 0.5 GB flow: both at 0.5 GB/s; the newcomer ends at
    /// 2 s, the first then has 0.5 GB left at 1 GB/s and ends at 2.5 s.
    @Test func lateJoinerIsAccountedFromItsStart() {
        var net = FlowNetwork()
        let link = net.addResource(.gigabytesPerSecond(1))
        _ = net.start(bytes: .bytes(2_000_000_000), path: [link], cap: nil, tag: 1, at: .zero)
        #expect(net.nextCompletion == SimInstant(nanoseconds: 2_000_000_000))
        _ = net.start(bytes: .bytes(500_000_000), path: [link], cap: nil, tag: 2, at: SimInstant(nanoseconds: 1_000_000_000))
        #expect(net.nextCompletion == SimInstant(nanoseconds: 2_000_000_000))
        #expect(net.removeFinished(at: SimInstant(nanoseconds: 2_000_000_000)) == [2])
        #expect(net.nextCompletion == SimInstant(nanoseconds: 2_500_000_000))
        #expect(net.removeFinished(at: SimInstant(nanoseconds: 2_500_000_000)) == [1])
    }

    /// Max-min with a private cap: on a 10 GB/s link, a flow capped at 2 GB/s gets its cap and the
    /// two uncapped flows split the remaining 8 GB/s. With a cap above the fair share (6 GB/s) the
    /// cap does not bind and all three get 10/3 GB/s.
    @Test func privatelyCappedFlowLeavesTheRestToOthers() {
        var net = FlowNetwork()
        let link = net.addResource(.gigabytesPerSecond(10))
        let capped = net.start(bytes: .bytes(2_000_000_000), path: [link], cap: .gigabytesPerSecond(2), tag: 1, at: .zero)
        let x = net.start(bytes: .bytes(4_000_000_000), path: [link], cap: nil, tag: 2, at: .zero)
        let y = net.start(bytes: .bytes(8_000_000_000), path: [link], cap: nil, tag: 3, at: .zero)
        #expect(net.rate(of: capped) == 2e9)
        #expect(net.rate(of: x) == 4e9)
        #expect(net.rate(of: y) == 4e9)
        // Both the capped flow (2 GB at 2 GB/s) and x (4 GB at 4 GB/s) end at 1 s.
        #expect(net.nextCompletion == SimInstant(nanoseconds: 1_000_000_000))
        #expect(net.removeFinished(at: SimInstant(nanoseconds: 1_000_000_000)) == [1, 2])
        // y has 4 GB left, alone at 10 GB/s: 0.4 s more.
        #expect(net.rate(of: y) == 10e9)
        #expect(net.nextCompletion == SimInstant(nanoseconds: 1_400_000_000))

        var loose = FlowNetwork()
        let l2 = loose.addResource(.gigabytesPerSecond(10))
        let c2 = loose.start(bytes: .bytes(1), path: [l2], cap: .gigabytesPerSecond(6), tag: 1, at: .zero)
        let x2 = loose.start(bytes: .bytes(1), path: [l2], cap: nil, tag: 2, at: .zero)
        let y2 = loose.start(bytes: .bytes(1), path: [l2], cap: nil, tag: 3, at: .zero)
        for id in [c2, x2, y2] {
            let r = loose.rate(of: id)!
            #expect(abs(r - 10e9 / 3) < 1, "rate \(r)")
        }
    }

    /// Max-min across two bottlenecks: flow A uses links 1 (2 GB/s) and 2 (10 GB/s), flow B only
    /// link 2. A is held to 2 GB/s by link 1, so B gets the 8 GB/s link 2 has left, not 5.
    @Test func flowBottleneckedElsewhereLeavesItsShareToOthers() {
        var net = FlowNetwork()
        let narrow = net.addResource(.gigabytesPerSecond(2))
        let wide = net.addResource(.gigabytesPerSecond(10))
        let a = net.start(bytes: .bytes(1_000_000_000), path: [narrow, wide], cap: nil, tag: 1, at: .zero)
        let b = net.start(bytes: .bytes(1_000_000_000), path: [wide], cap: nil, tag: 2, at: .zero)
        #expect(net.rate(of: a) == 2e9)
        #expect(net.rate(of: b) == 8e9)
        #expect(net.load(of: wide) == 10e9)
    }

    /// Four GPUs, each on its own 20 GB/s link, all through a 40 GB/s node DMA cap: each gets
    /// C/4 = 10 GB/s, not its link's 20, and equal transfers end at the same instant.
    @Test func sharedDMACapSplitsFourWaysAndAllFinishTogether() {
        let w = Int64(20_000_000_000)
        let c = Int64(40_000_000_000)
        let bytes = Int64(20_000_000_000)
        var net = FlowNetwork()
        let cap = net.addResource(Bandwidth(bytesPerSecond: Double(c)))
        let links = (0..<4).map { _ in net.addResource(Bandwidth(bytesPerSecond: Double(w))) }
        let start = SimInstant(nanoseconds: 300_010_000)
        var ids: [FlowNetwork.FlowID] = []
        for (k, l) in links.enumerated() {
            ids.append(net.start(bytes: .bytes(bytes), path: [l, cap], cap: nil, tag: k, at: start))
        }
        for id in ids { #expect(net.rate(of: id) == Double(c) / 4) }
        #expect(net.load(of: cap) == Double(c))
        let end = start + .nanoseconds(Self.ceilNs(bytes: bytes, bytesPerSecond: c / 4))
        #expect(end == start + .seconds(2))
        #expect(net.nextCompletion == end)
        #expect(net.removeFinished(at: end) == [0, 1, 2, 3])
        // One alone would have taken B / W = 1 s.
        #expect(Self.ceilNs(bytes: bytes, bytesPerSecond: w) == 1_000_000_000)
    }

    /// Progressive filling as written before the network scanned only the resources in use:
    /// every resource, every round, in index order. The reference the network must match.
    static func referenceRates(capacities: [Double], flows: [(path: [Int], cap: Double)]) -> [Double] {
        var remaining = capacities
        var unfixedOn = Array(repeating: 0, count: capacities.count)
        for f in flows { for r in f.path { unfixedOn[r] += 1 } }
        var rates = Array(repeating: 0.0, count: flows.count)
        var fixed = Array(repeating: false, count: flows.count)
        var left = flows.count
        while left > 0 {
            let before = left
            var share = Double.infinity
            for r in remaining.indices where unfixedOn[r] > 0 { share = min(share, max(0, remaining[r]) / Double(unfixedOn[r])) }
            for i in flows.indices where !fixed[i] { share = min(share, flows[i].cap) }
            let bottleneck = remaining.indices.map { unfixedOn[$0] > 0 && max(0, remaining[$0]) / Double(unfixedOn[$0]) <= share }
            for i in flows.indices where !fixed[i] && (flows[i].cap <= share || flows[i].path.contains { bottleneck[$0] }) {
                fixed[i] = true
                left -= 1
                rates[i] = share
                for r in flows[i].path {
                    remaining[r] -= share
                    unfixedOn[r] -= 1
                }
            }
            if left == before { break }
        }
        return rates
    }

    /// Random networks (up to 30 resources of uneven capacity, flows over random paths, some
    /// privately capped) under random starts and finishes: after every change each flow's rate
    /// equals the reference fill's, to the bit, alone on the network or among many.
    @Test(arguments: 0..<4)
    func ratesMatchTheFillOverEveryResource(seed: UInt64) {
        var rng = RandomStream(seed: seed, stream: "flow-network")
        let capacities = (0..<(3 + Int(rng.nextInt(below: 28)))).map { _ in 1e9 * (0.5 + 40 * rng.nextUnit()) }
        var net = FlowNetwork()
        for c in capacities { _ = net.addResource(Bandwidth(bytesPerSecond: c)) }
        var active: [(id: FlowNetwork.FlowID, path: [Int], cap: Double, tag: Int)] = []
        var now = SimInstant.zero
        var checked = 0
        for step in 0..<400 {
            if active.count < 12 && (active.isEmpty || rng.nextInt(below: 3) > 0) {
                var path: [Int] = []
                for r in capacities.indices where rng.nextInt(below: 4) == 0 { path.append(r) }
                if path.isEmpty { path = [Int(rng.nextInt(below: UInt64(capacities.count)))] }
                let cap = rng.nextInt(below: 4) == 0 ? 1e9 * (0.2 + 10 * rng.nextUnit()) : Double.infinity
                let bytes = ByteCount(bytes: 1_000_000 + Int64(rng.nextInt(below: 4_000_000_000)))
                let id = net.start(bytes: bytes, path: path, cap: cap.isFinite ? Bandwidth(bytesPerSecond: cap) : nil, tag: step, at: now)
                active.append((id, path, cap, step))
            } else if let next = net.nextCompletion {
                now = next
                let done = Set(net.removeFinished(at: now))
                #expect(!done.isEmpty)
                active.removeAll { done.contains($0.tag) }
            }
            let expected = Self.referenceRates(capacities: capacities, flows: active.map { ($0.path, $0.cap) })
            for (f, rate) in zip(active, expected) {
                #expect(net.rate(of: f.id) == rate, "seed \(seed), step \(step): flow \(f.tag) of \(active.count)")
                checked += 1
            }
        }
        #expect(net.activeCount == active.count)
        #expect(checked > 1_000)
    }
}
