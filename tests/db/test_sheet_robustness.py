"""Bad sheets, generated (issue #13 §2 and its robustness suite): 320 seeded random sheets of junk — impossible
and placeholder dates, invisible and control characters, pasted text, huge cells, formulas, negative and
over-precise money, unknown vocabularies, broken CSV quoting, truncated and corrupted workbooks — through all
four imports. For each: never an exception, nothing written when anything is refused, and every problem names
the file and, below the file level, the sheet row. The seed is fixed, so a failure is reproducible."""

from __future__ import annotations

import datetime as dt
import random
import zipfile
from pathlib import Path

import openpyxl
import pytest

from db.connection import Ledger
from db.sheets import imports
from tests.db.test_sheet_imports import APPLICANT_HEADER, MEETING_HEADER, MONTHS, add_roster, count
from tests.roster_data import make_id

JUNK: list[object] = [
    "",
    "9999-12-31",
    "0000-01-01",
    "0001-01-01",
    "2019-02-30",
    "2026-13-45",
    "2026年13月",
    "1990.1",
    "19900501",
    "\u200b",
    "\u202e张三",
    "\ufeff",
    "张三,男",
    "张\n三",
    "张" * 3000,
    "x" * 2500,
    "-5",
    "1e309",
    "NaN",
    "Infinity",
    "25.123",
    "１２",
    "=1+1",
    "𠀀𠀁",
    "是",
    "否",
    "正式党员",
    "支部党员大会",
    "茶话会",
    "三",
    "√",
    -1,
    0,
    10**20,
    3.14159,
    1e308,
    dt.date(1899, 12, 31),
    dt.date(2026, 11, 23),
    dt.datetime(2026, 3, 1, 14, 30),
]
ROSTER_HEADER = [
    "姓名",
    "性别",
    "公民身份号码",
    "出生日期",
    "加入党组织日期",
    "人员类别",
    "党小组",
    "是否为流动党员",
]
DUES_HEADER = ["姓名", *MONTHS, "合计"]
KINDS = {
    "members": ROSTER_HEADER,
    "dues": DUES_HEADER,
    "applicants": APPLICANT_HEADER,
    "meetings": MEETING_HEADER,
}
CASES = 320


def _good(kind: str, rnd: random.Random) -> list[object]:
    if kind == "members":
        b = dt.date(1970 + rnd.randrange(30), 1 + rnd.randrange(12), 1 + rnd.randrange(28))
        return [
            "周明",
            "男",
            make_id(b, "male", rnd.randrange(1, 400)),
            b.isoformat(),
            "2015-07-01",
            "正式党员",
            None,
            "否",
        ]
    if kind == "dues":
        return [rnd.choice(["张伟", "李芳"]), *([20] * 10), None, None, 200]
    if kind == "applicants":
        return [1, "周杰", "男", None, "2024-03-01", "2024-09-10", None, None, None, None]
    day = dt.date(2025, 1, 1) + dt.timedelta(days=rnd.randrange(600))
    return [1, day.isoformat(), rnd.choice(["支部党员大会", "党课", "主题党日"]), "学习", 3, 3, None, None]


def _sheet_rows(kind: str, rnd: random.Random) -> list[list[object]]:
    width = len(KINDS[kind])
    rows = []
    for _ in range(rnd.randrange(1, 6)):
        row = list(_good(kind, rnd))
        row += [None] * (width - len(row))
        for _ in range(rnd.randrange(0, 4)):
            row[rnd.randrange(width)] = rnd.choice(JUNK)
        rows.append(row[:width])
    return rows


def _csv_text(value: object) -> str:
    s = "" if value is None else str(value)
    if any(c in s for c in ',"\n'):
        s = '"' + s.replace('"', '""') + '"'
    return s


def _write(path: Path, header: list[str], rows: list[list[object]], rnd: random.Random) -> Path:
    if path.suffix == ".csv":
        lines = [",".join(header)] + [",".join(_csv_text(v) for v in r) for r in rows]
        text = "\n".join(lines) + "\n"
        breakage = rnd.randrange(6)
        if breakage == 0:
            text = text.replace('"', "", 1) if '"' in text else text + '"未闭合,引号\n'
        elif breakage == 1:
            text += "\x00\n"
        data = text.encode("utf-8" if rnd.randrange(3) else "gb18030", errors="replace")
        path.write_bytes(data)
        return path
    wb = openpyxl.Workbook()
    ws = wb.active
    if rnd.randrange(2):
        ws.append(["标题行"])
    ws.append(header)
    for r in rows:
        ws.append([v if not isinstance(v, str) or "\x00" not in v else v.replace("\x00", "") for v in r])
    wb.save(path)
    breakage = rnd.randrange(5)
    if breakage == 0:  # truncated
        data = path.read_bytes()
        path.write_bytes(data[: rnd.randrange(len(data) // 2, len(data))])
    elif breakage == 1:  # malformed sheet XML
        with zipfile.ZipFile(path) as z:
            parts = {n: z.read(n) for n in z.namelist()}
        xml = parts["xl/worksheets/sheet1.xml"]
        cut = rnd.randrange(len(xml) // 2, len(xml))
        parts["xl/worksheets/sheet1.xml"] = xml[:cut] + b"<c><<" + xml[cut:]
        with zipfile.ZipFile(path, "w") as z:
            for n, d in parts.items():
                z.writestr(n, d)
    return path


@pytest.mark.parametrize("chunk", range(4))
def test_generated_bad_sheets_never_crash_and_never_half_write(
    ledger: Ledger, tmp_path: Path, chunk: int
) -> None:
    add_roster(ledger)
    tables = ("members", "dues_payments", "applicants", "applicant_steps", "meetings", "party_groups")
    refused = 0
    for case in range(chunk * CASES // 4, (chunk + 1) * CASES // 4):
        rnd = random.Random(1000 + case)
        kind = rnd.choice(list(KINDS))
        suffix = ".csv" if rnd.randrange(3) else ".xlsx"
        path = _write(tmp_path / f"case{case}{suffix}", KINDS[kind], _sheet_rows(kind, rnd), rnd)
        before = {t: count(ledger, t) for t in tables}
        res = imports.run(kind, ledger, path, dry_run=bool(rnd.randrange(2)), year=2026)
        where = f"case {case} ({kind}, {path.name})"
        for p in res.errors + res.warnings:
            assert p.file == path.name, where
            assert "Traceback" not in p.message and "Error" not in p.message, (where, p.message)
        if res.errors:
            refused += 1
            assert res.imported == 0, where
            assert {t: count(ledger, t) for t in tables} == before, where
            record_level = [p for p in res.errors if res.records]
            assert all(p.row is not None for p in record_level), (where, [str(p) for p in record_level])
        elif not res.dry_run:
            assert res.imported > 0, where
            ledger.undo_last()
    assert refused > CASES // 8  # most of the junk is refused (~75 of each 80), not waved through
