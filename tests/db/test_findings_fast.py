"""The fast paths of `findings.check` equal the plain ones they replace (issue #16): the roster by date from one
read (RosterIndex) and `roster_on`; the current unpaid streak counted back and `DuesBook.streaks`; the money
received per month summed by SQLite and payment by payment; all meetings read at once and one by one; the last
attendance read for a window or for some members and for everyone; the no-vote lists from records read once and
read afresh; one operation's log entry and the whole log; the attendance counted in SQLite and from the records
(M08/M09); a period's meetings found by bisection and by a scan (the cadence grid); who was present one row per
meeting and per attendance row (学时). Each on as-of dates with records on both sides, after operations and after
their undo."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from db import clock, dues, meetings, members
from db.connection import Ledger
from db.dues.book import DuesBook, read_bases
from db.dues.grid import MonthCell, YearRow, read_year_rows
from db.dues.model import _base_from_row, _idx
from db.dues.reads import last_payment, payments_of
from db.dues.remittance import _read_collected
from db.meetings.attendance import RosterCache
from db.meetings.rights import no_vote_ids
from db.meetings.store import get_meeting, read_meetings
from db.meetings.tally import read_tallies, tally_of
from db.meetings.validation import completeness
from db.members.history import RosterIndex, read_roster_on
from db.rules.dues import ZERO, money, month_key_of

AS_OF_DATES = (
    dt.date(2026, 11, 22),
    dt.date(2026, 11, 30),
    dt.date(2026, 3, 31),
    dt.date(2025, 12, 31),
    dt.date(2025, 7, 1),
    dt.date(2024, 1, 15),
)


def _plain_current_streak(book: DuesBook, mid: int, as_of: dt.date) -> tuple[int, int]:
    """`current_streak` as it was: the streaks from the member's first 核定, then the last month that counts."""
    last = _idx(as_of) - 1
    s = book.streaks(mid, last, as_of)
    while last in s and not book.is_past(mid, last, as_of):
        last -= 1
    return s.get(last, 0), last


def _plain_year_rows(book: DuesBook, year: int, as_of: dt.date) -> list[YearRow]:
    """A year's grid as it was computed: every cell from the book's one-month questions."""
    out = []
    first, last = year * 12, year * 12 + 11
    for mid in book.member_ids_in_year(year):
        streaks = book.streaks(mid, last, as_of)
        cells = [
            MonthCell(
                month_key_of(i),
                book.due(mid, i),
                book.paid(mid, i, as_of),
                streaks.get(i, 0),
                book.belongs(mid, i),
                book.is_past(mid, i, as_of),
                book.opening(mid, i),
            )
            for i in range(first, last + 1)
        ]
        in_year = [i for i in range(first, last + 1) if book.belongs(mid, i)]
        current = book.base_for(mid, in_year[-1]) if in_year else None
        monthly = current.amount if current is not None and current.amount is not None else ZERO
        out.append(
            YearRow(mid, book.people[mid].name, current, cells, monthly, current.rate if current else None)
        )
    return out


def _plain_collected(ledger: Ledger, as_of: dt.date) -> dict[int, Decimal]:
    out: dict[int, Decimal] = {}
    for p in payments_of(ledger):
        day = p.paid_on.isoformat() if p.paid_on else p.month + "-01"
        if day <= as_of.isoformat():
            i = int(day[:4]) * 12 + int(day[5:7]) - 1
            out[i] = out.get(i, ZERO) + money(p.amount)
    return out


def _plain_last_attendance(ledger: Ledger, as_of: dt.date) -> dict[int, dt.date]:
    out: dict[int, dt.date] = {}
    for r in ledger.query(
        "SELECT a.member_id, m.date FROM meeting_attendance a, meetings m WHERE m.id=a.meeting_id "
        "AND a.status IN ('present', 'observer')"
    ):
        day = dt.date.fromisoformat(r[1])
        if day <= as_of and (r[0] not in out or day > out[r[0]]):
            out[r[0]] = day
    return out


