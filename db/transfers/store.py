"""Reading and writing 组织关系转接 records: TransferOut (the letter, its number, the member off the roster),
RecordReceipt (ZZ06), TransferIn (the member created or back on the roster), DeleteTransfer (the latest letter only,
so the year's numbers keep no gaps)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING, Any

from db import branch, clock
from db import members as members_mod
from db import settings as settings_mod
from db.dates import fmt_zh, from_iso, iso, month_key
from db.errors import InputRefused, Problem
from db.transfers.model import (
    CHANNEL_LABELS,
    DEFAULT_VALID_DAYS,
    MAX_VALID_DAYS,
    Transfer,
    dues_behind,
    letter_number,
    next_seq,
)

if TYPE_CHECKING:
    from db.connection import Ledger

COLUMNS = (
    "direction",
    "member_id",
    "letter_year",
    "letter_seq",
    "letter_no",
    "issued_on",
    "transfer_on",
    "category",
    "from_org",
    "to_org",
    "addressee",
    "dues_paid_through",
    "valid_days",
    "channel",
    "reason",
    "handled_by",
    "receipt_on",
    "receipt_by",
    "admitted_on",
    "extension_months",
    "archive_checked",
    "notes",
)
DATE_COLUMNS = ("issued_on", "transfer_on", "receipt_on", "admitted_on")
TEXT_COLUMNS = (
    "letter_no",
    "from_org",
    "to_org",
    "addressee",
    "reason",
    "handled_by",
    "receipt_by",
    "archive_checked",
    "notes",
)


def _transfer(r: Any) -> Transfer:
    data = {k: r[k] for k in COLUMNS}
    for k in DATE_COLUMNS:
        data[k] = from_iso(data[k])
    return Transfer(**data, id=r["id"])


def _params(t: Transfer) -> dict[str, Any]:
    d = {k: getattr(t, k) for k in COLUMNS}
    for k in DATE_COLUMNS:
        d[k] = iso(d[k])
    for k in TEXT_COLUMNS:
        d[k] = (d[k] or "").strip() or None
    return d


# ------------------------------------------------------------------------------------------ reading


def list_transfers(
    ledger: Ledger, *, direction: str | None = None, year: int | None = None, until: dt.date | None = None
) -> list[Transfer]:
    """Letters, oldest first: one direction, of a year (by transfer date), or recorded as of a date."""
    where: list[str] = ["1=1"]
    params: list[object] = []
    if direction:
        where.append("direction=?")
        params.append(direction)
    if year is not None:
        where.append("transfer_on BETWEEN ? AND ?")
        params += [f"{year}-01-01", f"{year}-12-31"]
    if until is not None:
        where.append("COALESCE(issued_on, transfer_on) <= ?")
        params.append(until.isoformat())
    sql = f"SELECT * FROM transfers WHERE {' AND '.join(where)} ORDER BY transfer_on, id"
    return [_transfer(r) for r in ledger.query(sql, params)]


def get_transfer(ledger: Ledger, transfer_id: int) -> Transfer:
    r = ledger.query_one("SELECT * FROM transfers WHERE id=?", (transfer_id,))
    if r is None:
        raise InputRefused([Problem(f"组织关系转接记录 {transfer_id} 不存在")])
    return _transfer(r)


def letters_of_year(ledger: Ledger, year: int) -> list[int]:
    return [
        int(r[0])
        for r in ledger.query(
            "SELECT letter_seq FROM transfers WHERE direction='out' AND letter_year=?", (year,)
        )
    ]


def transfer_choices(ledger: Ledger) -> list[tuple[int, str]]:
    """(id, label) of every letter, newest first: for the export of one letter."""
    names = members_mod.names(ledger)
    out = []
    for t in reversed(list_transfers(ledger)):
        assert t.id is not None
        no = f"第{t.number}号" if t.number else "（无编号）"
        out.append(
            (t.id, f"{t.direction_label} {names.get(t.member_id, '')} {no}（{fmt_zh(t.transfer_on)}）")
        )
    return out


def valid_days_setting(ledger: Ledger) -> int:
    return int(settings_mod.get(ledger, "transfer_valid_days", DEFAULT_VALID_DAYS) or DEFAULT_VALID_DAYS)


def issuer_name(ledger: Ledger) -> str:
    """ZZ03: the letter is issued by the 基层党委 with 接转权限: the branch's upper 党委, else the branch."""
    b = branch.get_branch(ledger)
    if b is None:
        return ""
    return (b.upper_org or b.name or "").strip()


