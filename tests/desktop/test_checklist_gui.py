"""工作台, 六个一 and 支部信息 driven through their real widgets (offscreen)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest

from db import checklists, findings
from db.connection import Ledger

D = dt.date


def png_file(path: Path) -> Path:
    from PIL import Image

    b = io.BytesIO()
    Image.new("RGB", (640, 480), (150, 20, 20)).save(b, "PNG")
    path.write_bytes(b.getvalue())
    return path


def test_dashboard_contents_for_the_demo_ledger(main_window: Any, qtbot: Any) -> None:
    dash = main_window.sections["dashboard"]
    main_window.show_section("dashboard")
    dash.as_of.set_value(D(2026, 11, 22))
    dash.ensure_fresh()
    shown = dash.visible_findings()
    expected = findings.check(main_window.ledger, D(2026, 11, 22))
    # exactly the findings of `ledger check`, each once
    assert sorted(f.to_json()["message"] for _b, _a, f in shown) == sorted(f.message for f in expected)
    by_code = {f.code: (bucket, area) for bucket, area, f in shown}
    assert by_code["C01"][0].startswith("已逾期") and by_code["C01"][1].startswith("六个一")  # 整改 due 10-31
    assert by_code["T01"][0].startswith("其他提醒") and by_code["T01"][1].startswith("组织建设")
    titles = [c.chart.title for c in dash.charts]
    assert "2026年“六个一”自查" in titles
    cl = next(c.chart for c in dash.charts if c.chart.key == "checklist")
    assert [b.text for b in cl.bars] == ["5/6", "5/6"]
    # a chosen date: on 2026-06-01 (before the self-check) there are no C-findings
    dash.as_of.set_value(D(2026, 6, 1))
    dash.ensure_fresh()
    assert not [f for _b, _a, f in dash.visible_findings() if f.code.startswith("C")]


def test_dashboard_line_opens_the_checklist_item(main_window: Any, qtbot: Any) -> None:
    dash = main_window.sections["dashboard"]
    main_window.show_section("dashboard")
    dash.as_of.set_value(D(2026, 11, 22))
    dash.ensure_fresh()
    c01 = next(f for _b, _a, f in dash.visible_findings() if f.code == "C01")
    dash.open_finding(c01)
    sec = main_window.current_section()
    assert sec.key == "checklist"
    assert sec.current is not None and sec.current.item.key == "5"
    t01 = next(f for _b, _a, f in dash.visible_findings() if f.code == "T01")
    dash.open_finding(t01)
    assert main_window.current_section().key == "branch"
    assert main_window.sections["branch"].tabs.currentIndex() == 2


def test_dashboard_charts_skip_missing_modules(ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> None:
    from db import glance  # the charts' data (drawn by desktop/sections/glance.py)

    real = glance._module
    monkeypatch.setattr(glance, "_module", lambda name: None if name != "db.checklists" else real(name))
    charts = glance.year_glance(ledger, 2026, D(2026, 11, 22))
    assert [c.key for c in charts] == ["checklist"]


def test_tick_an_item_with_a_photo(main_window: Any, qtbot: Any, tmp_path: Path) -> None:
    sec = main_window.sections["checklist"]
    main_window.show_section("checklist")
    sec.year.setValue(2026)
    sec.refresh()
    assert sec.table.select_where(lambda r: r.item.key == "1.5")
    assert sec.status() == "partly"
    assert sec.rect_box.isVisibleTo(sec)
    sec.set_status("met")
    sec.evidence.setPlainText("已续订《支部生活》，补充了学习资料")
    sec.checked_on.set_value(D(2026, 11, 20))
    sec.rect_done.set_value(D(2026, 11, 20))
    sec.add_photo_files([png_file(tmp_path / "书报架.png")])
    qtbot.keyClick(
        sec, "s", modifier=__import__("PySide6.QtCore", fromlist=["Qt"]).Qt.KeyboardModifier.ControlModifier
    )
    r = checklists.results(main_window.ledger, 2026)["1.5"]
    assert r.status == "met" and r.checked_on == D(2026, 11, 20) and "续订" in (r.evidence or "")
    pics = checklists.photos(main_window.ledger, 2026, item_key="1.5")
    assert [p.file_name for p in pics] == ["书报架.png"]
    assert sec.photo_list.count() == 1
    assert not [f for f in findings.check(main_window.ledger, D(2026, 11, 22)) if f.code == "C02"]
    row = next(r for r in sec.model.rows if r.item.key == "1.5")
    assert row.photo_count == 1 and row.result.status_label == "达标"


def test_checklist_import_from_the_screen(main_window: Any, tmp_path: Path) -> None:
    sec = main_window.sections["checklist"]
    main_window.show_section("checklist")
    sec.year.setValue(2027)
    d = checklists.default_definition(2027)
    d.name = "五个一"
    d.items = d.items[1:]
    path = checklists.export_definition(d, tmp_path / "五个一.json")
    sec.import_file(path)
    assert sec.checklist_name() in ("五个一", "六个一")
    sec.name.setCurrentText("五个一")
    sec.refresh()
    assert [r.item.key for r in sec.model.rows] == ["2", "3", "4", "5", "6"]


def test_election_dialog_live_verdict(main_window: Any, qtbot: Any) -> None:
    from desktop.sections.branch import ElectionDialog

    led = main_window.ledger
    e = checklists.list_elections(led)[0]
    dlg = ElectionDialog(e, [(m, str(m)) for m in range(1, 37)], [], "four_fifths_inclusive")
    qtbot.addWidget(dlg)
    dlg.expected.setValue(20)
    dlg.present.setValue(16)  # exactly 4/5
    assert "符合要求" in dlg.quorum.text()
    dlg.present.setValue(15)
    assert "不足" in dlg.quorum.text()
    dlg.present.setValue(16)
    dlg.cands.cellWidget(0, 1).setValue(8)  # exactly half of 16
    assert dlg.cands.cellWidget(0, 5).text() == "未当选"
    dlg.cands.cellWidget(0, 1).setValue(9)
    dlg.cands.cellWidget(0, 2).setValue(0)
    dlg.cands.cellWidget(0, 3).setValue(0)
    assert dlg.cands.cellWidget(0, 5).text() == "当选"
    strict = ElectionDialog(e, [(m, str(m)) for m in range(1, 37)], [], "four_fifths_strict")
    qtbot.addWidget(strict)
    strict.expected.setValue(20)
    strict.present.setValue(16)
    assert "不足" in strict.quorum.text()


def test_branch_profile_saves(main_window: Any) -> None:
    from db import branch

    sec = main_window.sections["branch"]
    main_window.show_section("branch")
    sec.f_park.setText("松江综合保税区")
    sec.save()
    assert branch.get_branch(main_window.ledger).park == "松江综合保税区"
    assert "正式党员" in sec.setup_note.text() and "应设立支部委员会" in sec.setup_note.text()


def test_dashboard_line_of_an_orglife_finding_opens_its_tab(main_window: Any, qtbot: Any) -> None:
    """An O-finding names a member but is fixed on the 组织生活 screen, on its own tab — not in the roster."""
    dash = main_window.sections["dashboard"]
    main_window.show_section("dashboard")
    dash.as_of.set_value(D(2026, 11, 22))
    dash.ensure_fresh()
    shown = {f.code: f for _b, _a, f in dash.visible_findings() if f.code.startswith("O")}
    assert shown, "the demo has 组织生活 findings"
    sec = main_window.sections["orglife"]
    tabs = {"O01": "appraisal", "O02": "appraisal", "O03": "appraisal", "O04": "talks", "O05": "talks"}
    tabs |= {"O06": "study", "O07": "rectify"}
    for code, f in shown.items():
        dash.open_finding(f)
        assert main_window.current_section().key == "orglife", code
        assert sec.tabs.currentWidget() is getattr(sec, tabs[code]), code
