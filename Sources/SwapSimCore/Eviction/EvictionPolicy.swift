/// Which idle resident model (hot-swap) or idle replica (scale-to-zero) goes first when room
/// is needed.
///
/// Every policy ranks a candidate by a key fixed when it becomes a candidate (a model that is
/// resident and idle): an idle model's history does not change until its next request, which
/// ends its candidacy. Ties go to the least recently used, then the lowest index, so the order
/// is total.
public enum EvictionPolicy: String, Hashable, Sendable, CaseIterable {
    /// Least recently used first.
    case lru
    /// Least frequently used (fewest requests so far) first.
    case lfu
    /// Largest first, so one eviction frees the most memory.
    case largest
    /// GreedyDual-Size-Frequency (Cherkasova 1998): keeps the candidate with the highest
    /// `L + frequency × cost / size`, where cost is the time to bring it back (its swap-in) and
    /// L rises to the priority of each candidate evicted, so a candidate idle for long ages out.
    case gdsf
    /// Belady's offline optimum: the candidate whose next request comes last (or never). It
    /// reads the trace's future, so it is a bound no online policy beats, not a policy a
    /// deployment can run.
    case belady

    /// Whether a deployment could run it (Belady needs the future).
    public var isOnline: Bool { self != .belady }

    /// The policies a deployment could run.
    public static var online: [EvictionPolicy] { allCases.filter(\.isOnline) }
}

/// A candidate's rank: lower keys are evicted first.
struct EvictionKey: Comparable, Sendable {
    var primary: Int64
    /// The candidate's last use (arrival or completion), in nanoseconds: ties go to the least
    /// recently used.
    var lastUsed: Int64
    /// The candidate's index: the final tie-break.
    var index: Int32

    static func < (a: EvictionKey, b: EvictionKey) -> Bool {
        if a.primary != b.primary { return a.primary < b.primary }
        if a.lastUsed != b.lastUsed { return a.lastUsed < b.lastUsed }
        return a.index < b.index
    }
}

/// What a policy knows of a candidate when it becomes one.
struct EvictionFacts {
    var index: Int
    var lastUsed: SimInstant
    /// Requests it has served so far.
    var uses: Int64
    /// Memory it would free (per GPU).
    var bytes: ByteCount
    /// The time to bring it back (zero where the policy does not read it: ``EvictionRanking/needsReloadCost``).
    var reloadCost: SimDuration
    /// Its next request, for Belady (nil: never again).
    var nextUse: SimInstant?
}

/// The ranking state of one policy: GDSF's inflation value L (the others keep none).
struct EvictionRanking: Sendable {
    let policy: EvictionPolicy
    /// GDSF's L: the priority of the last candidate evicted.
    private var inflation: Double = 0

    init(_ policy: EvictionPolicy) { self.policy = policy }

    /// Whether the key reads ``EvictionFacts/reloadCost`` (GDSF's alone does): the others are
    /// spared estimating it for every candidate.
    var needsReloadCost: Bool { policy == .gdsf }

    /// The key of a candidate with `facts`.
    func key(_ facts: EvictionFacts) -> EvictionKey {
        let primary: Int64
        switch policy {
        case .lru:
            primary = 0
        case .lfu:
            primary = facts.uses
        case .largest:
            primary = -facts.bytes.bytes
        case .gdsf:
            // Non-negative doubles order like their bit patterns.
            let h = inflation + Double(max(1, facts.uses)) * Double(facts.reloadCost.nanoseconds) / Double(max(1, facts.bytes.bytes))
            primary = Int64(bitPattern: h.bitPattern)
        case .belady:
            // Farthest next use first; never used again comes before everything.
            primary = facts.nextUse.map { -$0.nanoseconds } ?? Int64.min
        }
        return EvictionKey(primary: primary, lastUsed: facts.lastUsed.nanoseconds, index: Int32(facts.index))
    }

    /// Notes that the candidate with `key` was evicted (GDSF raises L to its priority).
    mutating func evicted(_ key: EvictionKey) {
        if policy == .gdsf { inflation = max(inflation, Double(bitPattern: UInt64(bitPattern: key.primary))) }
    }
}
