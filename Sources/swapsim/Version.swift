/// The tool's version, reported by `--version` and stored with results.
enum SwapSimVersion {
    static let string = "0.1.0"
}
