/// A seeded pseudo-random stream: xoshiro256** seeded through SplitMix64.
///
/// The project implements its generator and its sampling formulas itself, so results do not
/// move when the toolchain changes `random(in:)` or its helpers. Each consumer draws from a
/// named stream (``init(seed:stream:)``): adding draws to one stream never shifts another.
public struct RandomStream: Sendable {
    var s0, s1, s2, s3: UInt64

    /// A stream for `seed` and the stream `name` ("arrivals", "tokens", "models"…).
    public init(seed: UInt64, stream name: String) {
        var sm = seed ^ Self.fnv1a(name)
        s0 = Self.splitMix(&sm); s1 = Self.splitMix(&sm)
        s2 = Self.splitMix(&sm); s3 = Self.splitMix(&sm)
    }

    static func splitMix(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// 64-bit FNV-1a of a string's UTF-8 bytes.
    public static func fnv1a(_ s: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return h
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// A uniform double in [0, 1) with 53 random bits.
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform double in (0, 1], safe for logarithms.
    public mutating func nextOpenUnit() -> Double {
        Double((next() >> 11) + 1) * 0x1.0p-53
    }

    /// A uniform integer in `0..<bound` by Lemire's multiply-shift with rejection.
    public mutating func nextInt(below bound: UInt64) -> UInt64 {
        precondition(bound > 0)
        var m = next().multipliedFullWidth(by: bound)
        if m.low < bound {
            let threshold = (0 &- bound) % bound
            while m.low < threshold { m = next().multipliedFullWidth(by: bound) }
        }
        return m.high
    }
}
