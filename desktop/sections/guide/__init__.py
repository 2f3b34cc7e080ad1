"""园区要求: what the park's upper committee asks of the branch (RULES-EXT.md §16, local practice) — the
主题党日指导清单 and the 书记项目. All rules come from db.guide_lists and db.projects; no rule lives here.

    section.py          the section: the year, the tabs, importing the list, exports, opening a finding's subject
    guide_tab.py        主题党日指导清单 tab: month by month, 按清单安排, 记录会议, 关联会议, 调整/未开展
    projects_tab.py     书记项目 tab: projects, milestones, progress, targets
    project_dialogs.py  立项, 节点, 进展, 结项

desktop.sections loads this package by name and reads `SECTION`."""

from __future__ import annotations

from desktop.sections.guide.guide_tab import GuideTab, PlanDialog
from desktop.sections.guide.section import SECTION, GuideSection
from desktop.sections.lazy import lazy_exports

# The 书记项目 tab and its dialogs, imported when first asked for (the section builds that tab when first shown).
_LAZY = {
    "CloseDialog": "project_dialogs",
    "MilestoneDialog": "project_dialogs",
    "ProgressDialog": "project_dialogs",
    "ProjectDialog": "project_dialogs",
    "ProjectsTab": "projects_tab",
}


__getattr__ = lazy_exports(__name__, _LAZY)

__all__ = [
    "SECTION",
    "CloseDialog",
    "GuideSection",
    "GuideTab",
    "MilestoneDialog",
    "PlanDialog",
    "ProgressDialog",
    "ProjectDialog",
    "ProjectsTab",
]
