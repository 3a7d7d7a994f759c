"""Analyses over many statements at once (pure Python, no database, no web).

`emergent` clusters statements that fit no curated theme and proposes the clusters, with
their top terms, as candidate themes for editors. It loads scikit-learn and SciPy (about
100 MB), so callers import it when they cluster, not when they start: a web process
that never shows proposals stays that much smaller.
"""

MAX_STATEMENTS = 2000
"""The most statements clustered in one go (the most recent ones of the view)."""
