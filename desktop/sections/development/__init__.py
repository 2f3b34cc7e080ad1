"""发展党员 section, as a package: see section.py. Re-exports what the section list and the tests import."""

from __future__ import annotations

from desktop.sections.development.section import (
    ApplicantDialog,
    DevelopmentSection,
    ExtensionDialog,
    OverrideDialog,
    StepDialog,
    StopDialog,
    ask_override,
    deadline_text,
    pipeline_rows,
    timeline_status,
)

SECTION = DevelopmentSection

__all__ = [
    "SECTION",
    "ApplicantDialog",
    "DevelopmentSection",
    "ExtensionDialog",
    "OverrideDialog",
    "StepDialog",
    "StopDialog",
    "ask_override",
    "deadline_text",
    "pipeline_rows",
    "timeline_status",
]
