"""The dues findings for `ledger check` and the 待办 lists (RULES.md §2.3): P01 no 核定 for the year after 31 March,
P02 three to five months unpaid, P03 six or more (a review flag for the 支部大会, never an automatic action), P04 a
rule amount above the cap not yet confirmed, P05 a remittance overdue, and R03 neither 组织生活 nor dues for more
than six months (possible 失联). The amounts and streaks come from the `DuesBook`; the thresholds are here."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from db.dates import add_months, fmt_zh, month_end, month_start
from db.dues.book import DuesBook, _Person, touched_payments
from db.dues.model import _idx
from db.dues.reads import last_payment
from db.dues.remittance import remittance_rows
from db.findings import Finding, provider, updater
from db.opening.start import records_start
from db.opening.store import openings_by_member
from db.rules import dues as rules
from db.rules.dues import month_index, month_key_of, month_zh

if TYPE_CHECKING:
    from db.connection import Ledger


ARREARS_WARNING = 3  # P02 (RULES.md §2.3)
ARREARS_REVIEW = 6  # P03: 党章 第九条 review flag, never an automatic action


@provider("dues")
def findings(ledger: Ledger, as_of: dt.date) -> list[Finding]:
    """P01 no 核定 for the year after 31 March; P02 3–5 months unpaid; P03 6+ (a review flag for the 支部大会,
    never an automatic action); P04 a rule amount above the cap not yet confirmed; P05 remittance overdue;
    R03 no 组织生活 attendance and no dues for more than 6 months."""
    book = DuesBook.shared(ledger)
    out: list[Finding] = []
    now = _idx(as_of)
    for mid, person in book.people.items():
        if book.belongs(mid, now):
            out.extend(_member_findings(book, person, as_of))
    out.extend(_p04(book, as_of))
    out.extend(_p05(ledger, as_of))
    out.extend(_r03(ledger, book, as_of))
    return out


@updater("dues")
def _updated(
    ledger: Ledger, as_of: dt.date, kept: list[Finding], changed: set[str], since: int
) -> list[Finding] | None:
    """The kept findings after operations that changed only payments (recording a month, a payment, their
    undo), equal to `findings`: P01 and P04 read no payment and are kept; P02/P03 are counted again only for
    the members with a changed payment for a month that is over (the streak counts no other month); P05 and
    R03, which read the payments of every member, are computed again. None (computed afresh) when another
    table changed too, or too much changed."""
    if changed != {"dues_payments"}:
        return None
    touched = touched_payments(ledger, since)
    if touched is None:
        return None
    book = DuesBook.shared(ledger)
    now = _idx(as_of)
    again = {mid for mid, key in touched if month_index(key) < now}
    by_member: dict[int | None, list[Finding]] = {}
    p04: list[Finding] = []
    for f in kept:
        if f.code in _MEMBER_CODES:
            by_member.setdefault(f.subject_id, []).append(f)
        elif f.code == "P04":
            p04.append(f)
    out: list[Finding] = []
    for mid, person in book.people.items():
        if not book.belongs(mid, now):
            continue
        if mid in again:
            out.extend(_member_findings(book, person, as_of))
        else:
            out.extend(by_member.get(mid, ()))
    out.extend(p04)
    out.extend(_p05(ledger, as_of))
    out.extend(_r03(ledger, book, as_of))
    return out


_MEMBER_CODES = frozenset({"P01", "P02", "P03"})  # `_member_findings`' codes


def _member_findings(book: DuesBook, person: _Person, as_of: dt.date) -> list[Finding]:
    """P01, P02 and P03 of a member who belongs to the branch in the as-of month."""
    out: list[Finding] = []
    mid = person.id
    year = as_of.year
    # P01
    fixed = [
        b
        for b in person.bases
        if b.year == year
        and not b.draft
        and b.amount is not None
        and (b.fixed_on is None or b.fixed_on <= as_of)  # fixed later: not fixed yet as of the day
    ]
    if as_of > dt.date(year, 3, 31) and not fixed:
        drafts = any(b.year == year for b in person.bases)
        out.append(
            Finding(
                "P01",
                "warning",
                "dues",
                mid,
                person.name,
                f"{person.name}{year}年的党费基数"
                + ("已复制待确认" if drafts else "尚未核定")
                + "（年初核定，一般在第一季度完成）",
                period=str(year),
                due=dt.date(year, 3, 31),
            )
        )
    # P02 / P03
    streak, last = book.current_streak(mid, as_of)
    if streak >= ARREARS_WARNING:
        first = month_zh(month_key_of(last - streak + 1))
        lastm = month_zh(month_key_of(last))
        if streak >= ARREARS_REVIEW:
            out.append(
                Finding(
                    "P03",
                    "error",
                    "dues",
                    mid,
                    person.name,
                    f"{person.name}已连续 {streak} 个月未交纳党费（{first}至{lastm}）。党章第九条：无正当理由"
                    "连续6个月不交纳党费，视为自行脱党——请核实有无正当理由，需要时提请支部大会研究"
                    "（本软件不会自动处理）",
                    period=month_key_of(last),
                )
            )
        else:
            out.append(
                Finding(
                    "P02",
                    "warning",
                    "dues",
                    mid,
                    person.name,
                    f"{person.name}已连续 {streak} 个月未交纳党费（{first}至{lastm}），请提醒并帮助其按时交纳",
                    period=month_key_of(last),
                )
            )
    return out


def _p04(book: DuesBook, as_of: dt.date) -> list[Finding]:
    """P04: this year's 核定 and 年薪制 months above the cap, not confirmed."""
    out: list[Finding] = []
    year = as_of.year
    now = _idx(as_of)
    for person in book.people.values():
        for b in person.bases:
            if b.year != year:
                continue
            calc = b.rule_amount(book.rounding, book.cap)
            if calc is not None and calc.above_cap and not _by(b.cap_confirmed_on, as_of):
                out.append(
                    Finding(
                        "P04",
                        "reminder",
                        "dues",
                        person.id,
                        person.name,
                        f"{person.name}按规定每月应交 {calc.computed:,.2f} 元，超过 {book.cap:,.0f} 元"
                        f"（2017通知：一般不超过1000元），请书记确认每月交纳金额",
                        period=str(year),
                    )
                )
            for mb in b.month_bases.values():
                mcalc = rules.monthly_dues("annual_salary", mb.base, book.rounding, cap=book.cap)
                if mcalc.above_cap and not _by(mb.cap_confirmed_on, as_of) and month_index(mb.month) <= now:
                    out.append(
                        Finding(
                            "P04",
                            "reminder",
                            "dues",
                            person.id,
                            person.name,
                            f"{person.name}{month_zh(mb.month)}（年薪制）按当月收入应交 {mcalc.computed:,.2f} 元，"
                            f"超过 {book.cap:,.0f} 元，请书记确认当月交纳金额",
                            period=mb.month,
                        )
                    )
    return out


