/// A chart: a plot area with two axes, ticks, grid and labels, on which data is drawn in data
/// coordinates.
///
/// Layout is fixed: margins for the tick labels and axis titles, the plot area inside, an
/// optional legend row above it. Everything drawn goes through ``SVGWriter``.
struct Chart {
    private(set) var svg: SVGWriter
    let x: ChartAxis
    let y: ChartAxis
    /// The plot area, in user units.
    let left: Double, top: Double, right: Double, bottom: Double

    /// A chart `width` × `height` titled `title`, with `legendRows` rows kept free for a legend
    /// and `leftMargin` units left of the plot for the y tick labels. With `markerRow`, a row
    /// above the plot holds the markers' labels, so no label sits on the data.
    init(
        width: Double = 640, height: Double = 300, title: String, x: ChartAxis, y: ChartAxis, legendRows: Int = 0, leftMargin: Double = 64,
        markerRow: Bool = false
    ) {
        svg = SVGWriter(width: width, height: height, title: title)
        self.x = x
        self.y = y
        left = leftMargin
        right = width - 28
        top = 28 + Double(legendRows) * 18 + (markerRow ? 16 : 0)
        bottom = height - 44
        svg.text(left, 16, title, size: 13, bold: true)
        drawAxes()
    }

    /// The horizontal position of data value `v`.
    func px(_ v: Double) -> Double { left + x.fraction(v) * (right - left) }
    /// The vertical position of data value `v`.
    func py(_ v: Double) -> Double { bottom - y.fraction(v) * (bottom - top) }

    private mutating func drawAxes() {
        svg.rect(left, top, right - left, bottom - top, fill: "#fff", stroke: "#ccc")
        for t in x.ticks() {
            let p = px(t.value)
            svg.line(p, top, p, bottom, stroke: "#eee")
            svg.line(p, bottom, p, bottom + 4, stroke: "#888")
            svg.text(p, bottom + 16, t.label, anchor: "middle", size: 11, fill: "#555")
        }
        for t in y.ticks() {
            let p = py(t.value)
            svg.line(left, p, right, p, stroke: "#eee")
            svg.line(left - 4, p, left, p, stroke: "#888")
            svg.text(left - 6, p + 4, t.label, anchor: "end", size: 11, fill: "#555")
        }
        svg.line(left, bottom, right, bottom, stroke: "#888")
        svg.line(left, top, left, bottom, stroke: "#888")
        svg.text((left + right) / 2, bottom + 34, x.label, anchor: "middle", size: 12, fill: "#333")
        svg.text(16, (top + bottom) / 2, y.label, anchor: "middle", size: 12, fill: "#333", rotate: -90)
    }

    // MARK: Data

    /// A line through data points.
    mutating func line(_ points: [(Double, Double)], color: String, width: Double = 2, dash: String? = nil) {
        svg.polyline(points.map { (px($0.0), py($0.1)) }, stroke: color, width: width, dash: dash)
    }

    /// A step line: each value holds until the next point's x (a CDF, a sampled state).
    mutating func stepLine(_ points: [(Double, Double)], color: String, width: Double = 2, dash: String? = nil) {
        line(Self.steps(points), color: color, width: width, dash: dash)
    }

    /// Stacked step areas over shared x values: `layers[k][i]` is layer k's height at `xs[i]`,
    /// held until `xs[i + 1]` (the last until `end`). Layers stack in order, the first at the bottom.
    mutating func stackedAreas(xs: [Double], end: Double, layers: [[Double]], colors: [String], titles: [String]) {
        guard !xs.isEmpty else { return }
        var base = Array(repeating: 0.0, count: xs.count)
        for (k, layer) in layers.enumerated() {
            let topValues = zip(base, layer).map { $0 + $1 }
            if layer.contains(where: { $0 > 0 }) {
                let upper = stepOutline(xs: xs, values: topValues, end: end)
                let lower = stepOutline(xs: xs, values: base, end: end)
                svg.polygon(upper + lower.reversed(), fill: colors[k], title: titles[k])
            }
            base = topValues
        }
    }

    /// A filled rectangle between data coordinates, with a tooltip.
    mutating func box(x0: Double, x1: Double, y0: Double, y1: Double, color: String, title: String) {
        let a = px(x0), b = px(x1), c = py(y1), d = py(y0)
        svg.rect(min(a, b), min(c, d), abs(b - a), abs(d - c), fill: color, title: title)
    }

