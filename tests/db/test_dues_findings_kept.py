"""The kept 党费 findings brought up to date after payment-only operations (db/dues/checks.py, `_updated`) equal
the findings computed afresh: P01/P04 kept, P02/P03 counted again for the members whose payments for a month
that is over changed, P05/R03 computed again; as of days before, in and after the changed months."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from db import dues, findings, members
from db.connection import Ledger
from db.dues import checks


def test_kept_dues_findings_brought_up_to_date_equal_fresh_ones(
    changed_ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    led = changed_ledger
    dates = (dt.date(2026, 11, 22), dt.date(2026, 10, 15), dt.date(2026, 12, 31), dt.date(2027, 2, 1))
    fresh_provider = checks.findings
    built: list[dt.date] = []
    monkeypatch.setitem(
        findings._PROVIDERS,  # noqa: SLF001 - count the provider's runs: the kept findings are updated instead
        "dues",
        lambda ledger, as_of: built.append(as_of) or fresh_provider(ledger, as_of),
    )
    seen: set[str] = set()

    def check() -> None:
        other = led.reader()  # nothing kept: the provider runs
        try:
            for day in dates:
                kept = findings.check_area(led, "dues", day)
                assert kept == fresh_provider(other, day), day
                seen.update(f.code for f in kept)
        finally:
            other.close()

    check()
    built.clear()
    # a member who paid every month from May to October
    mid = led.scalar(
        "SELECT member_id FROM dues_payments WHERE month BETWEEN '2026-05' AND '2026-10' "
        "GROUP BY member_id HAVING count(DISTINCT month) = 6 ORDER BY member_id LIMIT 1"
    )

    def payments_edit(sql: str, *args: object) -> None:
        with led.operation("TestEdit", "测试：改写党费记录"):
            led.conn.execute(sql, args)

    steps = [
        # five months unpaid (P02 as of November), then one more (P03), then paid back in one 补交
        lambda: payments_edit(
            "DELETE FROM dues_payments WHERE member_id=? AND month BETWEEN '2026-05' AND '2026-09'", mid
        ),
        lambda: payments_edit("DELETE FROM dues_payments WHERE member_id=? AND month='2026-10'", mid),
        lambda: dues.record_payment(led, mid, ["2026-05", "2026-06"], dt.date(2026, 11, 20)),
        # this month for everyone (a month not over as of most of the days), and a payment after the as-of days
        lambda: dues.record_month(led, "2026-11", dt.date(2026, 11, 20)),
        lambda: payments_edit(
            "UPDATE dues_payments SET paid_on='2027-01-10' WHERE id=(SELECT max(id) FROM dues_payments)"
        ),
        led.undo_last,
        led.undo_last,
        led.undo_last,
        led.undo_last,
        led.undo_last,
    ]
    for n, step in enumerate(steps):  # each a payment-only operation
        step()
        check()
        assert led.last_result is not None and led.last_result.tables == {"dues_payments"}, n
    assert built == []  # every kept area's findings were brought up to date, none computed again
    assert {"P02", "P03"} <= seen  # the streaks that changed were counted again


def test_kept_dues_findings_computed_again_when_more_than_payments_changed(changed_ledger: Ledger) -> None:
    led = changed_ledger
    day = dt.date(2026, 11, 22)
    before = findings.check_area(led, "dues", day)
    ids = sorted(members.names(led))
    with led.operation("TestEdit", "测试：改写核定"):
        led.conn.execute("DELETE FROM dues_bases WHERE member_id=? AND year=2026", (ids[2],))
    after = findings.check_area(led, "dues", day)
    other = led.reader()
    try:
        assert after == checks.findings(other, day)
    finally:
        other.close()
    assert after != before  # the member's P01 (no 核定 this year) came from the provider run again


def test_r03_reads_the_attendance_again_after_the_meetings_change_and_keeps_it_across_payments(
    tmp_path: Path,
) -> None:
    """R03's attendance in the window is kept (`dues.r03.attended`) until the meetings change."""
    from tests.db.test_meetings import build, member

    led = build(
        tmp_path,
        [member(1, "张一"), member(2, "李二")],
        meetings_=[
            {
                "id": 1,
                "kinds": ["assembly"],
                "date": "2026-10-15",
                "host_id": 1,
                "recorder_id": 2,
                "attendance": [
                    {"member_id": 1, "status": "present"},
                    {"member_id": 2, "status": "present"},
                ],
            }
        ],
    )
    day = dt.date(2026, 11, 20)

    def r03() -> set[int | None]:
        return {f.subject_id for f in findings.check_area(led, "dues", day) if f.code == "R03"}

    assert r03() == set()
    with led.operation("TestEdit", "测试：改写出席"):
        led.conn.execute("UPDATE meeting_attendance SET status='absent' WHERE member_id=2")
    assert r03() == {2}
    dues.record_payment(led, 2, ["2026-10"], dt.date(2026, 11, 1), amount=Decimal("5"))
    assert r03() == set()
    led.undo_last()
    assert r03() == {2}
    led.undo_last()
    assert r03() == set()
