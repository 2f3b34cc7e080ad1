"""园区工作: 示范岗, 计划总结, 星级自评 (issue #19 items 3–5). All rules come from db.posts, db.plans and
db.scorecards; no rule lives here.

One file per concern:
    section.py     the section: the year, the tabs, exports, Ctrl+N / Ctrl+S
    posts_tab.py   示范岗 tab and the designation dialog
    plans_tab.py   计划总结 tab: facts and the secretary's text, 定稿, Word/PDF
    score_tab.py   星级自评 tab: the scheme, evidence, score, gaps → the screen that fixes them

desktop.sections loads this package by name and reads `SECTION`."""

from __future__ import annotations

from desktop.sections.lazy import lazy_exports
from desktop.sections.park.posts_tab import PostDialog, PostsTab
from desktop.sections.park.section import SECTION, ParkSection

# The 计划总结 and 星级自评 tabs, imported when first asked for (the section builds them when first shown).
__getattr__ = lazy_exports(
    __name__, {"PlansTab": "plans_tab", "CheckDialog": "score_tab", "ScoreTab": "score_tab"}
)

__all__ = ["SECTION", "CheckDialog", "ParkSection", "PlansTab", "PostDialog", "PostsTab", "ScoreTab"]
