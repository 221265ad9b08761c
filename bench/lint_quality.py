"""Precision and recall of the opener lint, per kind, on labelled corpora.

    python bench/lint_quality.py [corpus.yaml ...]

Without arguments it scores the suite's corpus and the held-out set. A corpus is a YAML
list of {text, expect: [trap|surveillance, ...]}. Prints a table and the misses.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from policies.coach import lint  # noqa: E402

DEFAULT = [ROOT / "tests/policies/coach/corpus.yaml", ROOT / "tests/policies/coach/holdout.yaml"]
KINDS = ("trap", "surveillance")


def score(path: Path) -> dict[str, tuple[float, float, float, int]]:
    """(precision, recall, F1, examples with the kind) per kind, printing each miss."""
    items = yaml.safe_load(path.read_text(encoding="utf-8"))
    results = {}
    for kind in KINDS:
        tp = fp = fn = 0
        for item in items:
            found = {finding.kind for finding in lint(item["text"])}
            expected, got = kind in item["expect"], kind in found
            tp += expected and got
            fp += got and not expected
            fn += expected and not got
            if expected != got:
                print(f"  {'false positive' if got else 'missed'} {kind}: {item['text']!r}")
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        results[kind] = (precision, recall, f1, tp + fn)
    return results


def main(paths: list[Path]) -> None:
    for path in paths:
        print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
        for kind, (precision, recall, f1, support) in score(path).items():
            print(
                f"  {kind:<13} precision {precision:.3f}  recall {recall:.3f}  F1 {f1:.3f}  ({support} examples)"
            )


if __name__ == "__main__":
    main([Path(arg).resolve() for arg in sys.argv[1:]] or DEFAULT)
