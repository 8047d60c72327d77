import SwapSimCore

/// A run read back from the results store: its report and where it sits in the store.
///
/// A *run* is one invocation of `simulate` or `compare`: every strategy it ran over one
/// scenario and trace with one seed, stored together in one transaction.
public struct StoredRun: Sendable {
    /// The run's number in this store (merging renumbers runs).
    public var id: Int64
    /// A random identifier made when the run was first stored; kept by `merge`, which skips a
    /// run whose `uid` the target already holds.
    public var uid: String
    /// When the run was stored, ISO 8601 in UTC.
    public var createdAt: String
    public var report: RunReport

    public init(id: Int64, uid: String, createdAt: String, report: RunReport) {
        self.id = id
        self.uid = uid
        self.createdAt = createdAt
        self.report = report
    }
}

/// One line of `swapsim runs list`: a run without its timelines and events.
public struct RunListing: Sendable, Equatable {
    public var id: Int64
    public var uid: String
    public var createdAt: String
    public var scenario: String
    public var scenarioHash: String
    public var trace: String
    public var traceHash: String
    public var seed: UInt64
    public var toolVersion: String
    public var requests: Int
    /// The strategies that ran, in the order they were given.
    public var strategies: [String]
    /// The cheapest strategy meeting the SLO, if any did.
    public var cheapestMeetingSLO: String?
    /// Whether per-request rows were stored (`--store-requests`).
    public var storedRequests: Bool

    public init(
        id: Int64, uid: String, createdAt: String, scenario: String, scenarioHash: String, trace: String, traceHash: String,
        seed: UInt64, toolVersion: String, requests: Int, strategies: [String], cheapestMeetingSLO: String?, storedRequests: Bool
    ) {
        self.id = id
        self.uid = uid
        self.createdAt = createdAt
        self.scenario = scenario
        self.scenarioHash = scenarioHash
        self.trace = trace
        self.traceHash = traceHash
        self.seed = seed
        self.toolVersion = toolVersion
        self.requests = requests
        self.strategies = strategies
        self.cheapestMeetingSLO = cheapestMeetingSLO
        self.storedRequests = storedRequests
    }
}

/// What went wrong with a results database, in one sentence naming the file.
public enum StoreError: Error, CustomStringConvertible, Equatable {
    /// The file could not be opened or migrated as a results store.
    case cannotOpen(path: String, reason: String)
    /// No run with this id in the store.
    case noSuchRun(path: String, id: Int64)
    /// The store holds no runs at all.
    case empty(path: String)
    /// A read or write failed.
    case failed(path: String, reason: String)
    /// A command that reads a store was given a path where there is none.
    case noSuchStore(path: String)
    /// The file is not a swapsim results store (another program's database, or not one at all).
    case notAStore(path: String, reason: String)
    /// A newer swapsim made the store: it has migrations this version does not know. Writers
    /// refuse it, lest they write rows without what the newer version stores.
    case newerSchema(path: String, migrations: [String])
    /// `merge` refuses an input made by a newer swapsim: copying it would drop what its newer
    /// migrations added.
    case newerMergeInput(path: String, migrations: [String])
    /// The store's tables are not the ones this swapsim reads or writes.
    case incompatibleSchema(path: String, reason: String)

    public var description: String {
        switch self {
        case let .noSuchStore(path): return "\(path): no such results database"
        case let .notAStore(path, reason): return "\(path): not a swapsim results store: \(reason)"
        case let .newerSchema(path, migrations):
            return "\(path): written by a newer swapsim (migration\(migrations.count == 1 ? "" : "s") \(migrations.joined(separator: ", ")) unknown to this version); "
                + "this version does not write to it, so as not to store runs without what the newer one records: use that swapsim (read commands such as runs list still work)"
        case let .newerMergeInput(path, migrations):
            return "\(path): written by a newer swapsim (migration\(migrations.count == 1 ? "" : "s") \(migrations.joined(separator: ", ")) unknown to this version); "
                + "merging it would drop what those migrations added, so it is not merged: merge with that swapsim"
        case let .incompatibleSchema(path, reason): return "\(path): the store's schema is not one this swapsim uses: \(reason)"
        case let .cannotOpen(path, reason): return "\(path): cannot open as a swapsim results store: \(reason)"
        case let .noSuchRun(path, id): return "\(path): no run with id \(id) (see `swapsim runs list --db \(path)`)"
        case let .empty(path): return "\(path): the store holds no runs yet (store one with `swapsim compare --db \(path)`)"
        case let .failed(path, reason): return "\(path): \(reason)"
        }
    }
}
