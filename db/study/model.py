"""学时 records (RULES-EXT.md §10): training outside the branch's meetings entered by hand or from a sheet, a
member's exemption for a year (§13.2 JG06), and the member-year total against its target."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from db.rules.orglife import STUDY_FORM_LABELS


@dataclass
class StudyRecord:
    member_id: int
    held_on: dt.date
    title: str
    hours: Decimal
    form: str = "central"
    organizer: str | None = None
    evidence: str | None = None
    id: int | None = None

    @property
    def form_label(self) -> str:
        return STUDY_FORM_LABELS.get(self.form, self.form)


@dataclass
class Exemption:
    member_id: int
    year: int
    reason: str
    id: int | None = None


@dataclass(frozen=True)
class MeetingHours:
    """A branch meeting that counts (XS04) and the 学时 it gives (XS06)."""

    meeting_id: int
    date: dt.date
    title: str
    hours: Decimal


@dataclass
class MemberYear:
    """One member's 学时 for a year: from meetings attended and from records, against the target."""

    member_id: int
    name: str
    on_committee: bool
    target: Decimal
    meetings: list[MeetingHours] = field(default_factory=list)
    records: list[StudyRecord] = field(default_factory=list)
    exemption: str | None = None

    @property
    def meeting_hours(self) -> Decimal:
        return sum((m.hours for m in self.meetings), Decimal(0))

    @property
    def record_hours(self) -> Decimal:
        return sum((r.hours for r in self.records), Decimal(0))

    @property
    def total(self) -> Decimal:
        return self.meeting_hours + self.record_hours

    @property
    def central(self) -> int:
        """集中培训 records (XS03: the committee needs at least one)."""
        return sum(1 for r in self.records if r.form == "central")

    @property
    def short(self) -> Decimal:
        return max(Decimal(0), self.target - self.total)

    @property
    def met(self) -> bool:
        return self.exemption is not None or self.total >= self.target
