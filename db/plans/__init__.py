"""工作计划 / 年度总结 / 书记述职提纲 (issue #19 item 4): drafts of facts from the year's records (every number
with its source read model), the secretary's own text, finalised = frozen.

model.py        Plan, Section, Fact
draft.py        the facts of a year from the existing read models, laid out per kind
store.py        BuildPlanDraft, SavePlanText, FinalizePlan, DeletePlan
interchange.py  the `plans` section
"""

from __future__ import annotations

from db.plans import interchange  # importing it registers the section
from db.plans.draft import build_sections
from db.plans.model import KIND_LABELS, KINDS, Fact, Plan, Section
from db.plans.store import (
    build_draft,
    delete_plan,
    draft_plan,
    finalize_plan,
    get_plan,
    list_plans,
    save_text,
)

__all__ = [
    "KINDS",
    "KIND_LABELS",
    "Fact",
    "Plan",
    "Section",
    "build_draft",
    "build_sections",
    "delete_plan",
    "draft_plan",
    "finalize_plan",
    "get_plan",
    "interchange",
    "list_plans",
    "save_text",
]
