"""党费: the yearly 核定 per member, the monthly ledger, arrears and the remittance upward (RULES.md §2).

The amounts come from db/rules/dues.py; this module keeps the records and answers questions over them:
- a 核定 (`dues_bases` row) per member and year; a mid-year change is a new row from a month with a reason, so
  the history is the rows; 年初核定 copies last year's rows as drafts for review, then fixes them;
- 年薪制: the pay received in a month (`dues_month_bases`) overrides the regular base that month;
- the cap: when the rule amount is above `dues_cap`, the stored `amount` is what the secretary confirmed
  (suggested: the cap) and `cap_confirmed_on` says when; until then P04 asks, and the rule amount stays visible;
- a member owes for each month in which they belonged to the branch on at least one day (a 预备党员 from the
  month of the 支部大会, a member transferring out in June through June); no 核定 for a year → last year's carries
  on (P01 asks for this year's after 31 March);
- arrears: a month counts as unpaid when something was due and nothing was paid for it, once the month (for
  members paying quarterly with the branch's consent: the quarter) is over; streaks run across years.

One concern per file: model.py (records, row mapping, month indexes), worksheet.py (the base worksheet), book.py
(the `DuesBook` read model and arrears streaks), reads.py (plain reads), grid.py (the year grid, member history,
党费已交到), report.py (the `ledger dues` JSON shape), bases.py (核定 operations), payments.py (collection),
remittance.py (上缴), checks.py (findings P01–P05, R03), interchange.py (the three interchange sections). This file
only gathers their public names, so callers keep using `db.dues.X`; importing it registers the findings provider
and the interchange sections.
"""

from __future__ import annotations

from db.dues.bases import (
    BaseEntry,
    assess,
    confirm_cap,
    copy_bases,
    delete_base,
    fix_bases,
    save_base,
    set_month_pay,
)
from db.dues.book import DuesBook
from db.dues.checks import (
    ARREARS_REVIEW,
    ARREARS_WARNING,
    findings,
)
from db.dues.grid import (
    MonthCell,
    YearRow,
    member_history,
    paid_up_to,
    year_rows,
    year_summary,
)
from db.dues.interchange import (
    BASE_KEYS,
    PAYMENT_KEYS,
    REMITTANCE_KEYS,
    dump_bases,
    dump_payments,
    dump_remittances,
    load_bases,
    load_payments,
    load_remittances,
)
from db.dues.model import (
    METHOD_LABELS,
    DuesBase,
    MonthBase,
    Payment,
    Remittance,
    method_label,
)
from db.dues.payments import MonthRecorded, delete_payment, record_month, record_payment, record_quarter
from db.dues.reads import bases_of_member, bases_of_year, get_base, last_collector, last_payment, payments_of
from db.dues.remittance import (
    PERIOD_KINDS,
    RemitRow,
    delete_remittance,
    list_remittances,
    period_due,
    period_label,
    period_months,
    period_of,
    period_year,
    remittance_rows,
    save_remittance,
)
from db.dues.report import (
    dues_report,
)
from db.dues.worksheet import (
    Worksheet,
)

__all__ = [
    "METHOD_LABELS",
    "PERIOD_KINDS",
    "ARREARS_WARNING",
    "ARREARS_REVIEW",
    "method_label",
    "Worksheet",
    "MonthBase",
    "DuesBase",
    "Payment",
    "Remittance",
    "DuesBook",
    "bases_of_year",
    "bases_of_member",
    "get_base",
    "payments_of",
    "MonthCell",
    "YearRow",
    "year_rows",
    "dues_report",
    "paid_up_to",
    "last_payment",
    "last_collector",
    "year_summary",
    "member_history",
    "BaseEntry",
    "assess",
    "save_base",
    "copy_bases",
    "fix_bases",
    "confirm_cap",
    "delete_base",
    "set_month_pay",
    "MonthRecorded",
    "record_month",
    "record_payment",
    "record_quarter",
    "delete_payment",
    "period_months",
    "period_year",
    "period_label",
    "period_of",
    "period_due",
    "list_remittances",
    "RemitRow",
    "remittance_rows",
    "save_remittance",
    "delete_remittance",
    "findings",
    "BASE_KEYS",
    "PAYMENT_KEYS",
    "REMITTANCE_KEYS",
    "dump_bases",
    "load_bases",
    "dump_payments",
    "load_payments",
    "dump_remittances",
    "load_remittances",
]
