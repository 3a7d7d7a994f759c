"""Benchmarks of Démarche's ingestion path (see docs/performance.md).

`bench.corpus` generates a deterministic synthetic corpus of plain-text articles;
`bench.import_rate` measures how fast that corpus is read, extracted and stored, beside
a raw `COPY` of the same texts into Postgres as the floor.
"""
