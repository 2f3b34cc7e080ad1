"""The park's own forms (issue #20): xlsx and docx templates filled from the 字段表 and read back."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Border, Font, Side

from db import branch, development, members
from db.connection import Ledger
from db.members import Member
from exports import forms
from exports.forms import engine
from exports.forms.fields import FIELDS, build_context
from exports.registry import Params
from tests.roster_data import make_id

ROOT = Path(__file__).resolve().parents[2]
THIN = Side(style="thin")


def roster_form(path: Path) -> Path:
    """A park liaison's roster form: merged title, header, one repeating member row, merged total below."""
    wb = Workbook()
    ws = wb.active
    ws.title = "党员名册"
    ws["A1"] = "{{ 支部.名称 }}党员名册"
    ws.merge_cells("A1:F1")
    ws["A2"] = "填报期间：{{ 期间.名称 }}　统计日：{{ 期间.统计日 }}"
    ws.merge_cells("A2:F2")
    for col, head in zip(
        "ABCDEF", ["序号", "姓名", "性别", "出生年月", "公民身份号码", "党小组"], strict=True
    ):
        ws[f"{col}3"] = head
    row = [
        "{{ 党员.序号 }}",
        "{{ 党员.姓名 }}",
        "{{ 党员.性别 }}",
        "{{ 党员.出生日期|年月 }}",
        "{{ 党员.身份证号 }}",
        "{{ 党员.党小组 }}",
    ]
    for col, text in zip("ABCDEF", row, strict=True):
        ws[f"{col}4"] = text
        ws[f"{col}4"].border = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)
        ws[f"{col}4"].font = Font(name="宋体", size=11)
    ws.row_dimensions[4].height = 22
    ws["A5"] = "合计"
    ws["B5"] = "{{ 统计.党员总数 }}"
    ws["C5"] = "其中预备党员 {{ 统计.预备党员 }} 人"
    ws.merge_cells("C5:F5")
    ws.row_dimensions[5].height = 30
    ws["A6"] = "=COUNTA(B4:B4)"  # the template's own formula stays a formula, re-ranged over the rows
    wb.save(path)
    return path


def cells(path: Path) -> list[list[object]]:
    ws = load_workbook(path).active
    return [list(r) for r in ws.iter_rows(values_only=True)]


def demo_ids(ledger: Ledger) -> set[str]:
    ids = {m.id_number for m in members.list_members(ledger) if m.id_number}
    ids |= {a.id_number for a in development.list_applicants(ledger) if a.id_number}
    return ids


def test_roster_form_repeats_rows_keeps_merges_and_styles(demo_ledger: Ledger, tmp_path: Path) -> None:
    out = tmp_path / "filled.xlsx"
    as_of = dt.date(2026, 9, 30)
    result = forms.fill(demo_ledger, roster_form(tmp_path / "t.xlsx"), out, Params(year=2026, quarter=3))
    roster = members.roster_on(demo_ledger, as_of)
    n = len(roster)
    assert n > 10 and result.rows == n
    wb = load_workbook(out)
    ws = wb.active
    assert ws["A1"].value == f"{branch.branch_name(demo_ledger)}党员名册"
    assert ws["A2"].value == "填报期间：2026年第3季度　统计日：2026年9月30日"
    merged = {str(m) for m in ws.merged_cells.ranges}
    assert {"A1:F1", "A2:F2", f"C{5 + n - 1}:F{5 + n - 1}"} <= merged
    names = [ws.cell(4 + k, 2).value for k in range(n)]
    assert names == [r.member.name for r in roster]
    assert [ws.cell(4 + k, 1).value for k in range(n)] == list(range(1, n + 1))
    first = roster[0].member
    assert ws["E4"].value == first.id_number  # the full fill has the full number
    assert first.birth_date and ws["D4"].value == f"{first.birth_date.year}.{first.birth_date.month:02d}"
    last = 4 + n - 1
    assert ws.cell(last, 2).border.bottom.style == "thin" and ws.cell(last, 2).font.name == "宋体"
    assert ws.row_dimensions[last].height == 22
    total = 4 + n
    assert ws.cell(total, 1).value == "合计" and ws.cell(total, 2).value == n
    assert ws.cell(total, 3).value == f"其中预备党员 {sum(r.category != 'full' for r in roster)} 人"
    assert ws.row_dimensions[total].height == 30
    assert ws.cell(total + 1, 1).value == f"=COUNTA(B4:B{last})"  # grew with the repeated rows
    assert ws.cell(total + 1, 1).data_type == "f"
    assert result.warnings == []


