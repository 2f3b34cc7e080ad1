"""组织生活: what came of organisational life — the 民主评议 等次 per member, 谈心谈话 coverage, 学时, 组织生活会 整改. All rules come from db.appraisals and
db.rules.orglife; no rule lives here.

One file per concern:
    section.py    the section: the year, the tabs, exports, opening a member from a finding, Ctrl+S
    appraisal.py  民主评议 tab: the year's sheet, 等次 for many members at once, the per-member dialog
    talks.py      谈心谈话 tab: the coverage matrix, the year's talks, 六必谈 待谈, the talk dialog
    study.py      学时 tab: hours per member against the target, record / exemption / detail dialogs, the sheet import
    rectify.py    整改 tab: problems found at the 组织生活会, measures, due dates, closure with evidence

desktop.sections loads this package by name and reads `SECTION`."""

from __future__ import annotations

from desktop.sections.lazy import lazy_exports
from desktop.sections.orglife.section import SECTION, OrgLifeSection

# The tabs' classes, imported when first asked for: the section imports a tab's module when it builds the tab.
_LAZY = {
    "AppraisalTab": "appraisal",
    "ResultDialog": "appraisal",
    "RectifyDialog": "rectify",
    "RectifyTab": "rectify",
    "ExemptionDialog": "study",
    "StudyDetailDialog": "study",
    "StudyRecordDialog": "study",
    "StudyTab": "study",
    "TalkDialog": "talks",
    "TalksTab": "talks",
}


__getattr__ = lazy_exports(__name__, _LAZY)

__all__ = [
    "SECTION",
    "AppraisalTab",
    "ExemptionDialog",
    "OrgLifeSection",
    "RectifyDialog",
    "RectifyTab",
    "ResultDialog",
    "StudyDetailDialog",
    "StudyRecordDialog",
    "StudyTab",
    "TalkDialog",
    "TalksTab",
]
