"""发展党员: the pipeline (stage by stage, each person with the next step and its deadline, overdue in red) and the
per-person timeline of all 25 steps with the documents each needs; each step is entered in order with its facts,
its earliest/latest dates and the rule checks shown live; a block rule is passed only with a written reason.

section.py the section; pipeline.py and timeline.py what its two halves show; step.py the step form;
applicant.py the person's dialogs; checks.py the rule-check lines and the override dialog. This file re-exports
SECTION (read by desktop.sections) and the names other modules and the tests import."""

from __future__ import annotations

from desktop.sections.development.applicant import ApplicantDialog, ExtensionDialog, StopDialog
from desktop.sections.development.checks import OverrideDialog, ask_override
from desktop.sections.development.pipeline import PIPELINE_STAGES, deadline_text, pipeline_rows
from desktop.sections.development.section import SECTION, DevelopmentSection
from desktop.sections.development.step import StepDialog, meeting_choices, member_choices
from desktop.sections.development.timeline import timeline_status

__all__ = [
    "PIPELINE_STAGES",
    "SECTION",
    "ApplicantDialog",
    "DevelopmentSection",
    "ExtensionDialog",
    "OverrideDialog",
    "StepDialog",
    "StopDialog",
    "ask_override",
    "deadline_text",
    "meeting_choices",
    "member_choices",
    "pipeline_rows",
    "timeline_status",
]
