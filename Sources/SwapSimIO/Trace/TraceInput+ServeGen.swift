import Foundation

extension TraceInput {
    /// Whether `path` is a ServeGen model folder (holding `chunk-*-trace.csv` files) or a folder of them.
    static func isServeGenFolder(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue else { return false }
        let items = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return items.contains { $0.hasPrefix("chunk-") && $0.hasSuffix("-trace.csv") }
    }

    static func openServeGen(path: String, options: TraceInputOptions) throws(TraceError) -> any TraceRowSource {
        throw .badOption(option: "--trace-format servegen", reason: "ServeGen replay is being wired in")
    }
}
