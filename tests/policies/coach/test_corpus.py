"""Quality on the labelled corpus; the held-out set is reported by bench/lint_quality.py."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from policies.coach import lint

HERE = Path(__file__).parent
CORPUS = yaml.safe_load((HERE / "corpus.yaml").read_text(encoding="utf-8"))
HOLDOUT = yaml.safe_load((HERE / "holdout.yaml").read_text(encoding="utf-8"))


def scores(items: list[dict[str, object]], kind: str) -> tuple[float, float]:
    tp = fp = fn = 0
    for item in items:
        expected = kind in item["expect"]  # type: ignore[operator]
        got = any(finding.kind == kind for finding in lint(str(item["text"])))
        tp, fp, fn = (
            tp + (expected and got),
            fp + (got and not expected),
            fn + (expected and not got),
        )
    return tp / max(tp + fp, 1), tp / max(tp + fn, 1)


class TestCorpus:
    def test_the_corpus_is_large_and_varied(self) -> None:
        assert len(CORPUS) >= 150
        for kind in ("trap", "surveillance"):
            assert sum(kind in item["expect"] for item in CORPUS) >= 50
        assert sum(not item["expect"] for item in CORPUS) >= 50

    @pytest.mark.parametrize("kind", ["trap", "surveillance"])
    def test_precision_and_recall_reach_095_per_kind(self, kind: str) -> None:
        precision, recall = scores(CORPUS, kind)
        assert precision >= 0.95 and recall >= 0.95, (precision, recall)

    @pytest.mark.parametrize("kind", ["trap", "surveillance"])
    def test_unseen_phrasings_keep_precision_high(self, kind: str) -> None:
        # Recall on the held-out set is lower (see docs/coach.md); precision must not be:
        # an honest opener flagged as a trap teaches reps to ignore the lint.
        precision, _ = scores(HOLDOUT, kind)
        assert precision >= 0.95

    def test_every_suggestion_in_the_corpus_passes_the_lint(self) -> None:
        for item in CORPUS:
            for finding in lint(item["text"]):
                assert lint(finding.suggestion) == [], (item["text"], finding.suggestion)