def draft_out(ledger: Ledger, member_id: int, on: dt.date | None = None) -> Transfer:
    """A 转出 letter filled from the ledger: the member's category that day, 党费已交到 from the dues ledger (ZZ08),
    the 有效期 setting (ZZ07), the issuer, the next number of the year."""
    from db import dues

    on = on or clock.today()
    m = members_mod.get(ledger, member_id)
    hist = members_mod._history(ledger)
    return Transfer(
        "out",
        member_id,
        on,
        category=members_mod.category_on(m, on, hist.get((member_id, "category"))),
        letter_year=on.year,
        letter_seq=next_seq(letters_of_year(ledger, on.year)),
        issued_on=on,
        from_org=branch.branch_name(ledger),
        dues_paid_through=dues.paid_up_to(ledger, member_id, on),
        valid_days=valid_days_setting(ledger),
    )


# ------------------------------------------------------------------------------------------ validation


def validate(ledger: Ledger, t: Transfer) -> tuple[list[Problem], list[Problem]]:
    """(errors, warnings) of a letter before it is saved."""
    errors: list[Problem] = []
    warnings: list[Problem] = []
    today = clock.today()
    if t.direction not in ("out", "in"):
        return [Problem("转接方向只能是转出或转入")], []
    if t.transfer_on is None:
        return [Problem("请填写转接日期", column="日期")], []
    if t.transfer_on > today:
        errors.append(Problem(f"日期{fmt_zh(t.transfer_on)}在今天之后；请在办理当天登记", column="日期"))
    for key, label in (
        ("issued_on", "开具日期"),
        ("receipt_on", "回执日期"),
        ("admitted_on", "接收为预备党员日期"),
    ):
        d = getattr(t, key)
        if d is not None and d > today:
            errors.append(Problem(f"{label}{fmt_zh(d)}在今天之后", column=label))
    if t.category not in ("full", "probationary"):
        errors.append(Problem("人员类别只能是正式党员或预备党员", column="类别"))
    if t.channel not in CHANNEL_LABELS:
        errors.append(Problem("转接方式只能是纸质介绍信或网上转接", column="方式"))
    if t.valid_days is not None and not 1 <= t.valid_days <= MAX_VALID_DAYS:
        errors.append(Problem(f"有效期应在1到{MAX_VALID_DAYS}天之间（一般不超过3个月）", column="有效期"))
    if t.dues_paid_through is not None:
        try:
            dt.date.fromisoformat(t.dues_paid_through + "-01")
        except ValueError:
            errors.append(Problem(f"党费交到“{t.dues_paid_through}”不是年月（YYYY-MM）", column="党费交到"))
    if t.receipt_on is not None and t.receipt_on < (t.issued_on or t.transfer_on):
        errors.append(Problem("回执日期早于介绍信日期", column="回执日期"))
    if t.direction == "out":
        _validate_out(ledger, t, errors, warnings)
    else:
        if t.category == "probationary" and t.admitted_on is None:
            errors.append(
                Problem("转入预备党员请填写支部大会接收为预备党员的日期（用于计算预备期）", column="接收日期")
            )
        if t.extension_months is not None and not 0 <= t.extension_months <= 12:
            errors.append(Problem("延长预备期应在0到12个月之间", column="延长预备期"))
        if not (t.from_org or "").strip():
            errors.append(Problem("请填写介绍信来自哪个党组织", column="来自"))
    return errors, warnings


def _validate_out(ledger: Ledger, t: Transfer, errors: list[Problem], warnings: list[Problem]) -> None:
    try:
        m = members_mod.get(ledger, t.member_id)
    except KeyError:
        errors.append(Problem("请选择转出的党员", column="党员"))
        return
    hist = members_mod._history(ledger)
    if t.id is None and not members_mod.in_branch_on(m, t.transfer_on, hist.get((t.member_id, "status"))):
        errors.append(Problem(f"{m.name}在{fmt_zh(t.transfer_on)}不在本支部在册党员中", column="党员"))
    if t.id is None and m.status != "active":
        errors.append(Problem(f"{m.name}的党籍状态是“{m.status_label}”，不能再转出", column="党员"))
    if not (t.to_org or "").strip():
        errors.append(Problem("请填写转往的党组织（接收单位全称）", column="转往"))
    if t.issued_on is not None and t.issued_on > t.transfer_on:
        errors.append(Problem("介绍信日期晚于转出日期", column="开具日期"))
    if t.letter_year is None or t.letter_seq is None:
        errors.append(Problem("介绍信没有编号", column="编号"))
    if dues_behind(t.dues_paid_through, t.transfer_on):
        shown = t.dues_paid_through or "未交"
        warnings.append(
            Problem(
                f"党费只交到{shown}，转出前一般应交到{month_key(t.transfer_on)}或上月（地方惯例，ZZ08）",
                column="党费交到",
            )
        )


