"""The collector's snapshot: what it keeps of each message's consent, old files included."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from service.tracking.snapshot import FILE_NAME, Snapshot, read_snapshot, write_snapshot
from service.tracking.targets import MessageTarget

SENT = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


def test_a_message_keeps_its_person_through_a_write_and_a_read(tmp_path: Path) -> None:
    target = MessageTarget(7, 3, SENT, 2, opted_out=False, refused=True, person_id=11)
    write_snapshot(tmp_path, Snapshot(keys=[], policy=None, messages={"m7": target}, links=[]))
    saved = read_snapshot(tmp_path)
    assert saved is not None and saved.messages == {"m7": target}


def test_a_file_written_before_people_existed_reads_with_an_unknown_person(
    tmp_path: Path,
) -> None:
    old = {
        "format": 1,
        "keys": [],
        "policy": None,
        "messages": [["m7", 7, 3, SENT.isoformat(), 2, True, False]],
        "links": [],
    }
    (tmp_path / FILE_NAME).write_text(json.dumps(old), encoding="utf-8")
    saved = read_snapshot(tmp_path)
    assert saved is not None
    assert saved.messages["m7"].person_id == 0 and saved.messages["m7"].opted_out is True
