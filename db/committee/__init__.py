"""The branch committee (or lone 书记): terms and seats, elections, vacancies, findings T01–T05 (RULES.md §4).

terms.py        terms, their seats, who held which post on a date; SaveTerm
elections.py    换届选举 and 补选 with candidates, votes and their live verdict
vacancies.py    seats fallen vacant and the 补选 that filled them
findings.py     T01–T05 as of a date
interchange.py  the `committee_terms`, `elections` and `committee_vacancies` sections

The pure rules (reminder stages, quorum and votes) are in db/rules/committee.py. db.branch re-exports the
term names and db.checklists the election and vacancy names, so code that says `branch.list_terms` or
`checklists.save_election` keeps working.
"""

from __future__ import annotations

from db.committee import findings, interchange  # importing them registers the provider and the sections
from db.committee.elections import (
    ELECTION_KIND_LABELS,
    QUORUM_LABELS,
    Candidate,
    Election,
    Verdict,
    delete_election,
    get_election,
    is_elected,
    list_elections,
    quorum_mode,
    save_election,
    validate_election,
    verdict,
)
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
from db.committee.vacancies import Vacancy, delete_vacancy, list_vacancies, save_vacancy

__all__ = [
    "COMMITTEE_THRESHOLD",
    "ELECTION_KIND_LABELS",
    "MAX_MEMBERS",
    "MIN_FULL",
    "QUORUM_LABELS",
    "ROLE_LABELS",
    "TERM_KIND_LABELS",
    "TERM_YEARS",
    "Candidate",
    "Election",
    "Seat",
    "Term",
    "Vacancy",
    "Verdict",
    "delete_election",
    "delete_term",
    "delete_vacancy",
    "findings",
    "get_election",
    "has_committee_on",
    "interchange",
    "is_elected",
    "latest_term",
    "list_elections",
    "list_terms",
    "list_vacancies",
    "needs_committee",
    "quorum_mode",
    "save_election",
    "save_term",
    "save_vacancy",
    "secretary_on",
    "term_findings",
    "term_on",
    "term_reminder_thresholds",
    "validate_election",
    "validate_term",
    "verdict",
]