def _days_that_matter(ledger: Ledger) -> list[dt.date]:
    """Every day named in the members' dates and history, the day before and after, and the meeting days."""
    days: set[dt.date] = set(AS_OF_DATES)
    for m in members.list_members(ledger):
        for d in (m.in_branch_since, m.joined_on, m.full_on, m.status_changed_on):
            if d is not None:
                days.update((d - dt.timedelta(days=1), d, d + dt.timedelta(days=1)))
    for (d,) in ledger.query("SELECT changed_on FROM member_history"):
        day = dt.date.fromisoformat(d)
        days.update((day - dt.timedelta(days=1), day, day + dt.timedelta(days=1)))
    for (d,) in ledger.query("SELECT DISTINCT date FROM meetings"):
        days.add(dt.date.fromisoformat(d))
    return sorted(days)


def _assert_fast_equals_plain(ledger: Ledger) -> None:
    ledger._memo.clear()  # noqa: SLF001 - compare what is computed, not what was kept
    # the roster by date
    index, cache = RosterIndex(ledger), RosterCache(ledger)
    for day in _days_that_matter(ledger):
        plain = read_roster_on(ledger, day)
        assert members.roster_on(ledger, day) == plain, day  # through the kept index
        for group in {r.group_id for r in plain}:
            assert members.roster_on(ledger, day, group_id=group) == read_roster_on(
                ledger, day, group_id=group
            )
        assert index.on(day) == plain, day
        assert cache.on(day) == plain, day
    book = DuesBook(ledger)
    # the 核定 rows read as tuples (the book) and as rows (_base_from_row), a worksheet included
    bases = read_bases(ledger)
    assert any(b.worksheet for b in bases) and any(b.cap_confirmed_on for b in bases)
    assert bases == [
        _base_from_row(r)
        for r in ledger.query(
            "SELECT * FROM dues_bases ORDER BY member_id, year, coalesce(valid_from, ''), id"
        )
    ]
    for as_of in AS_OF_DATES:
        # the unpaid streaks (P02/P03)
        for mid in book.people:
            assert book.current_streak(mid, as_of) == _plain_current_streak(book, mid, as_of), (mid, as_of)
            # a year's streaks (the 党费 grid) from January, the run into it counted back
            whole = book.streaks(mid, (as_of.year + 1) * 12 + 11, as_of)
            for year in range(as_of.year - 3, as_of.year + 2):
                assert book.year_bases(mid, year) == [
                    book.base_for(mid, i) for i in range(year * 12, year * 12 + 12)
                ]
            for year in (as_of.year - 1, as_of.year, as_of.year + 1):
                since = year * 12
                assert book.streaks(mid, since + 11, as_of, since=since) == {
                    i: n for i, n in whole.items() if since <= i <= since + 11
                }, (mid, as_of, year)
        # the money received per month (P05)
        # a year's grid (the 党费 screen, the 工作台's chart, the exports) from one walk per member
        for year in (as_of.year - 1, as_of.year, as_of.year + 1):
            assert read_year_rows(ledger, year, as_of, book) == _plain_year_rows(book, year, as_of), (
                as_of,
                year,
            )
        everything = _plain_collected(ledger, as_of)
        assert _read_collected(ledger, as_of) == everything, as_of
        for year in (as_of.year - 1, as_of.year, as_of.year + 1):  # the 上缴 of a year reads only its months
            assert _read_collected(ledger, as_of, year) == {
                i: v for i, v in everything.items() if i // 12 == year
            }, (as_of, year)
        # the last attendance (R03), for a window and for some members
        everyone = _plain_last_attendance(ledger, as_of)
        assert meetings.last_attendance(ledger, as_of) == everyone
        since = as_of - dt.timedelta(days=183)
        assert meetings.last_attendance(ledger, as_of, since=since) == {
            k: v for k, v in everyone.items() if v >= since
        }
        some = sorted(book.people)[::3]
        assert meetings.last_attendance(ledger, as_of, member_ids=some) == {
            k: v for k, v in everyone.items() if k in some
        }
        # more members than one query's parameters: read whole and picked out (a generator, read once)
        many = [*some, *range(10_000, 10_600)]
        assert meetings.last_attendance(ledger, as_of, member_ids=iter(many)) == {
            k: v for k, v in everyone.items() if k in some
        }
        paid = last_payment(ledger, as_of)
        assert last_payment(ledger, as_of, member_ids=iter(many)) == {
            k: v for k, v in paid.items() if k in some
        }
        assert last_payment(ledger, as_of, member_ids=some) == {k: v for k, v in paid.items() if k in some}
    # every meeting read at once and one by one (M08–M10), with the no-vote lists read once and afresh
    ids = [r[0] for r in ledger.query("SELECT id FROM meetings ORDER BY date, id")]
    assert read_meetings(ledger, "SELECT id FROM meetings") == [get_meeting(ledger, i) for i in ids]
    from db.honors.store import probation_ids
    from db.mobility.store import vote_withheld_ids

    for (d,) in ledger.query("SELECT DISTINCT date FROM meetings"):
        day = dt.date.fromisoformat(d)
        assert no_vote_ids(ledger, day) == {**vote_withheld_ids(ledger, day), **probation_ids(ledger, day)}
    # one operation's log entry as the whole log lists it (undo)
    target = ledger.undoable()
    if target is not None:
        assert target in ledger.history(10_000)


