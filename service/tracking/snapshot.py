"""What the collector keeps on disk to answer hits when it starts while the database is down.

One file beside the spool (``snapshot.json``, mode 0600), rewritten whole (write, then
rename) while the database answers: the links of recently sent messages with their
messages' targets, the active policy, and the signing keys when they live in the
database (keys from ``CANDOR_SECRET_KEYS`` or a SQLite key file are not copied). It is
read only by a process that starts while the database is down: known links redirect
from it, and tokens it does not know get the retry page. Consent flags are as of the
last write (every ``CANDOR_SNAPSHOT_INTERVAL_SECONDS``).
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from policies import load_policy, policy_to_document
from service.compliance.policy_store import ActivePolicy
from service.tracking.targets import LinkRow, MessageTarget

__all__ = ["Snapshot", "read_snapshot", "write_snapshot"]

FILE_NAME = "snapshot.json"
_FORMAT = 1


@dataclass(frozen=True)
class Snapshot:
    keys: list[str]
    policy: ActivePolicy | None
    messages: dict[str, MessageTarget]
    links: list[LinkRow]


def write_snapshot(directory: Path, snapshot: Snapshot) -> None:
    """Replace the snapshot file atomically (a reader sees the old file or the new one)."""
    policy = snapshot.policy
    document: dict[str, Any] = {
        "format": _FORMAT,
        "keys": snapshot.keys,
        "policy": None
        if policy is None
        else {
            "name": policy.name,
            "version": policy.version,
            "document": policy_to_document(policy.policy),
        },
        "messages": [_message_row(ref, target) for ref, target in snapshot.messages.items()],
        "links": [list(row) for row in snapshot.links],
    }
    directory.mkdir(parents=True, exist_ok=True)
    temporary = directory / f".{FILE_NAME}.{os.getpid()}"
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(document, handle, separators=(",", ":"))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, directory / FILE_NAME)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


def _message_row(ref: str, target: MessageTarget) -> list[Any]:
    return [
        ref,
        target.message_id,
        target.prospect_id,
        target.sent_at.isoformat(),
        target.link_count,
        target.opted_out,
        target.refused,
        target.person_id,
    ]


def _message_target(row: list[Any]) -> MessageTarget:
    """A message row; one written before people existed has no person id (0: unknown)."""
    _ref, message_id, prospect_id, sent_at, link_count, opted_out, refused, *person = row
    return MessageTarget(
        message_id=message_id,
        prospect_id=prospect_id,
        sent_at=datetime.fromisoformat(sent_at),
        link_count=link_count,
        opted_out=opted_out,
        refused=refused,
        person_id=person[0] if person else 0,
    )


def read_snapshot(directory: Path) -> Snapshot | None:
    """The last snapshot written, or None when there is none (or it cannot be read)."""
    try:
        document = json.loads((directory / FILE_NAME).read_text(encoding="utf-8"))
        if document.get("format") != _FORMAT:
            return None
        saved = document["policy"]
        policy = (
            None
            if saved is None
            else ActivePolicy(
                name=saved["name"], version=saved["version"], policy=load_policy(saved["document"])
            )
        )
        messages = {row[0]: _message_target(row) for row in document["messages"]}
        links: list[LinkRow] = [
            (ref, link_id, url, honeypot, message)
            for ref, link_id, url, honeypot, message in document["links"]
        ]
        return Snapshot(keys=list(document["keys"]), policy=policy, messages=messages, links=links)
    except Exception:  # missing, torn or from another version: start without it
        return None
