"""The registry of templates: each declares its name, formats and options; the export dialog and `ledger
export` are built from this list, so a new template is one new module in exports/templates/."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from db import clock
from db.dates import month_end, quarter_bounds
from db.errors import LedgerError
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
    "exports.templates.appraisal",
    "exports.templates.study_hours",
    "exports.templates.transfers",
    "exports.templates.stats",
    "exports.templates.guide",
    "exports.templates.project",
    "exports.templates.findings",
    "exports.templates.posts",
    "exports.templates.scorecard",
)


class ParamError(LedgerError, ValueError):
    """A template cannot be made with these parameters: the record asked for does not exist, or a period the
    template does not follow. `str()` is a Chinese sentence; the CLI exits 1 with it, the GUI shows it."""


PERIOD_PARAMS = ("quarter", "month")


@dataclass(frozen=True)
class Params:
    """What a template may take: the period, one record, and whether personal data must be masked."""

    year: int | None = None
    quarter: int | None = None
    month: int | None = None
    meeting_id: int | None = None
    applicant_id: int | None = None
    transfer_id: int | None = None  # one 组织关系转接 record (介绍信 / 回执)
    as_of: dt.date | None = None
    masked: bool = False

    def period_bounds(self) -> tuple[dt.date, dt.date] | None:
        """First and last day of the period asked for (a month, a quarter or the year); None without a year."""
        if not self.year:
            return None
        if self.month:
            first = dt.date(self.year, self.month, 1)
            return first, month_end(first)
        if self.quarter:
            return quarter_bounds(self.year, self.quarter)
        return dt.date(self.year, 1, 1), dt.date(self.year, 12, 31)

    def as_of_date(self) -> dt.date:
        """The day a report stands on: the given date, else the last day of a past period, else today."""
        if self.as_of:
            return self.as_of
        today = clock.today()
        bounds = self.period_bounds()
        if bounds and bounds[1] < today:
            return bounds[1]
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
    # Why --quarter/--month are refused, for templates that do not take them (shown after the refusal).
    period_note: str = ""


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
    labels = {
        "year": "--year 年度",
        "meeting": "--meeting 会议编号",
        "applicant": "--applicant 发展对象编号",
        "transfer": "--transfer 转接记录编号",
    }
    have = {
        "year": p.year is not None,
        "meeting": p.meeting_id is not None,
        "applicant": p.applicant_id is not None,
        "transfer": p.transfer_id is not None,
    }
    return [labels[n] for n in t.needs if not have.get(n)]


def period_problems(t: Template, p: Params) -> list[str]:
    """Chinese reasons why the period given (--quarter/--month) cannot be honoured by this template; a report
    never names a period its content does not follow."""
    given = [n for n, v in (("quarter", p.quarter), ("month", p.month)) if v is not None]
    if not given:
        return []
    flags = "、".join(f"--{n}" for n in given)
    accepts = set(t.accepts) | set(t.needs)
    refused = [n for n in given if n not in accepts]
    if refused:
        why = t.period_note or f"“{t.title}”不按季度或月份编制"
        return [f"模板“{t.title}”不接受 {'、'.join(f'--{n}' for n in refused)}：{why}。"]
    if len(given) > 1:
        return ["--quarter 和 --month 只能给一个"]
    if p.year is None:
        return [f"{flags} 需要同时给出 --year 年度"]
    return []


def check_params(t: Template, p: Params) -> None:
    """Raise ParamError unless the template can be made with these parameters (before any work is done)."""
    problems = period_problems(t, p)
    missing = missing_params(t, p)
    if missing:
        problems.insert(0, f"模板“{t.title}”需要参数：{'、'.join(missing)}")
    if problems:
        raise ParamError("；".join(problems))


def writer(fmt: str) -> Callable[[Report, Path], Any]:
    """The renderer of a format: PDF (reportlab), Excel (openpyxl), Word (python-docx, for the records a
    secretary edits before they go out)."""
    if fmt == "pdf":
        from exports.pdf import write_pdf

        return write_pdf
    if fmt == "docx":
        from exports.docx_out import write_docx

        return write_docx
    from exports.xlsx import write_xlsx

    return write_xlsx


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
    t = get(key)
    if fmt not in t.formats:
        raise ParamError(f"模板“{t.title}”不支持 {fmt} 格式")
    check_params(t, params)
    progress(0, 3, f"正在整理{t.title}")
    report = t.build(ledger, params)
    if cancelled():
        raise ExportCancelled()
    progress(1, 3, f"正在写入{t.title}")
    writer(fmt)(report, out)
    progress(3, 3, "完成")
    return out
