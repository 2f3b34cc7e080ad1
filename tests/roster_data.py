"""Helpers for the roster tests: valid ID numbers for any birth date and sex, and roster sheets built with
openpyxl the way secretaries keep them (title rows, their own column order, extra columns)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from db.rules import idcard


def make_id(birth: dt.date, gender: str = "male", seq: int = 1, region: str = "310115") -> str:
    """A valid 18-digit number: 顺序码 odd for men, even for women (RULES.md §7.2)."""
    s = seq * 2 + (1 if gender == "male" else 0)
    s = s % 1000
    if (s % 2 == 1) != (gender == "male"):
        s = (s + 1) % 1000
    first17 = f"{region}{birth:%Y%m%d}{s:03d}"
    return first17 + idcard.check_char(first17)


def write_sheet(
    path: Path,
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    title_rows: Sequence[Sequence[Any]] = (),
    text_columns: Sequence[str] = (),
) -> Path:
    """An .xlsx with optional title rows above the header; `text_columns` get the text number format (@)."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "花名册"
    for r in title_rows:
        ws.append(list(r))
    ws.append(list(header))
    for r in rows:
        ws.append(list(r))
    for j, h in enumerate(header, start=1):
        if h in text_columns:
            for (cell,) in ws.iter_rows(min_row=len(title_rows) + 2, min_col=j, max_col=j):
                cell.number_format = "@"
    wb.save(path)
    return path


def person(i: int, *, today: dt.date = dt.date(2026, 11, 22)) -> dict[str, Any]:
    """A plausible member number i (deterministic)."""
    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
    given = [
        "伟",
        "芳",
        "娜",
        "敏",
        "静",
        "磊",
        "洋",
        "艳",
        "勇",
        "军",
        "杰",
        "娟",
        "涛",
        "明",
        "超",
        "秀英",
        "霞",
        "平",
        "刚",
        "桂英",
    ]
    third = "华国文明建新安晓子宇佳立成"
    gender = "male" if i % 3 else "female"
    birth = dt.date(1960 + i % 40, 1 + i % 12, 1 + i % 28)
    joined = dt.date(birth.year + 20 + i % 15, 1 + (i * 7) % 12, 1 + (i * 5) % 28)
    if joined > today - dt.timedelta(days=400):
        joined = dt.date(today.year - 3, 7, 1)
    probationary = i % 17 == 0
    if probationary:
        joined = dt.date(today.year, 3, 15)
    full = None if probationary else dt.date(joined.year + 1, joined.month, joined.day)
    return {
        # From member 400 on a third character (a name never holds digits: the roster import refuses them).
        "name": surnames[i % len(surnames)]
        + given[(i * 7) % len(given)]
        + ("" if i < 400 else third[i % 13]),
        "gender": gender,
        "birth": birth,
        "id": make_id(birth, gender, seq=i % 499),
        "joined": joined,
        "full": full,
        "category": "预备党员" if probationary else "正式党员",
        "phone": f"139{i:08d}",
        "group": "第一党小组" if i % 2 else "第二党小组",
    }
