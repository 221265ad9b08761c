"""Remake policies/coach/near_words.txt: real words the typo repair must leave alone.

    pip install pyspellchecker && python bench/lint_near_words.py

The lint repairs a word that lies one or two edits from a key word of its lexicon
("propsal" -> "proposal"). A real English word that lies as close ("change" beside
"chance") must not be repaired, or an honest sentence would be read as a flagged one.
This script lists every word of pyspellchecker's English dictionary, common enough to be
a real word a rep writes (frequency threshold below), that the repair would otherwise
touch. It is a development tool: the lint reads only the list it writes.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from spellchecker import SpellChecker  # noqa: E402

import policies.coach.reveals  # noqa: E402  (with traps, fills the vocabulary)
import policies.coach.traps  # noqa: E402, F401
from policies.coach import spelling  # noqa: E402
from policies.coach.lexicon import VOCABULARY  # noqa: E402

OUT = ROOT / "policies/coach/near_words.txt"
# Occurrences in pyspellchecker's corpus; rarer entries are mostly typos themselves.
COMMON = 50


def main() -> None:
    frequency = SpellChecker().word_frequency
    spelling._near_words.cache_clear()
    near = []
    for word, count in frequency.items():
        if count < COMMON or not word.isalpha() or word in VOCABULARY:
            continue
        spelling.repair.cache_clear()
        if spelling.repair.__wrapped__(word) != word:
            near.append(word)
    header = "# Real words near a key word, never repaired. Made by bench/lint_near_words.py.\n"
    OUT.write_text(header + "\n".join(sorted(near)) + "\n", encoding="utf-8")
    print(f"{len(near)} words -> {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
