"""The 园区工作 section (issue #19 items 3–5): what the park's committee asks of a branch beyond the 条例 —
示范岗 (posts_tab.py), 计划总结 (plans_tab.py), 星级自评 (score_tab.py). Everything here is local practice
(RULES-EXT.md §16): the lists, weights and thresholds are data, and the screen says so. Further park tabs (the
主题党日指导清单, 书记项目) can join this QTabWidget."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QTabWidget, QWidget

from desktop.sections import Section
from desktop.sections.lazy import LazyPage, LazyTabs
from desktop.sections.park.posts_tab import PostsTab
from desktop.widgets import SectionHeader, YearBox

if TYPE_CHECKING:
    from desktop.sections.park.plans_tab import PlansTab
    from desktop.sections.park.score_tab import ScoreTab


# The tabs after 示范岗 are imported and built when first shown or reached (desktop/sections/lazy.py).
def _plans(section: ParkSection) -> QWidget:
    from desktop.sections.park.plans_tab import PlansTab

    return PlansTab(section)


def _score(section: ParkSection) -> QWidget:
    from desktop.sections.park.score_tab import ScoreTab

    return ScoreTab(section)


class ParkSection(Section):
    key = "park"
    title = "园区工作"
    watches = frozenset()  # the score and the drafts draw on every area: any change refreshes

    # the pages of `self.pages`, each built on first show or first use
    posts: LazyPage[PostsTab] = LazyPage()
    plans: LazyPage[PlansTab] = LazyPage()
    score: LazyPage[ScoreTab] = LazyPage()

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.header = SectionHeader("园区工作", "")
        self.layout_.addWidget(self.header)
        top = QHBoxLayout()
        top.addWidget(QLabel("年度"))
        self.year = YearBox(ahead=1, back=10)
        self.year.currentIndexChanged.connect(lambda _i: self.refresh())
        top.addWidget(self.year)
        top.addStretch(1)
        self.layout_.addLayout(top)
        self.tabs = QTabWidget()
        self.tabs.tabBar().setUsesScrollButtons(False)
        # a tab built later is loaded as it is built, with the year shown
        self.pages = LazyTabs(self.tabs, lambda _n, page: page.load(self.current_year()))  # type: ignore[attr-defined]
        self.pages.add("posts", "示范岗", lambda: PostsTab(self), build=True)
        self.pages.add("plans", "计划总结", lambda: _plans(self))
        self.pages.add("score", "星级自评", lambda: _score(self))
        self.layout_.addWidget(self.tabs, 1)

    def current_year(self) -> int:
        return self.year.value()

    def set_year(self, year: int) -> None:
        self.year.set_value(year)

    def refresh(self) -> None:
        year = self.current_year()
        for page in self.pages.built().values():
            page.load(year)  # type: ignore[attr-defined]
        self.header.set_hint(
            f"{year}年：党员示范岗/责任区设岗定责；工作计划和年度总结从台账取数，文字由支部填写；"
            "按上级党委的评分标准自评（标准、分值、星级线均为地方规定）。"
        )

    def export(self, key: str) -> None:
        from exports.registry import Params

        self.ctx.window.export_dialog(key, Params(year=self.current_year()))

    # -- Section API
    def show_subject(self, subject_type: str | None, subject_id: Any) -> None:
        self.ensure_fresh()
        if subject_type == "post":
            self.tabs.setCurrentWidget(self.posts)
            self.posts.table.select_where(lambda p: p is not None and p.id == subject_id)
        elif subject_type == "plan":
            self.tabs.setCurrentWidget(self.plans)
        elif subject_type == "scorecard":
            self.tabs.setCurrentWidget(self.score)

    def new_item(self) -> None:
        if self.pages.current_name() == "posts":
            self.posts.add()

    def save(self) -> None:
        if self.pages.current_name() == "plans":
            self.plans.save()


SECTION = ParkSection