def test_fast_paths_equal_the_plain_ones(changed_ledger: Ledger) -> None:
    _assert_fast_equals_plain(changed_ledger)


def test_fast_paths_equal_the_plain_ones_after_an_operation_and_its_undo(changed_ledger: Ledger) -> None:
    led = changed_ledger
    res = dues.record_month(led, "2026-11", clock.today())
    assert res.recorded or res.already
    _assert_fast_equals_plain(led)
    mid = sorted(members.names(led))[2]
    dues.record_payment(led, mid, ["2026-10", "2026-11"], clock.today(), amount=Decimal("5.00"))
    _assert_fast_equals_plain(led)
    led.undo_last()
    _assert_fast_equals_plain(led)
    led.undo_last()
    _assert_fast_equals_plain(led)


def _book_state(book: DuesBook) -> list[object]:
    return [
        (p.id, p.name, p.spans, p.bases, p.paid, p.paid_on, p.split, p.last_paid_day)
        for p in sorted(book.people.values(), key=lambda p: p.id)
    ] + [book.start_month, book.paid_through, book.elsewhere, book.rounding, book.cap]


def test_the_kept_dues_book_equals_a_fresh_one_after_operations_and_undo(changed_ledger: Ledger) -> None:
    """DuesBook.shared is kept until an operation changes a table it read (Ledger.memo_reads)."""
    led = changed_ledger
    kept = DuesBook.shared(led)
    draft = next(
        r[0] for r in led.query("SELECT id FROM meetings WHERE finalized_on IS NULL ORDER BY date DESC")
    )
    meetings.delete_meeting(led, draft)  # reads no table of the book: the book is kept
    assert DuesBook.shared(led) is kept
    assert _book_state(kept) == _book_state(DuesBook(led))
    dues.record_month(led, "2026-11", clock.today())
    assert _book_state(DuesBook.shared(led)) == _book_state(DuesBook(led))
    led.undo_last()
    led.undo_last()
    assert _book_state(DuesBook.shared(led)) == _book_state(DuesBook(led))