def test_as_of_counts_only_members_then_in_the_branch(ledger: Ledger, tmp_path: Path) -> None:
    members.add(
        ledger,
        Member(
            name="王明",
            id_number=make_id(dt.date(1990, 5, 1), "male"),
            birth_date=dt.date(1990, 5, 1),
            gender="male",
            category="full",
            joined_on=dt.date(2015, 7, 1),
            full_on=dt.date(2016, 7, 1),
            in_branch_since=dt.date(2026, 5, 1),  # transferred in on 1 May
        ),
    )
    template = roster_form(tmp_path / "t.xlsx")
    before = forms.fill(ledger, template, tmp_path / "a.xlsx", Params(year=2026, as_of=dt.date(2026, 4, 30)))
    on = forms.fill(ledger, template, tmp_path / "b.xlsx", Params(year=2026, as_of=dt.date(2026, 5, 1)))
    assert before.rows == 0 and on.rows == 1
    a, b = cells(tmp_path / "a.xlsx"), cells(tmp_path / "b.xlsx")
    assert a[3][:2] == [None, None] and a[4][:2] == ["合计", 0]  # the empty list leaves an empty row
    assert b[3][:3] == [1, "王明", "男"] and b[4][:2] == ["合计", 1]


def test_unknown_field_is_refused_with_its_cell_and_nothing_written(ledger: Ledger, tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.title = "季度报表"
    wb.active["A1"] = "{{ 支部.名称 }}"
    wb.active["C7"] = "{{ 统计.党员人数 }}"
    wb.save(tmp_path / "t.xlsx")
    out = tmp_path / "out.xlsx"
    with pytest.raises(forms.FormError) as e:
        forms.fill(ledger, tmp_path / "t.xlsx", out, Params(year=2026))
    assert e.value.problems == [
        ("工作表“季度报表”C7", "“统计.党员人数”不在字段表中（是不是：统计.党员总数、统计.女党员？）")
    ]
    assert "C7" in str(e.value)
    assert not out.exists() and not [p for p in tmp_path.iterdir() if "out" in p.name]  # no temp file left
    usage = forms.inspect(tmp_path / "t.xlsx")
    assert usage.fields == {"支部.名称": ["工作表“季度报表”A1"]} and len(usage.problems) == 1


@pytest.mark.parametrize(
    "source",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ 支部.名称.__class__ }}",
        "{{ 支部['__class__'] }}",
        "{{ cycler.__init__.__globals__ }}",
        "{{ 支部.名称.upper() }}",
        "{% set x = 1 %}",
    ],
)
def test_reaching_python_internals_is_refused(ledger: Ledger, tmp_path: Path, source: str) -> None:
    wb = Workbook()
    wb.active["B2"] = source
    wb.save(tmp_path / "t.xlsx")
    with pytest.raises(forms.FormError) as e:
        forms.fill(ledger, tmp_path / "t.xlsx", tmp_path / "out.xlsx", Params(year=2026))
    assert e.value.problems[0][0] == "工作表“Sheet”B2"
    assert not (tmp_path / "out.xlsx").exists()


def test_the_sandbox_itself_refuses_internals() -> None:
    """Behind the name check stands Jinja2's sandbox: even rendered unchecked, internals are refused."""
    with pytest.raises(forms.FormError, match="沙箱拒绝"):
        engine.render("{{ ''.__class__.__mro__[1].__subclasses__() }}", {}, "B2")
    with pytest.raises(forms.FormError, match="B3"):
        engine.evaluate("''.__class__.__mro__[1].__subclasses__()", {}, "B3")


