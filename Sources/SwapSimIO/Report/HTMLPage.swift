/// What every report page shares: the opening up to `<main>`.
enum HTMLPage {
    /// The doctype, the phone viewport, `title` (already escaped) and the inline `css`, through
    /// the opening `<main>` tag.
    static func opening(title: String, css: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(title)</title>
        <style>\(css)</style>
        </head>
        <body>
        <main>

        """
    }
}
