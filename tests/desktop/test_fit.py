"""Issue #14: every screen fits the laptop it runs on.

Every section (and its tabs, the meeting editor, a person's timeline…) and every dialog the app opens is laid out
offscreen on the logical screens secretaries have — 1280×720 (1920×1080 at 150%), 1093×614 (1366×768 at 125%),
1366×768 (100%) and 911×512 (1366×768 at 150%; 895×433 once the taskbar and the title bar are taken) — and its
widget tree is walked (fitcheck.py): nothing clipped, outside its parent or overlapping, lists show their rows.
On the three first screens a section also fits without scrolling; at 150% it may scroll, but stays usable. Windows open inside the free area of the screen and remember their size,
position and splitters (desktop/fit.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QRect, QSize, Qt
from PySide6.QtWidgets import QApplication, QDialog, QWidget

import resources
from db import (
    appraisals,
    branch,
    checklists,
    guide_lists,
    interchange,
    meetings,
    members,
    posts,
    projects,
    scorecards,
    study,
    talks,
    transfers,
)
from db import development as dev
from db.connection import open_ledger
from db.rectifications import Rectification
from desktop import fit
from tests.desktop.fitcheck import fit_problems

SIZES = {
    "1280x720": QSize(1280, 720),
    "1093x614": QSize(1093, 614),
    "1366x768": QSize(1366, 768),
    "911x512": QSize(911, 512),
    # what the main window really gets there: the screen less the taskbar (40) and the title bar and frame
    "895x433": QSize(895, 433),
}
# on these a section shows everything without scrolling; on 911×512 it may scroll
NO_SCROLL = {"1280x720", "1093x614", "1366x768"}
# the screens themselves (for windows and dialogs, which are placed on them): less a 40 px taskbar
SCREENS = [k for k in SIZES if k != "895x433"]
TASKBAR = 40


def settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def dispose(w: QWidget) -> None:
    """Close and delete now, not in some later test's event loop (this module makes many windows)."""
    import gc

    w.close()
    w.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()
    gc.collect()


