// swift-tools-version:6.1
import PackageDescription

/// Release builds of the simulator and the trace readers skip Swift's run-time exclusivity
/// checks: on the event loop they cost about a fifth of the time (benchmarks/README.md has the
/// profile). Debug builds, which the tests use, keep them, so an access conflict still fails
/// the tests.
let hotPathSettings: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let package = Package(
    name: "swapsim",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "swapsim", targets: ["swapsim"]),
        .library(name: "SwapSimCore", targets: ["SwapSimCore"]),
        .library(name: "SwapSimIO", targets: ["SwapSimIO"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // MARK: - Core (pure: no Foundation, no I/O)
        .target(
            name: "SwapSimCore",
            dependencies: [.product(name: "RealModule", package: "swift-numerics")],
            swiftSettings: hotPathSettings
        ),

        // MARK: - I/O (scenario and trace files, output formats)
        .target(
            name: "SwapSimIO",
            dependencies: [
                "SwapSimCore",
                .product(name: "Yams", package: "Yams"),
                // Only the results store (Store/ResultsStore.swift) imports GRDB.
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: hotPathSettings
        ),

        // MARK: - Command-line tool
        .executableTarget(
            name: "swapsim",
            dependencies: [
                "SwapSimIO",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: - Calibration tool (C)
        // Measures a GPU node's transfer rates; loads the CUDA driver at run time, so it needs no
        // CUDA toolkit. Also builds alone with `cc` (see README, "Calibrating on a GPU node").
        .executableTarget(
            name: "gpu-calibrate",
            linkerSettings: [.linkedLibrary("dl"), .linkedLibrary("m"), .linkedLibrary("pthread")]
        ),

        // MARK: - Benchmarks
        // Issue 7's harness: `swift run -c release swapsim-bench` (see benchmarks/README.md).
        .executableTarget(name: "swapsim-bench", dependencies: ["SwapSimIO"]),

        // MARK: - Fuzzing
        // Issue 13's harness: seeded mutations of the shipped traces, scenarios and calibration
        // profiles through every parser and the simulator, in process (README, "Fuzzing").
        .target(name: "SwapSimFuzz", dependencies: ["SwapSimIO"]),
        .executableTarget(
            name: "swapsim-fuzz",
            dependencies: ["SwapSimFuzz", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),

        // MARK: - Tests
        .testTarget(name: "SwapSimCoreTests", dependencies: ["SwapSimCore"]),
        // GRDB here only to craft hostile stores (a newer swapsim's, another program's) for the store's tests.
        .testTarget(
            name: "SwapSimIOTests", dependencies: ["SwapSimIO", .product(name: "GRDB", package: "GRDB.swift")], exclude: ["Golden"]),
        .testTarget(name: "SwapSimCLITests", dependencies: ["SwapSimIO", "SwapSimCore"]),
        .testTarget(name: "SwapSimFuzzTests", dependencies: ["SwapSimFuzz", "SwapSimIO"]),
    ],
    swiftLanguageModes: [.v6]
)
