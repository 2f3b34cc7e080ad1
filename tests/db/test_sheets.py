"""The one tolerant sheet reader (issue #13 §2, issue #15 §2): the real extent whatever the <dimension> tag
says, impossible dates, damaged XML, oversized CSV fields and unclosed quotes, invisible characters in names,
oversized sheets refused at once, a two-row merged header, every unused column listed."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from db.connection import Ledger
from db.members import import_sheet as roster_import
from db.sheets import cells
from tests.roster_data import make_id

TODAY = dt.date(2026, 11, 22)
HEADER = [
    "姓名",
    "性别",
    "公民身份号码",
    "出生日期",
    "加入党组织日期",
    "人员类别",
    "民族",
    "学历",
    "手机号",
    "备注",
]


def person(i: int) -> list[object]:
    b = dt.date(1980 + i, 1 + i, 10 + i)
    return [
        ["张伟", "李芳", "王强", "赵敏", "陈静", "刘洋"][i],
        "男" if i % 2 == 0 else "女",
        make_id(b, "male" if i % 2 == 0 else "female", i + 1),
        b.isoformat(),
        dt.date(2010, 7, 1).isoformat(),
        "正式党员",
        "汉族",
        "大学本科",
        f"1381234567{i}",
        f"备注{i}",
    ]


def xlsx(path: Path, rows: list[list[object]], header: list[str] | None = None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "花名册"
    ws.append(header or HEADER)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def edit_sheet_xml(path: Path, fn) -> None:  # type: ignore[no-untyped-def]
    """Rewrite xl/worksheets/sheet1.xml inside the zip, the way another exporter would have written it."""
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["xl/worksheets/sheet1.xml"] = fn(parts["xl/worksheets/sheet1.xml"])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in parts.items():
            z.writestr(n, data)


def with_dimension(ref: str):  # type: ignore[no-untyped-def]
    def fn(xml: bytes) -> bytes:
        new, n = re.subn(rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), xml)
        assert n == 1
        return new

    return fn


def run(ledger: Ledger, path: Path, dry_run: bool = False) -> roster_import.ImportResult:
    return roster_import.import_members(ledger, path, dry_run, today=TODAY)


# ------------------------------------------------------------------------------------------ the real extent


def test_dimension_tag_too_few_rows_is_not_trusted(ledger: Ledger, tmp_path: Path) -> None:
    path = xlsx(tmp_path / "a.xlsx", [person(i) for i in range(5)])
    edit_sheet_xml(path, with_dimension("A1:J3"))
    assert b'ref="A1:J3"' in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    res = run(ledger, path)
    assert res.errors == [], [str(p) for p in res.errors]
    assert res.imported == 5
    assert [r[0] for r in ledger.query("SELECT name FROM members ORDER BY id")] == [
        "张伟",
        "李芳",
        "王强",
        "赵敏",
        "陈静",
    ]


def test_dimension_tag_too_few_columns_is_not_trusted(ledger: Ledger, tmp_path: Path) -> None:
    path = xlsx(tmp_path / "b.xlsx", [person(i) for i in range(5)])
    edit_sheet_xml(path, with_dimension("A1:C6"))
    res = run(ledger, path)
    assert res.errors == [] and res.imported == 5
    assert res.columns == HEADER  # every column after C read too
    row = ledger.query("SELECT phone, notes, education FROM members WHERE name = '赵敏'")[0]
    assert (row[0], row[1], row[2]) == ("13812345673", "备注3", "大学本科")


# ------------------------------------------------------------------------------------------ bad values, bad files


def test_impossible_and_placeholder_dates_are_problems_not_tracebacks(ledger: Ledger, tmp_path: Path) -> None:
    rows = [person(0), person(1), person(2)]
    rows[0][3] = "9999-12-31"
    rows[1][3] = dt.datetime(9999, 12, 31)
    rows[2][4] = "0001-01-01"
    res = run(ledger, xlsx(tmp_path / "d.xlsx", rows))
    assert res.imported == 0
    where = {(p.row, p.column) for p in res.errors}
    assert {(2, "出生日期"), (3, "出生日期"), (4, "加入党组织日期")} <= where
    assert any("不是合理的日期" in p.message and "9999-12-31" in p.message for p in res.errors)
    assert ledger.query("SELECT count(*) FROM members")[0][0] == 0


def test_malformed_sheet_xml_is_refused_in_chinese(ledger: Ledger, tmp_path: Path) -> None:
    path = xlsx(tmp_path / "坏表.xlsx", [person(i) for i in range(3)])
    edit_sheet_xml(path, lambda x: x.replace(b"</row>", b"</rowx>", 2))
    res = run(ledger, path)
    assert res.imported == 0 and len(res.errors) == 1
    msg = res.errors[0].message
    assert "坏表.xlsx" in msg and "损坏" in msg and "Traceback" not in msg
    assert res.errors[0].row is not None and f"第{res.errors[0].row}行" in msg


def test_csv_field_over_128_kb_is_refused_with_its_row(ledger: Ledger, tmp_path: Path) -> None:
    path = tmp_path / "大.csv"
    big = "很" * (130 * 1024)
    path.write_text(f'姓名,性别\n张伟,男\n李芳,"{big}"\n', encoding="utf-8")
    res = run(ledger, path)
    assert res.imported == 0 and len(res.errors) == 1
    assert res.errors[0].row == 3 and "128 KB" in res.errors[0].message


def test_unclosed_csv_quote_is_refused_not_read_as_one_name(ledger: Ledger, tmp_path: Path) -> None:
    path = tmp_path / "引号.csv"
    path.write_text('姓名,性别\n王强,男\n"张三,男\n李四,女\n', encoding="utf-8")
    res = run(ledger, path)
    assert res.imported == 0 and len(res.errors) == 1
    assert res.errors[0].row == 3 and "引号" in res.errors[0].message
    assert ledger.query("SELECT count(*) FROM members")[0][0] == 0


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        ("\u200b", "不可见字符"),
        ("\u202e", "不可见字符"),
        ("\ufeff", "不可见字符"),
        ("\n\n", "不能为空"),
        ("张" * 100_000, "超过"),
        ("张三,男", "不像是一个人的姓名"),
        ("张三1", "不像是一个人的姓名"),
        ("#张三", "不像是一个人的姓名"),
        ("张", "只有一个字"),
    ],
)
def test_names_that_are_not_names_are_refused(ledger: Ledger, tmp_path: Path, raw: str, why: str) -> None:
    rows = [person(0), person(1)]
    rows[1][0] = raw
    res = run(ledger, xlsx(tmp_path / "n.xlsx", rows))
    assert res.imported == 0
    assert any(p.row == 3 and p.column == "姓名" and why in p.message for p in res.errors), [
        str(p)[:200] for p in res.errors
    ]


def test_invisible_characters_are_stripped_from_names(ledger: Ledger, tmp_path: Path) -> None:
    rows = [person(0), person(1), person(2), person(3)]
    rows[0][0] = "\ufeff张\u200b伟"
    rows[1][0] = "李\u202e芳\u200d"
    rows[2][0] = "王\n强"
    rows[3][0] = "阿不都热合曼.买买提"
    res = run(ledger, xlsx(tmp_path / "i.xlsx", rows))
    assert res.errors == [], [str(p) for p in res.errors]
    names = [r[0] for r in ledger.query("SELECT name FROM members ORDER BY id")]
    assert names == ["张伟", "李芳", "王强", "阿不都热合曼·买买提"]


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("张伟", True),
        ("欧阳娜娜", True),
        ("Anna Smith", True),
        ("阿依古丽·买买提", True),
        ("", False),
        ("张 三 男", True),
        ("1234", False),
        ("张伟（已调出）", False),
    ],
)
def test_name_rule_table(name: str, ok: bool) -> None:
    cleaned = cells.clean_name(name)
    assert (cells.name_problem(cleaned, name) is None) is ok, cells.name_problem(cleaned, name)


def test_100000_rows_are_refused_without_reading_them_all(ledger: Ledger, tmp_path: Path) -> None:
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("花名册")
    ws.append(["姓名", "性别"])
    for i in range(100_000):
        ws.append([f"张{chr(0x4E00 + i % 20000)}", "男"])
    path = tmp_path / "十万.xlsx"
    wb.save(path)
    res = run(ledger, path, dry_run=True)
    assert res.imported == 0 and len(res.errors) == 1
    assert "超过 2000 行" in res.errors[0].message and res.records == []
    csv_path = tmp_path / "十万.csv"
    csv_path.write_text("姓名,性别\n" + "张伟,男\n" * 100_000, encoding="utf-8")
    res = run(ledger, csv_path, dry_run=True)
    assert len(res.errors) == 1 and "超过 2000 行" in res.errors[0].message


def test_2000_rows_are_still_read(ledger: Ledger, tmp_path: Path) -> None:
    path = tmp_path / "两千.csv"
    path.write_text("姓名,性别\n" + "张伟,男\n" * 2000, encoding="utf-8")
    res = run(ledger, path, dry_run=True)
    assert not any("超过" in p.message for p in res.errors) and res.rows == 2000


# ------------------------------------------------------------------------------------------ headers


def test_two_row_merged_header_of_the_official_summary_table(ledger: Ledger, tmp_path: Path) -> None:
    """汇总表 style: 姓名, 性别 … merged down two rows; 流动党员情况 merged across 是否为流动党员 / 外出流向."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["党员基本信息汇总表"])
    ws.merge_cells("A1:H1")
    top = ["序号", "姓名", "性别", "公民身份号码", "出生日期", "加入党组织日期", "流动党员情况", None]
    sub = [None, None, None, None, None, None, "是否为流动党员", "外出流向"]
    ws.append(top)
    ws.append(sub)
    for col in "ABCDEF":
        ws.merge_cells(f"{col}2:{col}3")
    ws.merge_cells("G2:H2")
    p0, p1 = person(0), person(1)
    ws.append([1, p0[0], p0[1], p0[2], p0[3], p0[4], "是", "广东深圳"])
    ws.append([2, p1[0], p1[1], p1[2], p1[3], p1[4], "否", None])
    path = tmp_path / "汇总表.xlsx"
    wb.save(path)
    res = run(ledger, path)
    assert res.errors == [], [str(p) for p in res.errors]
    assert res.header_row == 2 and res.header_rows == 2 and res.imported == 2
    assert {"是否为流动党员", "外出流向", "姓名"} <= set(res.columns)
    assert res.ignored_columns == ["序号"]
    row = ledger.query("SELECT is_mobile, mobile_destination FROM members WHERE name = '张伟'")[0]
    assert (row[0], row[1]) == (1, "广东深圳")


def test_every_unused_column_is_listed(ledger: Ledger, tmp_path: Path) -> None:
    header = [*HEADER, "籍贯", "党费交至", "爱好"]
    rows = [[*person(0), "江苏", "2026-10", "读书"]]
    res = run(ledger, xlsx(tmp_path / "u.xlsx", rows, header), dry_run=True)
    assert res.ignored_columns == ["籍贯", "党费交至", "爱好"]
    assert any("未导入" in w.message and "“党费交至”" in w.message for w in res.warnings)


def test_merged_group_cell_fills_the_rows_it_spans(ledger: Ledger, tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["党小组", *HEADER])
    for i in range(3):
        ws.append(["第一党小组" if i == 0 else None, *person(i)])
    ws.merge_cells("A2:A4")
    path = tmp_path / "m.xlsx"
    wb.save(path)
    res = run(ledger, path)
    assert res.errors == [] and res.imported == 3
    assert ledger.query("SELECT count(DISTINCT group_id) FROM members WHERE group_id IS NOT NULL")[0][0] == 1
    assert ledger.query("SELECT count(*) FROM members WHERE group_id IS NULL")[0][0] == 0
