"""Where the lint's strangers' splits lie: one listing for the tests and the bench scripts.

Each round renames its blind sets `train_blindN.yaml` once they are scored; everything
that reads the splits finds them here, in the order they were written, so a round adds
no line to any list.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent


def _number(path: Path) -> int:
    return int(path.stem.removeprefix("train_blind"))


def train_blinds() -> list[Path]:
    """Every stranger's split that was once blind and is now trained on, oldest first."""
    return sorted(HERE.glob("train_blind*.yaml"), key=_number)
