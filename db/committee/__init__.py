"""The branch committee (or lone 书记): terms and seats, elections, vacancies, findings T01–T05 (RULES.md §4).

terms.py        terms, their seats, who held which post on a date; SaveTerm
findings.py     T01–T05 as of a date
interchange.py  the `committee_terms` section

The pure rules (reminder stages, quorum and votes) are in db/rules/committee.py. db.branch re-exports the
term names, so code that says `branch.list_terms` keeps working.
"""

from __future__ import annotations

from db.committee import findings, interchange  # importing them registers the provider and the sections
from db.committee.findings import MAX_MEMBERS, MIN_FULL, term_findings, term_reminder_thresholds
from db.committee.terms import (
    COMMITTEE_THRESHOLD,
    ROLE_LABELS,
    TERM_KIND_LABELS,
    TERM_YEARS,
    Seat,
    Term,
    delete_term,
    has_committee_on,
    latest_term,
    list_terms,
    needs_committee,
    save_term,
    secretary_on,
    term_on,
    validate_term,
)

__all__ = [
    "COMMITTEE_THRESHOLD",
    "MAX_MEMBERS",
    "MIN_FULL",
    "ROLE_LABELS",
    "TERM_KIND_LABELS",
    "TERM_YEARS",
    "Seat",
    "Term",
    "delete_term",
    "findings",
    "has_committee_on",
    "interchange",
    "latest_term",
    "list_terms",
    "needs_committee",
    "save_term",
    "secretary_on",
    "term_findings",
    "term_on",
    "term_reminder_thresholds",
    "validate_term",
]
