"""A year's score under a scheme: each item with its evidence (computed from the ledger's own read models —
db.meetings, db.dues, db.checklists, db.findings, db.posts — never a second set of queries) or the secretary's
manual check, the total, the stars the scheme's thresholds give, and the gaps with the screen that fixes each."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from db import clock
from db.dates import fmt_zh, from_iso, iso
from db.errors import InputRefused, Problem
from db.rules.meetings import KIND_LABELS as MEETING_KIND_LABELS
from db.scorecards.model import EVIDENCE_KINDS, Check, Item, Scheme, item_score, stars_for
from db.scorecards.schemes import _dec, get_scheme

if TYPE_CHECKING:
    from db.connection import Ledger


@dataclass
class Evidence:
    met: bool | None  # None: a manual item not yet checked
    detail: str  # what the ledger shows (or the secretary's evidence text)
    computed: bool


@dataclass
class ItemScore:
    item: Item
    evidence: Evidence
    score: Decimal
    check: Check | None

    @property
    def is_gap(self) -> bool:
        return self.evidence.met is not True

    @property
    def screen(self) -> str:
        k = EVIDENCE_KINDS.get(self.item.evidence)
        return k.screen if k else "park"


@dataclass
class YearScore:
    scheme: Scheme
    year: int
    as_of: dt.date
    items: list[ItemScore]
    total: Decimal
    stars: int | None

    @property
    def gaps(self) -> list[ItemScore]:
        return [s for s in self.items if s.is_gap]


class _Facts:
    """The read models a year's evidence draws on, each read once."""

    def __init__(self, ledger: Ledger, year: int, as_of: dt.date) -> None:
        self.ledger, self.year, self.as_of = ledger, year, as_of
        self._cache: dict[str, Any] = {}

    def get(self, key: str) -> Any:
        if key not in self._cache:
            led, y, on = self.ledger, self.year, self.as_of
            if key == "meetings":
                from db import meetings

                self._cache[key] = meetings.year_summary(led, y, as_of=on)
            elif key == "dues":
                from db import dues

                self._cache[key] = dues.year_summary(led, y, as_of=on)
            elif key == "checklist":
                from db import checklists

                self._cache[key] = checklists.year_summary(led, y)
            elif key == "findings":
                from db import findings

                self._cache[key] = [
                    f for f in findings.check(led, on) if f.period is None or f.period.startswith(str(y))
                ]
            elif key == "posts":
                from db import posts

                self._cache[key] = posts.posts_of_year(led, y)
        return self._cache[key]


def areas_of(codes: list[str]) -> list[str]:
    """The areas of finding codes or code prefixes, in words (the screen speaks words, not codes)."""
    from db.findings import AREAS

    out: list[str] = []
    for c in codes:
        a = AREAS.get(c[:1], "其他")
        if a not in out:
            out.append(a)
    return out


def _money(text: str) -> str:
    return f"{Decimal(text):,.2f}"


def evidence_of(facts: _Facts, item: Item, check: Check | None) -> Evidence:
    """What the ledger shows for one item (pure over the facts read once)."""
    e = item.evidence
    if e == "meetings_cadence":
        kind = str(item.params.get("kind"))
        s = facts.get("meetings")
        held, req = s["held"].get(kind, 0), s["required"].get(kind, 0)
        label = MEETING_KIND_LABELS.get(kind, kind)
        if req == 0:
            return Evidence(None, f"{label}：截至{fmt_zh(facts.as_of)}尚无应召开的周期", True)
        return Evidence(held >= req, f"{label}：应召开{req}次（按周期），已召开{held}次", True)
    if e == "dues_collected":
        s = facts.get("dues")
        ok = Decimal(s["paid"]) >= Decimal(s["due"]) and s["arrears_members"] == 0
        return Evidence(
            ok,
            f"应交{_money(s['due'])}元，已交{_money(s['paid'])}元，有欠交月份的党员{s['arrears_members']}人",
            True,
        )
    if e == "dues_remitted":
        s = facts.get("dues")
        paid, rem = Decimal(s["paid"]), Decimal(s["remitted"])
        return Evidence(
            rem >= paid and paid > 0, f"已收{_money(s['paid'])}元，已上缴{_money(s['remitted'])}元", True
        )
    if e == "checklist_met":
        s = facts.get("checklist")
        ok = s["items"] > 0 and s["met"] == s["items"] and s["sub_met"] == s["sub_items"]
        return Evidence(
            ok,
            f"清单{s['items']}项达标{s['met']}项，子项{s['sub_items']}项达标{s['sub_met']}项",
            True,
        )
    if e == "findings_clear":
        from db.rule_titles import TITLES, rule_title

        codes = [str(c) for c in item.params.get("codes") or []]
        what = "、".join(areas_of(codes))
        hits = [f for f in facts.get("findings") if any(f.code.startswith(c) for c in codes)]
        if not hits:
            return Evidence(True, f"没有{what}方面的工作提醒", True)
        shown = "；".join(
            f"{rule_title(f.code) if f.code in TITLES else f.area}（{f.subject_name}）" for f in hits[:3]
        )
        more = f"等{len(hits)}条" if len(hits) > 3 else f"共{len(hits)}条"
        return Evidence(False, f"有{what}方面的工作提醒{more}：{shown}", True)
    if e == "posts_active":
        need = int(item.params.get("min", 1))
        n = len(facts.get("posts"))
        return Evidence(n >= need, f"本年度在岗的示范岗/责任区{n}个（要求不少于{need}个）", True)
    # manual
    if check is None or check.met is None:
        return Evidence(None, "尚未核对", False)
    return Evidence(check.met, check.evidence or ("已核对达标" if check.met else "已核对未达标"), False)


