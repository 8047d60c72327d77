/// What a fuzz input is, and so which parser reads it and how.
public enum FuzzKind: String, CaseIterable, Sendable {
    /// A scenario file (YAML), loaded and, when valid, simulated under every strategy.
    case scenario
    /// A calibration fragment (YAML), loaded through a scenario's `cluster.calibration`.
    case fragment
    /// A calibration profile (JSON): loaded, fitted per device, validated, rendered.
    case profile
    /// Native CSV (`arrival_s,model,input_tokens,output_tokens`).
    case native
    /// Native JSON Lines.
    case nativeJSONL = "native-jsonl"
    /// The Azure LLM inference trace (`TIMESTAMP,ContextTokens,GeneratedTokens`).
    case azure
    /// CSV read through `--map` (columns `ts,name,prompt,completion`, arrivals in epoch ms).
    case mapped
    /// CSV read through `--map arrival=when:datetime`.
    case mappedDatetime = "mapped-datetime"
    /// JSON Lines read through `--map` (keys `ts,name,prompt,completion`, arrivals in epoch ms).
    case mappedJSONL = "mapped-jsonl"
    /// A ServeGen client's window file (`chunk-0-trace.csv`), replayed.
    case servegen
    /// A ServeGen client's dataset (`chunk-0-dataset.json`), replayed beside a fixed window file.
    case servegenDataset = "servegen-dataset"

    /// Whether the input is a trace (read as a request stream and simulated on the demo scenario).
    var isTrace: Bool { ![.scenario, .fragment, .profile].contains(self) }

    /// The file extension the harness writes the input with.
    var fileExtension: String {
        switch self {
        case .scenario, .fragment: return "yaml"
        case .profile, .servegenDataset: return "json"
        case .nativeJSONL, .mappedJSONL: return "jsonl"
        default: return "csv"
        }
    }
}

/// One input to the harness: its kind, a variant choosing how it is read (trace options), its
/// bytes, and a name for messages.
public struct FuzzInput: Sendable, Equatable {
    public var kind: FuzzKind
    /// For traces, how they are read: 0 the format named, no scenario; 1 format `auto` against
    /// the demo scenario's models; 2 skipping invalid rows and sorting; 3 sorting. Ignored by
    /// other kinds.
    public var variant: Int
    public var bytes: [UInt8]
    public var name: String

    public init(kind: FuzzKind, variant: Int = 0, bytes: [UInt8], name: String) {
        self.kind = kind
        self.variant = variant
        self.bytes = bytes
        self.name = name
    }

    /// The number of read variants.
    public static let variants = 4

    /// A corpus file name for this input: `NAME.KIND[+VARIANT].EXT`.
    public func fileName(_ base: String) -> String {
        "\(base).\(kind.rawValue)\(variant == 0 ? "" : "+\(variant)").\(kind.fileExtension)"
    }

    /// The kind and variant a corpus file name states (`NAME.KIND[+VARIANT].EXT`), or nil.
    public static func kindAndVariant(ofFileName file: String) -> (FuzzKind, Int)? {
        let parts = file.split(separator: ".")
        guard parts.count >= 3 else { return nil }
        let tag = parts[parts.count - 2].split(separator: "+", maxSplits: 1)
        guard let kind = FuzzKind(rawValue: String(tag[0])) else { return nil }
        let variant = tag.count == 2 ? Int(tag[1]) ?? 0 : 0
        return (kind, max(0, min(variant, variants - 1)))
    }
}
