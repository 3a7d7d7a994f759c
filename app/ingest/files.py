"""Finding article files on disk: folders expand to the `.txt` files below them."""

from __future__ import annotations

from pathlib import Path


def text_files(paths: list[Path]) -> list[Path]:
    """The files named, with folders expanded to their `.txt` files (sorted, recursive)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*.txt") if p.is_file()))
        else:
            found.append(path)
    return found
