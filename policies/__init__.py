"""Candor's disclosure ethics layer: policy documents and the evaluator that applies them.

A plain library: no web framework, no database. Documents come in as YAML text or
mappings (``load_policy``), built-in ones ship beside this module (``builtin_policy``),
and ``evaluate`` turns a prospect's events into the facts one viewer may see.
"""

from policies.evaluate import (
    EVIDENCE_STRENGTH,
    Decision,
    EventView,
    Fact,
    ProspectView,
    Viewer,
    evaluate,
    match_rule,
    topic_of,
)
from policies.impact import EventSummary, kinds_under, summarize, visible_kinds
from policies.schema import (
    CONFIGURABLE_KINDS,
    SEGMENT_KEYS,
    Detail,
    FactKind,
    MinEvidence,
    Policy,
    PolicyError,
    Role,
    Rule,
    TimeLevel,
    Visibility,
    builtin_names,
    builtin_policy,
    load_policy,
    parse_yaml,
    policy_to_document,
    policy_to_yaml,
    resolve_policy,
)

__all__ = [
    "CONFIGURABLE_KINDS",
    "EVIDENCE_STRENGTH",
    "SEGMENT_KEYS",
    "Decision",
    "Detail",
    "EventSummary",
    "EventView",
    "Fact",
    "FactKind",
    "MinEvidence",
    "Policy",
    "PolicyError",
    "ProspectView",
    "Role",
    "Rule",
    "TimeLevel",
    "Viewer",
    "Visibility",
    "builtin_names",
    "builtin_policy",
    "evaluate",
    "kinds_under",
    "load_policy",
    "match_rule",
    "parse_yaml",
    "policy_to_document",
    "policy_to_yaml",
    "resolve_policy",
    "summarize",
    "topic_of",
    "visible_kinds",
]