def _p05(ledger: Ledger, as_of: dt.date) -> list[Finding]:
    """P05: a remittance overdue, last year's periods and this year's."""
    out: list[Finding] = []
    year = as_of.year
    for y in range(year - 1, year + 1):
        # the payments summed from the dues book the findings built, not read again (two scans of the table)
        for r in remittance_rows(ledger, y, as_of=as_of, from_book=True):
            if r.overdue:
                out.append(
                    Finding(
                        "P05",
                        "warning",
                        "remittance",
                        None,
                        r.label,
                        f"{r.label}收缴的党费 {r.collected:,.2f} 元应于{fmt_zh(r.due_on)}前上缴上级党委，尚无上缴记录",
                        period=r.period,
                        due=r.due_on,
                    )
                )
    return out


def _by(day: dt.date | None, as_of: dt.date) -> bool:
    """Done on or before the as-of date (a confirmation dated later is not made yet)."""
    return day is not None and day <= as_of


def _r03(ledger: Ledger, book: DuesBook, as_of: dt.date) -> list[Finding]:
    """R03: no 组织生活 attendance and no dues for more than 6 months (possible 失联)."""
    try:
        from db import meetings

        last_attendance = meetings.last_attendance
    except (ModuleNotFoundError, AttributeError):
        return []  # without the meeting records attendance is unknown: say nothing rather than guess
    limit = add_months(as_of, -6)
    # who attended in the window (then the date does not matter); the others' last date is read for them alone.
    # Kept until the meetings change: a payment leaves it as it was, and it was 3 of R03's 4.5 ms at 500 members
    attended: dict[int, dt.date] = ledger.memo_reads(
        f"dues.r03.attended.{as_of.isoformat()}", lambda: last_attendance(ledger, as_of, since=limit)
    )
    start = records_start(ledger)
    if start is not None and as_of < start:
        return []  # the whole window lies in the paper era
    openings = openings_by_member(ledger)
    # 关怀豁免 (JG06: 年老体弱、身患重病 — 组织活动不作硬性要求) and members away (流动党员: the contact log and
    # L03 follow them) are not asked about here
    from db.care.store import exempt_ids
    from db.mobility.store import away_on

    quiet = set(exempt_ids(ledger, as_of)) | {o.member_id for o in away_on(ledger, as_of)}
    out: list[Finding] = []
    quiet_ones: list[tuple[int, tuple[dt.date | None, ...]]] = []
    for mid, person in book.people.items():
        if not book.belongs(mid, _idx(as_of)) or mid in quiet:
            continue
        since = min((a for a, _b in person.spans), default=None)
        if since is None or since >= limit:
            continue
        op = openings.get(mid)
        org = op.last_org_life_on if op and op.last_org_life_on and op.last_org_life_on <= as_of else None
        through = month_end(month_start(op.dues_paid_through)) if op and op.dues_paid_through else None
        if through is not None and through > as_of:
            through = as_of
        # before the ledger's start, a gap is known only where the paper's last date was entered (期初)
        if start is not None and limit < start and (org is None or through is None):
            continue
        if mid not in attended:
            quiet_ones.append((mid, (org, through)))
    # the last attendance and payment of those not seen at a meeting in the window, read for them alone
    ids = [mid for mid, _seen in quiet_ones]
    earlier = last_attendance(ledger, as_of, member_ids=ids)
    paid = last_payment(ledger, as_of, member_ids=ids)
    for mid, others in quiet_ones:
        person = book.people[mid]
        seen = (earlier.get(mid), paid.get(mid), *others)
        last_seen = max([d for d in seen if d is not None], default=None)
        if last_seen is None or last_seen < limit:
            when = f"最后一次为{fmt_zh(last_seen)}" if last_seen else "台账中没有记录"
            out.append(
                Finding(
                    "R03",
                    "warning",
                    "member",
                    mid,
                    person.name,
                    f"{person.name}超过6个月既未参加组织生活也未交纳党费（{when}），请尽快联系，核实是否失联",
                )
            )
    return out
