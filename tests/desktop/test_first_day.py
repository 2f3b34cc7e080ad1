"""The first day of a real branch (issue #15 §1, §3 and the Measure): 新建支部 asks where the electronic ledger
starts; the 工作台 shows the 建账步骤 ticked from the data; the 党费 期初 grid takes bases and 党费已交至 pasted from
Excel; and a scripted first day for a 30-member branch reaches a 工作台 with no false findings, counting the
user's actions on the way."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication

from db import branch, dues, members, opening
from db.connection import open_ledger
from db.findings import check
from db.rules import meetings as mrules
from tests.roster_data import person, write_sheet

D = dt.date
TODAY = D(2026, 11, 22)
SHOTS = Path("/tmp/first-day-shots")


def _app(tmp_path: Path) -> Any:
    from desktop.app import App

    args = argparse.Namespace(db=None, demo=False, data_dir=str(tmp_path / "data"), self_test=False)
    return App(QApplication.instance(), args)


def _shot(w: Any, name: str, size: QSize | None = None) -> None:
    SHOTS.mkdir(exist_ok=True)
    if size is not None:
        w.resize(size)
    QApplication.processEvents()
    w.grab().save(str(SHOTS / f"{name}.png"))


def _people(n: int) -> list[dict[str, Any]]:
    """n members with distinct names (the generator repeats a name every 20)."""
    out = []
    for i in range(1, n + 1):
        p = person(i)
        if i > 20:
            p["name"] += "华"
        out.append(p)
    return out


@pytest.fixture
def styled(qapp: Any) -> Iterator[None]:
    """The app's font, palette and style sheet (what the secretary sees), put back after the test."""
    from desktop import style

    saved = (qapp.font(), qapp.palette(), qapp.styleSheet())
    style.apply(qapp)
    yield
    qapp.setFont(saved[0])
    qapp.setPalette(saved[1])
    qapp.setStyleSheet(saved[2])


def _roster_sheet(path: Path, n: int = 30) -> Path:
    people = _people(n)
    rows = [
        [
            p["name"],
            "男" if p["gender"] == "male" else "女",
            p["id"],
            p["birth"],
            p["joined"],
            p["full"],
            p["category"],
            p["phone"],
            p["group"],
        ]
        for p in people
    ]
    return write_sheet(
        path,
        ["姓名", "性别", "身份证号", "出生日期", "入党时间", "转正时间", "人员类别", "手机号", "党小组"],
        rows,
        title_rows=[["中共示例科技有限公司支部委员会党员花名册"]],
    )


# ------------------------------------------------------------------------------------------ 新建支部


def test_new_branch_asks_the_start_date_with_this_month_as_default(qtbot, tmp_path: Path) -> None:
    from desktop.welcome import NewBranchDialog

    dlg = NewBranchDialog()
    qtbot.addWidget(dlg)
    assert dlg.records_start.value() == D(2026, 11, 1)
    dlg.name.setText("中共测试支部")
    dlg.records_start.set_value(D(2026, 12, 1))
    dlg._accept()
    assert "不能晚于今天" in dlg.error.text() and not dlg.result()
    dlg.records_start.set_value(D(2026, 7, 1))
    dlg._accept()
    assert dlg.result() and dlg.details()["records_start_on"] == D(2026, 7, 1)
    app = _app(tmp_path)
    assert app.create_new(dlg.details(), None)
    qtbot.addWidget(app.window)
    assert opening.records_start(app.ledger) == D(2026, 7, 1)
    # one operation: one undo takes the branch and its start away together
    assert [r[0] for r in app.ledger.query("SELECT name FROM ops")][-1] == "CreateBranch"
    app.window.close()


def test_settings_move_the_start_earlier_and_clear_it(qtbot, ledger, sync_tasks) -> None:
    from desktop.mainwindow import MainWindow

    opening.set_records_start(ledger, D(2026, 11, 1))
    w = MainWindow(ledger)
    qtbot.addWidget(w)
    w.show()
    w.show_section("settings")
    s = w.sections["settings"]
    assert s.records_start.value() == D(2026, 11, 1)
    s.records_start.set_value(D(2025, 1, 1))
    s.save()
    assert opening.records_start(ledger) == D(2025, 1, 1)
    s.records_start.set_value(None)
    s.save()
    assert opening.records_start(ledger) is None


# ------------------------------------------------------------------------------------------ 期初 grid


def _small_branch(ledger: Any, n: int = 3) -> list[int]:
    ids = []
    for p in _people(n):
        ids.append(
            members.add(ledger, members.Member(name=p["name"], joined_on=D(2015, 1, 1), category="full"))
        )
    return ids


