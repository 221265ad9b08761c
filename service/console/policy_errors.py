"""Policy validation errors as the editor shows them: each one tied to a line of the text.

``policy_service.parse_document`` names every problem by its path in the document
(``rules.0.show.email_opened.detail``). A person editing YAML thinks in lines, so the
editor's error summary says "line 6" and links there. The line is found by walking the
path through the YAML node tree (``yaml.compose``: nodes keep their position); a path
that stops short (a missing field) points at the deepest part that exists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

__all__ = ["DocumentError", "document_errors", "line_of"]

_YAML_LINE = re.compile(r"at line (\d+), column \d+")


@dataclass(frozen=True)
class DocumentError:
    """One problem in a policy document: the sentence, and the line it is about."""

    message: str
    line: int | None


def line_of(text: str, loc: list[Any] | tuple[Any, ...]) -> int | None:
    """The 1-based line where the value at ``loc`` (or the deepest part of it) starts."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    if node is None:
        return None
    line = node.start_mark.line + 1
    for part in loc:
        child = _child(node, part)
        if child is None:
            break
        key_node, node = child
        # A key's own line: for a nested block the value starts on the next line.
        line = (key_node or node).start_mark.line + 1
    return line


def _child(node: yaml.Node, part: Any) -> tuple[yaml.Node | None, yaml.Node] | None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == str(part):
                return key_node, value_node
        return None
    if (
        isinstance(node, yaml.SequenceNode)
        and isinstance(part, int)
        and 0 <= part < len(node.value)
    ):
        return None, node.value[part]
    return None


def document_errors(text: str, detail: Any) -> list[DocumentError]:
    """The 422 detail of ``parse_document`` for ``text``, each error with its line."""
    errors: list[DocumentError] = []
    for item in detail if isinstance(detail, list) else [{"loc": [], "msg": str(detail)}]:
        loc = list(item.get("loc", []))
        if loc[:2] == ["body", "document"]:
            loc = loc[2:]
        message = str(item.get("msg", "is not valid"))
        syntax = _YAML_LINE.search(message)
        if syntax:
            line: int | None = int(syntax.group(1))
        elif loc:
            line = line_of(text, loc)
        else:
            line = 1 if text.strip() else None
        errors.append(DocumentError(message=message, line=line))
    return errors
