"""The 组织生活 section: what came of organisational life, by year — the 民主评议 result per member
(appraisal.py), 谈心谈话 coverage and records (talks.py), 学时 against the targets (study.py), the 组织生活会 整改 (rectify.py), and a member's life beyond the meetings (issue #18): 流动党员 (mobility.py), 奖惩
(honors.py), 关怀 (care.py). The year picker and the exports sit above the tabs; Ctrl+S saves the current tab, a finding
opens the member or record it names."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QStackedWidget, QTabWidget, QWidget

from db import clock, members, rectifications
from desktop.sections import Section
from desktop.sections.lazy import LazyPage, LazyTabs
from desktop.sections.orglife.appraisal import AppraisalTab
from desktop.widgets import EmptyState, SectionHeader, YearBox

if TYPE_CHECKING:
    from desktop.sections.orglife.care import CareTab
    from desktop.sections.orglife.honors import HonorsTab
    from desktop.sections.orglife.mobility import MobilityTab
    from desktop.sections.orglife.rectify import RectifyTab
    from desktop.sections.orglife.study import StudyTab
    from desktop.sections.orglife.talks import TalksTab


def _tab(module: str, cls: str, section: OrgLifeSection) -> QWidget:
    """A tab after the first, imported and built when it is first shown or reached (desktop/sections/lazy.py)."""
    tab: QWidget = getattr(importlib.import_module(f"desktop.sections.orglife.{module}"), cls)(section)
    return tab


class OrgLifeSection(Section):
    key = "orglife"
    title = "组织生活"
    watches = frozenset(
        {
            "appraisals",
            "appraisal_results",
            "talks",
            "study_records",
            "study_exemptions",
            "rectifications",
            "meetings",
            "meeting_kinds",
            "meeting_attendance",
            "members",
            "member_history",
            "committee_terms",
            "committee_members",
            "settings",
            "mobility_outings",
            "mobility_contacts",
            "mobility_lost",
            "dues_elsewhere",
            "awards",
            "sanctions",
            "dispositions",
            "care_register",
            "care_visits",
        }
    )

    # the pages of `self.pages`, each built on first show or first use
    appraisal: LazyPage[AppraisalTab] = LazyPage()
    talks: LazyPage[TalksTab] = LazyPage()
    study: LazyPage[StudyTab] = LazyPage()
    rectify: LazyPage[RectifyTab] = LazyPage()
    mobility: LazyPage[MobilityTab] = LazyPage()
    honors: LazyPage[HonorsTab] = LazyPage()
    care: LazyPage[CareTab] = LazyPage()

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.header = SectionHeader("组织生活", "")
        self.layout_.addWidget(self.header)
        for text, key in (("导出评议登记表", "appraisal"), ("导出学时登记表", "study-hours")):
            b = QPushButton(text)
            b.clicked.connect(lambda _c=False, k=key: self.export(k))
            self.header.add_button(b)
        top = QHBoxLayout()
        top.addWidget(QLabel("年度"))
        self.year = YearBox(ahead=0, back=9)
        self._year = self.year.value()
        self.year.currentIndexChanged.connect(self._year_changed)
        top.addWidget(self.year)
        top.addStretch(1)
        self.layout_.addLayout(top)

        self.stack = QStackedWidget()
        self.empty = EmptyState(
            "还没有党员 — 先在“党员花名册”中添加党员，再来登记民主评议结果",
            "打开花名册",
            lambda: self.ctx.navigate("roster"),
        )
        self.tabs = QTabWidget()
        self.tabs.tabBar().setUsesScrollButtons(False)  # few short tabs: never scroll arrows, never clipped
        # each tab is loaded when it is shown: a refresh loads the tab in view and marks the others; a tab is
        # built when first shown (or reached), and loaded then
        self._stale: set[QWidget] = set()
        self._pending_member: dict[str, int] = {}  # a member to select once the tab (by name) is loaded
        self.pages = LazyTabs(self.tabs, self._built)
        self.pages.add("appraisal", "民主评议", lambda: AppraisalTab(self), build=True)
        self.pages.add("talks", "谈心谈话", lambda: _tab("talks", "TalksTab", self))
        self.pages.add("study", "学时", lambda: _tab("study", "StudyTab", self))
        self.pages.add("rectify", "整改", lambda: _tab("rectify", "RectifyTab", self))
        # issue #18: a member's life beyond the meetings (not by year, except the year's visits)
        self.pages.add("mobility", "流动党员", lambda: _tab("mobility", "MobilityTab", self))
        self.pages.add("honors", "奖惩", lambda: _tab("honors", "HonorsTab", self))
        self.pages.add("care", "关怀", lambda: _tab("care", "CareTab", self))
        self.stack.addWidget(self.tabs)
        self.stack.addWidget(self.empty)
        self.layout_.addWidget(self.stack, 1)
        self.tabs.currentChanged.connect(lambda _i: self._load_current())

    def current_year(self) -> int:
        return self.year.value()

    def set_year(self, year: int) -> None:
        self.year.set_value(year)

    def _year_changed(self, _i: int) -> None:
        year = self.current_year()
        if year == self._year:
            return
        if not self.appraisal.leave_ok():
            self.year.blockSignals(True)
            self.year.setCurrentIndex(self.year.findData(self._year))
            self.year.blockSignals(False)
            return
        self._year = year
        self.refresh()

    def refresh(self) -> None:
        if not members.list_members(self.ledger):
            self.stack.setCurrentWidget(self.empty)
            self.header.set_hint("还没有党员。")
            return
        self.stack.setCurrentWidget(self.tabs)
        year = self.current_year()
        self._stale = set(self.pages.built().values())  # a tab not built yet is loaded when it is built
        self._load_current()
        self.header.set_hint(
            f"{year}年：民主评议结果逐人登记；谈心谈话按类别检查每人是否谈过；学时对照目标；组织生活会查摆问题跟踪整改；"
            "流动党员、奖惩和关怀逐人登记。"
        )

    def _built(self, _name: str, page: QWidget) -> None:
        """A tab just built shows nothing yet: it is loaded as it is shown (`_load_current`)."""
        self._stale.add(page)

    def _load_current(self) -> None:
        """Load the tab in view if an operation or the year changed what it shows since it was last loaded."""
        tab: Any = self.tabs.currentWidget()
        if tab not in self._stale:
            return
        self._stale.discard(tab)
        if tab is self.appraisal and self.appraisal.dirty:
            return  # never throw away the results being typed in
        tab.load(self.current_year())
        member = self._pending_member.pop(self.pages.current_name() or "", None)
        if member is not None:
            tab.show_member(member)

    def _show_member(self, name: str, member_id: int) -> None:
        page: Any = self.pages.built().get(name)
        if page is None or page in self._stale:
            self._pending_member[name] = member_id  # selected when the tab is built and loaded
        else:
            page.show_member(member_id)

    def export(self, key: str) -> None:
        from exports.registry import Params

        self.ctx.window.export_dialog(key, Params(year=self.current_year()))

    # -- Section API
    def show_subject(self, subject_type: str | None, subject_id: Any) -> None:
        self.ensure_fresh()
        if subject_type == "member" and subject_id is not None:
            for name in ("appraisal", "talks", "study", "mobility", "honors", "care"):
                self._show_member(name, int(subject_id))
        elif subject_type == "appraisal":
            self.tabs.setCurrentWidget(self.appraisal)
        elif subject_type == "rectification" and subject_id is not None:
            r = next((x for x in rectifications.list_rectifications(self.ledger) if x.id == subject_id), None)
            if r is not None and not r.open_on(clock.today()) and r.found_on.year != self.current_year():
                self.set_year(r.found_on.year)
            self.tabs.setCurrentWidget(self.rectify)
            self.rectify.show_rectification(int(subject_id))

    def show_finding(self, code: str, subject_type: str | None, subject_id: Any) -> None:
        """A finding opened from the 工作台: its member, on the tab that fixes it (O01–O07 评议/谈话/学时/整改,
        L02–L04 流动党员, L05/L06 奖惩, L07 关怀)."""
        self.show_subject(subject_type, subject_id)
        tabs = {"O01": "appraisal", "O02": "appraisal", "O03": "appraisal", "O04": "talks"}
        tabs |= {"O05": "talks", "O06": "study", "O07": "rectify"}
        tabs |= {"L02": "mobility", "L03": "mobility", "L04": "mobility"}
        tabs |= {"L05": "honors", "L06": "honors", "L07": "care"}
        name = tabs.get(code)
        if name is not None:
            self.tabs.setCurrentWidget(self.pages.page(name))
            if code.startswith("L") and subject_type == "member" and subject_id is not None:
                self._show_member(name, int(subject_id))

    def new_item(self) -> None:
        name = self.pages.current_name()
        if name == "talks":
            self.talks.new_talk()
        elif name == "study":
            self.study.add_record()
        elif name == "rectify":
            self.rectify.add()
        elif name == "mobility":
            self.mobility.add()
        elif name == "honors":
            self.honors.add_award()
        elif name == "care":
            self.care.add_entry()

    def save(self) -> None:
        if self.tabs.currentWidget() is self.appraisal:
            self.appraisal.save()


SECTION = OrgLifeSection
