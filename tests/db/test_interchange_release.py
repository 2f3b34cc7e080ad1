"""`interchange.release`: documents freed piece by piece, and nothing someone else still holds is touched."""

from __future__ import annotations

import gc
import weakref
from typing import Any

from db import interchange


class Leaf:
    """A value whose freeing can be watched (dicts and lists cannot be weakly referenced)."""

    def __init__(self, n: int) -> None:
        self.n = n


def _document(rows: int, leaves: list[weakref.ref[Leaf]]) -> dict[str, Any]:
    def leaf(n: int) -> Leaf:
        obj = Leaf(n)
        leaves.append(weakref.ref(obj))
        return obj

    return {
        "format": "branch-ledger",
        "members": [{"id": i, "name": f"党员{i}", "x": leaf(i)} for i in range(rows)],
        "meetings": [
            {"id": m, "attendance": [{"member_id": i, "x": leaf(i)} for i in range(200)]} for m in range(5)
        ],
        "settings": {"k": leaf(-1)},
    }


def test_everything_is_freed_without_the_collector() -> None:
    leaves: list[weakref.ref[Leaf]] = []
    docs = [_document(500, leaves), _document(80, leaves)]
    was = gc.isenabled()
    gc.disable()  # freed by reference counting alone, as the pieces go
    try:
        interchange.release(docs)
        assert docs == []
        assert leaves and all(ref() is None for ref in leaves)
    finally:
        if was:
            gc.enable()


def test_what_someone_else_holds_is_left_whole() -> None:
    leaves: list[weakref.ref[Leaf]] = []
    doc = _document(300, leaves)
    kept_rows = doc["members"]  # a kept read model, say: the same list
    kept_meeting = doc["meetings"][2]
    rows_before = [dict(r) for r in kept_rows]
    docs = [doc]
    del doc
    interchange.release(docs)
    assert [dict(r) for r in kept_rows] == rows_before
    assert len(kept_meeting["attendance"]) == 200 and kept_meeting["attendance"][199]["x"].n == 199
    alive = [obj.n for obj in (ref() for ref in leaves) if obj is not None]
    assert len(alive) == 300 + 200 and -1 not in alive  # the members' leaves and the kept meeting's, no more


def test_two_documents_sharing_parts() -> None:
    """A masked document shares the parts it did not change with the full one: both go, nothing twice."""
    leaves: list[weakref.ref[Leaf]] = []
    full = _document(400, leaves)
    masked = dict(full)
    masked["members"] = [dict(r, name="＊") for r in full["members"]]
    docs = [masked, full]
    del masked, full
    interchange.release(docs)
    assert all(ref() is None for ref in leaves)


def test_a_caller_that_kept_its_own_reference_loses_nothing() -> None:
    leaves: list[weakref.ref[Leaf]] = []
    doc = _document(100, leaves)
    interchange.release([doc])  # the caller's `doc` still holds the document: it is let go of, not emptied
    assert len(doc["members"]) == 100 and doc["settings"]["k"].n == -1