def _check(r: Any) -> Check:
    return Check(
        r["scheme_id"],
        r["year"],
        r["item_key"],
        None if r["met"] is None else bool(r["met"]),
        _dec(r["score"]) if r["score"] is not None else None,
        r["evidence"],
        from_iso(r["checked_on"]),
        r["id"],
    )


def checks_of(ledger: Ledger, scheme_id: int, year: int) -> dict[str, Check]:
    return {
        r["item_key"]: _check(r)
        for r in ledger.query(
            "SELECT * FROM scorecard_checks WHERE scheme_id=? AND year=?", (scheme_id, year)
        )
    }


def year_score(ledger: Ledger, scheme_id: int, year: int, as_of: dt.date | None = None) -> YearScore:
    """The year's self-assessment as of a day (default: the year's end, or today while the year runs)."""
    on = as_of or min(dt.date(year, 12, 31), clock.today())
    scheme = get_scheme(ledger, scheme_id)
    facts = _Facts(ledger, year, on)
    checks = checks_of(ledger, scheme_id, year)
    out: list[ItemScore] = []
    for it in scheme.items:
        c = checks.get(it.key)
        ev = evidence_of(facts, it, c)
        if ev.computed and c is not None and c.evidence:
            ev = Evidence(ev.met, f"{ev.detail}；{c.evidence}", True)
        out.append(ItemScore(it, ev, item_score(it, ev.met, c.score if c else None), c))
    total = sum((s.score for s in out), Decimal(0))
    return YearScore(scheme, year, on, out, total, stars_for(total, scheme.stars))


def save_check(ledger: Ledger, c: Check) -> int:
    """SaveScorecardCheck: the secretary's check of one item (met or not, partial score, evidence)."""
    s = get_scheme(ledger, c.scheme_id)
    it = s.find(c.item_key)
    problems: list[Problem] = []
    if it is None:
        problems.append(Problem(f"评分标准中没有编号为“{c.item_key}”的指标", column="指标"))
    elif c.score is not None and not Decimal(0) <= c.score <= it.points:
        problems.append(Problem(f"得分应在0到{it.points}之间", column="得分"))
    if problems:
        raise InputRefused(problems, "自评未保存")
    assert it is not None
    row = {
        "met": None if c.met is None else int(c.met),
        "score": str(c.score) if c.score is not None else None,
        "evidence": (c.evidence or "").strip() or None,
        "checked_on": iso(c.checked_on or clock.today()),
    }
    with ledger.operation("SaveScorecardCheck", f"{c.year}年自评：{it.title}") as op:
        cur = ledger.conn.execute(
            "INSERT INTO scorecard_checks (scheme_id, year, item_key, met, score, evidence, checked_on) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (scheme_id, year, item_key) DO UPDATE SET "
            "met=excluded.met, score=excluded.score, evidence=excluded.evidence, checked_on=excluded.checked_on",
            (c.scheme_id, c.year, c.item_key, *row.values()),
        )
        op.value = int(cur.lastrowid or 0)
    return int(op.value)


def year_summary(ledger: Ledger, year: int, as_of: dt.date | None = None) -> dict[str, Any] | None:
    """The self-assessment in one line (for the 报送包 manifest): the scheme in force, the score, the stars, the
    gaps; None when no scheme is stored."""
    from db.scorecards.schemes import scheme_for

    scheme = scheme_for(ledger, year)
    if scheme is None or scheme.id is None:
        return None
    ys = year_score(ledger, scheme.id, year, as_of)
    return {
        "scheme": scheme.name,
        "scheme_year": scheme.year,
        "example": scheme.example,
        "total": str(ys.total),
        "max": str(scheme.total_points),
        "stars": ys.stars,
        "gaps": [g.item.key for g in ys.gaps],
    }
