import Foundation

/// Checks a JSON value against a JSON Schema (draft 2020-12), for the subset the schemas in
/// `docs/schemas/` use: `type` (one or a list), `const`, `enum`, `properties`, `required`,
/// `additionalProperties` (a schema or a boolean), `propertyNames` and `items`.
///
/// Any other keyword in a schema is reported as unsupported, so a schema cannot silently use a
/// check this validator skips.
struct JSONSchemaValidator {
    let schema: [String: Any]

    static let supported: Set<String> = [
        "$schema", "$id", "title", "description", "type", "const", "enum", "properties", "required",
        "additionalProperties", "propertyNames", "items",
    ]

    /// Loads the schema at `path`.
    init(path: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard let s = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw CocoaError(.fileReadCorruptFile)
        }
        schema = s
    }

    /// Every violation of the schema by the JSON text `json`, each naming its path (`$.a[2].b`).
    func violations(of json: String) throws -> [String] {
        let value = try JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed])
        var out: [String] = []
        check(value, against: schema, at: "$", into: &out)
        return out
    }

    /// The JSON type name of `value`: null, boolean, integer, number, string, array or object.
    static func typeName(_ value: Any) -> String {
        if value is NSNull { return "null" }
        if value is String { return "string" }
        if value is [Any] { return "array" }
        if value is [String: Any] { return "object" }
        if let n = value as? NSNumber {
            let kind = String(cString: n.objCType)
            if kind == "c" || kind == "B" { return "boolean" }
            if ["d", "f"].contains(kind) { return n.doubleValue.rounded() == n.doubleValue && n.doubleValue.isFinite ? "integer-valued number" : "number" }
            return "integer"
        }
        return "unknown"
    }

    private static func matches(_ value: Any, type: String) -> Bool {
        let t = typeName(value)
        switch type {
        case "number": return t == "number" || t == "integer" || t == "integer-valued number"
        case "integer": return t == "integer" || t == "integer-valued number"
        default: return t == type
        }
    }

    private static func equal(_ a: Any, _ b: Any) -> Bool {
        if let x = a as? String, let y = b as? String { return x == y }
        if let x = a as? NSNumber, let y = b as? NSNumber { return x == y }
        return a is NSNull && b is NSNull
    }

    private func check(_ value: Any, against s: [String: Any], at path: String, into out: inout [String]) {
        for key in s.keys where !Self.supported.contains(key) { out.append("\(path): schema keyword '\(key)' is not supported by the test's validator") }
        if let t = s["type"] {
            let types = (t as? [String]) ?? [(t as? String) ?? ""]
            guard types.contains(where: { Self.matches(value, type: $0) }) else {
                out.append("\(path): expected \(types.joined(separator: " or ")), got \(Self.typeName(value))")
                return
            }
        }
        if let c = s["const"], !Self.equal(value, c) { out.append("\(path): expected \(c), got \(value)") }
        if let e = s["enum"] as? [Any], !e.contains(where: { Self.equal(value, $0) }) { out.append("\(path): \(value) is not one of \(e)") }
        if let object = value as? [String: Any] {
            let properties = s["properties"] as? [String: Any] ?? [:]
            for r in s["required"] as? [String] ?? [] where object[r] == nil { out.append("\(path): missing required '\(r)'") }
            for key in object.keys.sorted() {
                let child = "\(path).\(key)"
                if let p = properties[key] as? [String: Any] {
                    check(object[key]!, against: p, at: child, into: &out)
                } else if let extra = s["additionalProperties"] {
                    if let b = extra as? Bool, !b { out.append("\(child): not allowed") }
                    if let sub = extra as? [String: Any] { check(object[key]!, against: sub, at: child, into: &out) }
                }
                if let names = s["propertyNames"] as? [String: Any] { check(key, against: names, at: "\(child) (name)", into: &out) }
            }
        }
        if let array = value as? [Any], let items = s["items"] as? [String: Any] {
            for (i, v) in array.enumerated() { check(v, against: items, at: "\(path)[\(i)]", into: &out) }
        }
    }
}
