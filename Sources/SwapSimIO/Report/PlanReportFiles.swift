/// Writes a plan's three report files into a folder.
public enum PlanReportFiles {
    /// The files written, in order.
    public static let names = ["plan.md", "plan.json", "plan.html"]

    /// Writes `plan.md`, `plan.json` and `plan.html` into `directory` (created if needed) and
    /// returns their paths.
    /// - Throws: ``ReportError`` when the folder or a file cannot be written.
    @discardableResult
    public static func write(_ report: PlanReport, to directory: String) throws(ReportError) -> [String] {
        try ReportFiles.write(Array(zip(names, [report.result.markdown(), report.result.json(), report.html()])), to: directory)
    }
}
