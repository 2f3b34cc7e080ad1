"""The length limits of `load` are what the forms can print (issue #13 §1): a document whose texts are all at
their limit loads, and every template that prints them is exported, xlsx and PDF, without a failure."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from db.loadcheck.labels import places
from exports import cli
from tests.db.demo_cut import demo_cut

# (where, field, limit) — the limits of db/schemas/, at the places the forms print them.
AT_LIMIT: list[tuple[tuple[str, ...], str, int]] = [
    *[
        (("members", "*"), f, n)
        for f, n in (
            ("name", 50),
            ("ethnicity", 20),
            ("education", 50),
            ("job", 100),
            ("post", 100),
            ("phone", 50),
            ("landline", 50),
            ("address", 150),
            ("mobile_destination", 100),
            ("notes", 150),
        )
    ],
    *[
        (("applicants", "*"), f, n)
        for f, n in (
            ("name", 50),
            ("ethnicity", 20),
            ("education", 50),
            ("job", 100),
            ("phone", 50),
            ("stop_reason", 500),
            ("notes", 250),
        )
    ],
    *[
        (("meetings", "*"), f, n)
        for f, n in (
            ("place", 200),
            ("topic", 200),
            ("lecturer", 50),
            ("lecture_title", 200),
            ("observers", 200),
            ("minutes", 50000),
        )
    ],
    (("meetings", "*", "agenda", "*"), "title", 100),
    (("meetings", "*", "decisions", "*"), "text", 500),
    *[
        (("checklists", "*", "items", "*"), f, n)
        for f, n in (("evidence", 800), ("documents", 300), ("rectification", 500))
    ],
]


def _at_limit() -> dict[str, Any]:
    doc = demo_cut()
    names: set[str] = set()
    for where, field, n in AT_LIMIT:
        for box, i, _ in places(doc, where):
            row = box[i]
            if field == "name":  # names stay unique: the member-name lookups must still find one person
                text = f"{where[0][0]}{i:03d}" + "名" * (n - 4)
                assert text not in names
                names.add(text)
            else:
                text = "记" * n
            row[field] = text
    return doc


@pytest.fixture(scope="module")
def ledger_at_limit(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("limits")
    doc = _at_limit()
    src = folder / "limits.json"
    src.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    db = folder / "limits.sqlite"
    assert cli.main(["--db", str(db), "load", str(src)]) == 0
    return db, doc


def _exports(doc: dict[str, Any]) -> list[list[str]]:
    meeting = next(m for m in doc["meetings"] if m["decisions"])
    return [
        ["roster", "--as-of", "2026-11-22"],
        ["development", "--year", "2026"],
        ["applicant-file", "--applicant", str(doc["applicants"][0]["id"])],
        ["meeting-record", "--meeting", str(meeting["id"])],
        ["meetings", "--year", "2026"],
        ["checklist", "--year", "2026"],
        ["checklist", "--year", "2025"],
    ]


@pytest.mark.parametrize("fmt", ["pdf", "xlsx"])
def test_every_text_at_its_limit_prints(
    ledger_at_limit: tuple[Path, dict[str, Any]], tmp_path: Path, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db, doc = ledger_at_limit
    failed = []
    for n, argv in enumerate(_exports(doc)):
        out = tmp_path / f"{n}-{argv[0]}.{fmt}"
        code = cli.main(["--db", str(db), "export", *argv, "--format", fmt, "--out", str(out)])
        if code != 0 or not out.is_file() or out.stat().st_size == 0:
            failed.append((argv, capsys.readouterr().err[-300:]))
    assert [" ".join(f[0]) for f in failed] == [], failed
