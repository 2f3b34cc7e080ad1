"""The one validation layer of `ledger load` (issue #13 §1, issue #11 §4): every value of an interchange document
is checked to what the domain allows before anything is written, and every problem is reported at once, one
Chinese sentence each, with its JSON path.

Order: `reading` (bytes → JSON, see there), then `check_document`: `values.walk` (what holds for any value),
`labels.normalise` (labels → codes, names ↔ member ids), the JSON Schema with the `ledger-*` formats
(db/schemas/), and `references` (duplicate ids, a member twice in a list, references by JSON path).
"""

from __future__ import annotations

from typing import Any

from db.errors import Problem


def check_document(doc: Any) -> list[Problem]:
    """All problems of a parsed document (empty: it can be loaded). Normalises labels and names in place."""
    from db.interchange import schema_problems
    from db.loadcheck import labels, references, values

    problems = values.walk(doc)
    if any("嵌套超过" in p.message for p in problems):
        return problems  # nothing below looks deeper, but a document this shape is not worth reading further
    problems += labels.normalise(doc)
    seen = {p.column for p in problems}
    problems += [p for p in schema_problems(doc) if p.column not in seen]
    seen = {p.column for p in problems}
    problems += [p for p in references.check(doc) if p.column not in seen]
    return problems