    /// A text at a data point.
    mutating func label(_ xv: Double, _ yv: Double, _ text: String, anchor: String = "start", color: String = "#222") {
        svg.text(px(xv), py(yv) + 4, text, anchor: anchor, size: 11, fill: color)
    }

    /// The corners, in user units, of a step function holding `values[i]` from `xs[i]` to the
    /// next x (the last to `end`): a corner only where the value changes, so long flat stretches
    /// cost two points.
    private func stepOutline(xs: [Double], values: [Double], end: Double) -> [(Double, Double)] {
        var out: [(Double, Double)] = [(px(xs[0]), py(values[0]))]
        for i in xs.indices.dropFirst() where values[i] != values[i - 1] {
            out.append((px(xs[i]), py(values[i - 1])))
            out.append((px(xs[i]), py(values[i])))
        }
        out.append((px(end), py(values[values.count - 1])))
        return out
    }

    /// A dot at a data point, with a label beside it.
    mutating func point(_ xv: Double, _ yv: Double, color: String, label: String?, title: String) {
        let cx = px(xv), cy = py(yv)
        svg.circle(cx, cy, r: 6, fill: color, stroke: "#fff", title: title)
        if let l = label {
            let leftSide = cx > (left + right) / 2
            svg.text(cx + (leftSide ? -10 : 10), cy - 8, l, anchor: leftSide ? "end" : "start", size: 12, fill: color, bold: true)
        }
    }

    /// A small unlabelled dot at a data point, with a tooltip: filled, or hollow (an outline in
    /// `color`) to set a point apart, as the plan's scatter does for infeasible configurations.
    mutating func dot(_ xv: Double, _ yv: Double, color: String, hollow: Bool = false, radius: Double = 4, title: String) {
        svg.circle(px(xv), py(yv), r: radius, fill: hollow ? "#fff" : color, stroke: hollow ? color : "#fff", title: title)
    }

    /// A dashed vertical line across the plot at data x, labelled above the plot (in the marker
    /// row: give the chart `markerRow`), clear of the data.
    mutating func verticalMarker(_ xv: Double, label: String, color: String = "#b91c1c") {
        let p = px(xv)
        svg.line(p, top - 6, p, bottom, stroke: color, width: 1.5, dash: "6 4")
        let nearRight = p > right - 120
        svg.text(p + (nearRight ? -4 : 4), top - 4, label, anchor: nearRight ? "end" : "start", size: 11, fill: color)
    }

    /// A dashed horizontal line across the plot at data y, labelled above the plot's top right
    /// corner beside a swatch of the line (in the marker row: give the chart `markerRow`), clear
    /// of the data.
    mutating func horizontalMarker(_ yv: Double, label: String, color: String = "#555") {
        let p = py(yv)
        svg.line(left, p, right, p, stroke: color, width: 1, dash: "3 3")
        let width = 7 * Double(label.count)
        svg.line(right - width - 30, top - 8, right - width - 8, top - 8, stroke: color, width: 1.5, dash: "3 3")
        svg.text(right, top - 4, label, anchor: "end", size: 11, fill: color)
    }

    /// A small number beside a data point, placed right and above it: a key into a table.
    mutating func pointNumber(_ xv: Double, _ yv: Double, _ number: Int, color: String = "#111") {
        svg.text(px(xv) + 6, py(yv) - 6, String(number), size: 10, fill: color, bold: true)
    }

    /// A small tick mark at the top edge of the plot at data x: an event on a time line.
    mutating func eventTick(_ xv: Double, row: Int, color: String, title: String) {
        let p = px(xv)
        let y0 = top + 2 + Double(row) * 9
        svg.rect(p - 1.5, y0, 3, 8, fill: color, title: title)
    }

    /// A legend row above the plot: a swatch and a name per item, wrapping onto further rows.
    mutating func legend(_ items: [(name: String, color: String)]) {
        var cx = left
        var cy = 30.0
        for item in items {
            let w = 22 + Double(item.name.count) * 6.6
            if cx + w > right && cx > left {
                cx = left
                cy += 18
            }
            svg.rect(cx, cy - 9, 12, 10, fill: item.color)
            svg.text(cx + 16, cy, item.name, size: 11, fill: "#333")
            cx += w + 10
        }
    }

    /// The finished `<svg>` element.
    func finish() -> String { svg.finish() }

    /// The corners of a step function through `points`.
    static func steps(_ points: [(Double, Double)]) -> [(Double, Double)] {
        var out: [(Double, Double)] = []
        for (i, p) in points.enumerated() {
            if i > 0 { out.append((p.0, points[i - 1].1)) }
            out.append(p)
        }
        return out
    }
}
