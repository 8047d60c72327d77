import SwapSimCore
import Yams

/// Reads `strategies.<name>` by the keys the strategy's registry entry declares: a new
/// strategy's settings need no code here.
enum StrategySection {
    /// The settings in `map` (a strategy's section) over the registry's defaults. A dotted key
    /// (`cold_start.warmup`) is read from a nested mapping (`cold_start: {warmup: …}`).
    static func read(_ map: inout YAMLMap, descriptor d: StrategyDescriptor) throws(ScenarioFileError) -> StrategySettings {
        var settings = StrategySettings(defaultsOf: d.kind)
        settings.given = true
        var tops: [String] = []
        for spec in d.settings {
            let top = String(spec.key.split(separator: ".", maxSplits: 1)[0])
            if !tops.contains(top) { tops.append(top) }
        }
        map.expect(tops)
        for top in tops {
            let group = d.settings.filter { $0.key == top || $0.key.hasPrefix(top + ".") }
            if group.count == 1 && group[0].key == top {
                if let v = try value(group[0], key: top, in: &map) { settings[top] = v }
                continue
            }
            guard var sub = try map.map(top) else { continue }
            sub.expect(group.map { String($0.key.dropFirst(top.count + 1)) })
            for spec in group {
                let key = String(spec.key.dropFirst(top.count + 1))
                if let v = try value(spec, key: key, in: &sub) { settings[spec.key] = v }
            }
            try sub.finish()
        }
        try map.finish()
        return settings
    }

    /// The value of `key` in `map` as `spec` declares it, or nil when absent.
    static func value(_ spec: SettingSpec, key: String, in map: inout YAMLMap) throws(ScenarioFileError) -> SettingValue? {
        switch spec.kind {
        case .duration:
            return try map.duration(key).map { .duration($0) }
        case .optionalDuration:
            return try map.duration(key).map { .optionalDuration($0) }
        case .durationOrNever:
            guard let v = try map.unit(key, UnitParser.durationOrNever) else { return nil }
            return .durationOrNever(v)
        case .integer:
            return try map.int(key).map { .integer($0) }
        case .optionalInteger:
            return try map.int(key).map { .optionalInteger($0) }
        case .flag:
            return try map.bool(key).map { .flag($0) }
        case let .choice(names):
            guard let (s, n) = try map.scalar(key) else { return nil }
            guard names.contains(s) else { throw map.fail(key, n, spec.unknownChoice(s, among: names)) }
            return .choice(s)
        case .size:
            return try map.bytes(key).map { .size($0) }
        }
    }
}
