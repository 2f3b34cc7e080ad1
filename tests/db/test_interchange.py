"""The interchange document: dump → load → dump is identical; load is all or nothing with paths in messages."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import resources
from db import interchange, members
from db.connection import open_ledger
from db.errors import InputRefused, LedgerError


def _strip(doc: dict[str, Any]) -> dict[str, Any]:
    d = dict(doc)
    d.pop("exported_at", None)
    return d


def test_dump_load_dump_is_identical(demo_ledger, tmp_path: Path) -> None:
    first = interchange.dump(demo_ledger)
    assert interchange.schema_problems(first) == []
    other = open_ledger(tmp_path / "copy.sqlite", create=True)
    try:
        interchange.load(other, json.loads(interchange.dumps(first)))
        second = interchange.dump(other)
    finally:
        other.close()
    assert _strip(second) == _strip(first)
    assert interchange.dumps(_strip(second)) == interchange.dumps(_strip(first))


@pytest.mark.parametrize("piece", [7, 4096, interchange.WRITE_PIECE])
def test_written_piece_by_piece_is_the_same_bytes(
    demo_ledger, monkeypatch: pytest.MonkeyPatch, piece: int, tmp_path: Path
) -> None:
    """The package's data.json is written in pieces (no GIL-holding join of the whole text): byte for byte
    what dumps gives, whether a piece ends inside a Chinese string or the document fits in one."""
    import io

    doc = interchange.dump(demo_ledger)
    doc["notes"] = {"中文": ["党费 12.30 元", 1.5, None, True, {"": []}], "空": {}}
    monkeypatch.setattr(interchange, "WRITE_PIECE", piece)
    out = io.BytesIO()
    interchange.write(doc, out)
    assert out.getvalue() == interchange.dumps(doc).encode("utf-8")
    assert json.loads(out.getvalue().decode("utf-8")) == doc


_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)  # beyond 64 bits: the standard library's way
    | st.text(
        alphabet=st.characters(exclude_categories=["Cs"]), max_size=12
    )  # control characters, 中文, emoji
)
_FLOATS = st.floats(allow_nan=False, allow_infinity=False)


def _values(leaves: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.recursive(
        leaves,
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.dictionaries(st.text(max_size=6) | st.integers(0, 9), inner, max_size=4)
        ),
        max_leaves=20,
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.text(max_size=8), _values(_SCALARS), max_size=5))
def test_written_as_the_standard_library_indents_it(doc: dict[str, Any]) -> None:
    """Byte for byte json.dumps(indent=2, ensure_ascii=False): nested and empty containers, keys that are not
    strings, integers beyond 64 bits, every kind of character."""
    assert interchange.dumps(doc) == json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.text(max_size=8), _values(_SCALARS | _FLOATS), max_size=5))
def test_floats_written_may_be_spelled_otherwise_but_read_back_the_same(doc: dict[str, Any]) -> None:
    assert json.loads(interchange.dumps(doc)) == json.loads(json.dumps(doc, ensure_ascii=False))


def test_minimum_document_loads_with_defaults(tmp_path: Path) -> None:
    doc = {
        "format": "branch-ledger",
        "version": 1,
        "branch": {"name": "最小支部", "upper_org": None, "park": None, "founded_on": None},
        "members": [{"id": 7, "name": "只有姓名"}],
    }
    led = open_ledger(tmp_path / "min.sqlite", create=True)
    try:
        interchange.load(led, doc)
        m = members.get(led, 7)
        assert (m.name, m.category, m.status) == ("只有姓名", "full", "active")
    finally:
        led.close()


def test_schema_errors_name_the_path_and_nothing_is_written(tmp_path: Path) -> None:
    doc = json.loads(resources.demo_document().read_text("utf-8"))
    bad = copy.deepcopy(doc)
    bad["members"][3]["joined_on"] = "1990/1/1"
    bad["members"][4]["gender"] = "男士"  # neither a code nor the GUI's label (男 is accepted: issue #11 §4)
    led = open_ledger(tmp_path / "bad.sqlite", create=True)
    try:
        with pytest.raises(InputRefused) as err:
            interchange.load(led, bad, source="bad.json")
        where = [p.column for p in err.value.problems]
        assert "members[3].joined_on" in where and "members[4].gender" in where
        assert all(p.file == "bad.json" for p in err.value.problems)
        assert "YYYY-MM-DD" in str(err.value)
        assert interchange.is_empty(led)
        assert led.scalar("SELECT count(*) FROM ops") == 0
    finally:
        led.close()


def test_rule_errors_refuse_the_whole_document(tmp_path: Path) -> None:
    doc = json.loads(resources.demo_document().read_text("utf-8"))
    doc["members"][0]["category"] = "probationary"  # but it has a 转正 date
    led = open_ledger(tmp_path / "rule.sqlite", create=True)
    try:
        with pytest.raises(InputRefused, match="预备党员不应有转为正式党员日期"):
            interchange.load(led, doc)
        assert interchange.is_empty(led)
    finally:
        led.close()


def test_invalid_id_numbers_are_kept_and_reported_by_check(tmp_path: Path) -> None:
    import datetime as dt

    from db import findings

    doc = {
        "format": "branch-ledger",
        "version": 1,
        "branch": {"name": "外来支部"},
        "members": [
            {"id": 1, "name": "号码错", "id_number": "110105194912310021"},
            {"id": 2, "name": "性别错", "id_number": "11010519491231002X", "gender": "male"},
        ],
    }
    led = open_ledger(tmp_path / "ids.sqlite", create=True)
    try:
        interchange.load(led, doc)
        assert members.get(led, 1).id_number == "110105194912310021"
        codes = {(f.code, f.subject_id) for f in findings.check(led, dt.date(2026, 11, 22))}
        assert ("R01", 1) in codes and ("R02", 2) in codes
    finally:
        led.close()


def test_dangling_reference_is_refused(tmp_path: Path) -> None:
    doc = {
        "format": "branch-ledger",
        "version": 1,
        "branch": {"name": "引用支部"},
        "members": [{"id": 1, "name": "甲", "group_id": 99}],
    }
    led = open_ledger(tmp_path / "ref.sqlite", create=True)
    try:
        with pytest.raises(InputRefused, match="引用"):
            interchange.load(led, doc)
        assert interchange.is_empty(led)
    finally:
        led.close()


def test_load_into_a_non_empty_ledger_needs_replace(demo_ledger) -> None:
    doc = interchange.dump(demo_ledger)
    with pytest.raises(LedgerError, match="--replace"):
        interchange.load(demo_ledger, doc)
    interchange.load(demo_ledger, doc, replace=True)
    assert _strip(interchange.dump(demo_ledger)) == _strip(doc)


def test_wrong_format_and_version(ledger) -> None:
    with pytest.raises(InputRefused, match="不是支部台账交换文件"):
        interchange.load(ledger, {"format": "something"})
    with pytest.raises(InputRefused, match="版本"):
        interchange.load(ledger, {"format": "branch-ledger", "version": 99})