def test_the_kept_dues_book_is_brought_up_to_date_after_payments(changed_ledger: Ledger) -> None:
    """After operations that change only payments the kept book is updated from the change log, not built
    again: equal to a fresh book after recording a month, a payment, an edit of a payment's amount and day, a
    deletion, their undo (which puts rows back with their old ids), and several of them at once; a change to
    another table the book reads builds it afresh. The book that was kept is never changed under its holder."""
    led = changed_ledger
    kept = DuesBook.shared(led)
    before = _book_state(kept)
    today = clock.today()
    mids = sorted(members.names(led))

    def same(label: str) -> DuesBook:
        book = DuesBook.shared(led)
        fresh = DuesBook(led)
        assert _book_state(book) == _book_state(fresh), label
        for year, as_of in ((2026, today), (2025, dt.date(2025, 12, 31)), (2026, dt.date(2026, 3, 31))):
            # the year's grid kept per year and day equals one computed from a fresh book
            assert dues.year_rows(led, year, as_of=as_of) == read_year_rows(led, year, as_of, fresh), label
        return book

    dues.record_month(led, "2026-11", today)
    book = same("record a month")
    assert book is not kept and book.people is not kept.people
    assert _book_state(kept) == before  # the holder of the old book still sees the ledger as it was
    dues.record_payment(led, mids[2], ["2026-10", "2026-12"], today, amount=Decimal("5.00"))
    after = same("a payment")
    assert after.people[mids[3]] is book.people[mids[3]]  # updated, not built again: the others are shared
    assert after.people[mids[2]] is not book.people[mids[2]]
    with led.operation("TestEdit", "测试：改写付款"):
        pid = led.scalar("SELECT max(id) FROM dues_payments WHERE member_id=?", (mids[2],))
        led.conn.execute("UPDATE dues_payments SET amount='7.5', paid_on='2027-01-02' WHERE id=?", (pid,))
        old = led.scalar("SELECT min(id) FROM dues_payments WHERE member_id=?", (mids[1],))
        led.conn.execute("DELETE FROM dues_payments WHERE id=?", (old,))
    same("an edit and a deletion")
    led.undo_last()
    same("undo of the edit and deletion")
    # several operations between two looks at the book
    led.undo_last()
    dues.record_payment(led, mids[4], ["2026-09"], today, amount=Decimal("3.00"))
    led.undo_last()
    same("several operations")
    # a table of the book's other than payments: built afresh
    members.change_status(led, mids[5], "transferred_out", dt.date(2026, 11, 15), "转出到其他支部")
    dues.record_payment(led, mids[6], ["2026-11"], today, amount=Decimal("3.00"))
    same("a status change and a payment")
    led.undo_last()
    led.undo_last()
    same("undo of both")
    led.undo_last()  # the month recorded first: the ledger is as it was
    assert _book_state(same("undo of the month")) == before


def test_development_people_read_through_the_kept_roster_equal_fresh_ones(changed_ledger: Ledger) -> None:
    """The 联系人/介绍人 standings come from one RosterIndex kept until the members change (memo_reads)."""
    from db import development
    from db.development.person import _RosterCache, person_of

    led = changed_ledger

    def both() -> None:
        for a in development.list_applicants(led):
            fresh = _RosterCache(led)
            fresh.index = RosterIndex(led)
            assert person_of(led, a) == person_of(led, a, fresh), a.name

    both()
    mid = sorted(members.names(led))[4]
    members.change_status(led, mid, "transferred_out", dt.date(2024, 6, 30), "转出到其他支部")
    both()
    led.undo_last()
    both()


