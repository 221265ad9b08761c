"""Precision and recall of the opener lint, per kind and per split.

    python bench/lint_quality.py                    # every split but a blind one
    python bench/lint_quality.py --test PATH        # ... and a blind test split
    python bench/lint_quality.py --misses [PATH ...] # also print every miss
    python bench/lint_quality.py --grammar          # the grammar alone, without the model

A split is a YAML list of {text, expect: [trap|surveillance, ...]} ([] = honest). For
each kind: precision, recall, F1 and support; for the split: the false-alarm rate (the
share of honest texts with any finding). The blind test split is scored only when its
path is given; its misses are never printed, so it can be scored without being read.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from policies.coach import lint, model  # noqa: E402
from tests.policies.coach.splits import train_blinds  # noqa: E402

HERE = ROOT / "tests/policies/coach"
SPLITS = {
    "corpus": HERE / "corpus.yaml",
    "train": HERE / "train.yaml",
    "dev": HERE / "dev.yaml",
    "train-blind1": HERE / "train_blind1.yaml",
    "train2": HERE / "train2.yaml",
    "dev2": HERE / "dev2.yaml",
    # train_blind2 … train_blindN, as each round adds them.
    **{f"train-blind{path.stem.removeprefix('train_blind')}": path for path in train_blinds()[1:]},
    "held-out": HERE / "holdout.yaml",
    "dev3": HERE / "dev3.yaml",
}
KINDS = ("trap", "surveillance")


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    f1: float
    support: int


def score(items: list[dict[str, object]], *, show_misses: bool) -> tuple[dict[str, Score], float]:
    """Per-kind scores and the false-alarm rate on honest texts."""
    found = [{finding.kind for finding in lint(str(item["text"]))} for item in items]
    results = {}
    for kind in KINDS:
        tp = fp = fn = 0
        for item, got_kinds in zip(items, found, strict=True):
            expected, got = kind in item["expect"], kind in got_kinds  # type: ignore[operator]
            tp += expected and got
            fp += got and not expected
            fn += expected and not got
            if show_misses and expected != got:
                print(f"  {'false positive' if got else 'missed'} {kind}: {item['text']!r}")
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        results[kind] = Score(precision, recall, f1, tp + fn)
    honest = [got for item, got in zip(items, found, strict=True) if not item["expect"]]
    false_alarms = sum(bool(got) for got in honest) / len(honest) if honest else 0.0
    return results, false_alarms


def report(name: str, path: Path, *, show_misses: bool) -> None:
    items = yaml.safe_load(path.read_text(encoding="utf-8"))
    results, false_alarms = score(items, show_misses=show_misses)
    honest = sum(not item["expect"] for item in items)
    print(f"{name} ({len(items)} texts, {honest} honest): false alarms {false_alarms:.1%}")
    for kind, s in results.items():
        print(
            f"  {kind:<13} precision {s.precision:.3f}  recall {s.recall:.3f}  "
            f"F1 {s.f1:.3f}  ({s.support} examples)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, help="splits to score instead")
    parser.add_argument("--test", type=Path, help="the blind test split (misses not shown)")
    parser.add_argument("--misses", action="store_true", help="print the misses")
    parser.add_argument("--grammar", action="store_true", help="without the model's opinion")
    args = parser.parse_args()
    if args.grammar:
        model._model()["thresholds"] = {"trap": 2.0, "surveillance": 2.0}
    named = {str(p): p.resolve() for p in args.paths} or SPLITS
    for name, path in named.items():
        report(name, path, show_misses=args.misses)
    if args.test:
        report(f"test ({args.test})", args.test.resolve(), show_misses=False)


if __name__ == "__main__":
    main()
