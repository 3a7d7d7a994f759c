"""The codebase stays ruff clean, and the pipeline stays free of web and database imports."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN_IN_PIPELINE = (
    "fastapi",
    "starlette",
    "sqlalchemy",
    "app.web",
    "app.models",
    "app.db",
    "app.services",
    "app.queries",
)


def test_ruff_finds_nothing():
    ruff = shutil.which("ruff") or pytest.fail("ruff is not installed (pip install -e '.[test]')")
    result = subprocess.run(
        [ruff, "check", "."], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("package", ["ingest", "extract", "knowledge", "analysis"])
def test_pipeline_imports_nothing_from_the_web_or_the_database(package):
    for path in (ROOT / "app" / package).rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert not name.startswith(FORBIDDEN_IN_PIPELINE), f"{path}: imports {name}"


def test_python_is_new_enough():
    assert sys.version_info >= (3, 11)
