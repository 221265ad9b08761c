"""Opener recommendations built only from the facts a reader may see.

The input is the list of facts the disclosure policy let through, so a hidden fact can
never shape the wording. Even visible counts, times, devices and evidence classes are
never echoed: they would turn an opener into a surveillance reveal. Machine and bot
facts never count as engagement. Every opener returned passes the lint.
"""

from __future__ import annotations

import hashlib
import re
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from policies.coach.lint import lint

__all__ = ["Opener", "TemplateError", "Templates", "load_templates", "recommend"]

PLACEHOLDERS = frozenset({"topic", "subject", "name"})
DETAIL_ORDER = ("exists", "count", "topic", "full")
ENGAGEMENT = ("email_opened", "link_clicked", "page_visited")
PERSON = ("human", "confirmed")
MIN_OPENERS, MAX_OPENERS = 2, 4
_PLAIN_TOPIC = re.compile(r"^[a-z][a-z0-9 &-]{0,40}$", re.IGNORECASE)


@dataclass(frozen=True)
class Opener:
    """A suggested opening line and why it is an honest one."""

    text: str
    why: str

    def as_dict(self) -> dict[str, str]:
        """The API shape: text and why."""
        return {"text": self.text, "why": self.why}


class TemplateError(ValueError):
    """A template document is invalid; the message names the template and the field."""


class Condition(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kinds: list[str] = Field(default_factory=list)
    detail_at_least: str | None = None
    engaged: bool | None = None
    sent: bool | None = None

    @field_validator("kinds")
    @classmethod
    def _kinds(cls, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - set(ENGAGEMENT))
        if unknown:
            raise ValueError(f"unknown kinds {unknown}; allowed are {', '.join(ENGAGEMENT)}")
        return value

    @field_validator("detail_at_least")
    @classmethod
    def _detail(cls, value: str | None) -> str | None:
        if value is not None and value not in DETAIL_ORDER:
            raise ValueError(f"{value!r} is not one of {', '.join(DETAIL_ORDER)}")
        return value


class Template(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    when: Condition = Field(default_factory=Condition)
    text: str = Field(min_length=1)
    why: str = Field(min_length=1)

    @field_validator("text")
    @classmethod
    def _placeholders(cls, value: str) -> str:
        names = {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}
        unknown = sorted(names - PLACEHOLDERS)
        if unknown:
            raise ValueError(
                f"unknown placeholders {unknown}; allowed are {', '.join(sorted(PLACEHOLDERS))}"
            )
        return value


class Templates(BaseModel):
    """A validated template document."""

    model_config = ConfigDict(extra="forbid")

    templates: list[Template] = Field(min_length=1)


def load_templates(document: str | Mapping[str, Any] | None = None) -> Templates:
    """Templates from YAML text or a mapping; None loads the built-in document.

    Raises TemplateError naming the template and field of the first problem.
    """
    if document is None:
        document = files("policies.coach").joinpath("templates.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(document) if isinstance(document, str) else document
    try:
        return Templates.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise TemplateError(f"{where}: {first['msg']}") from None


_BUILTIN: Templates | None = None


def _builtin() -> Templates:
    global _BUILTIN
    if _BUILTIN is None:
        _BUILTIN = load_templates()
    return _BUILTIN


def _is_engagement(fact: Mapping[str, Any]) -> bool:
    return fact.get("kind") in ENGAGEMENT and fact.get("evidence") in PERSON


def _detail_rank(fact: Mapping[str, Any]) -> int:
    detail = fact.get("detail")
    return DETAIL_ORDER.index(detail) if detail in DETAIL_ORDER else -1


def _topic_phrase(subject: Any) -> str | None:
    """A topic name as a phrase ("pricing" -> "the pricing information"); URLs and hosts are not named."""
    if not isinstance(subject, str) or not _PLAIN_TOPIC.match(subject) or subject == "other pages":
        return None
    return f"the {subject.strip().lower()} information"


def _holds(condition: Condition, facts: Sequence[Mapping[str, Any]]) -> dict[str, str] | None:
    """The placeholder values when ``condition`` holds on ``facts``, else None."""
    engaged = [f for f in facts if _is_engagement(f)]
    sent = [f for f in facts if f.get("kind") == "email_sent"]
    if condition.engaged is not None and bool(engaged) != condition.engaged:
        return None
    if condition.sent and not sent:
        return None
    values: dict[str, str] = {}
    if sent and isinstance(sent[-1].get("subject"), str):
        values["subject"] = f"\u201c{sent[-1]['subject']}\u201d"
    if condition.kinds:
        floor = DETAIL_ORDER.index(condition.detail_at_least) if condition.detail_at_least else 0
        matching = [f for f in engaged if f["kind"] in condition.kinds and _detail_rank(f) >= floor]
        topics = [phrase for f in matching if (phrase := _topic_phrase(f.get("subject")))]
        if not matching or (condition.detail_at_least in ("topic", "full") and not topics):
            return None
        if topics:
            values["topic"] = topics[0]
    return values


_FLAGGED: dict[bytes, bool] = {}
_FLAGGED_MAX = 1024


def _flagged(text: str) -> bool:
    """Whether the lint flags an opener: asked once per distinct text, since the same
    templates fill in the same few subjects and names on every timeline read.

    The cache keys on a digest of the text, never the text: a filled-in opener holds the
    prospect's name, and an erased person's name must not stay in a process's memory.
    """
    key = hashlib.blake2b(text.encode(), digest_size=16).digest()
    verdict = _FLAGGED.get(key)
    if verdict is None:
        if len(_FLAGGED) >= _FLAGGED_MAX:
            _FLAGGED.pop(next(iter(_FLAGGED)))  # the oldest entry goes first
        verdict = _FLAGGED[key] = bool(lint(text))
    return verdict


def recommend(
    facts: Sequence[Mapping[str, Any]],
    *,
    prospect_name: str | None = None,
    templates: Templates | None = None,
) -> list[Opener]:
    """Two to four honest openers for the visible ``facts``, deterministic for equal input."""
    chosen: list[Opener] = []
    for template in (templates or _builtin()).templates:
        values = _holds(template.when, facts)
        if values is None:
            continue
        values.setdefault("subject", "our conversation")
        values.setdefault("topic", "the information I sent over")
        values["name"] = (prospect_name or "").strip() or "there"
        text = template.text.format(**values)
        if text in (o.text for o in chosen) or _flagged(text):
            continue
        chosen.append(Opener(text=text, why=template.why))
        if len(chosen) == MAX_OPENERS:
            break
    if len(chosen) < MIN_OPENERS:
        for fallback in _builtin().templates:
            if not fallback.when.model_dump(exclude_defaults=True) and len(chosen) < MIN_OPENERS:
                text = fallback.text
                if text not in (o.text for o in chosen):
                    chosen.append(Opener(text=text, why=fallback.why))
    return chosen