def _assert_tallies_equal(ledger: Ledger, windows: list[tuple[str, str]]) -> int:
    """The attendance counted in SQLite (read_tallies) equals the one counted from each whole record (tally_of),
    for all meetings and for date windows; returns how many tallies had a member without a vote listed."""
    names = members.names(ledger)
    touched = 0
    for lo, hi in [("0000-01-01", "9999-12-31"), *windows]:
        ledger._memo.clear()  # noqa: SLF001 - the no-vote lists read afresh
        ids_sql, params = "SELECT id FROM meetings WHERE date BETWEEN ? AND ?", (lo, hi)
        whole = read_meetings(ledger, ids_sql, params, names)
        light = read_meetings(ledger, ids_sql, params, names, whole=False)
        assert [m.id for m in light] == [m.id for m in whole]
        dates = {m.id: m.date for m in light if m.id is not None}
        got = read_tallies(ledger, dates, ids_sql, params, names)
        assert got == {m.id: tally_of(m) for m in whole if m.attendance}, (lo, hi)
        for m in whole:
            assert m.id is not None
            t = got.get(m.id) or tally_of(m)
            assert completeness(ledger, m, None, t) == completeness(ledger, m), m.id
            assert [t.verdict(d) for d in m.decisions] == [m.verdict(d) for d in m.decisions]
            touched += any(a.no_vote for a in m.attendance)
    return touched


