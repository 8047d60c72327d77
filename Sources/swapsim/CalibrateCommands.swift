import ArgumentParser
import Foundation
import SwapSimCore
import SwapSimIO

/// `swapsim calibrate …`: turn a gpu-calibrate profile into the simulator's link parameters.
struct Calibrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fit, show and validate calibration profiles measured by gpu-calibrate on a GPU node.",
        discussion: examples("swapsim calibrate fit node.json -o node.yaml", "swapsim calibrate show node.json"),
        subcommands: [Fit.self, Show.self, Validate.self]
    )

    /// The profile and the device in it, shared by the three subcommands.
    struct ProfileOptions: ParsableArguments {
        @Argument(help: "Calibration profile (JSON) written by gpu-calibrate.")
        var profile: String

        @Option(parsing: .unconditional, help: "The device of the profile to use, by its index (default: the first device measured).")
        var device: Int?

        /// Loads the profile and fits the chosen device.
        func fit() throws(CalibrationError) -> ProfileFit {
            try ProfileFit(profile: CalibrationProfile.load(path: profile), file: profile, device: device)
        }
    }

    /// `swapsim calibrate fit`.
    struct Fit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fit latency and bandwidth per copy, the node's DMA cap and pinning throughput; write a scenario fragment.",
            discussion: """
                t(bytes) = latency + bytes / bandwidth is fitted per direction and memory kind over the \
                bandwidth-bound sizes (those taking at least twice the smallest size's time), by least \
                squares on the relative residual. The fragment (-o FILE) is loaded by a scenario's \
                `cluster: {calibration: FILE}`; without -o it is printed after the table.

                Examples:
                  swapsim calibrate fit node.json -o node.yaml
                  swapsim calibrate fit node.json -o - > node.yaml
                """)

        @OptionGroup var options: ProfileOptions

        @Option(name: .shortAndLong, help: "Write the scenario fragment (YAML) to this file; -: to stdout alone, without the table.", completion: .file(extensions: ["yaml"]))
        var output: String?

        @Option(help: "Output format: table or json.")
        var format: Format = .table

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case table, json
        }

        func run() throws {
            let fit = try reportingErrors { try options.fit() }
            let fragment = CalibrationFragment.render(fit)
            if output == "-" {
                // The fragment is data for a file: written as it is, and nothing else on stdout.
                print(fragment, terminator: "")
                return
            }
            if let output {
                try reportingErrors {
                    do { try Data(fragment.utf8).write(to: URL(fileURLWithPath: output)) } catch {
                        throw CalibrationError.unwritable(file: output, reason: (error as NSError).localizedDescription)
                    }
                }
            }
            switch format {
            case .json:
                Terminal.out(CalibrationReport.fitJSON(fit))
            case .table:
                Terminal.out(CalibrationReport.fitTable(fit))
                if let output {
                    Terminal.out("\nscenario fragment written to \(output); load it with `cluster: {calibration: \(output)}`\n")
                } else {
                    Terminal.out("\nscenario fragment (save it with -o FILE):\n\n" + fragment)
                }
            }
        }
    }

    /// `swapsim calibrate show`.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a calibration profile as tables.", discussion: examples("swapsim calibrate show node.json"))

        @Argument(help: "Calibration profile (JSON) written by gpu-calibrate.")
        var profile: String

        func run() throws {
            let p = try reportingErrors { try CalibrationProfile.load(path: profile) }
            Terminal.out(CalibrationReport.show(p, file: profile))
        }
    }

    /// `swapsim calibrate validate`.
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare the profile's measured chunked swap-in with what the simulator predicts from the fitted link.",
            discussion: examples("swapsim calibrate validate node.json", "swapsim calibrate validate node.json --max-error 10"))

        @OptionGroup var options: ProfileOptions

        @Option(parsing: .unconditional, help: "Exit with status 1 when the worst error exceeds this many percent.")
        var maxError: Double?

        func validate() throws {
            if let m = maxError, !(m >= 0 && m.isFinite) {
                throw ValidationError("--max-error: must be a percentage of 0 or more, got \(m)")
            }
        }

        func run() throws {
            let validation = try reportingErrors { SwapValidation(fit: try options.fit()) }
            Terminal.out(validation.render())
            if let limit = maxError, let worst = validation.worst, abs(worst.error) * 100 > limit {
                _ = try reportingErrors { () throws -> Void in
                    throw CLIError("\(options.profile): the simulator's prediction is off by \(Fixed.format(abs(worst.error) * 100, decimals: 2))%, more than --max-error \(Fixed.format(limit, decimals: 2))%")
                }
            }
        }
    }
}
