"""The disclosure policy schema: what a policy document may say, and how it is loaded.

A policy is data, never code: a YAML document (or the equivalent JSON object) that
names, rule by rule, which engagement facts a viewer may see and how precisely. The
models here are pydantic v2 models with ``extra="forbid"`` everywhere, so a typo in a
compliance document is an error, never a silently ignored setting. Everything not
granted is denied: a fact kind a rule does not list in ``show`` is hidden, and a viewer
no rule matches sees only ``email_sent``.

``load_policy`` is the single entry point for untrusted documents. It raises
``PolicyError`` whose ``errors`` name, for each problem, the field (``loc``), a sentence
saying what is wrong and what is allowed (``msg``), and the offending value (``input``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal, cast

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
)
from pydantic_core import ErrorDetails, PydanticCustomError

__all__ = [
    "CONFIGURABLE_KINDS",
    "SEGMENT_KEYS",
    "Detail",
    "FactKind",
    "MinEvidence",
    "Policy",
    "PolicyError",
    "Role",
    "Rule",
    "TimeLevel",
    "Visibility",
    "builtin_names",
    "builtin_policy",
    "load_policy",
    "parse_yaml",
    "policy_to_document",
    "policy_to_yaml",
    "resolve_policy",
]


@functools.cache
def _ranks(enum: type[StrEnum]) -> dict[StrEnum, int]:
    """Each member's position in declaration order, per enum."""
    return {member: position for position, member in enumerate(enum)}


class _Ordered(StrEnum):
    """A string enum whose members are ordered by declaration, weakest first.

    Members compare by ``rank`` against members of the same enum (or the plain string
    of one of its values), never alphabetically: ``Detail.COUNT < Detail.TOPIC``.
    """

    @property
    def rank(self) -> int:
        """Position in declaration order: 0 for the least revealing member.

        Looked up, not searched: the evaluator compares levels once per event.
        """
        return _ranks(type(self))[self]

    def at_least(self, other: str) -> bool:
        """Whether this member is as high as ``other`` (a member or its value).

        Raises:
            ValueError: ``other`` is not a value of this enum.
        """
        return self.rank >= type(self)(other).rank

    def _other_rank(self, other: object) -> int | None:
        if isinstance(other, type(self)):
            return other.rank
        if isinstance(other, str) and other in type(self)._value2member_map_:
            return type(self)(other).rank
        return None

    def __lt__(self, other: object) -> bool:
        rank = self._other_rank(other)
        return NotImplemented if rank is None else self.rank < rank

    def __le__(self, other: object) -> bool:
        rank = self._other_rank(other)
        return NotImplemented if rank is None else self.rank <= rank

    def __gt__(self, other: object) -> bool:
        rank = self._other_rank(other)
        return NotImplemented if rank is None else self.rank > rank

    def __ge__(self, other: object) -> bool:
        rank = self._other_rank(other)
        return NotImplemented if rank is None else self.rank >= rank


class Detail(_Ordered):
    """How precisely a fact kind is shown, least revealing first."""

    HIDDEN = "hidden"  # the fact does not appear, and nothing betrays that it exists
    EXISTS = "exists"  # it happened
    COUNT = "count"  # how often
    TOPIC = "topic"  # per message subject, link topic or page topic
    FULL = "full"  # per exact subject, link URL (no query) or page path


class TimeLevel(_Ordered):
    """How precisely the time of the latest event of a fact is shown."""

    NONE = "none"
    WEEK = "week"
    DAY = "day"
    EXACT = "exact"


class MinEvidence(_Ordered):
    """The weakest evidence class a rule still shows."""

    ANY = "any"  # machine and bot events too, labelled as such
    HUMAN = "human"  # human and confirmed events
    CONFIRMED = "confirmed"  # confirmed events only


class Role(StrEnum):
    """The roles of the API's users; rules grant visibility to roles."""

    REP = "rep"
    MANAGER = "manager"
    COMPLIANCE = "compliance"
    ADMIN = "admin"


class FactKind(StrEnum):
    """The kinds of facts a viewer may see, in display order."""

    EMAIL_SENT = "email_sent"
    EMAIL_OPENED = "email_opened"
    LINK_CLICKED = "link_clicked"
    PAGE_VISITED = "page_visited"


# ``email_sent`` is the rep's own act and always shown; only engagement is configurable.
CONFIGURABLE_KINDS: tuple[FactKind, ...] = (
    FactKind.EMAIL_OPENED,
    FactKind.LINK_CLICKED,
    FactKind.PAGE_VISITED,
)
SEGMENT_KEYS: tuple[str, ...] = ("industry", "region", "company")