# ------------------------------------------------------------------------------------------ writing


def _status(ledger: Ledger, member_id: int, before: str, after: str, on: dt.date, reason: str) -> None:
    """A status change in the member's dated history (the roster, dues and 应到 follow it)."""
    ledger.conn.execute(
        "INSERT INTO member_history(member_id, field, from_value, to_value, changed_on, reason) "
        "VALUES (?, 'status', ?, ?, ?, ?)",
        (member_id, before, after, on.isoformat(), reason),
    )
    ledger.conn.execute(
        "UPDATE members SET status=?, status_changed_on=? WHERE id=?", (after, on.isoformat(), member_id)
    )


def _insert(ledger: Ledger, t: Transfer) -> int:
    p = _params(t)
    if t.id is not None:
        p = {"id": t.id, **p}
    cur = ledger.conn.execute(
        f"INSERT INTO transfers ({', '.join(p)}) VALUES ({', '.join('?' for _ in p)})", list(p.values())
    )
    return int(cur.lastrowid or 0) if t.id is None else t.id


def transfer_out(ledger: Ledger, t: Transfer) -> int:
    """TransferOut: the letter with the next number of its year; the member leaves the roster that day."""
    t.direction = "out"
    t.issued_on = t.issued_on or t.transfer_on
    t.letter_year = t.issued_on.year
    m = (
        members_mod.get(ledger, t.member_id)
        if ledger.query_one("SELECT 1 FROM members WHERE id=?", (t.member_id,))
        else None
    )
    with ledger.operation("TransferOut", f"组织关系转出 {m.name if m else ''}") as op:
        t.letter_seq = next_seq(letters_of_year(ledger, t.letter_year))
        errors, _warnings = validate(ledger, t)
        if errors:
            raise InputRefused(errors, "组织关系转出未保存")
        assert m is not None
        t.id = None
        tid = _insert(ledger, t)
        reason = f"组织关系转出（介绍信第{letter_number(t.letter_year, t.letter_seq)}号，转往{(t.to_org or '').strip()}）"
        _status(ledger, t.member_id, m.status, "transferred_out", t.transfer_on, reason)
        op.value = tid
    t.id = int(op.value)
    return t.id


def record_receipt(ledger: Ledger, transfer_id: int, on: dt.date | None, by: str | None = None) -> None:
    """RecordReceipt (ZZ06): the 回执 came back (out) or was sent (in); None clears it."""
    t = get_transfer(ledger, transfer_id)
    if on is not None and on > clock.today():
        raise InputRefused([Problem(f"回执日期{fmt_zh(on)}在今天之后", column="回执日期")])
    if on is not None and on < (t.issued_on or t.transfer_on):
        raise InputRefused([Problem("回执日期早于介绍信日期", column="回执日期")])
    names = members_mod.names(ledger)
    with ledger.operation("RecordReceipt", f"登记回执 {names.get(t.member_id, '')}"):
        ledger.conn.execute(
            "UPDATE transfers SET receipt_on=?, receipt_by=? WHERE id=?",
            (iso(on), (by or "").strip() or None, transfer_id),
        )


def update_details(ledger: Ledger, t: Transfer) -> None:
    """SaveTransfer: corrections to a saved letter's text (addressee, organisations, 经办人, notes…); the number,
    the member, the direction and the date stay (they moved the roster)."""
    assert t.id is not None
    old = get_transfer(ledger, t.id)
    fixed = dataclasses.replace(
        t,
        direction=old.direction,
        member_id=old.member_id,
        transfer_on=old.transfer_on,
        letter_year=old.letter_year,
        letter_seq=old.letter_seq,
    )
    errors, _w = validate(ledger, fixed)
    if errors:
        raise InputRefused(errors, "组织关系转接记录未保存")
    p = _params(fixed)
    with ledger.operation("SaveTransfer", "修改组织关系转接记录"):
        ledger.conn.execute(
            f"UPDATE transfers SET {', '.join(f'{k}=?' for k in p)} WHERE id=?", [*p.values(), t.id]
        )


