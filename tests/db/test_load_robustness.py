"""Robustness of `ledger load` (issue #13 §1, its Tests): hypothesis makes bad documents from the demo dump by
changing one value at a JSON path, and every one must be refused — exit 1 with the JSON error document, never
a traceback, no ledger file written (nor an existing one touched), and a message that names that path.

The documents are the demo document with its long lists cut to the records that show every kind of field
(tests/db/demo_cut.py), so that each example is checked in tens of milliseconds; the cut document itself loads. Hypothesis runs derandomized
with a fixed number of examples: the same documents on every run and machine.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db import interchange
from db.connection import open_ledger
from db.loadcheck.labels import ENUMS, places
from db.loadcheck.values import json_path
from exports import cli
from tests.db.demo_cut import demo_cut

BAD_DOCUMENTS = 300  # per run, into a new ledger; plus REPLACE_DOCUMENTS into an existing one (320 in all)
REPLACE_DOCUMENTS = 20
# Written into the file as a bare number literal of 5000 digits.
HUGE_NUMBER = "@@5000-digit number@@"
# Reported in the run's summary (tests/db/conftest.py).
CHECKED = {"new": 0, "existing": 0}

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MONTH = re.compile(r"^\d{4}-\d{2}$")
MONEY = re.compile(r"^\d+\.\d{2}$")
TIME = re.compile(r"^\d{1,2}:\d{2}$")

# Wrong wherever they stand: what the issue tried (NUL, a lone surrogate, a control character, a 50 MB-class
# string, numbers beyond 64 bits or not finite, nesting deeper than any real field).
ANYWHERE: list[Any] = [
    "张\x00三",
    "ab\ud800cd",
    "a\x07b",
    "x" * 100_001,
    2**64,
    -(2**63) - 1,
    HUGE_NUMBER,
    float("nan"),
    float("inf"),
    json.loads("[" * 40 + "]" * 40),
]
BY_SHAPE: dict[str, list[Any]] = {
    "date": ["2019-02-30", "0000-01-01", "9999-12-31", "2019-13-45", "1899-12-31", "2026-02-29"],
    "month": ["0000-00", "2026-13", "2026-00", "1899-12"],
    "money": ["-0.01", "-15.00", "9" * 400 + ".00", "10000000.01", "1.005"],
    "time": ["25:00", "12:60", "24:00"],
    "enum": ["bitcoin", "迟到", "MALE"],
    "id": [2**63, 9007199254740992, 0, -7],
    "ref": [987654321],
    "count": [-1, 100_001],
}


@pytest.fixture(scope="module")
def base() -> dict[str, Any]:
    return demo_cut()


def _enum_paths(doc: dict[str, Any]) -> set[str]:
    return {json_path(p) for pattern, _ in ENUMS for _b, _k, p in places(doc, pattern)}


def _leaves(doc: Any) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), doc)]
    while stack:
        path, v = stack.pop()
        if path:
            yield path, v
        if isinstance(v, dict):
            stack += [((*path, k), x) for k, x in v.items() if k != "data"]  # base64 data: sampled below
        elif isinstance(v, list):
            stack += [((*path, i), x) for i, x in enumerate(v)]


# Keys whose strings are free text even when they look like an amount, a time or a date.
FREE_TEXT = ("value",)


def _shapes(path: tuple[str | int, ...], value: Any, enums: set[str]) -> list[str]:
    key = next((k for k in reversed(path) if isinstance(k, str)), "")
    out = []
    if json_path(path) in enums:
        out.append("enum")
    if isinstance(value, str) and key in FREE_TEXT:
        pass  # a figure written as text (a 总结's facts): "1.005" or "25:00" is as good a value as any
    elif isinstance(value, str):
        if DATE.match(value):
            out.append("date")
        elif MONTH.match(value) and key in ("month", "valid_from"):
            out.append("month")
        elif MONEY.match(value):
            out.append("money")
        elif TIME.match(value):
            out.append("time")
    elif isinstance(value, int) and not isinstance(value, bool):
        if key == "id":
            out.append("id")
        elif key.endswith("_id") or key in ("member_ids", "filled_by"):
            out += ["id", "ref"]
        elif key in (
            "yes",
            "no",
            "abstain",
            "written",
            "expected",
            "present",
            "seats",
            "votes_for",
            "votes_against",
        ):
            out.append("count")
    return out


@pytest.fixture(scope="module")
def mutations(base: dict[str, Any]) -> list[tuple[tuple[str | int, ...], Any]]:
    """Every (JSON path, bad value) pair: the universal ones at every value, the shaped ones where they fit."""
    enums = _enum_paths(base)
    out: list[tuple[tuple[str | int, ...], Any]] = []
    for path, value in _leaves(base):
        if path[0] in ("format", "version"):
            continue  # refused as a whole ("not an interchange document"), said without a path
        out += [(path, bad) for bad in ANYWHERE]
        for shape in _shapes(path, value, enums):
            out += [(path, bad) for bad in BY_SHAPE[shape]]
    return out


def _apply(doc: dict[str, Any], path: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    doc = copy.deepcopy(doc)
    box: Any = doc
    for k in path[:-1]:
        box = box[k]
    box[path[-1]] = value
    return doc


def _write(doc: dict[str, Any], target: Path) -> None:
    text = json.dumps(doc, ensure_ascii=True)  # lone surrogates as \\ud800 escapes, NaN/Infinity as literals
    target.write_text(text.replace(json.dumps(HUGE_NUMBER), "9" * 5000), encoding="utf-8")


def _named(path: str, where: str) -> bool:
    """The message names the path itself or a place inside what was put there."""
    return bool(re.search(re.escape(path) + r"(?:$|[.\[”])", where))


def _refused(argv: list[str], capsys: pytest.CaptureFixture[str], path: str) -> None:
    code = cli.main(argv)
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert code == 1, out
    error = json.loads(out)["error"]
    assert error["code"] == "refused"
    wheres = [d["where"] for d in error["details"]]
    assert any(_named(path, w) for w in wheres), (path, error["details"][:5])


def test_the_cut_document_loads(base: dict[str, Any], tmp_path: Path) -> None:
    led = open_ledger(tmp_path / "cut.sqlite", create=True)
    try:
        counts = interchange.load(led, copy.deepcopy(base))
    finally:
        led.close()
    assert counts["meetings"] == len(base["meetings"]) >= 4


def test_the_mutations_reach_every_section_and_shape(mutations: list[Any], base: dict[str, Any]) -> None:
    sections = {p[0] for p, _ in mutations}
    assert sections >= {k for k, v in base.items() if v and k not in ("format", "version")}
    kinds = {type(v).__name__ for _, v in mutations}
    assert {"str", "int", "float", "list"} <= kinds
    assert len(mutations) > 5000


@settings(
    max_examples=BAD_DOCUMENTS,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(pick=st.data())
def test_a_bad_document_is_refused_with_its_path_and_nothing_is_written(
    pick: st.DataObject,
    base: dict[str, Any],
    mutations: list[tuple[tuple[str | int, ...], Any]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path, bad = pick.draw(st.sampled_from(mutations), label="mutation")
    src = tmp_path / "bad.json"
    _write(_apply(base, path, bad), src)
    target = tmp_path / "new" / "ledger.sqlite"
    _refused(["--db", str(target), "load", str(src), "--json"], capsys, json_path(path))
    assert not (tmp_path / "new").exists()  # no ledger, no temporary file, not even the folder
    CHECKED["new"] += 1


@pytest.fixture(scope="module")
def existing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("existing")
    db = folder / "ledger.sqlite"
    assert cli.main(["--db", str(db), "init", "--branch", "中共鲁棒性测试支部委员会"]) == 0
    return db


@settings(
    max_examples=REPLACE_DOCUMENTS,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(pick=st.data())
def test_a_bad_document_leaves_an_existing_ledger_byte_identical(
    pick: st.DataObject,
    base: dict[str, Any],
    mutations: list[tuple[tuple[str | int, ...], Any]],
    existing: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in existing.parent.iterdir()}
    path, bad = pick.draw(st.sampled_from(mutations), label="mutation")
    src = tmp_path / "bad.json"
    _write(_apply(base, path, bad), src)
    _refused(["--db", str(existing), "load", "--replace", str(src), "--json"], capsys, json_path(path))
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in existing.parent.iterdir()}
    assert after == before  # the file, and nothing beside it (no snapshot, no -wal)
    CHECKED["existing"] += 1
