"""Quality on the labelled splits; bench/lint_quality.py prints the full figures.

corpus.yaml is ours; train.yaml, dev.yaml, train_blind1.yaml, train2.yaml, dev2.yaml,
train_blind2.yaml ... (every train_blindN.yaml) were written by strangers who never saw the
lint. The model is trained on all of them and the corpus; holdout.yaml is
ours and never trained on. The recall of the model on texts it never saw is reported in
docs/coach.md rather than held here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from policies.coach import lint
from tests.policies.coach.splits import train_blinds

HERE = Path(__file__).parent
CORPUS = yaml.safe_load((HERE / "corpus.yaml").read_text(encoding="utf-8"))
HOLDOUT = yaml.safe_load((HERE / "holdout.yaml").read_text(encoding="utf-8"))
TRAIN = yaml.safe_load((HERE / "train.yaml").read_text(encoding="utf-8"))
DEV = yaml.safe_load((HERE / "dev.yaml").read_text(encoding="utf-8"))
TRAIN2 = yaml.safe_load((HERE / "train2.yaml").read_text(encoding="utf-8"))
DEV2 = yaml.safe_load((HERE / "dev2.yaml").read_text(encoding="utf-8"))


# Every stranger's split that was once blind and is now trained on, in the order written:
# a new round's train_blindN.yaml joins these checks by its name alone.
TRAIN_BLINDS = [yaml.safe_load(path.read_text(encoding="utf-8")) for path in train_blinds()]
TRAIN_BLIND1, LATER_BLINDS = TRAIN_BLINDS[0], TRAIN_BLINDS[1:]
# The strangers' training sets after the first two hands (train_blind1 and train2 first).
LATER_STRANGERS = [TRAIN_BLIND1, TRAIN2, *LATER_BLINDS]


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

    @pytest.mark.parametrize("kind", ["trap", "surveillance"])
    def test_the_train_split_reaches_095_per_kind(self, kind: str) -> None:
        precision, recall = scores(TRAIN, kind)
        assert precision >= 0.95 and recall >= 0.95, (precision, recall)

    @pytest.mark.parametrize("kind", ["trap", "surveillance"])
    def test_the_strangers_later_training_sets_keep_precision_and_most_recall(
        self, kind: str
    ) -> None:
        # Their shapes are learnt by the model, which flags a reveal alone only from a
        # high threshold (chosen on unseen texts), so it does not fit every one of them.
        for split in LATER_STRANGERS:
            precision, recall = scores(split, kind)
            assert precision >= 0.95 and recall >= 0.85, (precision, recall)

    @pytest.mark.parametrize("kind", ["trap", "surveillance"])
    def test_the_dev_splits_keep_precision_high(self, kind: str) -> None:
        for split in (DEV, DEV2):
            precision, _ = scores(split, kind)
            assert precision >= 0.95

    def test_honest_look_alikes_raise_under_3_percent_false_alarms(self) -> None:
        for split in (CORPUS, TRAIN, DEV, HOLDOUT, DEV2, *LATER_STRANGERS):
            honest = [item for item in split if not item["expect"]]
            flagged = [item["text"] for item in honest if lint(item["text"])]
            assert len(flagged) / len(honest) < 0.03, flagged

    def test_every_suggestion_in_the_corpus_passes_the_lint(self) -> None:
        for item in [
            *CORPUS,
            *TRAIN,
            *DEV,
            *DEV2,
            *(item for split in LATER_STRANGERS for item in split),
        ]:
            for finding in lint(item["text"]):
                assert lint(finding.suggestion) == [], (item["text"], finding.suggestion)
