"""Measuring extraction against annotated articles (the dev set in tests/data/devset).

Annotations hold character offsets into the real articles in the shared folder, never
their text, so the project carries no article text; the scorer reads the articles from
there at evaluation time.
"""
