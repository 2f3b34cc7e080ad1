"""流动党员 records (RULES-EXT.md §12) and their pure rules: an 外出 (`Outing`) with its 活动证 and contact log,
a month of 党费 paid at the 流入地 (`ElsewhereMonth`, LD08), a 失联 record (`Lost`, LD11)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from db.dates import add_months

KIND_LABELS = {
    "work": "务工经商",
    "study": "学习进修",
    "business": "因公外派",
    "family": "随迁/探亲",
    "other": "其他",
}
WAY_LABELS = {"phone": "电话", "visit": "走访", "online": "网络/微信", "letter": "书信", "report": "本人汇报"}

TRANSFER_MONTHS = 6  # ZZ01 / LD01: 外出 ≥ 6 months at a fixed place → transfer the relation (L02)
CONTACT_MONTHS = 6  # LD01/LD09: the 流出地 keeps in touch; more than half a year without contact → L03
LOST_MONTHS = 6  # LD11: 失联 ≥ 6 months → 停止党籍 review (L04), never an automatic action


@dataclass
class Contact:
    outing_id: int
    contacted_on: dt.date
    way: str = "phone"
    by_whom: str | None = None
    log_note: str | None = None
    id: int | None = None

    @property
    def way_label(self) -> str:
        return WAY_LABELS.get(self.way, self.way)


@dataclass
class Outing:
    member_id: int
    left_on: dt.date
    destination: str
    returned_on: dt.date | None = None
    employer: str | None = None
    kind: str = "work"
    away_reason: str | None = None
    fixed_place: bool = False
    contact: str | None = None
    host_branch: str | None = None
    host_contact: str | None = None
    card_no: str | None = None
    card_issued_on: dt.date | None = None
    card_valid_until: dt.date | None = None
    vote_elsewhere: bool = False
    notes: str | None = None
    id: int | None = None
    contacts: list[Contact] = field(default_factory=list, compare=False, metadata={"column": False})

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    def away_on(self, day: dt.date) -> bool:
        """Away on that day: left on or before it and not back yet (back on the day of return)."""
        return self.left_on <= day and (self.returned_on is None or self.returned_on > day)

    def last_contact(self, as_of: dt.date) -> dt.date | None:
        days = [c.contacted_on for c in self.contacts if c.contacted_on <= as_of]
        return max(days) if days else None


def transfer_due_on(o: Outing) -> dt.date | None:
    """ZZ01/L02: the day a member working at a fixed place has been away 6 months (the prompt to transfer)."""
    return add_months(o.left_on, TRANSFER_MONTHS) if o.fixed_place else None


def needs_transfer(o: Outing, as_of: dt.date) -> bool:
    due = transfer_due_on(o)
    return due is not None and o.away_on(as_of) and due <= as_of


def contact_overdue(o: Outing, as_of: dt.date) -> bool:
    """L03: away on the day and the last contact (else the day of leaving) more than half a year before it."""
    if not o.away_on(as_of):
        return False
    last = o.last_contact(as_of) or o.left_on
    return last < add_months(as_of, -CONTACT_MONTHS)


def vote_withheld(o: Outing, day: dt.date) -> bool:
    """LD03 / RULES.md §1.2: left out of 应到有表决权 while away, where the 党员大会 so decided with the 上级's
    consent (the record's `vote_elsewhere`)."""
    return o.vote_elsewhere and o.away_on(day)


@dataclass
class ElsewhereMonth:
    """LD08: a month of 党费 paid at the 流入地 — neither owed nor payable here."""

    member_id: int
    month: str
    place: str | None = None
    notes: str | None = None
    id: int | None = None


@dataclass
class Lost:
    """LD11: a member who cannot be reached since `since` (the last 组织生活 or 党费), found again on `found_on`."""

    member_id: int
    since: dt.date
    found_on: dt.date | None = None
    notes: str | None = None
    id: int | None = None

    def lost_on(self, day: dt.date) -> bool:
        return self.since <= day and (self.found_on is None or self.found_on > day)


def review_due_on(lost: Lost) -> dt.date:
    """L04: 失联 six months → the 停止党籍 review is due (LD11)."""
    return add_months(lost.since, LOST_MONTHS)


def review_due(lost: Lost, as_of: dt.date) -> bool:
    return lost.lost_on(as_of) and review_due_on(lost) <= as_of
