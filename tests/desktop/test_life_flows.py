"""流动党员, 奖惩, 关怀 (issue #18) driven through the 组织生活 section's tabs (offscreen): an 外出 with its contact,
the month paid at the 流入地, a refused 优秀共产党员 for a 预备党员 (the Chinese message shown, nothing saved), a
留党察看, the care register and a visit; the tabs looked at at 1093×614."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from db import care, honors, mobility
from db.connection import Ledger
from desktop.sections.orglife.recordform import RecordDialog
from tests.orglife_data import add_committee, add_members

D = dt.date


@pytest.fixture
def branch_window(qtbot: Any, ledger: Ledger, sync_tasks: None) -> Any:
    from desktop.mainwindow import MainWindow

    ids = add_members(ledger, 6, 1, prob_joined=D(2026, 5, 1))
    add_committee(ledger, ids[:3])
    w = MainWindow(ledger)
    qtbot.addWidget(w)
    w.show()
    return w


def drive(monkeypatch: Any, values: dict[str, Any], errors: list[str]) -> None:
    """The next RecordDialog: fill `values` in and press 保存; a refusal is collected, the dialog stays."""

    def fake_exec(dlg: RecordDialog) -> int:
        for k, v in values.items():
            dlg.set_value(k, v)
        dlg.save()
        return int(dlg.result())

    monkeypatch.setattr(RecordDialog, "exec", fake_exec)
    monkeypatch.setattr(
        "desktop.sections.orglife.recordform.show_error", lambda _p, e, *_a: errors.append(str(e))
    )


def test_outing_contact_and_dues_elsewhere(branch_window: Any, monkeypatch: Any) -> None:
    w = branch_window
    w.show_section("orglife")
    sec = w.sections["orglife"]
    sec.tabs.setCurrentWidget(sec.mobility)
    tab = sec.mobility
    errors: list[str] = []
    mid = 4
    drive(
        monkeypatch,
        {"member_id": mid, "left_on": D(2026, 3, 1), "destination": "江苏省苏州市", "card_no": "A-1"},
        errors,
    )
    sec.new_item()  # Ctrl+N on the tab
    assert errors == []
    assert [o.destination for o in mobility.list_outings(w.ledger)] == ["江苏省苏州市"]
    assert tab.model.rowCount() == 1
    tab.table.select_where(lambda o: o is not None)
    drive(monkeypatch, {"contacted_on": D(2026, 6, 1), "way": "online", "log_note": "视频联系"}, errors)
    tab.add_contact()
    assert tab.contacts.rowCount() == 1
    drive(monkeypatch, {"months": "2026-04 2026-05", "place": "流入地支部"}, errors)
    tab.dues_elsewhere()
    assert [m.month for m in mobility.list_elsewhere(w.ledger)] == ["2026-04", "2026-05"]
    drive(monkeypatch, {"months": "2026-01"}, errors)  # before leaving: refused, shown
    tab.dues_elsewhere()
    assert errors and "没有外出记录" in errors[-1]
    assert "在外流动党员1人" in tab.hint.text()


def test_award_refused_for_a_probationary_member_then_probation(branch_window: Any, monkeypatch: Any) -> None:
    w = branch_window
    w.show_section("orglife")
    sec = w.sections["orglife"]
    sec.tabs.setCurrentWidget(sec.honors)
    tab = sec.honors
    errors: list[str] = []
    prob = 7
    drive(monkeypatch, {"member_id": prob, "kind": "excellent_member", "awarded_on": D(2026, 6, 28)}, errors)
    tab.add_award()
    assert errors and "只能授予正式党员" in errors[0]
    assert honors.list_awards(w.ledger) == []
    errors.clear()
    drive(monkeypatch, {"member_id": 5, "kind": "probation", "decided_on": D(2026, 9, 1)}, errors)
    tab.add_sanction()
    assert errors == [] and honors.probation_ids(w.ledger, D(2026, 11, 22)) == {
        5: "留党察看期间，没有表决权、选举权和被选举权"
    }
    assert tab.model.rowCount() == 1 and "察看中" in tab.model.index(0, 4).data()
    w.ledger.undo_last()
    assert tab.model.rowCount() == 0


def test_care_register_and_visit(branch_window: Any, monkeypatch: Any) -> None:
    w = branch_window
    w.show_section("orglife")
    sec = w.sections["orglife"]
    sec.tabs.setCurrentWidget(sec.care)
    tab = sec.care
    errors: list[str] = []
    drive(
        monkeypatch, {"member_id": 6, "category": "elderly", "since": D(2026, 1, 1), "exempt": True}, errors
    )
    tab.add_entry()
    assert care.list_register(w.ledger)[0].exempt
    tab.entry_table.select_where(lambda e: e is not None)
    drive(
        monkeypatch,
        {"visited_on": D(2026, 6, 30), "occasion": "july1", "way": "money", "amount": "300"},
        errors,
    )
    tab.add_visit()
    assert errors == [] and care.list_visits(w.ledger)[0].amount == "300.00"
    assert tab.visits.rowCount() == 1 and "2026年走访慰问（1人次）" in tab.visits_label.text()


@pytest.mark.parametrize("index", [4, 5, 6])
def test_tabs_on_the_demo_at_1093x614(main_window: Any, qtbot: Any, index: int, tmp_path: Path) -> None:
    w = main_window
    w.resize(1093, 614)
    w.show_section("orglife")
    sec = w.sections["orglife"]
    sec.tabs.setCurrentIndex(index)
    qtbot.wait(10)
    tab = sec.tabs.currentWidget()
    assert tab.isVisible()
    tables = [
        t for t in (getattr(tab, n, None) for n in ("table", "entry_table", "visit_table")) if t is not None
    ]
    assert all(t.model().rowCount() > 0 for t in tables)  # the demo shows each kind
    out = tmp_path / f"life-{index}.png"
    w.grab().save(str(out))
    assert out.stat().st_size > 0
    if index == 4:
        assert tab.lost_table.model().rowCount() == 1 and "应转移组织关系" in tab.hint.text()
    if index == 5:
        assert "留党察看" in "".join(str(tab.model.index(r, 3).data()) for r in range(tab.model.rowCount()))


def test_a_finding_on_the_dashboard_opens_its_tab(main_window: Any) -> None:
    from db import findings

    w = main_window
    found = {f.code: f for f in findings.check(w.ledger, D(2026, 12, 1)) if f.code.startswith("L")}
    assert {"L02", "L03", "L04", "L05", "L07"} <= set(found)
    w.show_section("dashboard")
    dash = w.sections["dashboard"]
    sec = None
    for code, tab_name in (("L03", "mobility"), ("L05", "honors"), ("L07", "care")):
        dash.open_finding(found[code])
        sec = w.sections["orglife"]
        assert sec.tabs.currentWidget() is getattr(sec, tab_name)
    assert sec is not None
    row = sec.care.entry_table.current_row()
    assert row is not None and row.member_id == found["L07"].subject_id


def test_member_form_shows_the_life_line(main_window: Any) -> None:
    from db import members
    from desktop.sections.roster.form import MemberDialog

    w = main_window
    away = mobility.away_on(w.ledger, D(2026, 11, 22))[0]
    dlg = MemberDialog(w.ledger, members.get(w.ledger, away.member_id), w)
    assert "外出流动" in dlg.life_note.text() and away.destination in dlg.life_note.text()
    prob = next(iter(honors.probation_ids(w.ledger, D(2026, 11, 22))))
    dlg2 = MemberDialog(w.ledger, members.get(w.ledger, prob), w)
    assert "留党察看" in dlg2.life_note.text()
    dlg.deleteLater()
    dlg2.deleteLater()