def test_opening_grid_takes_a_pasted_sheet_by_name_and_saves_in_one_operation(
    qtbot, ledger, sync_tasks
) -> None:
    from desktop.mainwindow import MainWindow

    ids = _small_branch(ledger)
    names = {i: members.get(ledger, i).name for i in ids}
    opening.set_records_start(ledger, D(2026, 11, 1))
    w = MainWindow(ledger)
    qtbot.addWidget(w)
    w.show()
    w.show_section("dues")
    sec = w.sections["dues"]
    sec.tabs.setCurrentWidget(sec.opening_page)
    a, b, c = ids
    text = (
        "序号\t姓名\t税后月工资\t党费交至\t最近一次组织生活\n"
        f"1\t{names[c]}\t8000\t2026.10\t2026-10-20\n"
        f"2\t{names[a]}\t3000\t2026年6月\t\n"
        "3\t不在册的人\t3000\t2026.10\t\n"
    )
    problems = sec.paste_text(text)
    assert problems == ["粘贴的第4行：“不在册的人”不在花名册中"]
    ops_before = ledger.scalar("SELECT count(*) FROM ops")
    # b has no base typed: saved without one; bases for a and c fixed, 已交至 for a and c
    assert sec.save_openings()
    assert ledger.scalar("SELECT count(*) FROM ops") == ops_before + 1
    got = opening.openings_by_member(ledger)
    assert got[a].dues_paid_through == "2026-06" and got[c].dues_paid_through == "2026-10"
    assert got[c].last_org_life_on == D(2026, 10, 20) and b not in got
    book = dues.DuesBook(ledger)
    assert book.base_for(c, 2026 * 12 + 10).amount == Decimal("120.00")  # 8000 × 1.5%
    # the fixed rows are read-only now; the grid shows what was saved
    sec.ensure_fresh()
    row_c = next(i for i, r in enumerate(sec.opening_rows) if r.member_id == c)
    assert "每月120.00元" in sec.opening_table.item(row_c, 1).text()
    # a bad month is named by row and column, nothing written
    row_b = next(i for i, r in enumerate(sec.opening_rows) if r.member_id == b)
    sec.opening_table.item(row_b, 4).setText("去年十月")
    shown: list[str] = []
    import desktop.sections.dues.opening as mod

    mod.show_error = lambda _p, e, *_a: shown.append(str(e))  # type: ignore[assignment]
    try:
        assert not sec.save_openings()
    finally:
        from desktop.dialogs import show_error

        mod.show_error = show_error  # type: ignore[assignment]
    assert (
        shown and "党费已交至" in shown[0] and f"第 {row_b + 1} 行" in shown[0] or f"{row_b + 1}" in shown[0]
    )
    assert b not in opening.openings_by_member(ledger)
    # the collect grid shows 期初 / 期初已交, not 未交
    from desktop.sections.dues.models import _grid_text

    row = next(r for r in sec.rows if r.member_id == a)
    assert _grid_text(row.months[4]) == "期初已交"  # May, paid through June
    assert _grid_text(row.months[7]) == "未交"  # August: a real arrear known from paper
    row = next(r for r in sec.rows if r.member_id == b)
    assert _grid_text(row.months[9]) == "期初"  # October, before the start, 已交至 unknown


# ------------------------------------------------------------------------------------------ the measure


class Actions:
    """What the secretary does, one count per click, typed field, choice or key."""

    def __init__(self) -> None:
        self.n = 0
        self.log: list[str] = []

    def __call__(self, what: str, n: int = 1) -> None:
        self.n += n
        self.log.append(f"{n} {what}")