@pytest.fixture(scope="module")
def window(qapp, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    """One main window over the demo branch for the whole module (building it per test would take minutes),
    in the app's own font and style sheet: the sizes are the ones the secretary gets."""
    from desktop import tasks
    from desktop.mainwindow import MainWindow

    # the app's font, palette and style sheet are the suite's already (tests/desktop/conftest.py)
    folder = tmp_path_factory.mktemp("fit")
    fit.set_state_file(folder / "window-state.ini")
    tasks.SYNC = True
    led = open_ledger(folder / "demo.sqlite", create=True)
    interchange.load_file(led, resources.demo_document())
    w = MainWindow(led)
    w.show()
    settle()
    yield w
    fit.set_state_file(folder / "window-state.ini")  # the per-test file is gone by now
    dispose(w)
    led.close()
    tasks.SYNC = False


@pytest.fixture(scope="module")
def new_branch_window(window: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A branch on its first day (a name, nobody yet): every section shows its empty state."""
    from desktop.mainwindow import MainWindow

    folder = tmp_path_factory.mktemp("fit-new")
    fit.set_state_file(folder / "window-state.ini")
    led = open_ledger(folder / "new.sqlite", create=True)
    branch.save_branch(led, branch.Branch(name="中共首次使用科技有限公司支部委员会"))
    w = MainWindow(led)
    w.show()
    settle()
    yield w
    fit.set_state_file(folder / "window-state.ini")
    dispose(w)
    led.close()


# ------------------------------------------------------------------------------------------ views


def _section(key: str) -> Callable[[Any], None]:
    def show(w: Any) -> None:
        w.show_section(key)

    return show


def _tab(key: str, index: int) -> Callable[[Any], None]:
    def show(w: Any) -> None:
        w.show_section(key)
        w.sections[key].tabs.setCurrentIndex(index)

    return show


def _meeting_editor(w: Any) -> None:
    w.show_section("meetings")
    s = w.sections["meetings"]
    rows = meetings.list_meetings(w.ledger)
    # the longest heading: several kinds on one day
    row = max(rows, key=lambda r: len(r.kinds_label) + len(r.topic))
    s.open_meeting(row.id)


def _meeting_search(w: Any) -> None:
    w.show_section("meetings")
    s = w.sections["meetings"]
    s.search.setText("学习")
    s.run_search()


def _person(w: Any) -> None:
    w.show_section("development")
    s = w.sections["development"]
    for box in s.stage_lists.values():
        if box.list.count():
            box.list.setCurrentRow(0)
            return


VIEWS: dict[str, Callable[[Any], None]] = {
    "dashboard": _section("dashboard"),
    "branch/概况": _tab("branch", 0),
    "branch/党小组": _tab("branch", 1),
    "branch/支委会": _tab("branch", 2),
    "branch/选举": _tab("branch", 3),
    "roster": _tab("roster", 0),
    "roster/组织关系转接": _tab("roster", 1),
    "meetings": _section("meetings"),
    "meetings/search": _meeting_search,
    "meetings/editor": _meeting_editor,
    "orglife/民主评议": _tab("orglife", 0),
    "orglife/谈心谈话": _tab("orglife", 1),
    "orglife/学时": _tab("orglife", 2),
    "orglife/整改": _tab("orglife", 3),
    "orglife/流动党员": _tab("orglife", 4),
    "orglife/奖惩": _tab("orglife", 5),
    "orglife/关怀": _tab("orglife", 6),
    "guide/指导清单": _tab("guide", 0),
    "guide/书记项目": _tab("guide", 1),
    "dues/收缴": _tab("dues", 0),
    "dues/核定": _tab("dues", 1),
    "dues/上缴": _tab("dues", 2),
    "dues/期初": _tab("dues", 3),
    "development": _section("development"),
    "development/person": _person,
    "checklist": _section("checklist"),
    "park/示范岗": _tab("park", 0),
    "park/计划总结": _tab("park", 1),
    "park/星级自评": _tab("park", 2),
    "package": _section("package"),
    "history": _section("history"),
    "settings": _section("settings"),
}


def _leave(w: Any) -> None:
    """Back to the lists, so the next view starts from a known state."""
    s = w.sections["meetings"]
    if s.stack.currentWidget() is s.editor:
        s.editor.dirty = False
        s.back_to_list()
    if s.search.text():
        s.search.clear()
        s.run_search()


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("view", list(VIEWS))
def test_every_section_fits(window: Any, view: str, size: str) -> None:
    target = SIZES[size]
    _leave(window)
    window.resize(target)
    VIEWS[view](window)
    settle()
    assert window.size() == target, f"the main window cannot be made {size}: its minimum is larger"
    problems = fit_problems(window, min_rows=3 if size in NO_SCROLL else 2)
    assert not problems, f"{view} at {size}:\n" + "\n".join(problems)
    nav = window.nav  # every section's name in view, without scroll bars
    assert nav.verticalScrollBar().maximum() == 0 and nav.horizontalScrollBar().maximum() == 0, size
    scroll = window.stack.currentWidget()
    if size in NO_SCROLL:
        assert scroll.verticalScrollBar().maximum() == 0 and scroll.horizontalScrollBar().maximum() == 0, (
            f"{view} at {size} needs {scroll.widget().minimumSizeHint().width()}×"
            f"{scroll.widget().minimumSizeHint().height()} in {scroll.viewport().width()}×"
            f"{scroll.viewport().height()}: it scrolls"
        )


SECTION_KEYS = [
    "dashboard",
    "branch",
    "roster",
    "meetings",
    "orglife",
    "guide",
    "dues",
    "development",
    "checklist",
    "park",
    "package",
    "history",
    "settings",
]


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("key", SECTION_KEYS)
def test_every_section_of_a_new_branch_fits(new_branch_window: Any, key: str, size: str) -> None:
    """The empty states (还没有党员 — 从 Excel 导入花名册 …) wrap whole and keep their buttons."""
    w = new_branch_window
    target = SIZES[size]
    w.resize(target)
    w.show_section(key)
    settle()
    assert w.size() == target
    problems = fit_problems(w, min_rows=3 if size in NO_SCROLL else 2)
    assert not problems, f"{key} (new branch) at {size}:\n" + "\n".join(problems)
    if size in NO_SCROLL:
        scroll = w.stack.currentWidget()
        assert scroll.verticalScrollBar().maximum() == 0 and scroll.horizontalScrollBar().maximum() == 0


# ------------------------------------------------------------------------------------------ dialogs


def _score_check(w: Any) -> QDialog:
    from desktop.sections.park import CheckDialog

    s = _first(scorecards.list_schemes(w.ledger))
    ys = scorecards.year_score(w.ledger, s.id, 2025)
    item = next(i for i in ys.items if i.item.evidence == "manual")
    return CheckDialog(w.ledger, s.id, 2025, item, w)


def _first(items: list[Any]) -> Any:
    assert items
    return items[0]


def _applicant(w: Any) -> dev.Applicant:
    # someone with the most steps recorded: the longest dialogs
    return max(dev.list_applicants(w.ledger), key=lambda a: len(a.steps))


def _step_dialog(w: Any) -> QDialog:
    from desktop.sections.development.step import StepDialog

    a = _applicant(w)
    rows = dev.timeline(w.ledger, a)
    done = [r for r in rows if r.entries]
    row = done[-1] if done else rows[0]
    return StepDialog(w.ledger, a, row.step.key, row.entries[-1] if row.entries else None, w)


def _sheet(folder: Path) -> Path:
    """A small roster workbook, one row with a wrong ID number (the import dialog shows its problems)."""
    from tests.roster_data import person, write_sheet

    path = folder / "花名册.xlsx"
    if not path.exists():
        people = [person(i) for i in range(1, 13)]
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
        rows[3][2] = "310115198001011234"
        write_sheet(
            path,
            ["姓名", "性别", "身份证号", "出生日期", "入党时间", "转正时间", "人员类别", "手机号", "党小组"],
            rows,
        )
    return path


def _dues_sheet(w: Any) -> Path:
    """A 党费收缴登记表 over the demo roster: title rows, a month per column, 合计; the demo's own payments make
    some months problems (already recorded), so the dialog shows its problem column."""
    import openpyxl

    path = Path(w.ledger.path).parent / "党费收缴登记表.xlsx"
    if not path.exists():
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.append(["2026年度党费收缴登记表"])
        ws.append(["序号", "姓名", *[f"{m}月" for m in range(1, 13)], "合计", "备注"])
        for i, m in enumerate(members.list_members(w.ledger)[:15], start=1):
            ws.append([i, m.name, *([20] * 10), None, None, 200, None])
        wb.save(path)
    return path


def _forms_library(d: Any) -> Any:
    """The 台账中的模板 tab: the demo's installed pack, three forms with their versions."""
    d.tabs.setCurrentIndex(1)
    return d


def _form_template(folder: Path) -> Path:
    """A park form with a repeating member row, a masked field and one unknown name (shown in red)."""
    from openpyxl import Workbook

    path = folder / "园区季度报表.xlsx"
    if not path.exists():
        wb = Workbook()
        ws = wb.active
        ws["A1"] = "{{ 支部.名称 }}"
        for col, name in zip("ABCDEF", ["序号", "姓名", "性别", "身份证号", "党小组", "手机号"], strict=True):
            ws[f"{col}3"] = "{{ 党员." + name + " }}"
        ws["A5"] = "{{ 统计.党员人数 }}"
        wb.save(path)
    return path


def _member(w: Any) -> members.Member:
    return members.get(w.ledger, _first(members.list_members(w.ledger)).id)


def _dues(w: Any) -> Any:
    w.show_section("dues")
    return w.sections["dues"]


def _appraisal_row(w: Any) -> Any:
    rows = appraisals.sheet(w.ledger, 2025)
    return next((r for r in rows if r.result.grade == "unqualified" or r.result.grade == "basic"), rows[0])


def _study_row(w: Any) -> Any:
    rows = study.member_years(w.ledger, 2026)
    return max(rows, key=lambda r: len(r.meetings) + len(r.records))


def _dialogs() -> dict[str, Callable[[Any], QWidget]]:
    from desktop.export_dialog import ExportDialog
    from desktop.forms_dialog import FormsDialog
    from desktop.help import HelpDialog
    from desktop.roster_import_dialog import RosterImportDialog
    from desktop.sections.branch.groups import GroupDialog
    from desktop.sections.checklist import DefinitionDialog
    from desktop.sections.development.applicant import ApplicantDialog, ExtensionDialog, StopDialog
    from desktop.sections.development.checks import OverrideDialog
    from desktop.sections.dues.dialogs import CollectDialog, MonthPayDialog, PaymentDialog, RemittanceDialog
    from desktop.sections.dues.history import HistoryDialog as DuesHistoryDialog
    from desktop.sections.dues.worksheet import BaseDialog
    from desktop.sections.guide import CloseDialog, MilestoneDialog, PlanDialog, ProgressDialog, ProjectDialog
    from desktop.sections.meetings.dialogs import MakeupDialog, PlansDialog
    from desktop.sections.orglife.appraisal import ResultDialog
    from desktop.sections.orglife.rectify import RectifyDialog
    from desktop.sections.orglife.study import ExemptionDialog, StudyDetailDialog, StudyRecordDialog
    from desktop.sections.orglife.talks import TalkDialog
    from desktop.sections.park import PostDialog
    from desktop.sections.roster.form import MemberDialog
    from desktop.sections.roster.status import HistoryDialog, StatusDialog
    from desktop.sections.roster.transfers import ReceiptDialog, TransferInDialog, TransferOutDialog
    from desktop.sheet_import_dialog import SheetImportDialog
    from desktop.welcome import NewBranchDialog, SnapshotDialog

    def branch_sec(w: Any) -> Any:
        return w.sections["branch"]

    def collect(w: Any) -> QWidget:
        s = _dues(w)
        return CollectDialog(s, "2026-11", s.rows)

    def base(w: Any) -> QWidget:
        s = _dues(w)
        r = next(r for r in s.rows if r.base is not None)
        return BaseDialog(s, w.ledger, r.member_id, r.name, s.current_year(), r.base)

    def base_change(w: Any) -> QWidget:
        s = _dues(w)
        r = next(r for r in s.rows if r.base is not None)
        return BaseDialog(s, w.ledger, r.member_id, r.name, s.current_year(), r.base, change=True)

    def remit(w: Any) -> QWidget:
        s = _dues(w)
        return RemittanceDialog(s, s.remit_table.source.rows[0] if s.remit_table.source.rows else None, 2026)

    def snapshots(w: Any) -> QWidget:
        from db.connection import list_snapshots

        snaps = list_snapshots(w.ledger.path) or [
            Path(w.ledger.path).with_name(f"demo-2026112{i}-090000-op{i}-open.sqlite") for i in range(8)
        ]
        return SnapshotDialog(snaps, w, message="台账文件已损坏。" * 6 + "\n\n请选择一个快照来恢复台账：")

    def override(w: Any) -> QWidget:
        from db.rules import development as rules

        breaches = [
            rules.Breach(
                "D02",
                "error",
                "谈话日期 2026年10月20日 超过了申请后一个月的期限（依据《发展党员工作细则》第七条）",
            )
        ] * 3
        return OverrideDialog(breaches, w)

    return {
        "ExportDialog": lambda w: ExportDialog(w.ctx, None, None, w),
        "ExportDialog/meetings": lambda w: ExportDialog(w.ctx, "meetings", None, w),
        "FormsDialog": lambda w: FormsDialog(w.ctx, w),
        "FormsDialog/template": lambda w: FormsDialog(w.ctx, w, _form_template(Path(w.ledger.path).parent)),
        "FormsDialog/library": lambda w: _forms_library(FormsDialog(w.ctx, w)),
        "RosterImportDialog": lambda w: RosterImportDialog(w.ctx, _sheet(Path(w.ledger.path).parent), w),
        "SheetImportDialog/dues": lambda w: SheetImportDialog(
            w.ctx, _dues_sheet(w), w, kind="dues", year=2026
        ),
        "MemberDialog/new": lambda w: MemberDialog(w.ledger, None, w),
        "MemberDialog/edit": lambda w: MemberDialog(w.ledger, _member(w), w),
        "StatusDialog": lambda w: StatusDialog(w.ledger, _member(w), w),
        "HistoryDialog/roster": lambda w: HistoryDialog(w.ledger, _member(w), w),
        "GroupDialog": lambda w: GroupDialog(
            _first(branch.list_groups(w.ledger)), branch_sec(w).choices(), branch_sec(w)
        ),
        "TermDialog": lambda w: branch_sec(w)._term_dialog(_first(branch.list_terms(w.ledger))),
        "ElectionDialog": lambda w: branch_sec(w)._election_dialog(
            _first(checklists.list_elections(w.ledger))
            if checklists.list_elections(w.ledger)
            else checklists.Election(held_on=dt.date(2026, 11, 22), expected=32)
        ),
        "VacancyDialog": lambda w: branch_sec(w)._vacancy_dialog(
            checklists.Vacancy(_first(branch.list_terms(w.ledger)).id, "member", dt.date(2026, 11, 22))
        ),
        "PlansDialog": lambda w: PlansDialog(w.ledger, w),
        "MakeupDialog": lambda w: MakeupDialog("许艳燕", w),
        "ResultDialog": lambda w: ResultDialog(
            _appraisal_row(w), appraisals.decision_options(w.ledger, 2025), w.sections["orglife"]
        ),
        "TalkDialog": lambda w: TalkDialog(
            w.ledger, talks.Talk(dt.date(2026, 11, 20), _first(members.list_members(w.ledger)).id, 0), w
        ),
        "StudyRecordDialog": lambda w: StudyRecordDialog(
            w.ledger, study.StudyRecord(0, dt.date(2026, 11, 20), "", Decimal(0)), w
        ),
        "ExemptionDialog": lambda w: ExemptionDialog(w.ledger, _study_row(w), 2026, w),
        "StudyDetailDialog": lambda w: StudyDetailDialog(w.ledger, _study_row(w), 2026, w),
        "RectifyDialog": lambda w: RectifyDialog(
            w.ledger,
            Rectification(
                dt.date(2026, 1, 20), "理论学习不够系统" * 5, _first(members.list_members(w.ledger)).id
            ),
            w,
        ),
        "PlanDialog": lambda w: PlanDialog(2026, guide_lists.get_list(w.ledger, 2026).items[11], w),
        "ProjectDialog": lambda w: ProjectDialog(w.ledger, projects.get_project(w.ledger, 2), w),
        "MilestoneDialog": lambda w: MilestoneDialog(
            w.ledger, projects.get_project(w.ledger, 2).milestones[2], w
        ),
        "ProgressDialog": lambda w: ProgressDialog(w.ledger, projects.get_project(w.ledger, 2), w),
        "CloseDialog": lambda w: CloseDialog(w.ledger, projects.get_project(w.ledger, 2), w),
        "CollectDialog": collect,
        "PaymentDialog": lambda w: PaymentDialog(_dues(w), "许艳燕", 2026, "余敏"),
        "MonthPayDialog": lambda w: MonthPayDialog(_dues(w), "许艳燕", 2026),
        "RemittanceDialog": remit,
        "BaseDialog": base,
        "BaseDialog/change": base_change,
        "HistoryDialog/dues": lambda w: DuesHistoryDialog(
            _dues(w), w.ledger, _dues(w).rows[0].member_id, _dues(w).rows[0].name
        ),
        "ApplicantDialog/new": lambda w: ApplicantDialog(w.ledger, None, w),
        "ApplicantDialog/edit": lambda w: ApplicantDialog(w.ledger, _applicant(w), w),
        "ExtensionDialog": lambda w: ExtensionDialog(w.ledger, _applicant(w), w),
        "StopDialog": lambda w: StopDialog(w.ledger, _applicant(w), w),
        "StepDialog": _step_dialog,
        "OverrideDialog": override,
        "DefinitionDialog": lambda w: DefinitionDialog(
            checklists.definition_for(w.ledger, 2026), 2026, w.sections["checklist"]
        ),
        "NewBranchDialog": lambda w: NewBranchDialog(w),
        "PostDialog": lambda w: PostDialog(w.ledger, _first(posts.list_posts(w.ledger)), w),
        "CheckDialog": _score_check,
        "HelpDialog": lambda w: HelpDialog(w, "guide-meetings.md"),
        "SnapshotDialog": snapshots,
        "TransferOutDialog": lambda w: TransferOutDialog(w.ledger, _member(w), w),
        "TransferInDialog": lambda w: TransferInDialog(w.ledger, w),
        "ReceiptDialog": lambda w: ReceiptDialog(w.ledger, transfers.list_transfers(w.ledger)[-1], w),
    }


DIALOGS = _dialogs()


@pytest.mark.parametrize("size", SCREENS)
@pytest.mark.parametrize("name", list(DIALOGS))
def test_every_dialog_fits(window: Any, name: str, size: str) -> None:
    target = SIZES[size]
    free = QRect(0, 0, target.width(), target.height() - TASKBAR)
    fit.simulate_screen(free)
    try:
        dlg = DIALOGS[name](window)
        dlg.show()
        settle()
        room = free.marginsRemoved(fit.FRAME).size()
        assert dlg.width() <= room.width() and dlg.height() <= room.height(), (
            f"{name} is {dlg.width()}×{dlg.height()} on a {size} screen (minimum "
            f"{dlg.minimumSizeHint().width()}×{dlg.minimumSizeHint().height()})"
        )
        problems = fit_problems(dlg, min_rows=3 if size in NO_SCROLL else 2)
        assert not problems, f"{name} at {size}:\n" + "\n".join(problems)
    finally:
        fit.simulate_screen(None)
        if "dlg" in locals():
            dlg.reject() if isinstance(dlg, QDialog) else dlg.close()
            dispose(dlg)


# ------------------------------------------------------------------------------------------ top-level windows


def _packages(window: Any, folder: Path) -> Path:
    """Three hand-in packages of the demo branch: two copies and a tampered one (the 联络员 table fills)."""
    import shutil

    from exports import package

    inbox = folder / "inbox"
    if not inbox.exists():
        first = package.build_package(window.ledger, 2026, folder / "built")
        shutil.copytree(first, inbox / "第一支部")
        shutil.copytree(first, inbox / "第二支部")
        shutil.copytree(first, inbox / "被改动的")
        (inbox / "被改动的" / "data.json").write_text("{}", encoding="utf-8")
    return inbox


def _welcome(window: Any, folder: Path) -> QWidget:
    from desktop.welcome import Welcome

    return Welcome(folder / "ledger.sqlite")


def _liaison(window: Any, folder: Path) -> QWidget:
    from desktop.liaison import LiaisonWindow

    return LiaisonWindow()


def _liaison_full(window: Any, folder: Path) -> QWidget:
    from desktop.liaison import LiaisonWindow

    w = LiaisonWindow()
    w.add_paths([_packages(window, folder)])
    return w


def _main(window: Any, folder: Path) -> QWidget:
    from desktop.mainwindow import MainWindow

    return MainWindow(window.ledger)


TOP_LEVEL = {"welcome": _welcome, "liaison": _liaison, "liaison/packages": _liaison_full, "main": _main}


@pytest.mark.parametrize("size", SCREENS)
@pytest.mark.parametrize("name", list(TOP_LEVEL))
def test_every_window_opens_within_the_screen(
    window: Any, name: str, size: str, tmp_path_factory: pytest.TempPathFactory, sync_tasks: None
) -> None:
    """A new window on a screen whose free area is the target size less a taskbar opens inside it, whole."""
    target = SIZES[size]
    free = QRect(0, 0, target.width(), target.height() - TASKBAR)
    fit.simulate_screen(free)
    top = None
    try:
        top = TOP_LEVEL[name](window, tmp_path_factory.getbasetemp())
        top.show()
        settle()
        frame = top.geometry().marginsAdded(fit.FRAME)
        assert free.contains(frame), f"{name} at {top.geometry().getRect()} on {free.getRect()}"
        problems = fit_problems(top, min_rows=3 if size in NO_SCROLL else 2)
        assert not problems, f"{name} at {size}:\n" + "\n".join(problems)
    finally:
        fit.simulate_screen(None)
        if top is not None:
            if hasattr(top, "hub") and top.hub.notify in window.ledger.listeners:
                window.ledger.listeners.remove(top.hub.notify)
            dispose(top)


# ------------------------------------------------------------------------------------------ the rule


def test_fit_geometry_shrinks_the_default_to_the_free_area_and_centres_it() -> None:
    free = QRect(0, 0, 911, 472)  # 1366×768 at 150 %, less the taskbar
    g = fit.fit_geometry(None, QSize(1280, 800), QSize(700, 400), free)
    assert free.marginsRemoved(fit.FRAME).contains(g)
    assert (g.width(), g.height()) == (911 - 16, 472 - 39)
    big = QRect(0, 0, 1920, 1040)
    g = fit.fit_geometry(None, QSize(1280, 800), QSize(700, 400), big)
    assert (g.width(), g.height()) == (1280, 800) and g.center() == big.marginsRemoved(fit.FRAME).center()
    # a second screen to the left of the first
    left = QRect(-1366, 0, 1366, 728)
    assert left.contains(fit.fit_geometry(None, QSize(1280, 800), QSize(700, 400), left))


def test_a_remembered_window_comes_back_only_if_it_still_fits() -> None:
    free = QRect(0, 0, 1366, 728)
    was = QRect(100, 60, 1000, 600)
    assert fit.fit_geometry(was, QSize(1280, 800), QSize(700, 400), free) == was
    # remembered on a bigger screen: the size does not fit this one, so the default, shrunk, centred
    g = fit.fit_geometry(QRect(0, 0, 1900, 1000), QSize(1280, 800), QSize(700, 400), free)
    assert free.contains(g) and g.size() == QSize(1280, 689)
    # the right size, but where a second screen used to be: the same size, back on this screen
    g = fit.fit_geometry(QRect(2000, 100, 1000, 600), QSize(1280, 800), QSize(700, 400), free)
    assert free.contains(g) and g.size() == QSize(1000, 600)
    # smaller than the window's minimum (a newer version needs more): not restored
    g = fit.fit_geometry(QRect(10, 40, 500, 300), QSize(1280, 800), QSize(700, 400), free)
    assert g.size() == QSize(1280, 689)


def test_main_window_remembers_size_position_and_dividers(
    qtbot: Any, demo_ledger: Any, sync_tasks: None
) -> None:
    from desktop.mainwindow import MainWindow

    fit.simulate_screen(QRect(0, 0, 1366, 728))
    try:
        w = MainWindow(demo_ledger)
        qtbot.addWidget(w)
        w.show()
        w.setGeometry(QRect(40, 50, 1100, 640))
        w.show_section("meetings")
        settle()
        split = w.sections["meetings"].split
        total = sum(split.sizes())
        split.setSizes([120, total - 120])
        split.splitterMoved.emit(120, 1)  # as a drag would
        w.close()
        saved = fit.saved_state("main")
        assert [int(v) for v in saved["geometry"]] == [40, 50, 1100, 640]

        again = MainWindow(demo_ledger)
        qtbot.addWidget(again)
        again.show()
        again.show_section("meetings")
        settle()
        assert again.geometry() == QRect(40, 50, 1100, 640)
        assert fit.restored(again.sections["meetings"].split)
        assert again.sections["meetings"].split.sizes()[0] == 120
        again.close()
    finally:
        fit.simulate_screen(None)
    # the laptop at 150 %: the remembered 1100×640 does not fit; the window opens inside the screen
    fit.simulate_screen(QRect(0, 0, 911, 472))
    try:
        small = MainWindow(demo_ledger)
        qtbot.addWidget(small)
        small.show()
        settle()
        assert QRect(0, 0, 911, 472).contains(small.geometry().marginsAdded(fit.FRAME))
    finally:
        fit.simulate_screen(None)


def test_a_dialog_keeps_a_size_only_when_the_secretary_chose_it(qtbot: Any, window: Any) -> None:
    from desktop.sections.meetings.dialogs import PlansDialog

    fit.simulate_screen(QRect(0, 0, 1366, 728))
    try:
        d = PlansDialog(window.ledger, window)
        d.show()
        settle()
        assert d.size() == QSize(640, 420)
        d.reject()
        dispose(d)
        assert "geometry" not in fit.saved_state(fit.dialog_key(d))  # untouched: nothing to remember
        d2 = PlansDialog(window.ledger, window)
        d2.show()
        settle()
        d2.resize(900, 500)
        d2.reject()
        dispose(d2)
        d3 = PlansDialog(window.ledger, window)
        d3.show()
        settle()
        assert d3.size() == QSize(900, 500)
        d3.reject()
        dispose(d3)
    finally:
        fit.simulate_screen(None)


def test_dashboard_findings_get_the_width_and_the_glance_moves_below(window: Any) -> None:
    """The 工作台 on a 1366×768 laptop at 150 %: findings across the whole width, wrapped whole (not cut to
    eight characters); the cards and charts under them. On 1920×1080 at 100 % they sit beside them."""
    _leave(window)
    window.resize(911, 512)
    window.show_section("dashboard")
    settle()
    d = window.sections["dashboard"]
    assert d.split.orientation() == Qt.Orientation.Vertical
    assert d.tree.columnWidth(0) > 0.6 * d.width()
    window.resize(1920, 1040)
    settle()
    assert d.split.orientation() == Qt.Orientation.Horizontal
    assert d.glance.width() <= 0.35 * d.width()
    assert not fit_problems(window)
