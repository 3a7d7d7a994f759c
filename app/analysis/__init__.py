"""Analyses over many statements at once (pure Python, no database, no web).

`emergent` clusters statements that fit no curated theme and proposes the clusters, with
their top terms, as candidate themes for editors.
"""
