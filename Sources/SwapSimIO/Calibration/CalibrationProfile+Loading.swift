import Foundation
import SwapSimCore

extension CalibrationProfile {
    /// Reads and checks the profile at `path`.
    public static func load(path: String) throws(CalibrationError) -> CalibrationProfile {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadable(file: path, reason: FileManager.default.fileExists(atPath: path) ? "not readable" : "no such file")
        }
        return try parse(data, file: path)
    }

    /// Decodes and checks profile JSON; `file` names it in errors.
    ///
    /// The schema is checked first, so a file of another kind or version gets that error rather
    /// than one about a missing key. Then every row must have a positive size, at least one
    /// sample, and min ≤ median ≤ max with a positive median.
    public static func parse(_ data: Data, file: String) throws(CalibrationError) -> CalibrationProfile {
        let top: Any
        do {
            top = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw .notJSON(file: file, reason: Self.reason(of: error))
        }
        guard let object = top as? [String: Any] else { throw .invalid(file: file, keyPath: "(top level)", reason: "expected a JSON object") }
        guard let schema = object["schema"] as? String, schema == Self.schema else {
            throw .unsupportedSchema(file: file, found: object["schema"].map { "\($0)" })
        }
        let profile: CalibrationProfile
        do {
            profile = try JSONDecoder().decode(CalibrationProfile.self, from: data)
        } catch let e as DecodingError {
            throw Self.describe(e, file: file)
        } catch {
            throw .notJSON(file: file, reason: "\(error)")
        }
        try profile.check(file: file)
        return profile
    }

    private func check(file: String) throws(CalibrationError) {
        func rows(_ rs: [Row], _ key: String) throws(CalibrationError) {
            for (i, r) in rs.enumerated() { try Self.check(r, file: file, keyPath: "\(key)[\(i)]") }
        }
        guard !devices.isEmpty else { throw .invalid(file: file, keyPath: "devices", reason: "the profile measured no device") }
        for (d, device) in devices.enumerated() {
            let base = "devices[\(d)]"
            for (key, rs) in device.copies.all { try rows(rs, "\(base).copies.\(key)") }
            try rows(device.allocation.alloc, "\(base).allocation.alloc")
            try rows(device.allocation.free, "\(base).allocation.free")
            try rows(device.pinning.register, "\(base).pinning.register")
            try rows(device.pinning.hostAlloc, "\(base).pinning.host_alloc")
            for (i, r) in device.chunkedSwap.runs.enumerated() {
                let key = "\(base).chunked_swap.runs[\(i)]"
                try Self.check(r.row, file: file, keyPath: key)
                guard r.chunkBytes > 0 else { throw .invalid(file: file, keyPath: key + ".chunk_bytes", reason: "must be positive, got \(r.chunkBytes)") }
                guard r.chunkBytes <= r.row.bytes else {
                    throw .invalid(
                        file: file, keyPath: key + ".chunk_bytes",
                        reason: "a chunk cannot be larger than the buffer it is cut from (bytes \(r.row.bytes)), got \(r.chunkBytes)")
                }
                let copies = r.row.bytes / r.chunkBytes + (r.row.bytes % r.chunkBytes == 0 ? 0 : 1)
                guard Int64(r.chunks) == copies else {
                    throw .invalid(
                        file: file, keyPath: key + ".chunks",
                        reason: "\(r.row.bytes) bytes in chunks of \(r.chunkBytes) make \(copies) copies, but the profile says \(r.chunks)")
                }
            }
        }
        try Self.check(allDevices.row, file: file, keyPath: "all_devices")
    }

    private static func check(_ r: Row, file: String, keyPath: String) throws(CalibrationError) {
        guard r.bytes > 0 else { throw .invalid(file: file, keyPath: keyPath + ".bytes", reason: "must be positive, got \(r.bytes)") }
        guard r.samples >= 1 else { throw .invalid(file: file, keyPath: keyPath + ".samples", reason: "must be at least 1, got \(r.samples)") }
        guard r.medianS.isFinite, r.medianS > 0 else { throw .invalid(file: file, keyPath: keyPath + ".median_s", reason: "must be a positive time, got \(r.medianS)") }
        guard r.minS <= r.medianS, r.medianS <= r.maxS else {
            throw .invalid(file: file, keyPath: keyPath, reason: "expected min_s ≤ median_s ≤ max_s, got \(r.minS), \(r.medianS), \(r.maxS)")
        }
    }

    /// A decoding failure as the key path it happened at and what was wrong.
    private static func describe(_ e: DecodingError, file: String) -> CalibrationError {
        func path(_ keys: [CodingKey], _ last: CodingKey? = nil) -> String {
            var s = ""
            for k in keys + (last.map { [$0] } ?? []) {
                if let i = k.intValue { s += "[\(i)]" } else { s += s.isEmpty ? k.stringValue : ".\(k.stringValue)" }
            }
            return s.isEmpty ? "(top level)" : s
        }
        switch e {
        case let .keyNotFound(key, context):
            return .invalid(file: file, keyPath: path(context.codingPath, key), reason: "missing required key")
        case let .typeMismatch(type, context):
            return .invalid(file: file, keyPath: path(context.codingPath), reason: "expected \(Self.kind(type))")
        case let .valueNotFound(type, context):
            return .invalid(file: file, keyPath: path(context.codingPath), reason: "expected \(Self.kind(type)), got null")
        case let .dataCorrupted(context):
            return .invalid(file: file, keyPath: path(context.codingPath), reason: context.debugDescription)
        @unknown default:
            return .notJSON(file: file, reason: "\(e)")
        }
    }

    private static func kind(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Bool.Type: return "true or false"
        case is Int.Type, is Int64.Type: return "a whole number"
        case is Double.Type: return "a number"
        default: return String(describing: type).hasPrefix("Array") ? "a list" : "an object"
        }
    }

    private static func reason(of error: Error) -> String {
        let ns = error as NSError
        return (ns.userInfo[NSDebugDescriptionErrorKey] as? String) ?? ns.localizedDescription
    }
}
