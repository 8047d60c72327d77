import Foundation
import SwapSimCore
import SwapSimIO
import Testing

/// Issue 13: `calibrate validate` on a profile whose chunk size is 2^63 − 1 bytes hung. The
/// prediction simulated every chunk, O(bytes / chunk); it is now closed-form, and the profile's
/// chunked-swap runs must be consistent (a chunk no larger than its buffer, `chunks` copies).
@Suite(.timeLimit(.minutes(5))) struct SwapValidationLimitTests {
    /// The synthetic profile with its first device's first chunked-swap run changed by `edit`.
    func profile(_ edit: (inout [String: Any]) -> Void) throws -> Data {
        var o = SyntheticProfile.object()
        var devices = o["devices"] as! [[String: Any]]
        var swap = devices[0]["chunked_swap"] as! [String: Any]
        var runs = swap["runs"] as! [[String: Any]]
        edit(&runs[0])
        swap["runs"] = runs
        devices[0]["chunked_swap"] = swap
        o["devices"] = devices
        return try SyntheticProfile.data(o)
    }

    @Test func aChunkOf2To63Minus1BytesIsAnErrorNamingTheKey() throws {
        let data = try profile { $0["chunk_bytes"] = Int64.max }
        #expect(throws: CalibrationError.invalid(
            file: "p.json", keyPath: "devices[0].chunked_swap.runs[0].chunk_bytes",
            reason: "a chunk cannot be larger than the buffer it is cut from (bytes 67108864), got 9223372036854775807")) {
            try CalibrationProfile.parse(data, file: "p.json")
        }
    }

    @Test func aChunkCountThatDoesNotMatchTheSizesIsAnError() throws {
        let data = try profile { $0["chunk_bytes"] = 1 }
        #expect(throws: CalibrationError.invalid(
            file: "p.json", keyPath: "devices[0].chunked_swap.runs[0].chunks",
            reason: "67108864 bytes in chunks of 1 make 67108864 copies, but the profile says 64")) {
            try CalibrationProfile.parse(data, file: "p.json")
        }
    }

    /// A consistent profile of 2^63 − 1 bytes in one chunk, and of 2^40 bytes in 1-byte chunks
    /// (a trillion copies): both validate at once, the second saturating at 292 years.
    @Test func validationIsConstantTimeInTheNumberOfChunks() throws {
        for (bytes, chunk) in [(Int64.max, Int64.max), (Int64(1) << 40, Int64(1))] {
            let data = try profile {
                $0["bytes"] = bytes
                $0["chunk_bytes"] = chunk
                $0["chunks"] = bytes / chunk
            }
            let started = Date()
            let v = SwapValidation(fit: try ProfileFit(profile: CalibrationProfile.parse(data, file: "p.json"), file: "p.json", device: nil))
            #expect(Date().timeIntervalSince(started) < 2)
            #expect(v.rows[0].predicted > .zero)
            _ = v.render()
        }
    }

    /// The closed form gives what copying the chunks one by one gives, to the nanosecond.
    @Test func theClosedFormEqualsChunkByChunk() throws {
        let link = HostLink(hostToDevice: .gigabytesPerSecond(24), deviceToHost: .gigabytesPerSecond(26), pageableHostToDevice: .gigabytesPerSecond(8), latency: .microseconds(9))
        for (bytes, chunk) in [(Int64(64) << 20, Int64(1) << 20), (Int64(10) << 20, Int64(4) << 20), (Int64(1000), Int64(7))] {
            var expected = SimDuration.zero
            var left = bytes
            while left > 0 {
                let piece = min(left, chunk)
                let ns = (Double(piece) / 24e9 * 1e9).rounded(.up)
                expected += .microseconds(9) + .nanoseconds(Int64(ns))
                left -= piece
            }
            let t = SwapPrediction.chunkedSwapIn(bytes: ByteCount(bytes: bytes), chunk: ByteCount(bytes: chunk), link: link, dmaBandwidth: nil)
            #expect(t == expected, "\(bytes) in \(chunk)")
        }
    }
}