def test_compiled_text_is_kept_and_still_sandboxed() -> None:
    """Template text is compiled once and kept (a repeated row's cells render on every row): the kept template
    renders each context afresh, and the sandbox refuses internals on every call, not only the first."""
    assert engine.render("{{ a }}年", {"a": 2025}, "B2") == "2025年"
    assert engine.render("{{ a }}年", {"a": 2026}, "B2") == "2026年"
    assert engine.evaluate("a + 1", {"a": 1}, "B2") == 2
    assert engine.evaluate("a + 1", {"a": 41}, "B2") == 42
    for _ in range(2):
        with pytest.raises(forms.FormError, match="沙箱拒绝"):
            engine.render("{{ ''.__class__.__mro__[1].__subclasses__() }}", {}, "B2")
        with pytest.raises(forms.FormError, match="B3"):
            engine.evaluate("''.__class__.__mro__[1].__subclasses__()", {}, "B3")
    with pytest.raises(forms.FormError, match="语法|无法填写"):
        engine.render("{{ a ", {"a": 1}, "B4")


def test_masked_fill_holds_no_id_number_and_warns(demo_ledger: Ledger, tmp_path: Path) -> None:
    template = roster_form(tmp_path / "t.xlsx")
    ws_extra = load_workbook(template)
    ws = ws_extra.create_sheet("发展")
    ws["A1"] = "{{ 发展.名单.姓名 }} {{ 发展.名单.身份证号 }}"
    ws_extra.save(template)
    out = tmp_path / "masked.xlsx"
    result = forms.fill(demo_ledger, template, out, Params(year=2026, masked=True))
    ids = demo_ids(demo_ledger)
    assert len(ids) > 30
    wb = load_workbook(out)
    text = "\n".join(str(v) for s in wb.worksheets for r in s.iter_rows(values_only=True) for v in r if v)
    assert not [i for i in ids if i in text]
    assert re.search(r"\d{3}\*{11}[\dX]{4}", text)
    assert any("党员名册”E4" in w and "党员.身份证号" in w for w in result.warnings)
    assert any("发展.名单.身份证号" in w for w in result.warnings)


def test_filled_values_are_never_formulas(ledger: Ledger, tmp_path: Path) -> None:
    branch.save_branch(ledger, branch.Branch(name='=HYPERLINK("http://x","点我")', upper_org="@SUM(A1)"))
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "{{ 支部.名称 }}"
    ws["A2"] = "{{ 支部.上级党组织 }}"
    ws["A3"] = "{{ 支部.上级党组织 }}（上级）"
    ws["A4"] = "=1+1"
    wb.save(tmp_path / "t.xlsx")
    forms.fill(ledger, tmp_path / "t.xlsx", tmp_path / "o.xlsx", Params(year=2026))
    got = load_workbook(tmp_path / "o.xlsx").active
    assert got["A1"].value == '=HYPERLINK("http://x","点我")' and got["A1"].data_type == "s"
    assert got["A2"].value == "@SUM(A1)" and got["A2"].data_type == "s"
    assert got["A3"].data_type == "s"
    assert got["A4"].data_type == "f"  # the template's own formula


def test_every_field_has_a_value_and_is_documented(demo_ledger: Ledger) -> None:
    ctx = build_context(demo_ledger, Params(year=2026, quarter=3))
    doc = (ROOT / "docs" / "forms.md").read_text(encoding="utf-8")
    for f in FIELDS:
        node: object = ctx
        parts = f.path.split(".")
        for p in parts:
            if isinstance(node, list):
                assert node, f"empty list before {f.path}"
                node = node[0]
            assert isinstance(node, dict) and p in node, f.path
            node = node[p]
        assert f"`{f.path}`" in doc, f"docs/forms.md does not list {f.path}"
    assert ctx["会议"]["本期"]["主题党日"]["次数"] >= 1


def docx_form(path: Path, unknown: bool = False) -> Path:
    d = docx.Document()
    d.add_paragraph("{{ 支部.名称 }}年度述职评议表")
    d.add_paragraph(
        "本年已开主题党日 {{ 会议.本年.主题党日.次数 }} 次，应开 {{ 会议.本年.主题党日.应开 }} 次。"
    )
    if unknown:
        d.add_paragraph("书记：{{ 支部.书记 }}")
    t = d.add_table(rows=4, cols=3)
    for c, head in enumerate(["序号", "姓名", "身份证号"]):
        t.cell(0, c).text = head
    t.cell(1, 0).text = "{%tr for 人 in 党员 %}"
    t.cell(2, 0).text = "{{ 人.序号 }}"
    t.cell(2, 1).text = "{{ 人.姓名 }}"
    t.cell(2, 2).text = "{{ 人.身份证号 }}"
    t.cell(3, 0).text = "{%tr endfor %}"
    d.save(str(path))
    return path


