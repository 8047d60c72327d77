import Foundation
import SwapSimCore

/// A calibration profile as `gpu-calibrate` writes it (JSON, `schema: swapsim.calibration/1`).
///
/// Keys are the file's (snake_case); every key the tool writes is required, except `pcie`
/// (null without NVML). Times are seconds, rates decimal GB/s at the median. See the README,
/// "Calibrating on a GPU node", for the layout.
public struct CalibrationProfile: Decodable, Sendable {
    /// The schema this reader understands.
    public static let schema = "swapsim.calibration/1"

    /// One measured point: a size and its timed samples.
    public struct Row: Decodable, Sendable {
        public var bytes: Int64
        public var samples: Int
        public var medianS: Double
        public var minS: Double
        public var maxS: Double
        public var gbps: Double
        enum CodingKeys: String, CodingKey {
            case bytes, samples, gbps
            case medianS = "median_s", minS = "min_s", maxS = "max_s"
        }
    }

    public struct Tool: Decodable, Sendable {
        public var name: String
        public var version: String
    }

    public struct Host: Decodable, Sendable {
        public var hostname: String
        public var os: String
        public var cpu: String
        public var cpus: Int
        public var memoryBytes: Int64
        enum CodingKeys: String, CodingKey {
            case hostname, os, cpu, cpus
            case memoryBytes = "memory_bytes"
        }
    }

    public struct Driver: Decodable, Sendable {
        public var library: String
        public var version: Int
        public var nvml: Bool
    }

    public struct Settings: Decodable, Sendable {
        public var repeats: Int
        public var warmup: Int
        public var minBytes: Int64
        public var maxBytes: Int64
        public var swapBytes: Int64
        enum CodingKeys: String, CodingKey {
            case repeats, warmup
            case minBytes = "min_bytes", maxBytes = "max_bytes", swapBytes = "swap_bytes"
        }
    }

    public struct PCIe: Decodable, Sendable {
        public var currentGeneration: Int
        public var currentWidth: Int
        public var maxGeneration: Int
        public var maxWidth: Int
        enum CodingKeys: String, CodingKey {
            case currentGeneration = "current_generation", currentWidth = "current_width"
            case maxGeneration = "max_generation", maxWidth = "max_width"
        }
    }

    public struct Allocation: Decodable, Sendable {
        public var alloc: [Row]
        public var free: [Row]
    }

    public struct Pinning: Decodable, Sendable {
        public var register: [Row]
        public var unregister: [Row]
        public var hostAlloc: [Row]
        public var hostFree: [Row]
        enum CodingKeys: String, CodingKey {
            case register, unregister
            case hostAlloc = "host_alloc", hostFree = "host_free"
        }
    }

    /// The copy sweeps, a row per power-of-two size.
    public struct Copies: Decodable, Sendable {
        public var h2dPinned: [Row]
        public var h2dPageable: [Row]
        public var d2hPinned: [Row]
        public var d2hPageable: [Row]
        /// Both directions at once; `bytes` per direction, GB/s of both together.
        public var bidirectionalPinned: [Row]
        public var bidirectionalPageable: [Row]
        public var d2d: [Row]
        enum CodingKeys: String, CodingKey {
            case d2d
            case h2dPinned = "h2d_pinned", h2dPageable = "h2d_pageable", d2hPinned = "d2h_pinned", d2hPageable = "d2h_pageable"
            case bidirectionalPinned = "bidirectional_pinned", bidirectionalPageable = "bidirectional_pageable"
        }

        /// The sweeps with their file keys, in the file's order.
        public var all: [(key: String, rows: [Row])] {
            [("h2d_pinned", h2dPinned), ("h2d_pageable", h2dPageable), ("d2h_pinned", d2hPinned), ("d2h_pageable", d2hPageable),
             ("bidirectional_pinned", bidirectionalPinned), ("bidirectional_pageable", bidirectionalPageable), ("d2d", d2d)]
        }
    }

    /// One chunk size of the chunked swap: the whole buffer (`row.bytes`) copied in `chunks` copies.
    public struct ChunkRun: Decodable, Sendable {
        public var chunkBytes: Int64
        public var chunks: Int
        /// The buffer's size and timings, written beside the chunk keys in the same object.
        public var row: Row
        enum CodingKeys: String, CodingKey {
            case chunks
            case chunkBytes = "chunk_bytes"
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            chunkBytes = try c.decode(Int64.self, forKey: .chunkBytes)
            chunks = try c.decode(Int.self, forKey: .chunks)
            row = try Row(from: decoder)
        }
    }

    public struct ChunkedSwap: Decodable, Sendable {
        public var direction: String
        public var memory: String
        public var bufferBytes: Int64
        public var runs: [ChunkRun]
        enum CodingKeys: String, CodingKey {
            case direction, memory, runs
            case bufferBytes = "buffer_bytes"
        }
    }

    public struct Integrity: Decodable, Sendable {
        public var bytes: Int64
        public var mismatchedBytes: Int64
        public var ok: Bool
        enum CodingKeys: String, CodingKey {
            case bytes, ok
            case mismatchedBytes = "mismatched_bytes"
        }
    }

    public struct Device: Decodable, Sendable {
        public var index: Int
        public var name: String
        public var pciBusId: String
        public var memoryBytes: Int64
        public var freeBytes: Int64
        public var pcie: PCIe?
        public var contextInitS: Double
        public var largestBytes: Int64
        public var allocation: Allocation
        public var pinning: Pinning
        public var copies: Copies
        public var chunkedSwap: ChunkedSwap
        public var integrity: Integrity
        enum CodingKeys: String, CodingKey {
            case index, name, pcie, allocation, pinning, copies, integrity
            case pciBusId = "pci_bus_id", memoryBytes = "memory_bytes", freeBytes = "free_bytes"
            case contextInitS = "context_init_s", largestBytes = "largest_bytes", chunkedSwap = "chunked_swap"
        }
    }

    /// Every selected device copying host→device at once, timed on the host clock.
    public struct AllDevices: Decodable, Sendable {
        public var devices: [Int]
        public var direction: String
        public var memory: String
        public var clock: String
        public var bytesPerDevice: Int64
        /// One device's bytes and the timings; GB/s is all devices' bytes together over the median.
        public var row: Row
        enum CodingKeys: String, CodingKey {
            case devices, direction, memory, clock
            case bytesPerDevice = "bytes_per_device"
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            devices = try c.decode([Int].self, forKey: .devices)
            direction = try c.decode(String.self, forKey: .direction)
            memory = try c.decode(String.self, forKey: .memory)
            clock = try c.decode(String.self, forKey: .clock)
            bytesPerDevice = try c.decode(Int64.self, forKey: .bytesPerDevice)
            row = try Row(from: decoder)
        }
    }

    public var schema: String
    public var tool: Tool
    public var createdAt: String
    public var host: Host
    public var driver: Driver
    public var settings: Settings
    public var devices: [Device]
    public var allDevices: AllDevices

    enum CodingKeys: String, CodingKey {
        case schema, tool, host, driver, settings, devices
        case createdAt = "created_at", allDevices = "all_devices"
    }

    /// The device whose `index` is `index`, or the first one when nil.
    public func device(_ index: Int?) -> Device? {
        guard let index else { return devices.first }
        return devices.first { $0.index == index }
    }
}
