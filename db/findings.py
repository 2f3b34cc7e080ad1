"""Findings: what is missing, overdue or wrong as of a date (CONTRACT.md §4).

Each area registers a provider `fn(ledger, as_of) -> list[Finding]` with `@provider("area")`; `check()` runs them
all. The GUI's 工作台 and `ledger check` call the same `check()`.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from db import clock

if TYPE_CHECKING:
    from db.connection import Ledger

SEVERITIES = ("error", "warning", "reminder")
SEVERITY_LABELS = {"error": "问题", "warning": "提醒", "reminder": "待办"}
SEVERITY_ORDER = {s: i for i, s in enumerate(SEVERITIES)}

# Subject types and the GUI section that fixes them.
SUBJECT_SECTIONS = {
    "member": "roster",
    "branch": "branch",
    "committee": "branch",
    "party_group": "branch",
    "meeting": "meetings",
    "period": "meetings",
    "dues": "dues",
    "remittance": "dues",
    "applicant": "development",
    "checklist": "checklist",
    "checklist_item": "checklist",
    "appraisal": "orglife",
    "talk": "orglife",
    "study": "orglife",
    "rectification": "orglife",
    "transfer": "roster",
    "guide_item": "guide",
    "project": "guide",
}

# Findings fixed on another screen than their subject type's (an O06 or an L03 names a member, and is fixed on
# the 组织生活 screen's 学时 or 流动党员 tab, not in the roster): by whole code, else by the code's area letter.
CODE_SECTIONS = {
    "O": "orglife",
    "L02": "orglife",
    "L03": "orglife",
    "L04": "orglife",
    "L05": "orglife",
    "L06": "orglife",
    "L07": "orglife",
}


def section_for(f: Finding) -> str | None:
    """The GUI section that fixes a finding."""
    return CODE_SECTIONS.get(f.code) or CODE_SECTIONS.get(f.code[:1]) or SUBJECT_SECTIONS.get(f.subject_type)


# Area of a code by its first letter.
AREAS = {
    "M": "三会一课",
    "P": "党费",
    "D": "发展党员",
    "T": "组织建设",
    "C": "六个一",
    "R": "党员信息",
    "O": "组织生活",
    "L": "组织关系",
    "K": "园区要求",
}


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    subject_type: str
    subject_id: int | None
    subject_name: str
    message: str
    period: str | None = None
    due: dt.date | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "subject": {"type": self.subject_type, "id": self.subject_id, "name": self.subject_name},
            "period": self.period,
            "due": self.due.isoformat() if self.due else None,
            "message": self.message,
        }

    @property
    def area(self) -> str:
        return AREAS.get(self.code[:1], "其他")


Provider = Callable[["Ledger", dt.date], list[Finding]]
_PROVIDERS: dict[str, Provider] = {}
# (ledger, as_of, kept findings, changed tables, since op) -> the kept findings brought up to date, or None
Updater = Callable[["Ledger", dt.date, list[Finding], set[str], int], "list[Finding] | None"]
_UPDATERS: dict[str, Updater] = {}

# Modules that register providers; imported on first use so `import db` stays light.
PROVIDER_MODULES = (
    "db.members",
    "db.committee",
    "db.meetings",
    "db.dues",
    "db.development",
    "db.checklists",
    "db.appraisals",
    "db.talks",
    "db.study",
    "db.rectifications",
    "db.transfers",
    "db.mobility",
    "db.honors",
    "db.care",
    "db.guide_lists",
    "db.projects",
)


def provider(area: str) -> Callable[[Provider], Provider]:
    def register(fn: Provider) -> Provider:
        _PROVIDERS[area] = fn
        return fn

    return register


def updater(area: str) -> Callable[[Updater], Updater]:
    """Register how an area's kept findings are brought up to date after operations instead of computed again
    (`Ledger.memo_reads`'s `update`): it returns a new list equal to what the provider gives now, or None to
    have the provider run."""

    def register(fn: Updater) -> Updater:
        _UPDATERS[area] = fn
        return fn

    return register


def _load_providers() -> None:
    for name in PROVIDER_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as e:
            if e.name != name:
                raise


def load_providers_while(go_on: Callable[[], bool]) -> int:
    """Import the provider modules, in the order `check` runs them, while `go_on()` says so (asked before each):
    the app does it while its GUI thread would otherwise only wait for a large ledger's quick check, so the
    工作台's fill finds them imported. Returns how many it imported (or found imported)."""
    done = 0
    for name in PROVIDER_MODULES:
        if not go_on():
            break
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as e:
            if e.name != name:
                raise
        done += 1
    return done


def areas() -> list[str]:
    """The areas that have a provider, in the order `check` runs them. Known without importing them: a
    provider module `db.<area>` registers the area of its name."""
    out = [name.rsplit(".", 1)[1] for name in PROVIDER_MODULES if importlib.util.find_spec(name) is not None]
    return out + [a for a in _PROVIDERS if a not in out]


def check_area(ledger: Ledger, area: str, as_of: dt.date) -> list[Finding]:
    """One area's findings as of a date, unsorted. Kept per area until an operation changes a table the area
    read (Ledger.memo_reads): after recording a payment only the areas that read the payments are computed
    again."""
    if area not in _PROVIDERS:
        importlib.import_module(f"db.{area}")
    fn = _PROVIDERS[area]
    key = f"findings.{area}.{as_of.isoformat()}.{clock.today().isoformat()}"
    update = _UPDATERS.get(area)
    found: list[Finding] = ledger.memo_reads(
        key,
        lambda: fn(ledger, as_of),
        None if update is None else lambda kept, changed, since: update(ledger, as_of, kept, changed, since),
    )
    return list(found)


def ordered(found: list[Finding]) -> list[Finding]:
    """Most severe first, then by code and subject (the order of `check`)."""
    return sorted(
        found,
        key=lambda f: (SEVERITY_ORDER[f.severity], f.code, f.period or "", f.subject_name, f.subject_id or 0),
    )


def check(ledger: Ledger, as_of: dt.date) -> list[Finding]:
    """All findings as of a date, most severe first, then by code and subject."""
    _load_providers()
    out: list[Finding] = []
    for area in _PROVIDERS:
        out.extend(check_area(ledger, area, as_of))
    return finish(ledger, as_of, out)


def finish(ledger: Ledger, as_of: dt.date, found: list[Finding]) -> list[Finding]:
    """The areas' findings as `check` gives them: without what the paper records before the ledger's start
    cover (settings.records_start_on, issue #15), most severe first."""
    from db.opening.start import filter_findings

    return ordered(filter_findings(ledger, as_of, found))


def severity_for_level(level: str) -> str:
    """RULES.md §3.2 levels to finding severities (CONTRACT.md §4)."""
    return {"block": "error", "violation": "error", "warning": "warning"}.get(level, "reminder")
