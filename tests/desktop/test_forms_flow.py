"""报表 → 园区表格: pick a template, see its fields and its unknown names, fill it, read the result back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx
from openpyxl import Workbook, load_workbook

from db import development, members
from desktop import forms_dialog
from desktop.forms_dialog import FormsDialog


def _template(path: Path, unknown: bool = False) -> Path:
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "{{ 支部.名称 }}（{{ 期间.名称 }}）"
    ws.merge_cells("A1:C1")
    ws["A2"] = "{{ 党员.序号 }}"
    ws["B2"] = "{{ 党员.姓名 }}"
    ws["C2"] = "{{ 党员.身份证号 }}"
    ws["A3"] = "合计"
    ws["B3"] = "{{ 统计.党员总数 }}"
    if unknown:
        ws["D7"] = "{{ 统计.党员人数 }}"
    wb.save(path)
    return path


def test_menu_opens_forms(main_window: Any) -> None:
    texts = [a.text() for m in main_window.menuBar().actions() if m.menu() for a in m.menu().actions()]
    assert "园区表格…" in texts
    assert any(m.text() == "报表(&R)" for m in main_window.menuBar().actions())


def test_unknown_name_is_listed_in_red_and_filling_is_refused(main_window: Any, tmp_path: Path) -> None:
    d = FormsDialog(main_window.ctx, main_window, _template(tmp_path / "t.xlsx", unknown=True))
    rows = [[d.uses.item(r, c).text() for c in range(3)] for r in range(d.uses.rowCount())]
    assert rows[0][:2] == ["（错误）", "工作表“Sheet”D7"] and "统计.党员人数" in rows[0][2]
    assert ["党员.姓名", "工作表“Sheet”B2", "姓名"] in rows
    assert "1 处错误" in d.summary.text() and not d.ok.isEnabled()
    d.reject()


def test_fill_masked_for_a_quarter_and_read_back(main_window: Any, tmp_path: Path, monkeypatch: Any) -> None:
    offered: list[Path] = []
    notes: list[str] = []
    monkeypatch.setattr(forms_dialog, "offer_open", lambda parent, path, title="": offered.append(path))
    monkeypatch.setattr(forms_dialog, "show_error", lambda parent, e, title="": notes.append(str(e)))
    d = FormsDialog(main_window.ctx, main_window, _template(tmp_path / "t.xlsx"))
    assert d.ok.isEnabled() and "都在字段表中" in d.summary.text()
    d.year.setValue(2026)
    d.period.setCurrentIndex(d.period.findData(3))
    assert d.masked.currentData() is True  # masked is the default: forms go to the liaison
    out = tmp_path / "out.xlsx"
    d.out.setText(str(out))
    d._out_touched = True
    d.ok.click()
    assert offered == [out]
    ws = load_workbook(out).active
    ledger = main_window.ledger
    import datetime as dt

    roster = members.roster_on(ledger, dt.date(2026, 9, 30))
    assert ws["A1"].value.endswith("（2026年第3季度）")
    assert [ws.cell(2 + k, 2).value for k in range(len(roster))] == [r.member.name for r in roster]
    assert ws.cell(2 + len(roster), 1).value == "合计"
    text = " ".join(str(v) for row in ws.iter_rows(values_only=True) for v in row if v)
    ids = {m.id_number for m in members.list_members(ledger) if m.id_number}
    ids |= {a.id_number for a in development.list_applicants(ledger) if a.id_number}
    assert not [i for i in ids if i in text]
    assert notes and "C2" in notes[0] and "党员.身份证号" in notes[0]


def test_fill_a_word_form(main_window: Any, tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setattr(forms_dialog, "offer_open", lambda *a, **k: None)
    doc = docx.Document()
    doc.add_paragraph("{{ 支部.名称 }}：党员 {{ 统计.党员总数 }} 人")
    doc.save(str(tmp_path / "t.docx"))
    d = FormsDialog(main_window.ctx, main_window, tmp_path / "t.docx")
    assert d.out.text().endswith(".docx")
    d.masked.setCurrentIndex(d.masked.findData(False))
    out = tmp_path / "填好.docx"
    d.out.setText(str(out))
    d.ok.click()
    assert d.filled is not None and d.filled.out == out
    assert docx.Document(str(out)).paragraphs[0].text.startswith("中共")


def test_the_library_lists_versions_installs_a_pack_and_fills_a_stored_form(
    main_window: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    """#20: the demo's pack is listed with its versions; picking a file copies it in (a new version by name);
    a pack is installed from the GUI and a bad one refused with the entry named; a stored version is filled."""
    from db import forms as stored
    from resources.forms import demo_pack

    errors: list[str] = []
    offered: list[Path] = []
    monkeypatch.setattr(forms_dialog, "show_error", lambda parent, e, title="": errors.append(str(e)))
    monkeypatch.setattr(forms_dialog, "offer_open", lambda parent, path, title="": offered.append(path))
    ledger = main_window.ledger
    d = FormsDialog(main_window.ctx, main_window)
    d.tabs.setCurrentIndex(1)
    names = [d.library.item(r, 0).text() for r in range(d.library.rowCount())]
    assert sorted(names) == sorted(f["title"] for f in demo_pack.MANIFEST["forms"])
    assert "星辰园区2026年报表" in d.packs_label.text()
    # a file picked in the fill tab is copied into the ledger; changed, it becomes version 2
    path = _template(tmp_path / "名册.xlsx")
    monkeypatch.setattr(forms_dialog.QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    d._pick_template()
    assert "已保存到台账：名册（第1版）" in d.summary.text()
    wb = load_workbook(path)
    wb.active["A9"] = "{{ 统计.预备党员 }}"
    wb.save(path)
    d._pick_template()
    assert [t.version for t in stored.list_templates(ledger) if t.name == "名册"] == [2, 1]
    rows = [[d.library.item(r, c).text() for c in range(3)] for r in range(d.library.rowCount())]
    assert ["名册", "第2版", "自己添加"] in rows and ["名册", "第1版", "自己添加"] in rows
    # a hostile pack is refused naming the entry; the demo pack again is one install (same file)
    import zipfile

    bad = tmp_path / "坏包.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("../../evil.xlsx", b"x")
    assert d.install_pack(bad) is None
    assert errors and "坏包.zip" in errors[-1] and "../../evil.xlsx" in errors[-1]
    good = tmp_path / "pack.zip"
    good.write_bytes(demo_pack.build())
    pack = d.install_pack(good)
    assert pack is not None and pack.version == 1  # the demo's pack is this very file: not installed twice
    assert len(stored.list_packs(ledger)) == 1
    # fill the stored version of the quarterly report
    q = next(t for t in stored.list_templates(ledger, latest=True) if t.name == "基层党组织季度工作报表")
    d.set_stored(q)
    assert d.template.text() == f"台账：{q.label}" and d.ok.isEnabled()
    d.year.setValue(2026)
    d.period.setCurrentIndex(d.period.findData(3))
    out = tmp_path / "季报.xlsx"
    d.out.setText(str(out))
    d._out_touched = True
    d.ok.click()
    assert offered and offered[-1] == out
    assert load_workbook(out).active["A1"].value == "2026年第3季度基层党组织工作情况报表"


def test_the_field_list_exports_as_xlsx(main_window: Any, tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setattr(forms_dialog, "offer_open", lambda *a, **k: None)
    d = FormsDialog(main_window.ctx, main_window)
    out = d.export_fields(tmp_path / "字段表.xlsx")
    assert out is not None
    wb = load_workbook(out)
    assert wb.sheetnames == ["字段表", "园区字段表"]
    cells = [c for row in wb["字段表"].iter_rows(values_only=True) for c in row if c]
    assert "{{ 统计.党员总数 }}" in cells and "{{ 党员.身份证号 }}" in cells
    park = [c for row in wb["园区字段表"].iter_rows(values_only=True) for c in row if c]
    assert "{{ 各支部.名称 }}" in park and "{{ 合计.党员总数 }}" in park
    d.reject()
