"""Cadence (RULES.md §1.1): the year grid of each kind (and each 党小组) by period — held, missing, due, not
required or future as of a date — and the year's held/required summary. Which periods a kind has and what a
cell's state is are the pure rules in db/rules/meetings.py; this file gathers the facts they need (the roster
on a date, the committee, the groups and the meetings held) and lays the grid out.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from db import clock
from db.meetings.attendance import RosterCache
from db.opening.start import records_start
from db.rules import meetings as rules
from db.rules.meetings import KIND_LABELS, KINDS

if TYPE_CHECKING:
    from db.connection import Ledger


@dataclass(frozen=True)
class Cell:
    period: rules.Period
    required: bool
    state: str
    meeting_ids: tuple[int, ...]


@dataclass(frozen=True)
class CadenceRow:
    kind: str
    group_id: int | None
    label: str
    cadence: str
    cells: tuple[Cell, ...]


class _Context:
    """Cached facts for cadence over one ledger: roster counts, committee, groups, held meetings."""

    def __init__(self, ledger: Ledger) -> None:
        from db import branch

        self.ledger = ledger
        self.branch_mod = branch
        b = branch.get_branch(ledger)
        self.founded = b.founded_on if b else None
        self.groups = branch.list_groups(ledger)
        self.lecture_cadence = str(ledger.setting("lecture_cadence") or "quarter")
        self.records_start = records_start(ledger)
        self._counts: dict[dt.date, dict[str, int]] = {}
        self.roster = RosterCache(ledger)
        self.held: list[tuple[dt.date, str, int | None, int]] = [
            (dt.date.fromisoformat(r["date"]), r["kind"], r["group_id"], r["id"])
            for r in ledger.query(
                "SELECT m.id, m.date, m.group_id, k.kind FROM meetings m "
                "JOIN meeting_kinds k ON k.meeting_id = m.id"
            )
        ]
        self._held_by_kind: dict[str, list[tuple[dt.date, str, int | None, int]]] = {}
        for h in sorted(self.held, key=lambda h: h[0]):
            self._held_by_kind.setdefault(h[1], []).append(h)
        # each kind's meeting days in order: a period's meetings found by bisection, not by a scan of all
        self._days_by_kind = {k: [h[0] for h in held] for k, held in self._held_by_kind.items()}

    def counts(self, on: dt.date) -> dict[str, int]:
        if on not in self._counts:
            roster = self.roster.on(on)
            full = sum(1 for r in roster if r.category == "full")
            self._counts[on] = {"total": len(roster), "full": full, "probationary": len(roster) - full}
        return self._counts[on]

    def branch_exists(self, period: rules.Period, as_of: dt.date) -> bool:
        on = min(period.end, as_of)
        if self.founded and self.founded > period.end:
            return False
        return self.counts(on)["total"] > 0

    def committee_required(self, period: rules.Period, as_of: dt.date) -> bool:
        on = min(period.end, as_of)
        b = self.branch_mod
        current = [t for t in self.roster.terms if t.active_on(on)]
        has = bool(current) and current[-1].kind == "committee"
        return has or self.counts(on)["full"] >= b.COMMITTEE_THRESHOLD

    def meetings_in(
        self, kind: str, period: rules.Period, as_of: dt.date, group_id: int | None = None
    ) -> tuple[int, ...]:
        """The meetings of a kind held in the period on or before `as_of` (one dated later is not held yet)."""
        held = self._held_by_kind.get(kind)
        if not held:
            return ()
        days = self._days_by_kind[kind]
        lo = bisect.bisect_left(days, period.start)
        hi = bisect.bisect_right(days, min(period.end, as_of))
        return tuple(sorted({h[3] for h in held[lo:hi] if group_id is None or h[2] == group_id}))


def _cell(ctx: _Context, p: rules.Period, req: bool, held: tuple[int, ...], as_of: dt.date) -> Cell:
    """One period's cell; a period that began before the electronic ledger's start and has no record in it was
    kept on paper (纸质台账): neither required nor missing (settings.records_start_on, issue #15)."""
    if not held and ctx.records_start is not None and p.start < ctx.records_start:
        return Cell(p, False, rules.PAPER, held)
    return Cell(p, req, rules.cell_state(p, req, len(held), as_of), held)


def _rows_for_year(ctx: _Context, year: int, as_of: dt.date) -> list[CadenceRow]:
    rows: list[CadenceRow] = []
    for kind in KINDS:
        cadence = rules.cadence_of(kind, ctx.lecture_cadence)
        if kind == "group":
            for g in ctx.groups:
                assert g.id is not None
                ystart, yend = dt.date(year, 1, 1), dt.date(year, 12, 31)
                if (g.created_on and g.created_on > yend) or (g.dissolved_on and g.dissolved_on <= ystart):
                    continue
                cells = []
                for p in rules.periods_of(year, cadence):
                    req = ctx.branch_exists(p, as_of) and rules.group_required(
                        g.created_on, g.dissolved_on, p
                    )
                    held = ctx.meetings_in(kind, p, as_of, g.id)
                    cells.append(_cell(ctx, p, req, held, as_of))
                rows.append(CadenceRow(kind, g.id, f"党小组会（{g.name}）", cadence, tuple(cells)))
            continue
        cells = []
        for p in rules.periods_of(year, cadence):
            req = ctx.branch_exists(p, as_of)
            if req and kind == "committee":
                req = ctx.committee_required(p, as_of)
            held = ctx.meetings_in(kind, p, as_of)
            cells.append(_cell(ctx, p, req, held, as_of))
        rows.append(CadenceRow(kind, None, KIND_LABELS[kind], cadence, tuple(cells)))
    return rows


def cadence_grid(ledger: Ledger, year: int, as_of: dt.date | None = None) -> list[CadenceRow]:
    """The year view: per kind (and per 党小组) the periods of the year, each held / missing / due / not required
    / future as of a date (RULES.md §1.1)."""
    return _rows_for_year(_Context(ledger), year, as_of or clock.today())


def year_summary(ledger: Ledger, year: int, as_of: dt.date | None = None) -> dict[str, Any]:
    """{"held": {kind: n}, "required": {kind: n}}: required periods of the year up to as_of (ended periods, and
    the current one once held), and how many of them had the meeting."""
    as_of = as_of or min(dt.date(year, 12, 31), clock.today())
    held: dict[str, int] = {k: 0 for k in KINDS}
    required: dict[str, int] = {k: 0 for k in KINDS}
    for row in cadence_grid(ledger, year, as_of):
        for c in row.cells:
            if not c.required or c.period.start > as_of:
                continue
            if c.period.end <= as_of or c.meeting_ids:
                required[row.kind] += 1
                if c.meeting_ids:
                    held[row.kind] += 1
    return {"held": held, "required": required}
