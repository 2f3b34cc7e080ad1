"""园区工作 (issue #19 items 3–5) driven through its real widgets over the demo branch, offscreen: designate a
示范岗 and see it on the member, build and finalise a 总结, score a year and click a gap."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from db import clock, members, plans, posts
from db.posts import Post

D = dt.date


def current_key(w: Any) -> str:
    return list(w.sections)[w.nav.currentRow()]


def test_designate_a_post_and_see_it_on_the_member(main_window: Any, qtbot: Any) -> None:
    from desktop.sections.park import PostDialog
    from desktop.sections.roster.form import MemberDialog

    w = main_window
    w.show_section("park")
    sec = w.sections["park"]
    sec.tabs.setCurrentWidget(sec.posts)
    before = sec.posts.model.rowCount()
    today = clock.today()
    on_roster = [r.member for r in members.roster_on(w.ledger, today)]
    who = next(m for m in on_roster if not posts.posts_of_member(w.ledger, m.id))
    dlg = PostDialog(w.ledger, Post("model", "", today), sec.posts)
    qtbot.addWidget(dlg)
    dlg.kind.setCurrentIndex(dlg.kind.findData("area"))
    dlg.name.setText("一号楼党员责任区")
    dlg.set_holders([who.id])
    dlg.pledge.setPlainText("责任区内安全生产无事故")
    dlg.save()
    assert dlg.result() == dlg.DialogCode.Accepted
    sec.ensure_fresh()
    assert sec.posts.model.rowCount() == before + 1
    assert sec.posts.table.select_where(lambda p: p is not None and p.name == "一号楼党员责任区")
    assert sec.posts.table.current_row().member_ids == [who.id]
    # on the roster: the column and the member's dialog
    w.show_section("roster")
    roster = w.sections["roster"]
    assert roster.posts[who.id] == "一号楼党员责任区"
    md = MemberDialog(w.ledger, who, roster)
    qtbot.addWidget(md)
    assert "党员责任区“一号楼党员责任区”" in md.posts_note.text() and "在岗" in md.posts_note.text()


def test_a_post_dialog_refuses_without_members(main_window: Any, qtbot: Any, monkeypatch: Any) -> None:
    from desktop.sections.park import PostDialog

    shown: list[str] = []
    monkeypatch.setattr("desktop.sections.park.posts_tab.show_error", lambda _p, e, *a: shown.append(str(e)))
    dlg = PostDialog(main_window.ledger, Post("model", "", clock.today()), main_window)
    qtbot.addWidget(dlg)
    dlg.name.setText("示范岗")
    dlg.save()
    assert dlg.result() != dlg.DialogCode.Accepted and "请至少选择一名责任党员" in shown[0]


def test_build_write_and_finalise_a_summary(main_window: Any, qtbot: Any, tmp_path: Path) -> None:
    w = main_window
    w.setProperty("quiet_exports", True)
    w.show_section("park")
    sec = w.sections["park"]
    sec.set_year(2026)
    tab = sec.plans
    sec.tabs.setCurrentWidget(tab)
    tab.kind.setCurrentIndex(tab.kind.findData("summary"))
    assert "尚未生成" in tab.state.text() and not tab.final_btn.isEnabled()
    qtbot.mouseClick(tab.build_btn, Qt.MouseButton.LeftButton)
    stored = plans.get_plan(w.ledger, 2026, "summary")
    assert stored is not None and not stored.frozen
    assert tab.final_btn.isEnabled()
    # the facts are shown, not editable; the secretary writes under a heading
    tab.headings.setCurrentRow(1)
    assert tab.facts.rowCount() == len(stored.sections[1].facts)
    assert tab.facts.item(0, 1).toolTip().startswith("来源：meetings.year_summary")
    tab.text.setPlainText("全年组织生活按计划开展。")
    qtbot.mouseClick(tab.save_btn, Qt.MouseButton.LeftButton)
    assert plans.get_plan(w.ledger, 2026, "summary").sections[1].text == "全年组织生活按计划开展。"  # type: ignore[union-attr]
    tab.finalize(ask=False)
    final = plans.get_plan(w.ledger, 2026, "summary")
    assert final is not None and final.frozen
    assert tab.text.isReadOnly() and not tab.build_btn.isEnabled() and "定稿" in tab.state.text()
    out = tab.export("docx", tmp_path / "总结.docx")
    assert out is not None and out.stat().st_size > 5000
    pdf = tab.export("pdf", tmp_path / "总结.pdf")
    assert pdf is not None and pdf.read_bytes()[:4] == b"%PDF"


def test_score_a_year_and_click_a_gap(main_window: Any, qtbot: Any, monkeypatch: Any) -> None:
    from desktop.sections.park import score_tab

    w = main_window
    w.show_section("park")
    sec = w.sections["park"]
    sec.set_year(2025)
    tab = sec.score
    sec.tabs.setCurrentWidget(tab)
    assert "示例，非正式标准" in tab.summary.text() and "得分" in tab.summary.text()
    assert tab.score is not None and tab.score.gaps
    gap = next(g for g in tab.score.gaps if g.item.key == "2")  # 支部委员会: 11 of 12 months in the demo
    assert "已召开11次" in gap.evidence.detail
    assert tab.table.select_where(lambda s: s is not None and s.item.key == "2")
    qtbot.mouseClick(tab.fix_btn, Qt.MouseButton.LeftButton)
    assert current_key(w) == "meetings"
    # a manual item opens its check; saving it changes the score
    w.show_section("park")
    manual = next(s for s in tab.score.items if s.item.evidence == "manual")
    total = tab.score.total
    opened: list[Any] = []

    def fake_exec(dlg: Any) -> int:
        opened.append(dlg)
        dlg.met.setCurrentIndex(dlg.met.findData(False))
        dlg.save()
        return dlg.result()

    monkeypatch.setattr(score_tab.CheckDialog, "exec", fake_exec)
    tab.table.activated_row.emit(manual)
    sec.ensure_fresh()
    assert opened and tab.score.total == total - manual.item.points


def test_unsaved_words_survive_a_change_made_elsewhere(main_window: Any, qtbot: Any) -> None:
    w = main_window
    w.show_section("park")
    sec = w.sections["park"]
    sec.set_year(2026)
    tab = sec.plans
    sec.tabs.setCurrentWidget(tab)
    qtbot.mouseClick(tab.build_btn, Qt.MouseButton.LeftButton)
    tab.headings.setCurrentRow(0)
    tab.text.setPlainText("还没保存的一段话")
    scorecards_tab = sec.score
    sec.tabs.setCurrentWidget(scorecards_tab)
    scorecards_tab.use_example()  # a change: the section reloads
    sec.tabs.setCurrentWidget(tab)
    sec.ensure_fresh()
    tab.headings.setCurrentRow(0)
    assert tab.text.toPlainText() == "还没保存的一段话"
