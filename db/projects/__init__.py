"""书记项目 / 党建项目 (RULES-EXT.md §16.2, YQ05–YQ08; local practice): 立项 (背景, 拟解决的问题, 内容措施,
工作安排, 预期成效 with measurable targets, the 书记 as owner, the enterprise goal it serves), milestones with due
dates, progress notes with evidence (photos, meetings, figures), 结项 measured against the targets; K02.

model.py        Project, Target, Milestone, Progress; the late-milestone rule (pure)
store.py        reading; SaveProject, CloseProject, SaveMilestone, AddProjectProgress …
findings.py     K02
interchange.py  the `projects` section
"""

from __future__ import annotations

from db.projects import findings, interchange  # importing them registers the provider and the section
from db.projects.model import (
    ACTIVE,
    CLOSED,
    DRAFT,
    FIELD_LABELS,
    KIND_LABELS,
    LOCAL_NOTE,
    REVIEW_WORDS,
    STATUS_LABELS,
    TAG_SUGGESTIONS,
    Milestone,
    Photo,
    Progress,
    Project,
    Target,
    milestone_late,
)
from db.projects.store import (
    add_progress,
    close_project,
    delete_milestone,
    delete_progress,
    delete_project,
    get_project,
    list_projects,
    owner_name,
    photo_data,
    save_milestone,
    save_project,
    validate,
    year_summary,
)

__all__ = [
    "ACTIVE",
    "CLOSED",
    "DRAFT",
    "FIELD_LABELS",
    "KIND_LABELS",
    "LOCAL_NOTE",
    "REVIEW_WORDS",
    "STATUS_LABELS",
    "TAG_SUGGESTIONS",
    "Milestone",
    "Photo",
    "Progress",
    "Project",
    "Target",
    "add_progress",
    "close_project",
    "delete_milestone",
    "delete_progress",
    "delete_project",
    "findings",
    "get_project",
    "interchange",
    "list_projects",
    "milestone_late",
    "owner_name",
    "photo_data",
    "save_milestone",
    "save_project",
    "validate",
    "year_summary",
]
