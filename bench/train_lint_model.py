"""Train the lint's second opinion (policies/coach/lint_model.json).

    python bench/train_lint_model.py

Sentence-level logistic regression (L2, batch gradient descent, pure Python) on the
corpus and the train split only; the dev, held-out and blind test splits are never read.
A text's label is a text-level list, so sentences are labelled thus: every sentence of a
clean text is clean; a one-sentence text takes the text's label; in a longer flagged
text, the sentences the grammar flags are positive and the rest are left out.
"""

from __future__ import annotations

import json
import math
import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from policies.coach.model import features  # noqa: E402
from policies.coach.reveals import SURVEILLANCE_PATTERNS  # noqa: E402
from policies.coach.spans import sentences  # noqa: E402
from policies.coach.spelling import normalise  # noqa: E402
from policies.coach.traps import TRAP_PATTERNS  # noqa: E402

SPLITS = [ROOT / "tests/policies/coach/corpus.yaml", ROOT / "tests/policies/coach/train.yaml"]
OUT = ROOT / "policies/coach/lint_model.json"
KINDS = {"trap": TRAP_PATTERNS, "surveillance": SURVEILLANCE_PATTERNS}
L2 = 0.003
EPOCHS = 300
RATE = 0.5
MIN_COUNT = 2


def examples(kind: str) -> list[tuple[tuple[str, ...], int]]:
    out: list[tuple[tuple[str, ...], int]] = []
    for path in SPLITS:
        for item in yaml.safe_load(path.read_text(encoding="utf-8")):
            text = normalise(item["text"]).text
            spans = [text[a:b] for a, b in sentences(text)]
            flagged = kind in item["expect"]
            for sentence in spans:
                if not flagged:
                    out.append((features(sentence), 0))
                elif len(spans) == 1 or any(p.search(sentence) for p in KINDS[kind]):
                    out.append((features(sentence), 1))
    return out


def train(data: list[tuple[tuple[str, ...], int]]) -> dict[str, float]:
    counts = Counter(f for feats, _ in data for f in set(feats))
    kept = {f for f, n in counts.items() if n >= MIN_COUNT}
    rows = [([f for f in feats if f in kept], y) for feats, y in data]
    w: dict[str, float] = dict.fromkeys(kept, 0.0)
    n = len(rows)
    for _ in range(EPOCHS):
        grad: dict[str, float] = {}
        for feats, y in rows:
            z = sum(w[f] for f in feats)
            p = 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))
            for f in feats:
                grad[f] = grad.get(f, 0.0) + (p - y)
        for f in w:
            w[f] -= RATE * (grad.get(f, 0.0) / n * 10 + L2 * w[f])
    return {f: round(v, 4) for f, v in w.items() if abs(v) >= 0.01}


def main() -> None:
    model = {}
    for kind in KINDS:
        data = examples(kind)
        model[kind] = train(data)
        print(f"{kind}: {len(data)} sentences, {len(model[kind])} weights")
    OUT.write_text(json.dumps(model, sort_keys=True, separators=(",", ":")), encoding="utf-8")


if __name__ == "__main__":
    main()
