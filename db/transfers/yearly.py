"""党内统计 年报表 增减 (RULES.md §6.6): the year's changes of the roster, as of 31 December, counted from the dated
roster itself so that 年初数 + 增加 − 减少 = 年末数 always holds.

Every member's standing (in the branch or not, `members.in_branch_on`) is followed through the year; each entry is
an increase, each exit a decrease, classified by what the ledger records for that day: a 转入 letter, admission as
预备党员 (发展), a 恢复 of 党籍; a 转出 letter or status 已转出, 去世, 出党/除名, 停止党籍."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from db import members as members_mod

if TYPE_CHECKING:
    from db.connection import Ledger

INCREASE_LABELS = {
    "admitted": "发展党员（接收预备党员）",
    "transfer_in": "组织关系转入",
    "restored": "恢复党籍",
    "other_in": "其他增加（补录等）",
}
DECREASE_LABELS = {
    "transfer_out": "组织关系转出",
    "deceased": "死亡",
    "left": "出党、除名",
    "suspended": "停止党籍",
    "other_out": "其他减少",
}
STATUS_DECREASE = {
    "transferred_out": "transfer_out",
    "deceased": "deceased",
    "left": "left",
    "suspended": "suspended",
}


@dataclass
class YearChanges:
    year: int
    start: int = 0  # 年初数: in the branch on 31 December of the year before
    end: int = 0  # 年末数: in the branch on 31 December
    increases: dict[str, int] = field(default_factory=lambda: dict.fromkeys(INCREASE_LABELS, 0))
    decreases: dict[str, int] = field(default_factory=lambda: dict.fromkeys(DECREASE_LABELS, 0))

    @property
    def increase(self) -> int:
        return sum(self.increases.values())

    @property
    def decrease(self) -> int:
        return sum(self.decreases.values())

    @property
    def adds_up(self) -> bool:
        return self.start + self.increase - self.decrease == self.end


def year_changes(ledger: Ledger, year: int) -> YearChanges:
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    before = first - dt.timedelta(days=1)
    hist = members_mod._history(ledger)
    ins = {
        (int(r[0]), r[1])
        for r in ledger.query("SELECT member_id, transfer_on FROM transfers WHERE direction='in'")
    }
    outs = {
        (int(r[0]), r[1])
        for r in ledger.query("SELECT member_id, transfer_on FROM transfers WHERE direction='out'")
    }
    out = YearChanges(year)
    for m in members_mod.list_members(ledger):
        assert m.id is not None
        status_hist = hist.get((m.id, "status"), [])
        days = {d for d in (m.in_branch_since, m.joined_on, m.status_changed_on) if d and first <= d <= last}
        days |= {
            dt.date.fromisoformat(c[0]) for c in status_hist if first.isoformat() <= c[0] <= last.isoformat()
        }
        inside = members_mod.in_branch_on(m, before, status_hist)
        if inside:
            out.start += 1
        for day in sorted(days):
            now = members_mod.in_branch_on(m, day, status_hist)
            if now == inside:
                continue
            key = day.isoformat()
            if now:
                came_from = members_mod._value_on(m.status, status_hist, day - dt.timedelta(days=1))
                if (m.id, key) in ins:
                    out.increases["transfer_in"] += 1
                elif m.joined_on == day:
                    out.increases["admitted"] += 1
                elif came_from == "suspended" and not inside:
                    out.increases["restored"] += 1
                else:
                    out.increases["other_in"] += 1
            else:
                status = members_mod._value_on(m.status, status_hist, day)
                if (m.id, key) in outs:
                    out.decreases["transfer_out"] += 1
                else:
                    out.decreases[STATUS_DECREASE.get(str(status), "other_out")] += 1
            inside = now
        if inside:
            out.end += 1
    return out
