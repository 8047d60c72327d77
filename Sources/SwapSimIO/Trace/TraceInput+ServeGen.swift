import Foundation

extension TraceInput {
    /// Whether `path` is a ServeGen model folder (holding `chunk-*-trace.csv` files).
    static func isServeGenFolder(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue else { return false }
        let items = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return items.contains { $0.hasPrefix("chunk-") && $0.hasSuffix("-trace.csv") }
    }

    /// A ServeGen replay of the model folder(s) at `path` (comma-separated for several), each
    /// folder's name the model name (rename with `--model-map`).
    static func openServeGen(path: String, options o: TraceInputOptions) throws(TraceError) -> any TraceRowSource {
        let paths = path.split(separator: ",").map(String.init)
        let opts = ServeGenSource.Options(
            start: o.serveGen.start, duration: o.serveGen.duration, mapping: .folderNames, seed: o.seed,
            rateScale: o.serveGen.rateScale)
        return try ServeGenSource(paths: paths, options: opts)
    }
}
