import RealModule

/// The elementary functions the core needs, from swift-numerics (no Foundation, no Glibc).
enum MathFunctions {
    static func log(_ x: Double) -> Double { Double.log(x) }
    static func exp(_ x: Double) -> Double { Double.exp(x) }
    static func cos(_ x: Double) -> Double { Double.cos(x) }
    static func sqrt(_ x: Double) -> Double { x.squareRoot() }
    static func pow(_ x: Double, _ y: Double) -> Double { Double.pow(x, y) }
}
