"""masked_document builds its result without a deep copy of the document first: the caller's document stays as it
was and the result shares no dict or list with it (what the deep copy used to guarantee)."""

from __future__ import annotations

import copy
from typing import Any

from db import interchange
from exports.package.mask import masked_document


def _containers(node: Any, out: set[int]) -> set[int]:
    if isinstance(node, (dict, list)):
        out.add(id(node))
        for v in node.values() if isinstance(node, dict) else node:
            _containers(v, out)
    return out


def test_masking_leaves_the_document_alone_and_shares_no_container(demo_ledger: Any) -> None:
    doc = interchange.dump(demo_ledger)
    before = copy.deepcopy(doc)
    masked = masked_document(doc)
    assert doc == before
    assert masked != doc  # something was masked: the demo has names, ID numbers and notes
    assert not (_containers(masked, set()) & _containers(doc, set()))
    assert masked == masked_document(copy.deepcopy(before))  # the same answer from a private copy
