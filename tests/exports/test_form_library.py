"""#20: templates kept in the ledger (versions), the liaison's pack installed (hostile zips refused), its forms
filled into the hand-in package (which verifies and, masked, holds no ID number), formulas re-ranged over
repeated rows, and the demo pack of three real-looking forms filled and read back."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from openpyxl import Workbook, load_workbook

from db import development, members
from db import forms as stored
from db.connection import Ledger
from exports import forms, package
from exports.forms import library
from exports.forms.formulas import shift_formula
from exports.forms.pack import install_pack, load_pack
from exports.registry import Params
from resources.forms import demo_pack

YEAR = 2026


def all_ids(ledger: Ledger) -> set[str]:
    ids = {m.id_number for m in members.list_members(ledger) if m.id_number}
    return ids | {a.id_number for a in development.list_applicants(ledger) if a.id_number}


def xlsx_text(path: Path) -> str:
    wb = load_workbook(path)
    return " ".join(
        str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v
    )


def docx_text(path: Path) -> str:
    d = docx.Document(str(path))
    parts = [p.text for p in d.paragraphs]
    parts += [c.text for t in d.tables for r in t.rows for c in r.cells]
    return "\n".join(parts)


def pack_zip(path: Path, entries: dict[str, bytes], manifest: dict[str, Any] | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        if manifest is not None:
            zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False))
        for name, data in entries.items():
            zf.writestr(name, data)
    return path


# ------------------------------------------------------------------------------ the demo pack, filled


def test_the_demo_pack_is_current_and_installed_in_the_demo_branch(demo_ledger: Ledger) -> None:
    assert (
        demo_pack.OUT.read_bytes() == demo_pack.build()
    )  # regenerate with python -m resources.forms.demo_pack
    packs = stored.installed_packs(demo_ledger)
    assert [p.name for p in packs] == [demo_pack.PACK_NAME]
    names = [t.name for t in stored.pack_templates(demo_ledger, packs[0].id)]
    assert names == [f["title"] for f in demo_pack.MANIFEST["forms"]]


def test_the_fixture_pack_of_three_forms_filled_and_read_back(demo_ledger: Ledger, tmp_path: Path) -> None:
    """The three stored forms of the pack filled for Q3 2026: merged title cells kept, a member row per member,
    the totals formula re-ranged over them, the quarter's meetings and their =SUM, the Word form's table."""
    by_name = {t.name: t for t in stored.list_templates(demo_ledger, latest=True)}
    roster_t = by_name["党员基本情况登记表"]
    out = tmp_path / "名册.xlsx"
    r = library.fill_stored(demo_ledger, roster_t, out, Params(year=YEAR, masked=True))
    as_of = dt.date(2026, 11, 22)  # the year is not over: today
    roster = members.roster_on(demo_ledger, as_of)
    n = len(roster)
    assert r.rows == n and n > 10
    ws = load_workbook(out).active
    merged = {str(m) for m in ws.merged_cells.ranges}
    assert {"A1:J1", "A2:F2", "G2:J2", "A3:A4", "F3:F4", f"A{5 + n}:B{5 + n}", f"A{7 + n}:J{7 + n}"} <= merged
    assert ws["A1"].value == "星辰科技园区党组织党员基本情况登记表"
    assert [ws.cell(5 + k, 2).value for k in range(n)] == [x.member.name for x in roster]
    assert ws.cell(5 + n, 3).value == f"=COUNTA(B5:B{4 + n})"  # =COUNTA(B5:B5) grew with the rows
    assert f"预备党员 {sum(x.category != 'full' for x in roster)} 人" in ws.cell(5 + n, 4).value
    assert not [i for i in all_ids(demo_ledger) if i in xlsx_text(out)]  # masked: no ID number
    assert ws["F5"].value.count("*") >= 8
    assert any("党员.身份证号" in w for w in r.warnings)

    q = by_name["基层党组织季度工作报表"]
    out_q = tmp_path / "季报.xlsx"
    library.fill_stored(demo_ledger, q, out_q, Params(year=YEAR, quarter=3, masked=True))
    ws = load_workbook(out_q).active
    assert ws["A1"].value == "2026年第3季度基层党组织工作情况报表"
    held = [row for row in ws.iter_rows(min_row=14, values_only=True) if isinstance(row[0], int)]
    assert held and [h[0] for h in held] == list(range(1, len(held) + 1))
    total_row = 14 + len(held)
    assert ws.cell(total_row, 1).value == "合计"
    assert ws.cell(total_row, 6).value == f"=SUM(F14:F{13 + len(held)})"
    assert isinstance(ws["C5"].value, int)  # 支部党员大会 of the quarter: a number, not text

    w = by_name["支部书记年度述职评议表"]
    out_w = tmp_path / "述职.docx"
    library.fill_stored(demo_ledger, w, out_w, Params(year=YEAR, masked=True))
    d = docx.Document(str(out_w))
    assert d.paragraphs[0].text.endswith("2026年度支部书记抓基层党建工作述职评议表")
    assert d.tables[0].cell(1, 1).text == f"{n} 名"
    people = [row.cells[1].text for row in d.tables[1].rows[1:]]
    assert people and all(people)
    assert "{{" not in docx_text(out_w) and "{%" not in docx_text(out_w)


# ------------------------------------------------------------------------------ stored templates


def test_adding_a_template_of_the_same_name_makes_a_new_version(ledger: Ledger, tmp_path: Path) -> None:
    path = tmp_path / "主题党日登记表.xlsx"
    wb = Workbook()
    wb.active["A1"] = "{{ 支部.名称 }}"
    wb.save(path)
    t1 = library.add_template_file(ledger, path)
    assert (t1.name, t1.version) == ("主题党日登记表", 1)
    assert library.add_template_file(ledger, path).id == t1.id  # the same bytes: not stored twice
    wb.active["A2"] = "{{ 统计.党员总数 }}"
    wb.save(path)
    t2 = library.add_template_file(ledger, path)
    assert t2.version == 2 and t2.sha256 != t1.sha256
    assert [t.version for t in stored.list_templates(ledger)] == [2, 1]
    assert stored.template_data(ledger, t1.id) != stored.template_data(ledger, t2.id)
    ledger.undo_last()
    assert [t.version for t in stored.list_templates(ledger)] == [1]


def test_an_unknown_field_is_refused_with_its_cell_and_not_stored(ledger: Ledger, tmp_path: Path) -> None:
    path = tmp_path / "季报.xlsx"
    wb = Workbook()
    wb.active.title = "季报"
    wb.active["C7"] = "{{ 统计.党员人数 }}"
    wb.save(path)
    with pytest.raises(forms.FormError) as e:
        library.add_template_file(ledger, path)
    assert e.value.problems[0][0] == "工作表“季报”C7" and "统计.党员总数" in e.value.problems[0][1]
    assert stored.list_templates(ledger) == []


def test_reaching_python_internals_in_a_pack_is_refused_by_the_sandbox(
    ledger: Ledger, tmp_path: Path
) -> None:
    wb = Workbook()
    wb.active["B2"] = "{{ 支部.名称.__class__.__mro__ }}"
    buf = io.BytesIO()
    wb.save(buf)
    manifest = {
        "format": "branch-ledger-form-pack",
        "version": 1,
        "name": "恶意包",
        "forms": [{"file": "a.xlsx", "title": "表", "period": "year", "due_day": 5}],
    }
    with pytest.raises(forms.FormError) as e:
        install_pack(ledger, pack_zip(tmp_path / "p.zip", {"a.xlsx": buf.getvalue()}, manifest))
    assert "B2" in e.value.problems[0][0] and "程序内部" in e.value.problems[0][1]
    assert stored.list_packs(ledger) == []
    # and were the check bypassed, the sandbox itself refuses
    from exports.forms.engine import render

    with pytest.raises(forms.FormError, match="沙箱"):
        render("{{ x.__class__.__mro__ }}", {"x": 1}, "B2")


# ------------------------------------------------------------------------------ packs: versions and hostile zips


def test_installing_a_pack_again_and_a_new_version(ledger: Ledger, tmp_path: Path) -> None:
    src = tmp_path / "pack.zip"
    src.write_bytes(demo_pack.build())
    p1 = install_pack(ledger, src)
    assert install_pack(ledger, src).id == p1.id  # the same file twice: one install
    data = zipfile.ZipFile(io.BytesIO(src.read_bytes()))
    manifest = json.loads(data.read("manifest.json"))
    manifest["forms"] = manifest["forms"][:2]
    files = {f["file"]: data.read(f["file"]) for f in manifest["forms"]}
    p2 = install_pack(ledger, pack_zip(tmp_path / "v2.zip", files, manifest))
    assert (p2.name, p2.version) == (p1.name, 2)
    assert [p.id for p in stored.installed_packs(ledger)] == [p2.id]
    assert len(stored.pack_templates(ledger, p2.id)) == 2
    stored.remove_pack(ledger, p2.id)
    assert stored.installed_packs(ledger) == []
    ledger.undo_last()
    assert [p.id for p in stored.installed_packs(ledger)] == [p2.id]


MANIFEST = {
    "format": "branch-ledger-form-pack",
    "version": 1,
    "name": "包",
    "forms": [{"file": "a.xlsx", "title": "表", "period": "year", "due_day": 5}],
}


def _xlsx() -> bytes:
    wb = Workbook()
    wb.active["A1"] = "{{ 支部.名称 }}"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("entries", "where", "what"),
    [
        ({"../../evil.xlsx": b"x"}, "“../../evil.xlsx”", "包以外"),
        ({"/etc/cron.d/x": b"x"}, "“/etc/cron.d/x”", "绝对路径"),
        ({"C:/Windows/x.xlsx": b"x"}, "“C:/Windows/x.xlsx”", "盘符"),
        ({"bomb.bin": b"\0" * (30 * 1024 * 1024)}, "“bomb.bin”", "20 MB"),
        ({"ratio.bin": b"\0" * (3 * 1024 * 1024)}, "“ratio.bin”", "压缩炸弹"),
    ],
)
def test_hostile_zips_are_refused_naming_the_entry(
    ledger: Ledger, tmp_path: Path, entries: dict[str, bytes], where: str, what: str
) -> None:
    path = pack_zip(tmp_path / "p.zip", {"a.xlsx": _xlsx(), **entries}, MANIFEST)
    with pytest.raises(forms.FormError) as e:
        install_pack(ledger, path)
    assert any(where in w and what in m for w, m in e.value.problems), e.value.problems
    assert "p.zip" in str(e.value)
    assert stored.list_packs(ledger) == []


def test_bad_packs_are_refused_with_a_clear_message(ledger: Ledger, tmp_path: Path) -> None:
    many = {f"f{i}.txt": b"x" for i in range(250)}
    with pytest.raises(forms.FormError, match="不像表格包"):
        load_pack(pack_zip(tmp_path / "many.zip", {"a.xlsx": _xlsx(), **many}, MANIFEST))
    with pytest.raises(forms.FormError, match="没有 manifest.json"):
        load_pack(pack_zip(tmp_path / "none.zip", {"a.xlsx": _xlsx()}))
    with pytest.raises(forms.FormError, match="已损坏或只是改了扩展名"):
        load_pack(pack_zip(tmp_path / "fake.zip", {"a.xlsx": b"not a workbook"}, MANIFEST))
    (tmp_path / "text.zip").write_text("hello")
    with pytest.raises(forms.FormError, match="不是表格包"):
        install_pack(ledger, tmp_path / "text.zip")


# ------------------------------------------------------------------------------ the hand-in package


def test_a_package_with_the_pack_verifies_and_the_masked_one_holds_no_id(
    demo_ledger: Ledger, tmp_path: Path
) -> None:
    folder = package.build_package(demo_ledger, YEAR, tmp_path / "out", profile="masked")
    check = package.verify_package(folder)
    assert check.ok, check.describe()
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    titles = [f["title"] for f in manifest["forms"]]
    assert titles == [f["title"] for f in demo_pack.MANIFEST["forms"]]
    listed = {f["path"]: f for f in manifest["files"]}
    ids = all_ids(demo_ledger)
    for f in manifest["forms"]:
        assert f["path"] in listed and listed[f["path"]]["kind"] == "form"
        assert f["profile"] == "masked" and f["due"].startswith("2027-01")
        path = folder / f["path"]
        text = xlsx_text(path) if path.suffix == ".xlsx" else docx_text(path)
        assert not [i for i in ids if i in text], f["title"]
    assert [f["period_label"] for f in manifest["forms"]] == ["2026年度", "2026年第4季度", "2026年度"]
    assert "园区表格" in (folder / "index.html").read_text(encoding="utf-8")
    # a filled form changed afterwards is caught like any other file
    target = folder / manifest["forms"][0]["path"]
    target.write_bytes(target.read_bytes() + b"x")
    assert not package.verify_package(folder).ok


def test_a_removed_pack_is_not_filled(demo_ledger: Ledger, tmp_path: Path) -> None:
    pack = stored.installed_packs(demo_ledger)[0]
    stored.remove_pack(demo_ledger, pack.id)
    as_of = dt.date(2026, 11, 22)
    forms_done, failed = library.package_forms(demo_ledger, YEAR, as_of, True, tmp_path)
    assert forms_done == [] and failed == []


def test_data_json_round_trip_keeps_the_templates(demo_ledger: Ledger, tmp_path: Path) -> None:
    from db import interchange
    from db.connection import open_ledger

    doc = interchange.dump(demo_ledger)
    assert len(doc["form_templates"]["templates"]) == 3
    other = open_ledger(tmp_path / "copy.sqlite", create=True)
    try:
        interchange.load(other, json.loads(interchange.dumps(doc)))
        again = interchange.dump(other)
        assert again["form_templates"] == doc["form_templates"]
        t = stored.list_templates(other)[0]
        assert stored.template_data(other, t.id) == stored.template_data(demo_ledger, t.id)
    finally:
        other.close()


# ------------------------------------------------------------------------------ formulas


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        ("=SUM(C5:C5)", "=SUM(C5:C40)"),
        ("=SUM($C$3:C5)", "=SUM($C$3:C40)"),
        ("=C6*2+C4", "=C41*2+C4"),  # below moves, above stays
        ("=C5", "=C5"),  # the first repeated row, from outside
        ("=SUM(C6:C9)", "=SUM(C41:C44)"),
        ("=SUM('季度 表'!C5:C5)", "=SUM('季度 表'!C5:C40)"),
        ("=SUM(其他!C5:C5)", "=SUM(其他!C5:C5)"),  # another sheet's rows did not grow
        ("=SUM(C:C)", "=SUM(C:C)"),  # whole columns need nothing
    ],
)
def test_formulas_are_re_ranged_over_repeated_rows(formula: str, expected: str) -> None:
    assert shift_formula(formula, "季度 表", "季度 表", 5, 35) == expected


def test_formulas_in_the_repeated_row_fill_down(ledger: Ledger, tmp_path: Path) -> None:
    from db.members import Member
    from tests.roster_data import make_id

    path = tmp_path / "t.xlsx"
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "{{ 党员.姓名 }}"
    ws["B1"] = 2
    ws["C1"] = "=B1*12"
    ws["C2"] = "=SUM(C1:C1)"
    wb.save(path)
    for i, name in enumerate(["甲", "乙", "丙"]):
        born = dt.date(1990, 1, 1 + i)
        members.add(
            ledger,
            Member(
                name=f"张{name}",
                id_number=make_id(born, "male"),
                gender="male",
                birth_date=born,
                joined_on=dt.date(2015, 1, 1),
                full_on=dt.date(2016, 1, 1),
                category="full",
            ),
        )
    forms.fill(ledger, path, tmp_path / "o.xlsx", Params(year=YEAR))
    ws = load_workbook(tmp_path / "o.xlsx").active
    assert [ws.cell(r, 3).value for r in (1, 2, 3)] == ["=B1*12", "=B2*12", "=B3*12"]
    assert ws["C4"].value == "=SUM(C1:C3)"


def test_a_bad_form_templates_section_is_refused_by_json_path(demo_ledger: Ledger, tmp_path: Path) -> None:
    from db import interchange
    from db.connection import open_ledger
    from db.errors import InputRefused

    doc = json.loads(interchange.dumps(interchange.dump(demo_ledger)))
    doc["form_templates"]["templates"][1]["pack_id"] = 99
    doc["form_templates"]["templates"][2]["sha256"] = "0" * 64
    doc["form_templates"]["packs"][0]["added_on"] = "2026-02-30"
    other = open_ledger(tmp_path / "x.sqlite", create=True)
    try:
        with pytest.raises(InputRefused) as e:
            interchange.load(other, doc)
        where = {p.column for p in e.value.problems}
        assert {
            "form_templates.templates[1].pack_id",
            "form_templates.templates[2].sha256",
            "form_templates.packs[0].added_on",
        } <= where
        assert stored.list_templates(other) == []
    finally:
        other.close()
