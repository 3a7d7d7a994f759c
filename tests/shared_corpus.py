"""Access to the real articles in ../shared: skip with a reason when absent, fail under CI."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED_DIR = Path(__file__).resolve().parents[2] / "shared"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or a skip (a failure under CI=true) when it is missing."""
    path = SHARED_DIR.joinpath(*parts)
    if not path.exists():
        reason = f"{path} is absent: real-article checks need the shared folder beside the checkout"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return path