def test_attendance_counted_in_sqlite_equals_the_records(changed_ledger: Ledger) -> None:
    """M08/M09 count two years of attendance in SQLite (tally.py): the same counts, absentees and lists as the
    whole records give, with members without a vote on the day (留党察看) present, absent and 列席, a row without
    a category, absentees with and without a reason, and windows that cut through the history."""
    led = changed_ledger
    rows = led.query(
        "SELECT m.id, m.date FROM meetings m WHERE EXISTS "
        "(SELECT 1 FROM meeting_attendance a WHERE a.meeting_id = m.id) ORDER BY m.date, m.id"
    )
    assert len(rows) > 10
    mid = sorted(members.names(led))[4]
    first, last = rows[len(rows) // 3][1], rows[2 * len(rows) // 3][1]
    with led.operation("TestEdit", "测试：改写出席"):
        led.conn.execute(
            "INSERT INTO sanctions(member_id, kind, decided_on, starts_on, ends_on) "
            "VALUES (?, 'probation', ?, ?, ?)",
            (mid, first, first, last),
        )
        statuses = ("present", "absent", "observer", "leave")
        for k, (meeting_id, _day) in enumerate(rows[len(rows) // 3 : 2 * len(rows) // 3]):
            led.conn.execute(
                "UPDATE meeting_attendance SET status=?, category='full', reason=? "
                "WHERE meeting_id=? AND member_id=?",
                (statuses[k % 4], None if k % 8 < 4 else "出差", meeting_id, mid),
            )
        led.conn.execute(
            "UPDATE meeting_attendance SET category=NULL WHERE id IN "
            "(SELECT id FROM meeting_attendance ORDER BY id LIMIT 3)"
        )
        led.conn.execute(
            "UPDATE meeting_attendance SET status='absent', reason=NULL WHERE id IN "
            "(SELECT id FROM meeting_attendance WHERE status='present' ORDER BY id DESC LIMIT 5)"
        )
        # absentees listed in another order than their member ids (the row of the lowest id entered last)
        meeting_id = rows[-2][0]
        low, high = led.query(
            "SELECT min(member_id), max(member_id) FROM meeting_attendance WHERE meeting_id=?", (meeting_id,)
        )[0]
        led.conn.execute(
            "DELETE FROM meeting_attendance WHERE meeting_id=? AND member_id=?", (meeting_id, low)
        )
        led.conn.execute(
            "INSERT INTO meeting_attendance(meeting_id, member_id, status, category) VALUES (?, ?, 'absent', 'full')",
            (meeting_id, low),
        )
        led.conn.execute(
            "UPDATE meeting_attendance SET status='leave', reason=NULL WHERE meeting_id=? AND member_id=?",
            (meeting_id, high),
        )
    windows = [(first, last), ("2025-01-01", "2026-11-22"), (rows[-1][1], "9999-12-31")]
    assert _assert_tallies_equal(led, windows) > 0


def test_meetings_of_a_period_found_by_bisection_equal_a_scan(changed_ledger: Ledger) -> None:
    """The cadence grid (M01–M07, M11) finds a period's meetings by bisecting each kind's days: the same ids as
    a scan of every meeting held, for every kind, group, period and as-of day (one inside the period)."""
    from db.meetings.cadence import _Context
    from db.rules import meetings as rules
    from db.rules.meetings import KINDS

    ctx = _Context(changed_ledger)
    years = sorted({d.year for d, _k, _g, _m in ctx.held})
    groups = [None, *sorted({g for _d, _k, g, _m in ctx.held if g is not None}), -1]
    checked = 0
    for year in range(years[0] - 1, years[-1] + 2):
        for cadence in ("month", "quarter", "half_year", "year"):
            for p in rules.periods_of(year, cadence):
                for as_of in (*AS_OF_DATES, p.start + (p.end - p.start) / 2):
                    for kind in KINDS:
                        for g in groups:
                            plain = tuple(
                                sorted(
                                    {
                                        mid
                                        for d, k, gg, mid in ctx.held
                                        if k == kind
                                        and d <= as_of
                                        and p.contains(d)
                                        and (g is None or gg == g)
                                    }
                                )
                            )
                            assert ctx.meetings_in(kind, p, as_of, g) == plain, (kind, p.key, as_of, g)
                            checked += bool(plain)
    assert checked > 100


def _plain_meetings_attended(ledger: Ledger, year: int, day: dt.date) -> dict[int, list[tuple[int, dt.date]]]:
    """Each member's counted meetings of the year as they were read: every attendance row joined to its meeting."""
    from db.study.hours import counted_kinds

    kinds = counted_kinds(ledger)
    out: dict[int, list[tuple[int, dt.date]]] = {}
    for r in ledger.query(
        f"""SELECT a.member_id, m.id, m.date FROM meeting_attendance a JOIN meetings m ON m.id=a.meeting_id
            WHERE a.status='present'
              AND a.meeting_id IN (SELECT id FROM meetings WHERE date BETWEEN ? AND ?)
              AND EXISTS (SELECT 1 FROM meeting_kinds k WHERE k.meeting_id=m.id
                          AND k.kind IN ({", ".join("?" for _ in kinds)}))
            ORDER BY m.date, m.id""",
        (f"{year}-01-01", day.isoformat(), *kinds),
    ):
        out.setdefault(r[0], []).append((r[1], dt.date.fromisoformat(r[2])))
    return out


def test_study_hours_from_present_lists_equal_the_attendance_rows(changed_ledger: Ledger) -> None:
    """学时 (O06) reads who was present one row per meeting: each member's meetings, in date order, are the ones
    the attendance rows give, for past years, the current one and as-of days inside a year."""
    from db.study.hours import member_years

    led = changed_ledger
    seen = 0
    for year in (2024, 2025, 2026):
        for as_of in (dt.date(year, 3, 31), dt.date(year, 10, 1), dt.date(year, 12, 31), *AS_OF_DATES):
            day = min(as_of, dt.date(year, 12, 31))
            plain = _plain_meetings_attended(led, year, day)
            for row in member_years(led, year, as_of):
                assert [(h.meeting_id, h.date) for h in row.meetings] == plain.get(row.member_id, [])
                seen += len(row.meetings)
    assert seen > 100


def test_the_roster_index_in_any_order_of_dates_equals_the_roster_read_for_each(
    changed_ledger: Ledger,
) -> None:
    """RosterIndex builds a stretch's roster from the one built last, looking again only at the members whose own
    break days lie between: dates asked in any order (backwards, jumping, again) give what a fresh read gives."""
    import random

    days = _days_that_matter(changed_ledger)
    plain = {day: read_roster_on(changed_ledger, day) for day in days}
    shuffled = list(days)
    random.Random(16).shuffle(shuffled)
    for order in (list(reversed(days)), shuffled, days[::7] + days[::-3]):
        index = RosterIndex(changed_ledger)
        for day in order:
            assert index.on(day) == plain[day], day