ConfigurableKind = Literal["email_opened", "link_clicked", "page_visited"]
SegmentKey = Literal["industry", "region", "company"]

_SLUG = r"^[a-z0-9][a-z0-9_-]{0,63}$"
Slug = Annotated[str, StringConstraints(pattern=_SLUG)]
NonEmptyText = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Visibility(_Model):
    """How one fact kind is shown: ``detail`` level and ``time`` precision."""

    detail: Detail
    time: TimeLevel = TimeLevel.NONE

    @property
    def hidden(self) -> bool:
        """Whether the kind is not shown at all."""
        return self.detail is Detail.HIDDEN


HIDDEN = Visibility(detail=Detail.HIDDEN)


class Rule(_Model):
    """One named grant: what viewers in ``roles`` see about prospects in ``segments``."""

    name: Slug
    roles: Annotated[list[Role], Field(min_length=1)]
    segments: dict[SegmentKey, Annotated[list[NonEmptyText], Field(min_length=1)]] = {}
    delay_hours: Annotated[float, Field(ge=0, le=87600, allow_inf_nan=False, strict=True)] = 0
    min_evidence: MinEvidence = MinEvidence.HUMAN
    show: dict[ConfigurableKind, Visibility] = {}

    @field_validator("show", mode="before")
    @classmethod
    def _expand_hidden(cls, value: Any) -> Any:
        # `page_visited: hidden` is shorthand for `page_visited: {detail: hidden}`.
        if isinstance(value, Mapping):
            return {key: {"detail": "hidden"} if v == "hidden" else v for key, v in value.items()}
        return value

    def visibility(self, kind: str) -> Visibility:
        """How ``kind`` is shown under this rule; hidden unless ``show`` grants it."""
        return self.show.get(cast(ConfigurableKind, kind), HIDDEN)


class Policy(_Model):
    """A disclosure policy document.

    Rules are tried in order; the first one matching the viewer's role and the
    prospect's segments decides. No match means only ``email_sent`` facts.
    """

    name: Slug
    description: str = ""
    retention_days: Annotated[int, Field(ge=1, le=3650, strict=True)] = 365
    honor_gpc: Annotated[bool, Field(strict=True)] = True
    disclosure_footer: Annotated[bool, Field(strict=True)] = True
    # Page views with no known visitor name nobody, so no one can export or erase them:
    # off, they are not stored at all; on, stored without address or user agent.
    anonymous_visits: Annotated[bool, Field(strict=True)] = False
    topics: dict[NonEmptyText, Annotated[list[NonEmptyText], Field(min_length=1)]] = {}
    rules: list[Rule]

    @field_validator("rules")
    @classmethod
    def _unique_rule_names(cls, rules: list[Rule]) -> list[Rule]:
        first_index: dict[str, int] = {}
        for index, rule in enumerate(rules):
            if rule.name in first_index:
                raise PydanticCustomError(
                    "duplicate_rule_name",
                    "duplicate",
                    {"index": index, "name": rule.name, "first": first_index[rule.name]},
                )
            first_index[rule.name] = index
        return rules

    def rule(self, name: str) -> Rule | None:
        """The rule called ``name``, if any."""
        return next((rule for rule in self.rules if rule.name == name), None)


class PolicyError(ValueError):
    """A policy document (or a name or path naming one) is not valid.

    ``errors`` lists every problem as ``{"loc": tuple, "msg": str, "input": Any}``;
    ``msg`` is a sentence that names the field, the bad value and what is allowed.
    """

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        self.errors = errors
        lines = "\n".join(f"  {error['msg']}" for error in errors)
        noun = "error" if len(errors) == 1 else "errors"
        super().__init__(f"invalid policy document ({len(errors)} {noun}):\n{lines}")


# ---------------------------------------------------------------------------
# Loading


