"""The 园区要求 section: what the park's upper committee asks of the branch (RULES-EXT.md §16; local practice,
said so on screen) — the 主题党日指导清单 month by month (guide_tab.py) and the 书记项目 (projects_tab.py). The year
picker, the import of the list and the exports sit above the tabs; a finding opens the item or project."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QTabWidget, QWidget

from db import guide_lists
from desktop.dialogs import confirm, info, show_error
from desktop.sections import Section
from desktop.sections.guide.guide_tab import GuideTab
from desktop.sections.lazy import LazyPage, LazyTabs
from desktop.widgets import SectionHeader, YearBox

if TYPE_CHECKING:
    from desktop.sections.guide.projects_tab import ProjectsTab


def _projects(section: GuideSection) -> QWidget:
    from desktop.sections.guide.projects_tab import ProjectsTab

    return ProjectsTab(section)


class GuideSection(Section):
    key = "guide"
    title = "园区要求"
    watches = frozenset(
        {
            "guide_lists",
            "guide_items",
            "planned_meetings",
            "meetings",
            "meeting_kinds",
            "projects",
            "project_targets",
            "project_milestones",
            "project_progress",
            "project_photos",
            "members",
            "settings",
        }
    )

    # the pages of `self.pages`: the 书记项目 tab is built when first shown or reached
    guide: LazyPage[GuideTab] = LazyPage()
    projects: LazyPage[ProjectsTab] = LazyPage()

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.header = SectionHeader("园区要求", "")
        self.layout_.addWidget(self.header)
        imp = self.header.add_button(QPushButton("导入指导清单…"))
        imp.clicked.connect(lambda: self.import_list())
        for text, key in (("导出清单执行情况", "guide-list"), ("导出项目书", "project")):
            b = QPushButton(text)
            b.clicked.connect(lambda _c=False, k=key: self.export(k))
            self.header.add_button(b)
        corner = QWidget()  # the year beside the tabs: one row less on a short screen
        top = QHBoxLayout(corner)
        top.setContentsMargins(0, 0, 0, 2)
        top.addWidget(QLabel("年度"))
        self.year = YearBox(ahead=1, back=8)
        self.year.currentIndexChanged.connect(lambda _i: self.refresh())
        top.addWidget(self.year)
        self.tabs = QTabWidget()
        self.tabs.tabBar().setUsesScrollButtons(False)
        self.tabs.setCornerWidget(corner)
        self.pages = LazyTabs(self.tabs, lambda _n, page: page.load(self.current_year()))  # type: ignore[attr-defined]
        self.pages.add("guide", "主题党日指导清单", lambda: GuideTab(self), build=True)
        self.pages.add("projects", "书记项目", lambda: _projects(self))
        self.layout_.addWidget(self.tabs, 1)

    def current_year(self) -> int:
        return self.year.value()

    def set_year(self, year: int) -> None:
        self.year.set_value(year)

    def refresh(self) -> None:
        year = self.current_year()
        for page in self.pages.built().values():  # a tab built later is loaded as it is built
            page.load(year)  # type: ignore[attr-defined]
        self.header.set_hint(
            f"{year}年：上级党委下发的主题党日指导清单逐月开展情况，书记项目的节点和进展。"
            "清单和书记项目是本园区的做法（地方惯例），不是全国统一规定。"
        )

    def import_list(self, path: Any = None, *, replace: bool | None = None) -> bool:
        """Import the upper committee's list (xlsx, csv or the JSON it sends) for the year shown."""
        if not path:
            path, _ = QFileDialog.getOpenFileName(
                self, "导入主题党日指导清单", "", "指导清单 (*.xlsx *.xlsm *.csv *.json)"
            )
        if not path:
            return False
        year = self.current_year()
        res = guide_lists.import_guide_file(self.ledger, Path(path), None, dry_run=True)
        if (
            not res.errors
            and res.year is not None
            and guide_lists.get_list(self.ledger, res.year) is not None
        ):
            if replace is None:
                replace = confirm(
                    self,
                    "替换指导清单",
                    f"{res.year}年的主题党日指导清单已经导入。用这份文件替换吗？"
                    "月份和主题没变的项目会保留已安排、已开展和说明。",
                    "替换",
                )
            if not replace:
                return False
        if not res.errors:
            res = guide_lists.import_guide_file(self.ledger, Path(path), None, replace=bool(replace))
        if res.errors:
            show_error(self, "指导清单未导入：\n" + "\n".join(str(p) for p in res.errors[:12]))
            return False
        if res.year is not None and res.year != year:
            self.set_year(res.year)
        info(self, "已导入", f"已导入{res.year or ''}年主题党日指导清单 {res.imported} 项。")
        self.tabs.setCurrentWidget(self.guide)
        self.refresh()
        return True

    def export(self, key: str) -> None:
        from exports.registry import Params

        self.ctx.window.export_dialog(key, Params(year=self.current_year()))

    # -- Section API
    def show_subject(self, subject_type: str | None, subject_id: Any) -> None:
        self.ensure_fresh()
        if subject_type == "guide_item" and subject_id is not None:
            try:
                year, _it = guide_lists.get_item(self.ledger, int(subject_id))
            except Exception:  # noqa: BLE001 - a stale finding: just show the section
                return
            self.set_year(year)
            self.tabs.setCurrentWidget(self.guide)
            self.guide.show_item(int(subject_id))
        elif subject_type == "project" and subject_id is not None:
            from db import projects

            try:
                p = projects.get_project(self.ledger, int(subject_id))
            except Exception:  # noqa: BLE001 - a stale finding
                return
            self.set_year(p.year)
            self.tabs.setCurrentWidget(self.projects)
            self.projects.show_project(p.id or 0)

    def new_item(self) -> None:
        if self.pages.current_name() == "projects":
            self.projects.new_project()
        else:
            self.guide.plan_current()


SECTION = GuideSection
