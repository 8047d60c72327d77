// swapsim-bench: the benchmark harness of issue 7 (see benchmarks/README.md).
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "--child" {
    exit(ChildRun.main(Array(arguments.dropFirst())))
}
exit(BenchCommand.main(arguments))
