import SwapSimCore

/// Writes one SVG image, element by element, as text.
///
/// The drawing layer under ``Chart``: shapes in user units of a fixed view box, drawn in the
/// order they are added. Every text and attribute value is escaped, and every number is
/// written with two fixed decimals, so the same drawing gives the same bytes on any machine.
/// The image scales to its container (`width="100%"`, no fixed height), so it reads on a phone.
struct SVGWriter {
    let width: Double
    let height: Double
    private(set) var body = ""

    /// A blank image `width` × `height` user units, described to screen readers by `title`.
    init(width: Double, height: Double, title: String) {
        self.width = width
        self.height = height
        body += "<title>\(Self.escape(title))</title>\n"
    }

    /// The finished `<svg>` element, for inline use in HTML (which needs no namespace).
    func finish() -> String {
        "<svg viewBox=\"0 0 \(Self.n(width)) \(Self.n(height))\" width=\"100%\" "
            + "role=\"img\" preserveAspectRatio=\"xMidYMid meet\" font-family=\"system-ui, sans-serif\" font-size=\"12\">\n"
            + body + "</svg>"
    }

    // MARK: Shapes

    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String, width: Double = 1, dash: String? = nil) {
        body += "<line x1=\"\(Self.n(x1))\" y1=\"\(Self.n(y1))\" x2=\"\(Self.n(x2))\" y2=\"\(Self.n(y2))\" stroke=\"\(Self.escape(stroke))\" stroke-width=\"\(Self.n(width))\"\(Self.dash(dash))/>\n"
    }

    /// An open path through `points`.
    mutating func polyline(_ points: [(Double, Double)], stroke: String, width: Double = 1.5, dash: String? = nil) {
        guard points.count > 1 else { return }
        body += "<polyline points=\"\(Self.points(points))\" fill=\"none\" stroke=\"\(Self.escape(stroke))\" stroke-width=\"\(Self.n(width))\" stroke-linejoin=\"round\"\(Self.dash(dash))/>\n"
    }

    /// A closed, filled shape, with a tooltip.
    mutating func polygon(_ points: [(Double, Double)], fill: String, title: String? = nil) {
        guard points.count > 2 else { return }
        body += "<polygon points=\"\(Self.points(points))\" fill=\"\(Self.escape(fill))\" stroke=\"none\""
        body += Self.closing(title, tag: "polygon")
    }

    mutating func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: String, stroke: String? = nil, title: String? = nil) {
        body += "<rect x=\"\(Self.n(x))\" y=\"\(Self.n(y))\" width=\"\(Self.n(max(0, w)))\" height=\"\(Self.n(max(0, h)))\" fill=\"\(Self.escape(fill))\""
        if let s = stroke { body += " stroke=\"\(Self.escape(s))\"" }
        body += Self.closing(title, tag: "rect")
    }

    mutating func circle(_ cx: Double, _ cy: Double, r: Double, fill: String, stroke: String? = nil, title: String? = nil) {
        body += "<circle cx=\"\(Self.n(cx))\" cy=\"\(Self.n(cy))\" r=\"\(Self.n(r))\" fill=\"\(Self.escape(fill))\""
        if let s = stroke { body += " stroke=\"\(Self.escape(s))\"" }
        body += Self.closing(title, tag: "circle")
    }

    /// A text anchored at (x, y): `anchor` is start, middle or end.
    mutating func text(
        _ x: Double, _ y: Double, _ text: String, anchor: String = "start", size: Double = 12, fill: String = "#222",
        bold: Bool = false, rotate: Double? = nil
    ) {
        body += "<text x=\"\(Self.n(x))\" y=\"\(Self.n(y))\" text-anchor=\"\(Self.escape(anchor))\" font-size=\"\(Self.n(size))\" fill=\"\(Self.escape(fill))\""
        if bold { body += " font-weight=\"bold\"" }
        if let r = rotate { body += " transform=\"rotate(\(Self.n(r)) \(Self.n(x)) \(Self.n(y)))\"" }
        body += ">\(Self.escape(text))</text>\n"
    }

    // MARK: Text

    /// `s` safe inside SVG or HTML text and double-quoted attribute values.
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                // Control characters other than tab and newline are not allowed in XML.
                if c.value < 0x20 && c != "\t" && c != "\n" { out += " " } else { out.unicodeScalars.append(c) }
            }
        }
        return out
    }

    /// A coordinate with two fixed decimals, trailing zeros dropped.
    static func n(_ v: Double) -> String {
        var s = Fixed.format(v, decimals: 2)
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s == "-0" ? "0" : s
    }

    private static func points(_ ps: [(Double, Double)]) -> String {
        ps.map { "\(n($0.0)),\(n($0.1))" }.joined(separator: " ")
    }

    private static func dash(_ d: String?) -> String {
        d.map { " stroke-dasharray=\"\(escape($0))\"" } ?? ""
    }

    /// Ends an element: self-closing, or with a `<title>` tooltip inside.
    private static func closing(_ title: String?, tag: String) -> String {
        guard let t = title else { return "/>\n" }
        return "><title>\(escape(t))</title></\(tag)>\n"
    }
}
