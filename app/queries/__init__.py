"""Reading the store: the one filter model parsed from URLs, and the queries behind every view.

Pages, HTMX partials, exports, feeds and the API all call these functions with a
`StatementFilter`; only the representation differs between them.
"""
