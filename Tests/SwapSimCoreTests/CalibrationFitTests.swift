import SwapSimCore
import Testing

@Suite struct CalibrationFitTests {
    /// Timings of an exact line t = latency + bytes / bandwidth, 4 KiB to 4 GiB.
    static func line(latency: SimDuration, bandwidth: Bandwidth, extraBelow: (ByteCount, SimDuration)? = nil) -> [TransferTiming] {
        (12...32).map { shift in
            let bytes = ByteCount(bytes: Int64(1) << shift)
            var t = latency + bandwidth.time(toMove: bytes)
            if let (limit, extra) = extraBelow, bytes < limit { t += extra }
            return TransferTiming(bytes: bytes, time: t)
        }
    }

    @Test func recoversAnExactLine() throws {
        let fit = try TransferFit.fit(Self.line(latency: .microseconds(10), bandwidth: .gigabytesPerSecond(25)))
        #expect(abs(fit.bandwidth.gigabytesPerSecond - 25) < 0.001)
        #expect(abs(fit.latency.nanoseconds - 10_000) <= 5)
        #expect(abs(fit.worstResidual) < 1e-4)
    }

    /// Sizes below the bandwidth-bound threshold carry launch effects the model leaves out; they must not bend the fit.
    @Test func sizesThatAreNotBandwidthBoundAreLeftOut() throws {
        let timings = Self.line(latency: .microseconds(10), bandwidth: .gigabytesPerSecond(25), extraBelow: (.kibibytes(64), .microseconds(3)))
        let fit = try TransferFit.fit(timings)
        #expect(abs(fit.bandwidth.gigabytesPerSecond - 25) < 0.01)
        #expect(abs(fit.latency.nanoseconds - 10_000) < 100)
        // 4 KiB takes 13.2 µs; the first fitted size takes at least 26.3 µs: 512 KiB (31 µs).
        #expect(fit.points.first { $0.usedInFit }?.bytes == .kibibytes(512))
        #expect(fit.points.filter { !$0.usedInFit }.allSatisfy { $0.bytes < .kibibytes(512) })
    }

    @Test func residualsAreReportedForEverySize() throws {
        let fit = try TransferFit.fit(Self.line(latency: .microseconds(10), bandwidth: .gigabytesPerSecond(25)))
        #expect(fit.points.count == 21)
        #expect(fit.points.map(\.bytes) == fit.points.map(\.bytes).sorted())
    }

    @Test func aTooNarrowSweepIsAnError() {
        let timings = [TransferTiming(bytes: .kibibytes(4), time: .microseconds(10)), TransferTiming(bytes: .kibibytes(8), time: .microseconds(11))]
        #expect(throws: CalibrationFitError.tooFewBandwidthBoundSizes(found: 0)) { try TransferFit.fit(timings) }
        #expect(throws: CalibrationFitError.noTimings) { try TransferFit.fit([]) }
    }

    @Test func aNegativeInterceptIsTakenAsNoLatency() throws {
        // A line through the origin, with the small sizes a little fast: the intercept would be negative.
        var timings = Self.line(latency: .zero, bandwidth: .gigabytesPerSecond(10))
        timings[9].time = SimDuration(nanoseconds: timings[9].time.nanoseconds * 95 / 100)
        let fit = try TransferFit.fit(timings)
        #expect(fit.latency >= .zero)
        #expect(abs(fit.bandwidth.gigabytesPerSecond - 10) < 0.2)
    }

    static let link = HostLink(hostToDevice: .gigabytesPerSecond(20), deviceToHost: .gigabytesPerSecond(20), pageableHostToDevice: .gigabytesPerSecond(5), latency: .microseconds(10))

    @Test func oneChunkIsLatencyPlusBytesOverBandwidth() {
        let t = SwapPrediction.chunkedSwapIn(bytes: .gibibytes(1), chunk: .gibibytes(1), link: Self.link, dmaBandwidth: nil)
        #expect(t == .microseconds(10) + Bandwidth.gigabytesPerSecond(20).time(toMove: .gibibytes(1)))
    }

    @Test func everyChunkPaysTheLatency() {
        let t = SwapPrediction.chunkedSwapIn(bytes: .mebibytes(64), chunk: .mebibytes(4), link: Self.link, dmaBandwidth: nil)
        let one = Self.link.latency + Bandwidth.gigabytesPerSecond(20).time(toMove: .mebibytes(4))
        #expect(abs(t.nanoseconds - one.nanoseconds * 16) <= 16)
    }

    @Test func aLastShortChunkAndTheDMACapCount() {
        // 10 MiB in 4 MiB chunks: 4 + 4 + 2, each at the 8 GB/s DMA cap, below the 20 GB/s link.
        let t = SwapPrediction.chunkedSwapIn(bytes: .mebibytes(10), chunk: .mebibytes(4), link: Self.link, dmaBandwidth: .gigabytesPerSecond(8))
        let expected = Self.link.latency * 3 + Bandwidth.gigabytesPerSecond(8).time(toMove: .mebibytes(10))
        #expect(abs(t.nanoseconds - expected.nanoseconds) <= 3)
    }

    @Test func aCalibrationReplacesOnlyWhatItMeasured() {
        let c = CalibratedLink(hostToDevice: .gigabytesPerSecond(12), latency: .microseconds(7))
        let l = c.applied(to: Self.link)
        #expect(l.hostToDevice == .gigabytesPerSecond(12))
        #expect(l.latency == .microseconds(7))
        #expect(l.deviceToHost == Self.link.deviceToHost)
        #expect(l.pageableHostToDevice == Self.link.pageableHostToDevice)
    }
}