def test_first_day_of_a_30_member_branch_reaches_a_true_dashboard(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sync_tasks: None, styled: None
) -> None:
    from desktop import roster_import_dialog
    from desktop.sections.branch.terms import TermDialog
    from desktop.welcome import NewBranchDialog

    act = Actions()
    sheet = _roster_sheet(tmp_path / "花名册.xlsx")
    app = _app(tmp_path)
    app.start()
    qtbot.addWidget(app.welcome)
    # 1. 新建支部: name, 上级党组织; the start date's default (1 November) is kept
    act("点“新建支部”")
    dlg = NewBranchDialog(app.welcome)
    qtbot.addWidget(dlg)
    dlg.name.setText("中共示例科技有限公司支部委员会")
    act("填支部全称")
    dlg.upper.setText("中共示例园区综合党委")
    act("填上级党组织")
    dlg.ok.click()
    act("点“建立台账”")
    assert dlg.result()
    assert app.create_new(dlg.details(), app.welcome)
    w = app.window
    qtbot.addWidget(w)
    led = app.ledger
    dash = w.sections["dashboard"]
    w.show_section("dashboard")
    dash.ensure_fresh()
    assert dash.setup.isVisible() and not dash.start.isVisible()
    done = {s.key for s in dash.setup.steps if s.done}
    assert done == {"branch", "start"} and dash.setup.next.key == "roster"
    _shot(w, "1-new-ledger-1093x614", QSize(1093, 614))

    # 2. 花名册: the step opens the import; the file is chosen; 导入
    monkeypatch.setattr(roster_import_dialog.QFileDialog, "getOpenFileName", lambda *a, **k: (str(sheet), ""))

    def import_exec(self: Any) -> int:
        assert self.checked is not None and not self.checked.errors, self.checked and self.checked.errors
        self.import_btn.click()
        act("点“导入 30 名党员”")
        return 1

    monkeypatch.setattr(roster_import_dialog.RosterImportDialog, "exec", import_exec)
    act("点建账步骤“花名册”")
    act("在文件对话框中双击花名册文件")
    dash.setup.buttons["roster"].click()
    assert len(members.names(led)) == 30
    w.show_section("dashboard")
    dash.ensure_fresh()
    assert dash.setup.next.key == "committee"

    # 3. 支委会: 选举日期, 任期开始, three seats (add, name, 职务)
    roster = {m.name: m.id for m in members.list_members(led)}
    people = list(roster.items())

    def term_exec(self: Any) -> int:
        if getattr(self, "_done", False):
            return 0
        self._done = True
        self.elected.set_value(D(2024, 6, 15))
        act("填选举日期")
        self.starts.set_value(D(2024, 6, 15))
        act("填任期开始")
        for k, role in enumerate(("secretary", "organization", "propaganda")):
            self._add_seat(branch.Seat(member_id=0, role="member"))
            act("点“添加成员”")
            combo = self.seats.cellWidget(k, 0)
            combo.setCurrentIndex(combo.findData(people[k][1]))
            act("选成员")
            rc = self.seats.cellWidget(k, 1)
            rc.setCurrentIndex(rc.findData(role))
            act("选职务")
        act("点“保存”")
        return 1

    monkeypatch.setattr(TermDialog, "exec", term_exec)
    act("点建账步骤“支委会/书记”")
    dash.setup.buttons["committee"].click()
    assert branch.term_on(led, TODAY) is not None
    w.show_section("dashboard")
    dash.ensure_fresh()
    assert dash.setup.next.key == "dues"

    # 4. 党费基数和已交至: copy three columns in her Excel, paste into the 期初 grid, save
    lines = ["姓名\t税后月工资\t党费交至"]
    behind = people[4][0]  # paid on paper only through June: a real arrear
    for k, (name, _mid) in enumerate(people):
        lines.append(f"{name}\t{3000 + 100 * k}\t{'2026.6' if name == behind else '2026年10月'}")
    QApplication.clipboard().setText("\n".join(lines) + "\n")
    act("在 Excel 中选中姓名、工资、党费交至三列并复制", 2)
    dash.setup.buttons["dues"].click()
    act("点建账步骤“党费基数和已交至”")
    sec = w.sections["dues"]
    assert sec.tabs.currentWidget() is sec.opening_page
    sec.opening_table.setCurrentCell(0, 0)
    act("点表格")
    sec.paste_openings()
    act("Ctrl+V")
    _shot(w, "2-opening-grid-1093x614")
    assert sec.save_openings()
    act("点“保存期初数据”")

    # 5. 发展党员: none in this branch
    w.show_section("dashboard")
    dash.ensure_fresh()
    assert dash.setup.next.key == "development"
    _shot(w, "3-setup-almost-done-1093x614")
    dash.setup.skip_btn.click()
    act("点“没有，跳过”")

    # the 工作台: the 建账步骤 are done and gone; only what is really due
    dash.ensure_fresh()
    assert not dash.setup.isVisible()
    _shot(w, "4-true-dashboard-1093x614")
    found = check(led, TODAY)
    by_code: dict[str, list[Any]] = {}
    for f in found:
        by_code.setdefault(f.code, []).append(f)
    # November's 支委会 and 主题党日 are still to be held (true); the member paid only through June is 4 months
    # behind (true, from paper); nothing else — no meetings "missing" before 1 November, no 未交 January–October
    assert set(by_code) <= {"M11", "P02"}, [(f.code, f.message) for f in found]
    assert {f.period for f in by_code["M11"]} <= {"2026-11"}
    assert [f.subject_name for f in by_code["P02"]] == [behind] and "4 个月" in by_code["P02"][0].message
    assert not [f for f in found if f.severity == "error"]
    grid = w.sections["meetings"]
    w.show_section("meetings")
    grid.ensure_fresh()
    rows = {r.kind: r for r in grid.grid.rows}
    assert next(c for c in rows["assembly"].cells if c.period.key == "2026-Q4").state == mrules.PAPER
    assert next(c for c in rows["theme_day"].cells if c.period.key == "2026-10").state == mrules.PAPER
    _shot(w, "5-year-grid-1093x614")
    print(f"\nfirst day, 30 members: {act.n} user actions")
    for line in act.log:
        print("  ", line)
    assert act.n <= 60
    (tmp_path / "actions.txt").write_text(str(act.n))
    w.close()


