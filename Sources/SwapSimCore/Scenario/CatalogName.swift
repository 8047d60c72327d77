/// How catalogue names (GPUs, model architectures) are matched against what a user typed.
enum CatalogName {
    /// The lower-cased ASCII bytes of `name` without '-', '_', '.' and spaces, so that
    /// "H100 SXM", "h100_sxm" and "H100-SXM" (or "qwen2_5_7b" and "Qwen2.5-7B") are one name.
    static func key(_ name: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(name.utf8.count)
        for b in name.utf8 {
            switch b {
            case UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: " "): continue
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): out.append(b + 32)
            default: out.append(b)
            }
        }
        return out
    }
}
