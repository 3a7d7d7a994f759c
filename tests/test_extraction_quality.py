"""Extraction measured on the annotated dev set of real articles (read from ../shared).

The scores are printed in the test run's summary, so every CI log carries them; the
floors below guard against regressions and sit just under today's figures.
"""

from __future__ import annotations

import pytest

from app.evaluation.report import evaluate, format_table
from app.settings import REPO_ROOT
from tests.shared_corpus import shared_path

F1_FLOOR = 0.89
ATTRIBUTION_FLOOR = 0.94
DEVSET = REPO_ROOT / "tests" / "data" / "devset"

EVAL_REPORT = pytest.StashKey[str]()


def test_dev_set_scores_stay_above_their_floors(request):
    shared = shared_path()
    results, overall = evaluate([DEVSET], shared_dir=shared)
    request.config.stash[EVAL_REPORT] = format_table(results, overall, details=False)
    assert len(results) >= 45
    assert overall.f1 >= F1_FLOOR, f"F1 {overall.f1:.3f}"
    assert overall.attribution >= ATTRIBUTION_FLOOR, f"attribution {overall.attribution:.3f}"
