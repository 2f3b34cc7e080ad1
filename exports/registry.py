"""The registry of templates: each declares its name, formats and options; the export dialog and `ledger
export` are built from this list, so a new template is one new module in exports/templates/."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from db import clock
from exports.report import Cancelled, ExportCancelled, Progress, Report, never, no_progress

if TYPE_CHECKING:
    from db.connection import Ledger

FORMATS = ("xlsx", "pdf")

# Modules that register templates; a missing one (not yet written) is skipped.
TEMPLATE_MODULES = (
    "exports.templates.roster",
    "exports.templates.meetings",
    "exports.templates.dues",
    "exports.templates.development",
    "exports.templates.checklist",
    "exports.templates.stats",
    "exports.templates.findings",
)


@dataclass(frozen=True)
class Params:
    """What a template may take: the period, one record, and whether personal data must be masked."""

    year: int | None = None
    quarter: int | None = None
    month: int | None = None
    meeting_id: int | None = None
    applicant_id: int | None = None
    as_of: dt.date | None = None
    masked: bool = False

    def as_of_date(self) -> dt.date:
        """The day a report stands on: the given date, else 31 December of a past year, else today."""
        if self.as_of:
            return self.as_of
        today = clock.today()
        if self.year and self.year < today.year:
            return dt.date(self.year, 12, 31)
        return today

    def period_label(self) -> str:
        if self.year and self.month:
            return f"{self.year}年{self.month}月"
        if self.year and self.quarter:
            return f"{self.year}年第{self.quarter}季度"
        if self.year:
            return f"{self.year}年"
        return ""


@dataclass(frozen=True)
class Template:
    key: str
    title: str
    build: Callable[[Ledger, Params], Report]
    formats: tuple[str, ...] = FORMATS
    needs: tuple[str, ...] = ()  # required params: "year", "meeting", "applicant"
    accepts: tuple[str, ...] = ("year",)  # params it uses
    periodic: bool = True  # included in the hand-in package for the period
    description: str = ""
    sensitive: tuple[str, ...] = field(default_factory=tuple)  # what `masked` hides, for the docs
    # For templates of one record ("meeting", "applicant"): the records to pick from, as (id, label).
    choices: Callable[[Ledger], list[tuple[int, str]]] | None = None


_TEMPLATES: dict[str, Template] = {}


def register(t: Template) -> Template:
    _TEMPLATES[t.key] = t
    return t


def templates() -> list[Template]:
    for name in TEMPLATE_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as e:
            if e.name != name:
                raise
    order = {k.rsplit(".", 1)[1]: i for i, k in enumerate(TEMPLATE_MODULES)}
    return sorted(_TEMPLATES.values(), key=lambda t: (order.get(t.key.split("-")[0], 99), t.key))


def get(key: str) -> Template:
    for t in templates():
        if t.key == key:
            return t
    known = "、".join(t.key for t in templates())
    raise KeyError(f"没有名为“{key}”的模板。可用的模板：{known}")


def missing_params(t: Template, p: Params) -> list[str]:
    labels = {"year": "--year 年度", "meeting": "--meeting 会议编号", "applicant": "--applicant 发展对象编号"}
    have = {
        "year": p.year is not None,
        "meeting": p.meeting_id is not None,
        "applicant": p.applicant_id is not None,
    }
    return [labels[n] for n in t.needs if not have.get(n)]


def export(
    ledger: Ledger,
    key: str,
    params: Params,
    fmt: str,
    out: Path,
    progress: Progress = no_progress,
    cancelled: Cancelled = never,
) -> Path:
    """Build a template's report and write it whole (temporary name, then rename)."""
    from exports.pdf import write_pdf
    from exports.xlsx import write_xlsx

    t = get(key)
    if fmt not in t.formats:
        raise ValueError(f"模板“{t.title}”不支持 {fmt} 格式")
    progress(0, 3, f"正在整理{t.title}")
    report = t.build(ledger, params)
    if cancelled():
        raise ExportCancelled()
    progress(1, 3, f"正在写入{t.title}")
    writer = write_pdf if fmt == "pdf" else write_xlsx
    writer(report, out)
    progress(3, 3, "完成")
    return out
