"""Findings are kept per area until an operation changes a table the area read (Ledger.memo_reads). After every
kind of operation — and its undo, and a restore — the kept findings must be exactly those computed afresh on a
connection that has kept nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from db import clock, dues, findings, members, settings
from db.connection import Ledger

AS_OF_DATES = (dt.date(2026, 11, 22), dt.date(2026, 3, 31), dt.date(2025, 7, 1))


def _fresh(ledger: Ledger, as_of: dt.date) -> list[dict[str, Any]]:
    reader = ledger.reader()  # its own connection and nothing kept
    try:
        return [f.to_json() for f in findings.check(reader, as_of)]
    finally:
        reader.close()


def _kept(ledger: Ledger, as_of: dt.date) -> list[dict[str, Any]]:
    return [f.to_json() for f in findings.check(ledger, as_of)]


def _assert_same(ledger: Ledger) -> None:
    for as_of in AS_OF_DATES:
        assert _kept(ledger, as_of) == _fresh(ledger, as_of), as_of


def _member_with_arrears(ledger: Ledger) -> int:
    f = next(f for f in findings.check(ledger, clock.today()) if f.code in ("P02", "P03"))
    assert f.subject_id is not None
    return f.subject_id


def _pay_arrears(ledger: Ledger) -> None:
    mid = _member_with_arrears(ledger)
    streak, last = dues.DuesBook(ledger).current_streak(mid, clock.today())
    months = [f"{(i // 12):04d}-{(i % 12) + 1:02d}" for i in range(last - min(streak, 6) + 1, last + 1)]
    dues.record_payment(ledger, mid, months, clock.today(), amount=Decimal("5.00"))


def _record_month(ledger: Ledger) -> None:
    dues.record_month(ledger, "2026-11", clock.today())


def _member_leaves(ledger: Ledger) -> None:
    mid = next(iter(members.names(ledger)))
    members.change_status(ledger, mid, "transferred_out", dt.date(2026, 11, 1), "转出到其他支部")


def _setting(ledger: Ledger) -> None:
    with ledger.operation("UpdateSettings", "修改设置"):
        settings.set_value(ledger, "lecture_cadence", "year")


def _delete_draft_meeting(ledger: Ledger) -> None:
    from db import meetings

    draft = next(
        r
        for r in ledger.query(
            "SELECT id FROM meetings m WHERE NOT EXISTS "
            "(SELECT 1 FROM meeting_attachments a WHERE a.meeting_id=m.id) ORDER BY date DESC"
        )
        if not meetings.get_meeting(ledger, r[0]).is_final
    )
    meetings.delete_meeting(ledger, draft[0])


OPERATIONS: dict[str, Callable[[Ledger], None]] = {
    "pay arrears": _pay_arrears,
    "record a month": _record_month,
    "member transferred out": _member_leaves,
    "a setting": _setting,
    "delete a draft meeting": _delete_draft_meeting,
}


@pytest.mark.parametrize("name", list(OPERATIONS))
def test_kept_findings_equal_fresh_ones_after_each_operation_and_its_undo(
    demo_ledger: Ledger, name: str
) -> None:
    _assert_same(demo_ledger)  # fills what is kept
    before = _kept(demo_ledger, clock.today())
    ops_before = demo_ledger.scalar("SELECT max(id) FROM ops")
    OPERATIONS[name](demo_ledger)
    assert demo_ledger.scalar("SELECT max(id) FROM ops") > ops_before, "the operation changed nothing"
    _assert_same(demo_ledger)
    demo_ledger.undo_last()
    _assert_same(demo_ledger)
    assert _kept(demo_ledger, clock.today()) == before


def test_the_operation_changes_the_findings_it_should(demo_ledger: Ledger) -> None:
    """Not vacuous: paying a member's arrears removes their P02/P03 from the kept findings."""
    mid = _member_with_arrears(demo_ledger)
    _pay_arrears(demo_ledger)
    codes = {(f.code, f.subject_id) for f in findings.check(demo_ledger, clock.today())}
    assert ("P02", mid) not in codes and ("P03", mid) not in codes


def test_an_area_is_computed_again_only_when_a_table_it_read_changed(
    demo_ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    findings.areas()
    calls: dict[str, int] = {}
    for area, fn in list(findings._PROVIDERS.items()):

        def counted(ledger: Ledger, as_of: dt.date, fn: Any = fn, area: str = area) -> Any:
            calls[area] = calls.get(area, 0) + 1
            return fn(ledger, as_of)

        monkeypatch.setitem(findings._PROVIDERS, area, counted)
    findings.check(demo_ledger, clock.today())
    findings.check(demo_ledger, clock.today())
    assert set(calls.values()) == {1}
    _pay_arrears(demo_ledger)
    findings.check(demo_ledger, clock.today())
    # only payments changed: the dues area's kept findings are brought up to date by its updater (db/dues/checks.py,
    # tests/db/test_dues_findings_kept.py), not computed again
    assert calls["dues"] == 1
    assert calls["checklists"] == 1 and calls["development"] == 1  # they never read the payments
    _member_leaves(demo_ledger)
    findings.check(demo_ledger, clock.today())
    assert calls["dues"] == 2 and calls["members"] == 2 and calls["checklists"] == 1


def test_restore_drops_what_was_kept(demo_ledger: Ledger, tmp_path: Any) -> None:
    backup = demo_ledger.backup(tmp_path / "copy.sqlite")
    _assert_same(demo_ledger)
    _pay_arrears(demo_ledger)
    _assert_same(demo_ledger)
    demo_ledger.restore_from(backup)
    _assert_same(demo_ledger)


def test_a_build_that_reads_an_unrecorded_table_is_kept_only_until_the_next_operation(
    demo_ledger: Ledger,
) -> None:
    count = lambda: demo_ledger.scalar("SELECT count(*) FROM ops")  # noqa: E731 - ops changes are not recorded
    n = demo_ledger.memo_reads("test.ops", count)
    assert demo_ledger.memo_reads("test.ops", count) == n
    _setting(demo_ledger)
    assert demo_ledger.memo_reads("test.ops", count) == n + 1
