import Testing

extension Tag {
    /// Long statistical checks: simulations of up to a million requests, loops of 200,000
    /// samples. `swift test` (what CI runs) runs them; the README's quick command skips them by
    /// name, since `swift test --skip` matches test names, not tags. Tag a new long check here
    /// and add its name to that command.
    @Tag static var statistical: Self
}