# ------------------------------------------------------------------------------------------ fit


@pytest.mark.parametrize("size", [QSize(1093, 614), QSize(1280, 720), QSize(1366, 768)])
def test_dashboard_with_the_setup_steps_fits(
    qtbot, tmp_path: Path, sync_tasks: None, styled: None, size: QSize
) -> None:
    from desktop import fit
    from desktop.mainwindow import MainWindow
    from tests.desktop.test_fit import fit_problems, settle

    fit.set_state_file(tmp_path / "window-state.ini")
    led = open_ledger(tmp_path / "new.sqlite", create=True)
    branch.save_branch(led, branch.Branch(name="中共首次使用科技有限公司支部委员会", upper_org="园区党委"))
    opening.set_records_start(led, D(2026, 11, 1))
    _small_branch(led, 12)
    try:
        w = MainWindow(led)
        qtbot.addWidget(w)
        w.show()
        w.resize(size)
        for key in ("dashboard", "dues"):
            w.show_section(key)
            if key == "dues":
                w.sections["dues"].tabs.setCurrentWidget(w.sections["dues"].opening_page)
            settle()
            assert w.size() == size
            problems = fit_problems(w, min_rows=3)
            assert not problems, f"{key} at {size}:\n" + "\n".join(problems)
            scroll = w.stack.currentWidget()
            assert scroll.verticalScrollBar().maximum() == 0, f"{key} scrolls at {size}"
            _shot(w, f"fit-{key}-{size.width()}x{size.height()}")
        assert not w.sections["dashboard"].setup.isHidden()
        w.close()
    finally:
        led.close()


def test_while_setting_up_the_next_steps_findings_come_first_and_the_rest_fold(
    qtbot, ledger, sync_tasks: None
) -> None:
    from desktop.mainwindow import MainWindow

    opening.set_records_start(ledger, D(2026, 11, 1))
    branch.save_branch(ledger, branch.Branch(name="中共测试科技有限公司支部委员会"))
    _small_branch(ledger, 8)  # 8 正式党员, no committee: T03; no bases: P01 × 8
    w = MainWindow(ledger)
    qtbot.addWidget(w)
    w.show()
    dash = w.sections["dashboard"]
    dash.ensure_fresh()
    assert dash.setup.next.key == "branch"  # 上级党组织 not filled: that screen first, nothing folded
    assert all(
        dash.tree.topLevelItem(0).child(j).isExpanded() for j in range(dash.tree.topLevelItem(0).childCount())
    )
    branch.save_branch(ledger, branch.Branch(name="中共测试科技有限公司支部委员会", upper_org="测试园区党委"))
    dash.ensure_fresh()
    assert dash.setup.next.key == "committee"
    overdue = dash.tree.topLevelItem(0)
    areas = [overdue.child(j) for j in range(overdue.childCount())]
    assert areas[0].text(0).startswith("组织建设") and areas[0].isExpanded()
    assert all(not a.isExpanded() for a in areas[1:])
    # the step opens its screen: 党费 on its 期初 page
    dash.setup.buttons["dues"].click()
    assert w.current_section() is w.sections["dues"]
    assert w.sections["dues"].tabs.currentWidget() is w.sections["dues"].opening_page
    # "没有，跳过" is offered only for a step that may be answered so
    w.show_section("dashboard")
    assert not dash.setup.skip_btn.isVisibleTo(dash.setup)
    opening.skip_step(ledger, "development")
    dash.ensure_fresh()
    assert dash.setup.step("development").done


def test_a_ledger_without_a_start_date_shows_no_setup_steps(qtbot, main_window) -> None:
    dash = main_window.sections["dashboard"]
    dash.ensure_fresh()
    assert dash.setup.isHidden()