# Policy documents are a few kilobytes; anything far larger is a mistake or an attack.
MAX_DOCUMENT_CHARS = 100_000
# A policy nests five levels deep; PyYAML composes and constructs nodes recursively, so a
# few thousand "[" would exhaust Python's stack (RecursionError) before any check ran.
MAX_DOCUMENT_DEPTH = 32


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe loader that refuses duplicate keys and aliases.

    A compliance document with two ``page_visited:`` entries is ambiguous; PyYAML would
    silently keep the second. Aliases (``*name``) are refused outright: nested, a few
    hundred bytes of them expand to gigabytes ("billion laughs"), and a policy never
    needs one.
    """

    depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed in a policy", event.start_mark
            )
        if self.depth >= MAX_DOCUMENT_DEPTH:
            raise yaml.composer.ComposerError(
                None,
                None,
                f"nested more than {MAX_DOCUMENT_DEPTH} levels deep",
                self.peek_event().start_mark,
            )
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _construct_unique_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)  # type: ignore[no-untyped-call]
        if isinstance(key, list | dict):  # unhashable; construct_mapping reports it
            continue
        if key in seen:
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping",
                node.start_mark,
                f"found duplicate key {key!r}",
                key_node.start_mark,
            )
        seen.add(key)
    loader.flatten_mapping(node)
    return dict(loader.construct_pairs(node, deep=True))  # type: ignore[no-untyped-call]


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_unique_mapping,  # type: ignore[arg-type]
)


def _document_error(msg: str, value: Any) -> PolicyError:
    return PolicyError([{"loc": ("document",), "msg": f"document: {msg}", "input": value}])


def parse_yaml(text: str) -> Any:
    """The YAML text as plain data: no tags, no aliases, no duplicate keys, bounded size
    and depth.

    Raises:
        PolicyError: the text is too long or not YAML, with the line and column.
    """
    if len(text) > MAX_DOCUMENT_CHARS:
        raise _document_error(
            f"is {len(text):,} characters long; a policy document is at most "
            f"{MAX_DOCUMENT_CHARS:,}",
            None,
        )
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)  # a SafeLoader subclass: no tags
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        if mark is None:
            raise _document_error(f"is not valid YAML: {problem}", text) from exc
        lines = text.splitlines()
        line_text = lines[mark.line] if mark.line < len(lines) else ""
        raise _document_error(
            f"is not valid YAML at line {mark.line + 1}, column {mark.column + 1}: {problem}",
            line_text,
        ) from exc


def _type_name(value: Any) -> str:
    if value is None:
        return "nothing"
    names = {list: "a list", str: "a string", int: "a number", float: "a number", bool: "a boolean"}
    return names.get(type(value), type(value).__name__)


def load_policy(document: str | Mapping[str, Any]) -> Policy:
    """Validate a policy document given as YAML text or as a mapping (a JSON object).

    YAML is read by ``parse_yaml``: safe, without aliases or duplicate keys.

    Raises:
        PolicyError: the text is not YAML, the document is not a mapping, or any field
            is invalid. Every problem is reported, not only the first.
    """
    data: Any = parse_yaml(document) if isinstance(document, str) else document
    if not isinstance(data, Mapping):
        raise _document_error(
            f"expected a mapping of policy fields ({', '.join(Policy.model_fields)}), "
            f"got {_type_name(data)}",
            data,
        )
    try:
        return Policy.model_validate(dict(data))
    except ValidationError as exc:
        raise PolicyError([_translate(error) for error in exc.errors()]) from None


def policy_to_document(policy: Policy) -> dict[str, Any]:
    """The policy as a JSON-able mapping; ``load_policy`` turns it back into ``policy``."""
    return policy.model_dump(mode="json")


def policy_to_yaml(policy: Policy) -> str:
    """The policy as a YAML document (fields in schema order; comments are not kept)."""
    return yaml.safe_dump(policy_to_document(policy), sort_keys=False, allow_unicode=True)


# ---------------------------------------------------------------------------
# Built-in documents


def _builtin_files() -> dict[str, Any]:
    root = resources.files("policies")
    return {
        entry.name.removesuffix(".yaml"): entry
        for entry in root.iterdir()
        if entry.is_file() and entry.name.endswith(".yaml")
    }


def builtin_names() -> list[str]:
    """Names of the policy documents shipped in the ``policies`` package, sorted."""
    return sorted(_builtin_files())


def builtin_policy(name: str) -> Policy:
    """The built-in policy document called ``name``.

    Raises:
        PolicyError: no built-in document has that name (the message lists them), or
            the shipped document is invalid (a packaging bug the suite catches).
    """
    files = _builtin_files()
    if name not in files:
        raise PolicyError(
            [
                {
                    "loc": ("policy",),
                    "msg": f"policy: {name!r} is not a built-in policy; "
                    f"built-in policies are {', '.join(sorted(files))}",
                    "input": name,
                }
            ]
        )
    return load_policy(files[name].read_text(encoding="utf-8"))


def resolve_policy(name_or_path: str) -> Policy:
    """A built-in policy by name, or the policy in a YAML file at a path.

    Built-in names win over files of the same name in the working directory.

    Raises:
        FileNotFoundError: the argument looks like a path (has a separator or ends in
            ``.yaml``/``.yml``) but no such file exists.
        PolicyError: the argument is neither a built-in name nor a file, or the file's
            document is invalid.
    """
    if name_or_path in builtin_names():
        return builtin_policy(name_or_path)
    path = Path(name_or_path)
    if path.is_file():
        return load_policy(path.read_text(encoding="utf-8"))
    if path.suffix in {".yaml", ".yml"} or "/" in name_or_path or "\\" in name_or_path:
        raise FileNotFoundError(f"No policy file at {name_or_path!r}.")
    return builtin_policy(name_or_path)  # raises, listing the built-in names


# ---------------------------------------------------------------------------
# Error messages: pydantic's, rephrased to name the field, the value and what is allowed


def _dotted(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc) or "document"


def _quoted_choices(expected: str) -> str:
    # pydantic writes "'a', 'b' or 'c'"; we write "a, b, c".
    return ", ".join(re.findall(r"'([^']*)'", expected))


_ALLOWED_FIELDS: dict[str, tuple[str, ...]] = {
    "policy": tuple(Policy.model_fields),
    "rule": tuple(Rule.model_fields),
    "visibility": tuple(Visibility.model_fields),
}


def _model_at(loc: tuple[Any, ...]) -> str:
    """Which model holds the field at ``loc`` (a path into a policy document)."""
    if len(loc) <= 1:
        return "policy"
    if loc[0] == "rules" and len(loc) == 3:
        return "rule"
    return "visibility"


def _translate(error: ErrorDetails) -> dict[str, Any]:
    loc = tuple(error["loc"])
    kind = error["type"]
    value = error.get("input")
    ctx = error.get("ctx") or {}

    if kind == "duplicate_rule_name":
        loc = (*loc, ctx["index"], "name")
        return {
            "loc": loc,
            "msg": f"{_dotted(loc)}: {ctx['name']!r} is already the name of rules.{ctx['first']}; "
            "rule names must be unique",
            "input": ctx["name"],
        }
    if "[key]" in loc:
        loc = tuple(part for part in loc if part != "[key]")
    if kind == "literal_error" and loc[-2:-1] in {("show",), ("segments",)}:
        # A mapping key is not one of the allowed keys.
        allowed = _quoted_choices(str(ctx.get("expected", "")))
        if loc[-2:-1] == ("show",):
            what = "kind in show"
            allowed += " (email_sent is always shown and cannot be configured)"
        else:
            what = "segment key"
        return {
            "loc": loc,
            "msg": f"{_dotted(loc)}: {value!r} is not a valid {what}; allowed are {allowed}",
            "input": value,
        }

    field = _dotted(loc)
    if kind == "extra_forbidden":
        allowed = ", ".join(_ALLOWED_FIELDS[_model_at(loc)])
        msg = f"{loc[-1]!r} is not a known field; allowed fields are {allowed}"
    elif kind == "missing":
        msg = "is required"
    elif kind in {"enum", "literal_error"}:
        msg = f"{value!r} is not one of {_quoted_choices(str(ctx.get('expected', '')))}"
    elif kind == "string_pattern_mismatch":
        msg = (
            f"{value!r} is not a valid name; use 1 to 64 lowercase letters, digits, '-' or '_', "
            "starting with a letter or digit"
        )
    elif kind == "string_too_short":
        msg = f"{value!r} must not be empty"
    elif kind == "too_short":
        allowed = {"roles": f"; allowed roles are {', '.join(Role)}"}.get(str(loc[-1]), "")
        msg = f"{value!r} must list at least one value{allowed}"
    elif kind in {"greater_than_equal", "less_than_equal"}:
        bounds = {
            "retention_days": "from 1 to 3650",
            "delay_hours": "from 0 to 87600 (ten years)",
        }.get(str(loc[-1]), "within bounds")
        msg = f"{value!r} is out of range; allowed are numbers {bounds}"
    elif kind in {"model_type", "dict_type"}:
        if loc[-2:-1] == ("show",):
            msg = (
                f"{value!r} is not a visibility; use hidden or a mapping "
                "{detail: hidden|exists|count|topic|full, time: none|week|day|exact}"
            )
        else:
            msg = f"{value!r} is not a mapping"
    elif kind == "list_type":
        msg = f"{value!r} is not a list"
    elif kind in {"int_type", "int_parsing", "int_from_float"}:
        msg = f"{value!r} is not a whole number"
    elif kind in {"float_type", "float_parsing", "finite_number"}:
        msg = f"{value!r} is not a finite number"
    elif kind in {"bool_type", "bool_parsing"}:
        msg = f"{value!r} is not true or false"
    elif kind == "string_type":
        msg = f"{value!r} is not a string"
    else:
        msg = f"{value!r} is not valid: {error['msg']}"
    return {"loc": loc, "msg": f"{field}: {msg}", "input": value}