def transfer_in(ledger: Ledger, t: Transfer, newcomer: members_mod.Member | None = None) -> int:
    """TransferIn: receiving a letter. `newcomer` is a member not yet in the ledger (created, in the branch from the
    报到 date); without it `t.member_id` names a member who left earlier and comes back (re-activated, the earlier
    history kept)."""
    t.direction = "in"
    t.letter_year = t.letter_seq = None
    label = newcomer.name if newcomer is not None else members_mod.names(ledger).get(t.member_id, "")
    with ledger.operation("TransferIn", f"组织关系转入 {label}") as op:
        if newcomer is not None:
            newcomer.status = "active"
            newcomer.status_changed_on = None
            newcomer.category = t.category
            newcomer.in_branch_since = t.transfer_on
            if t.category == "probationary":
                newcomer.joined_on = newcomer.joined_on or t.admitted_on
                newcomer.full_on = None
            t.member_id = members_mod.insert(ledger, newcomer)
        else:
            try:
                m = members_mod.get(ledger, t.member_id)
            except KeyError:
                raise InputRefused([Problem("请选择转入的党员或填写新党员信息", column="党员")]) from None
            if m.status == "active":
                raise InputRefused([Problem(f"{m.name}已是本支部在册党员，不需要转入", column="党员")])
            if m.status_changed_on and m.status_changed_on > t.transfer_on:
                raise InputRefused(
                    [
                        Problem(
                            f"转入日期早于{m.name}离开本支部的日期（{fmt_zh(m.status_changed_on)}）",
                            column="日期",
                        )
                    ]
                )
        errors, _w = validate(ledger, t)
        if errors:
            raise InputRefused(errors, "组织关系转入未保存")
        tid = _insert(ledger, dataclasses.replace(t, id=None))
        if newcomer is None:
            reason = f"组织关系转入（来自{(t.from_org or '').strip()}）"
            _status(ledger, t.member_id, m.status, "active", t.transfer_on, reason)
            if m.category != t.category:
                ledger.conn.execute(
                    "INSERT INTO member_history(member_id, field, from_value, to_value, changed_on, reason) "
                    "VALUES (?, 'category', ?, ?, ?, ?)",
                    (t.member_id, m.category, t.category, t.transfer_on.isoformat(), reason),
                )
                ledger.conn.execute("UPDATE members SET category=? WHERE id=?", (t.category, t.member_id))
        op.value = tid
    t.id = int(op.value)
    return t.id


def delete_transfer(ledger: Ledger, transfer_id: int) -> None:
    """DeleteTransfer: a letter entered by mistake. Only the latest number of a year can go (no gaps in the
    存根 register); the member's roster status goes back to what it was."""
    t = get_transfer(ledger, transfer_id)
    if t.direction == "out" and t.letter_year is not None:
        latest = max(letters_of_year(ledger, t.letter_year), default=0)
        if t.letter_seq != latest:
            raise InputRefused(
                [
                    Problem(
                        f"介绍信第{t.number}号之后已开具第{letter_number(t.letter_year, latest)}号；"
                        "编号不能留空号，只能删除当年最后一封"
                    )
                ]
            )
    m = members_mod.get(ledger, t.member_id)
    with ledger.operation("DeleteTransfer", f"删除组织关系{t.direction_label}记录 {m.name}"):
        ledger.conn.execute("DELETE FROM transfers WHERE id=?", (transfer_id,))
        day = t.transfer_on.isoformat()
        row = ledger.query_one(
            "SELECT id, from_value FROM member_history WHERE member_id=? AND field='status' AND changed_on=? "
            "AND to_value=? ORDER BY id DESC LIMIT 1",
            (t.member_id, day, "transferred_out" if t.direction == "out" else "active"),
        )
        if t.direction == "in" and row is None and m.in_branch_since == t.transfer_on:
            return  # a newcomer created by the letter stays on the roster; delete the member on the roster page
        if row is not None:
            ledger.conn.execute("DELETE FROM member_history WHERE id=?", (row[0],))
            prev = ledger.query_one(
                "SELECT to_value, changed_on FROM member_history WHERE member_id=? AND field='status' "
                "ORDER BY changed_on DESC, id DESC LIMIT 1",
                (t.member_id,),
            )
            status = row[1] or "active"
            changed = prev[1] if prev is not None and status != "active" else None
            ledger.conn.execute(
                "UPDATE members SET status=?, status_changed_on=? WHERE id=?", (status, changed, t.member_id)
            )
