/// What identifies a run or a plan, as its HTML report shows it under "Reproduce": the
/// scenario (path, name, SHA-256), the trace (as given, SHA-256), the seeds, the swapsim
/// version, the command that reproduces it and the scenario file itself.
///
/// The run report and the plan report both render this one block, so the two read alike.
struct ReportIdentity {
    var scenarioPath: String
    var scenarioName: String
    var scenarioHash: String
    var scenarioText: String
    var trace: String
    /// Said after the trace's name (a plan's request count), if anything.
    var traceNote: String = ""
    var traceHash: String
    /// Said after the trace's hash (what a plan's hash covers), if anything.
    var traceHashNote: String = ""
    /// "seed" or "seeds", and their text.
    var seedLabel: String
    var seeds: String
    var toolVersion: String
    var command: String

    /// The section, every text escaped.
    func html(title: String) -> String {
        func h(_ s: String) -> String { SVGWriter.escape(s) }
        var out = "<h2>\(h(title))</h2>\n<dl>\n"
        out += "<dt>scenario</dt><dd><code>\(h(scenarioPath))</code> (\(h(scenarioName)))</dd>\n"
        out += "<dt>scenario SHA-256</dt><dd><code>\(h(scenarioHash))</code></dd>\n"
        out += "<dt>trace</dt><dd><code>\(h(trace))</code>\(h(traceNote))</dd>\n"
        out += "<dt>trace SHA-256</dt><dd><code>\(h(traceHash))</code>\(h(traceHashNote))</dd>\n"
        out += "<dt>\(h(seedLabel))</dt><dd>\(h(seeds))</dd>\n"
        out += "<dt>swapsim</dt><dd>\(h(toolVersion))</dd>\n"
        out += "</dl>\n<pre>\(h(command))</pre>\n"
        out += "<details><summary>Scenario file</summary>\n<pre>\(h(scenarioText))</pre>\n</details>\n"
        return out
    }
}
