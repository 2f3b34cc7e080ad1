"""What the 工作台 shows, as data: its figures, its findings and the year at a glance — one chart per area (三会一课
held/due, 党费 due/paid/remitted, 发展党员 by stage, 六个一 met), built from each area's year summary as of the
chosen day; an area the app does not have is left out. `parts` is the one recipe: the 工作台's refresh and its
start-up fill (desktop/sections/dashboard.py, dashboard_fill.py) and the early fill's process (db/early_fill.py)
all compute through it. desktop/sections/glance.py draws the charts; here they are plain data (no Qt)."""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from db import branch, clock, findings


@dataclass
class Bar:
    label: str
    value: float
    total: float | None  # None: scaled against the largest value in the chart
    text: str
    ok: bool = False  # drawn in green: the year's requirement is met (otherwise in the accent red)


@dataclass
class Chart:
    key: str  # the section it belongs to
    title: str
    bars: list[Bar] = field(default_factory=list)
    note: str = ""


def _module(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as e:
        if e.name != name:
            raise
        return None


def _money(text: Any) -> Decimal:
    try:
        return Decimal(str(text))
    except (InvalidOperation, ValueError):
        return Decimal(0)


def year_glance(ledger: Any, year: int, as_of: dt.date) -> list[Chart]:
    """The year's charts; an area whose module is not there has no chart."""
    charts: list[Chart] = []
    for build in GLANCE_BUILDERS:
        charts.extend(glance_charts(ledger, build, year, as_of))
    return charts


def glance_charts(ledger: Any, build: Any, year: int, as_of: dt.date) -> list[Chart]:
    """One area's charts, kept until an operation changes a table they were drawn from (Ledger.memo_reads)."""
    key = f"glance.{build.__name__}.{year}.{as_of.isoformat()}.{clock.today().isoformat()}"
    charts: list[Chart] = ledger.memo_reads(key, lambda: build(ledger, year, as_of))
    return charts


def _meetings_glance(ledger: Any, year: int, as_of: dt.date) -> list[Chart]:
    charts: list[Chart] = []
    meetings = _module("db.meetings")
    if meetings is not None and hasattr(meetings, "year_summary"):
        s = meetings.year_summary(ledger, year, as_of)
        from db.rules.meetings import KIND_LABELS as labels  # Chinese names, not the codes

        bars = [
            Bar(
                labels.get(k, k),
                s["held"].get(k, 0),
                n,
                f"{s['held'].get(k, 0)}/{n}",
                ok=s["held"].get(k, 0) >= n,
            )
            for k, n in s["required"].items()
            if n
        ]
        charts.append(
            Chart("meetings", f"{year}年会议：已开/应开", bars, "" if bars else "今年还没有到期的会议要求")
        )
    return charts


def _dues_glance(ledger: Any, year: int, as_of: dt.date) -> list[Chart]:
    charts: list[Chart] = []
    dues = _module("db.dues")
    if dues is not None and hasattr(dues, "year_summary"):
        s = dues.year_summary(ledger, year, as_of)
        due, paid, remitted = _money(s["due"]), _money(s["paid"]), _money(s["remitted"])
        charts.append(
            Chart(
                "dues",
                f"{year}年党费（元）",
                [
                    Bar(
                        "已收/应收",
                        float(paid),
                        float(due) or None,
                        f"{paid:,.2f} / {due:,.2f}",
                        ok=paid >= due,
                    ),
                    Bar(
                        "已上缴/已收",
                        float(remitted),
                        float(paid) or None,
                        f"{remitted:,.2f} / {paid:,.2f}",
                        ok=remitted >= paid,
                    ),
                ],
                f"有欠缴的党员：{s['arrears_members']}名" if s.get("arrears_members") else "没有欠缴",
            )
        )
    return charts


def _development_glance(ledger: Any, year: int, as_of: dt.date) -> list[Chart]:
    charts: list[Chart] = []
    dev = _module("db.development")
    if dev is not None and hasattr(dev, "year_summary"):
        # here, not at the top: the window imports this module before its first paint, and the development
        # rules (six modules, 7-11 ms) are needed only by the chart, computed after it
        from db.rules.development import STAGE_LABELS

        s = dev.year_summary(ledger, year, as_of)
        by = s.get("by_stage", {})
        bars = [
            Bar(STAGE_LABELS.get(k, k), by.get(k, 0), None, str(by.get(k, 0)))
            for k in STAGE_LABELS
            if k in by and k not in ("full", "stopped")
        ]
        charts.append(
            Chart(
                "development",
                f"{year}年发展党员：各阶段人数",
                bars,
                f"本年接收预备党员{s.get('admitted', 0)}名，转正{s.get('converted', 0)}名",
            )
        )
    return charts


def _checklists_glance(ledger: Any, year: int, as_of: dt.date) -> list[Chart]:
    charts: list[Chart] = []
    checklists = _module("db.checklists")
    if checklists is not None:
        s = checklists.year_summary(ledger, year)
        bars = [
            Bar(
                "项目达标",
                s["met"],
                s["items"] or None,
                f"{s['met']}/{s['items']}",
                ok=s["met"] >= s["items"],
            )
        ]
        if s["sub_items"]:
            bars.append(
                Bar(
                    "子项达标",
                    s["sub_met"],
                    s["sub_items"],
                    f"{s['sub_met']}/{s['sub_items']}",
                    ok=s["sub_met"] >= s["sub_items"],
                )
            )
        names = "、".join(checklists.checklist_names(ledger, year))
        charts.append(Chart("checklist", f"{year}年“{names}”自查", bars))
    return charts


GLANCE_BUILDERS = (_meetings_glance, _dues_glance, _development_glance, _checklists_glance)


def parts(ledger: Any, on: dt.date) -> Iterator[tuple[str, Callable[[], Any]]]:
    """The 工作台 as of `on`, in the order it is shown: (kind, compute). "figures" (the cards), one "area" per
    findings area (computed, not shown: each adds its findings), "found" (all of them, as `findings.check` gives
    them) and "charts" (the year's, in one part: shown together, one layout and one paint)."""

    def figures() -> dict[str, Any]:
        from db import members

        return {"summary": branch.summary(ledger, on), "no_members": not members.names(ledger)}

    found: list[findings.Finding] = []

    def area_part(area: str) -> Callable[[], None]:
        return lambda: found.extend(findings.check_area(ledger, area, on))

    yield "figures", figures
    for area in findings.areas():
        yield "area", area_part(area)
    yield "found", lambda: findings.finish(ledger, on, found)
    yield "charts", lambda: year_glance(ledger, on.year, on)


def warm(ledger: Any) -> None:
    """Read what a section's first visit reads most of, where the ledger keeps it (Ledger.memo_reads): the
    工作台's start-up fill calls this in its thread after the 工作台's own parts, and the window adopts what it
    built with them. The 三会一课 list counts every meeting's attendance (60-90 ms at 500 members, 20 years);
    the section then shows it without reading it. A failure here is left to that first visit, which reads it
    again and reports it as any refresh does (a database error here is not the 工作台's)."""
    meetings = _module("db.meetings")
    if meetings is None:
        return
    with contextlib.suppress(sqlite3.Error):  # only an early read: the section reads again and reports it
        meetings.list_meetings(ledger)
