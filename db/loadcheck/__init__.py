"""The one validation layer of `ledger load` (issue #13 §1, issue #11 §4): every value of an interchange document
is checked to what the domain allows before anything is written, and every problem is reported at once, one
Chinese sentence each, with its JSON path.

Order: `reading` (bytes → JSON, see there), then `check_document`: `values.walk` (what holds for any value),
`labels.normalise` (labels → codes, names ↔ member ids), the JSON Schema with the `ledger-*` formats
(db/schemas/), `references` (duplicate ids, a member twice in a list, references by JSON path) and `life` (a
month of 党费 paid at the 流入地 recorded once, never also paid here).
"""

from __future__ import annotations

import re
from typing import Any

from db.errors import Problem

# What a message may not carry back from the file: it is printed, written as JSON and shown on screen.
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """A text safe to print: control characters, lone surrogates and direction overrides as \\uXXXX."""
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def check_document(doc: Any) -> list[Problem]:
    """All problems of a parsed document (empty: it can be loaded). Normalises labels and names in place."""
    from db.interchange import schema_problems
    from db.loadcheck import labels, life, references, values

    problems = values.walk(doc)
    if not any("嵌套超过" in p.message for p in problems):  # a document that deep is not read any further
        problems += _new(problems, labels.normalise(doc))
        problems += _new(problems, schema_problems(doc))
        problems += _new(problems, references.check(doc))
        problems += _new(problems, life.check(doc))
    for p in problems:
        p.message, p.column = printable(p.message), printable(p.column) if p.column else p.column
    return problems


def _new(have: list[Problem], more: list[Problem]) -> list[Problem]:
    """One message per place: what the first checks said about a value is not said again in other words."""
    seen = {p.column for p in have}
    return [p for p in more if p.column not in seen]
