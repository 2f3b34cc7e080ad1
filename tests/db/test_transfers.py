"""组织关系转接 (RULES-EXT.md §11): the letter's number and 党费交到 (ZZ05, ZZ08), the member off the roster with dues
and 应到 following, L01 at its edges (ZZ06) with records on both sides of the as-of date, a 预备党员 received with D23
(ZZ13), the 年报 增减 adding up, the `transfers` section round trip and the masked package."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from db import dues, findings, interchange, meetings, members, transfers
from db.connection import Ledger
from db.errors import InputRefused
from db.members import Member
from db.transfers import Transfer
from tests.orglife_data import add_members

D = dt.date


def found(ledger: Ledger, on: dt.date, code: str) -> list[findings.Finding]:
    return [f for f in findings.check(ledger, on) if f.code == code]


def out_letter(ledger: Ledger, mid: int, on: dt.date, **kw: object) -> int:
    t = transfers.draft_out(ledger, mid, on)
    t.to_org = str(kw.pop("to_org", "中共某某区某某公司委员会"))
    for k, v in kw.items():
        setattr(t, k, v)
    return transfers.transfer_out(ledger, t)


def setup_dues(ledger: Ledger, mid: int) -> None:
    dues.save_base(
        ledger,
        dues.BaseEntry(member_id=mid, year=2026, kind="employed", base=Decimal("6000")),
        on=D(2026, 1, 15),
    )
    months = [f"2026-{m:02d}" for m in range(1, 7)]
    dues.record_payment(ledger, mid, months, D(2026, 6, 5))


# ------------------------------------------------------------------------------------------ pure rules


@pytest.mark.parametrize(
    ("n", "text"),
    [(1, "壹"), (6, "陆"), (10, "拾"), (12, "拾贰"), (15, "拾伍"), (30, "叁拾"), (90, "玖拾"), (100, "壹佰")],
)
def test_upper_numbers(n: int, text: str) -> None:
    assert transfers.upper_number(n) == text


def test_upper_month_and_year() -> None:
    assert transfers.upper_month("2026-06") == "贰零贰陆年陆月"
    assert transfers.upper_month("2025-12") == "贰零贰伍年拾贰月"
    assert transfers.upper_month(None) == ""


def test_receipt_due_edges() -> None:
    # issued 10 June, 30 days → valid until 10 July; 回执 due a month later: 10 August (ZZ06, ZZ07)
    t = Transfer(
        "out", 1, D(2026, 6, 10), issued_on=D(2026, 6, 10), valid_days=30, letter_year=2026, letter_seq=1
    )
    assert t.valid_until == D(2026, 7, 10)
    assert t.receipt_due == D(2026, 8, 10)
    assert not transfers.receipt_overdue(t, D(2026, 8, 10))
    assert transfers.receipt_overdue(t, D(2026, 8, 11))
    assert not transfers.receipt_overdue(t, D(2026, 6, 9))  # not issued yet
    t.receipt_on = D(2026, 8, 20)
    assert transfers.receipt_overdue(t, D(2026, 8, 19))  # back only after that day
    assert not transfers.receipt_overdue(t, D(2026, 8, 20))


@pytest.mark.parametrize(
    ("paid", "on", "behind"),
    [
        ("2026-06", D(2026, 6, 15), False),
        ("2026-05", D(2026, 6, 15), False),
        ("2026-04", D(2026, 6, 15), True),
        (None, D(2026, 6, 15), True),
    ],
)
def test_zz08_dues_through_previous_month(paid: str | None, on: dt.date, behind: bool) -> None:
    assert transfers.dues_behind(paid, on) is behind


def test_probation_deferral_for_transfer_in() -> None:
    assert transfers.probation_end(D(2025, 9, 1)) == D(2026, 9, 1)
    assert transfers.full_vote_latest(D(2025, 9, 1)) == D(2027, 3, 1)
    assert transfers.full_vote_latest(D(2025, 9, 1), 6) == D(2027, 9, 1)


# ------------------------------------------------------------------------------------------ transfer out


def test_transfer_out_in_june(ledger: Ledger) -> None:
    a, b, c = add_members(ledger, 3)
    setup_dues(ledger, a)
    draft = transfers.draft_out(ledger, a, D(2026, 6, 15))
    assert draft.dues_paid_through == "2026-06"  # from the dues ledger (ZZ08)
    assert draft.valid_days == 30  # the setting (ZZ07)
    assert draft.number == "2026-001"
    tid = out_letter(ledger, a, D(2026, 6, 15))
    t = transfers.get_transfer(ledger, tid)
    assert (t.letter_year, t.letter_seq, t.number) == (2026, 1, "2026-001")
    assert t.dues_paid_through == "2026-06"
    # the next letter of the year takes the next number; a new year starts again at 1
    assert transfers.draft_out(ledger, b, D(2026, 6, 20)).number == "2026-002"
    # off the roster from the transfer date
    m = members.get(ledger, a)
    assert (m.status, m.status_changed_on) == ("transferred_out", D(2026, 6, 15))
    assert a in {r.id for r in members.roster_on(ledger, D(2026, 6, 14))}
    assert a not in {r.id for r in members.roster_on(ledger, D(2026, 6, 15))}
    # dues: due through June, nothing after
    row = next(r for r in dues.year_rows(ledger, 2026) if r.member_id == a)
    due = {c.month: c.due for c in row.months}
    assert due["2026-06"] > 0
    assert due["2026-07"] == 0 and due["2026-12"] == 0
    # 应到: counted at a meeting in June before the date, not in July
    june = {e.member_id for e in meetings.expected_attendance(ledger, D(2026, 6, 10), ["assembly"])}
    july = {e.member_id for e in meetings.expected_attendance(ledger, D(2026, 7, 10), ["assembly"])}
    assert a in june and a not in july
    assert len(july) == len(june) - 1


def test_transfer_out_refusals(ledger: Ledger) -> None:
    (a,) = add_members(ledger, 1)
    t = transfers.draft_out(ledger, a, D(2026, 6, 15))
    with pytest.raises(InputRefused, match="转往"):
        transfers.transfer_out(ledger, t)
    out_letter(ledger, a, D(2026, 6, 15))
    with pytest.raises(InputRefused, match="不能再转出"):
        out_letter(ledger, a, D(2026, 7, 1))


def test_numbers_have_no_gaps(ledger: Ledger) -> None:
    a, b, c = add_members(ledger, 3)
    t1 = out_letter(ledger, a, D(2026, 3, 1))
    t2 = out_letter(ledger, b, D(2026, 4, 1))
    with pytest.raises(InputRefused, match="空号"):
        transfers.delete_transfer(ledger, t1)
    transfers.delete_transfer(ledger, t2)  # the latest may go: the member is back on the roster
    assert members.get(ledger, b).status == "active"
    assert b in {r.id for r in members.roster_on(ledger, D(2026, 5, 1))}
    assert transfers.transfer_out(ledger, _with_org(transfers.draft_out(ledger, c, D(2026, 5, 1)))) > 0
    assert [t.number for t in transfers.list_transfers(ledger, direction="out")] == ["2026-001", "2026-002"]


def _with_org(t: Transfer) -> Transfer:
    t.to_org = "中共某某党委"
    return t


def test_undo_puts_the_member_back(ledger: Ledger) -> None:
    (a,) = add_members(ledger, 1)
    out_letter(ledger, a, D(2026, 6, 15))
    ledger.undo_last()
    assert members.get(ledger, a).status == "active"
    assert transfers.list_transfers(ledger) == []


# ------------------------------------------------------------------------------------------ L01


def test_l01_edges_and_as_of(ledger: Ledger) -> None:
    a, b = add_members(ledger, 2)
    out_letter(ledger, a, D(2026, 6, 15), valid_days=30)  # valid until 15 July, 回执 due 15 August
    assert not found(ledger, D(2026, 8, 15), "L01")
    (f,) = found(ledger, D(2026, 8, 16), "L01")
    assert f.severity == "warning" and f.subject_type == "transfer" and f.due == D(2026, 8, 15)
    assert "2026-001" in f.message
    # a letter issued after the as-of date does not exist then
    out_letter(ledger, b, D(2026, 10, 1), valid_days=10)
    assert len(found(ledger, D(2026, 9, 30), "L01")) == 1
    # a 回执 returned after D is not back as of D
    t = transfers.list_transfers(ledger, direction="out")[0]
    assert t.id is not None
    transfers.record_receipt(ledger, t.id, D(2026, 9, 1), "张三")
    assert len(found(ledger, D(2026, 8, 31), "L01")) == 1
    assert found(ledger, D(2026, 9, 1), "L01") == []


def test_receipt_refusals(ledger: Ledger) -> None:
    (a,) = add_members(ledger, 1)
    tid = out_letter(ledger, a, D(2026, 6, 15))
    with pytest.raises(InputRefused, match="早于"):
        transfers.record_receipt(ledger, tid, D(2026, 6, 1))
    with pytest.raises(InputRefused, match="今天之后"):
        transfers.record_receipt(ledger, tid, D(2027, 1, 1))


# ------------------------------------------------------------------------------------------ transfer in


RECEIVED = D(2026, 3, 10)


def receive_probationary(ledger: Ledger, on: dt.date = RECEIVED) -> int:
    t = Transfer(
        "in",
        0,
        on,
        category="probationary",
        letter_no="2026-017",
        issued_on=on - dt.timedelta(days=5),
        from_org="中共某某大学计算机学院委员会",
        dues_paid_through="2026-02",
        valid_days=30,
        admitted_on=D(2025, 9, 1),
    )
    newcomer = Member(name="新来", gender="female", birth_date=D(2000, 5, 1), ethnicity="汉族")
    return transfers.transfer_in(ledger, t, newcomer)


def test_transfer_in_probationary_and_d23(ledger: Ledger) -> None:
    add_members(ledger, 3)
    tid = receive_probationary(ledger)
    t = transfers.get_transfer(ledger, tid)
    m = members.get(ledger, t.member_id)
    assert (m.category, m.joined_on, m.in_branch_since, m.status) == (
        "probationary",
        D(2025, 9, 1),
        D(2026, 3, 10),
        "active",
    )
    assert m.id not in {r.id for r in members.roster_on(ledger, D(2026, 3, 9))}
    assert m.id in {r.id for r in members.roster_on(ledger, D(2026, 3, 10))}
    # 预备期 ends 1 Sep 2026; 转正 may be deferred to 1 Mar 2027 (ZZ13 / D23)
    assert [f for f in found(ledger, D(2026, 9, 1), "D23") if f.subject_id == m.id] == []
    (r,) = [f for f in found(ledger, D(2026, 9, 2), "D23") if f.subject_id == m.id]
    assert r.severity == "reminder" and r.due == D(2027, 3, 1)


def test_d23_after_the_deferral(ledger: Ledger, frozen_today) -> None:  # type: ignore[no-untyped-def]
    frozen_today(D(2027, 6, 1))
    tid = receive_probationary(ledger)
    mid = transfers.get_transfer(ledger, tid).member_id
    (r,) = [f for f in found(ledger, D(2027, 3, 1), "D23") if f.subject_id == mid]
    assert r.severity == "reminder"
    (w,) = [f for f in found(ledger, D(2027, 3, 2), "D23") if f.subject_id == mid]
    assert w.severity == "warning"
    # before the letter was received, nothing
    assert [f for f in found(ledger, D(2026, 3, 9), "D23") if f.subject_id == mid] == []
    # 转正 recorded: gone
    m = members.get(ledger, mid)
    m.category, m.full_on = "full", D(2026, 9, 1)
    members.update(ledger, m)
    assert [f for f in found(ledger, D(2027, 3, 2), "D23") if f.subject_id == mid] == []


def test_transfer_back_keeps_history(ledger: Ledger) -> None:
    a, _b = add_members(ledger, 2)
    out_letter(ledger, a, D(2025, 3, 1))
    t = Transfer(
        "in", a, D(2026, 2, 1), letter_no="X-9", from_org="中共某某委员会", dues_paid_through="2026-01"
    )
    transfers.transfer_in(ledger, t)
    on = {r.id for r in members.roster_on(ledger, D(2024, 12, 1))}
    away = {r.id for r in members.roster_on(ledger, D(2025, 6, 1))}
    back = {r.id for r in members.roster_on(ledger, D(2026, 2, 1))}
    assert a in on and a not in away and a in back
    with pytest.raises(InputRefused, match="已是本支部在册党员"):
        transfers.transfer_in(ledger, Transfer("in", a, D(2026, 3, 1), from_org="某"))


def test_transfer_in_offers_the_talk(ledger: Ledger) -> None:
    from db import talks

    add_members(ledger, 2)
    tid = receive_probationary(ledger, D(2026, 11, 1))
    mid = transfers.get_transfer(ledger, tid).member_id
    pending = talks.pending_triggers(ledger, D(2026, 11, 20))
    assert any(p.member_id == mid and p.trigger == "transfer_in" for p in pending)


# ------------------------------------------------------------------------------------------ 年报 增减


def test_year_changes_add_up(ledger: Ledger) -> None:
    ids = add_members(ledger, 5)
    add_members(ledger, 0, 1, prob_joined=D(2026, 5, 1))  # 发展 in 2026
    out_letter(ledger, ids[0], D(2026, 6, 15))
    members.change_status(ledger, ids[1], "deceased", D(2026, 8, 1), "病故")
    members.change_status(ledger, ids[2], "suspended", D(2026, 9, 1), "失联")
    receive_probationary(ledger)
    ch = transfers.year_changes(ledger, 2026)
    assert ch.start == 5
    assert ch.increases["admitted"] == 1 and ch.increases["transfer_in"] == 1
    assert (
        ch.decreases["transfer_out"] == 1 and ch.decreases["deceased"] == 1 and ch.decreases["suspended"] == 1
    )
    assert ch.end == len(members.roster_on(ledger, D(2026, 12, 31))) == 4
    assert ch.adds_up and ch.start + ch.increase - ch.decrease == ch.end
    before = transfers.year_changes(ledger, 2025)
    assert before.adds_up and before.end == ch.start


# ------------------------------------------------------------------------------------------ interchange


def test_round_trip_and_masked(ledger: Ledger, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from db.connection import open_ledger
    from exports.package.mask import masked_document

    a, _b = add_members(ledger, 2)
    tid = out_letter(ledger, a, D(2026, 6, 15), reason="家住某某路88号，随配偶迁居", handled_by="李四")
    transfers.record_receipt(ledger, tid, D(2026, 7, 1), "王五")
    receive_probationary(ledger)
    doc = interchange.dump(ledger)
    assert len(doc["transfers"]) == 2
    other = open_ledger(tmp_path / "copy.sqlite", create=True)
    try:
        interchange.load(other, doc)
        again = interchange.dump(other)
        assert again["transfers"] == doc["transfers"]
        assert [(t.number, t.receipt_on) for t in transfers.list_transfers(other)] == [
            (t.number, t.receipt_on) for t in transfers.list_transfers(ledger)
        ]
    finally:
        other.close()
    masked = masked_document(doc)
    text = str(masked["transfers"])
    assert "某某路" not in text and "配偶" not in text
    assert all(t["reason"] is None and t["notes"] is None for t in masked["transfers"])


def test_load_refuses_bad_reference(ledger: Ledger) -> None:
    add_members(ledger, 1)
    doc = interchange.dump(ledger)
    doc["transfers"] = [
        {
            "id": 1,
            "direction": "out",
            "member_id": 99,
            "transfer_on": "2026-06-01",
            "letter_year": 2026,
            "letter_seq": 1,
        }
    ]
    with pytest.raises(InputRefused) as e:
        interchange.check(doc)
    assert any("transfers[0].member_id" in (p.column or "") for p in e.value.problems)
    doc["transfers"] = [{"id": 1, "direction": "out", "member_id": 1, "transfer_on": "2026-06-01"}]
    with pytest.raises(InputRefused) as e:
        interchange.check(doc)
    assert any("transfers[0]" in (p.column or "") for p in e.value.problems)