def test_docx_filled_and_read_back(demo_ledger: Ledger, tmp_path: Path) -> None:
    out = tmp_path / "述职.docx"
    result = forms.fill(demo_ledger, docx_form(tmp_path / "t.docx"), out, Params(year=2026, masked=True))
    roster = members.roster_on(demo_ledger, dt.date(2026, 11, 22))
    d = docx.Document(str(out))
    assert d.paragraphs[0].text == f"{branch.branch_name(demo_ledger)}年度述职评议表"
    assert re.fullmatch(r"本年已开主题党日 \d+ 次，应开 \d+ 次。", d.paragraphs[1].text)
    table = d.tables[0]
    assert len(table.rows) == 1 + len(roster)
    assert [table.cell(k + 1, 1).text for k in range(len(roster))] == [r.member.name for r in roster]
    text = "\n".join(c.text for row in table.rows for c in row.cells)
    assert not [i for i in demo_ids(demo_ledger) if i in text]
    assert any("党员.身份证号" in w for w in result.warnings)


def test_docx_unknown_name_is_refused_with_its_paragraph(ledger: Ledger, tmp_path: Path) -> None:
    out = tmp_path / "o.docx"
    with pytest.raises(forms.FormError) as e:
        forms.fill(ledger, docx_form(tmp_path / "t.docx", unknown=True), out, Params(year=2026))
    assert e.value.problems == [("第3段", "“支部.书记”不在字段表中（是不是：支部.名称、支部.所在园区？）")]
    assert not out.exists()


def test_not_a_template_is_refused(ledger: Ledger, tmp_path: Path) -> None:
    bad = tmp_path / "t.xlsx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(forms.FormError, match="不是可读的 Excel"):
        forms.fill(ledger, bad, tmp_path / "o.xlsx", Params(year=2026))
    with pytest.raises(forms.FormError, match=r"\.xlsx（Excel）或 \.docx"):
        forms.fill(ledger, tmp_path / "t.pdf", tmp_path / "o.pdf", Params(year=2026))


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    return subprocess.run(
        [sys.executable, "-m", "exports.cli", *args], cwd=ROOT, capture_output=True, text=True, env=env
    )


def test_cli_form_fill_and_fields(demo_ledger: Ledger, tmp_path: Path) -> None:
    db = str(demo_ledger.path)
    template = roster_form(tmp_path / "t.xlsx")
    demo_ledger.close()  # the command opens it itself (closing twice is harmless)
    out = tmp_path / "o.xlsx"
    r = run(
        "--db",
        db,
        "form",
        "fill",
        str(template),
        "--out",
        str(out),
        "--year",
        "2026",
        "--quarter",
        "3",
        "--masked",
        "--json",
    )
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["out"] == str(out) and doc["rows"] > 10 and "党员.身份证号" in doc["fields"]
    assert doc["warnings"] and "E4" in doc["warnings"][0]
    wb = Workbook()
    wb.active["D9"] = "{{ 会议.本期.支部大会.次数 }}"
    wb.save(tmp_path / "bad.xlsx")
    r = run(
        "--db", db, "form", "fill", str(tmp_path / "bad.xlsx"), "--out", str(tmp_path / "b.xlsx"), "--json"
    )
    assert r.returncode == 1 and "Traceback" not in r.stderr
    err = json.loads(r.stdout)["error"]
    assert err["code"] == "refused" and err["details"][0]["where"] == "工作表“Sheet”D9"
    assert not (tmp_path / "b.xlsx").exists()
    r = run("form", "fields", "--json")
    assert r.returncode == 0
    names = [f["name"] for f in json.loads(r.stdout)["fields"]]
    assert names == [f.path for f in FIELDS]
    r = run("form", "fill", str(template), "--out", str(out), "--quarter", "2")
    assert r.returncode == 2 and "--year" in r.stderr
