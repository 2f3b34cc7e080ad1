"""The branch: its profile and its 党小组 (RULES.md §4), with their interchange sections.

profile.py      the branch profile (one row), `require_branch`, the 工作台 `summary`
groups.py       党小组
interchange.py  the `branch` and `party_groups` sections

The committee by term lives in db/committee/; its names are re-exported here because callers have always
found them on db.branch (`branch.list_terms`, `from db.branch import Term`).
"""

from __future__ import annotations

from db.branch import interchange  # importing it registers the sections
from db.branch.groups import PartyGroup, delete_group, groups_on, list_groups, save_group
from db.branch.profile import Branch, branch_name, get_branch, require_branch, save_branch, summary
from db.committee import (
    COMMITTEE_THRESHOLD,
    MAX_MEMBERS,
    MIN_FULL,
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
    term_findings,
    term_on,
    term_reminder_thresholds,
    validate_term,
)

__all__ = [
    "COMMITTEE_THRESHOLD",
    "MAX_MEMBERS",
    "MIN_FULL",
    "ROLE_LABELS",
    "TERM_KIND_LABELS",
    "TERM_YEARS",
    "Branch",
    "PartyGroup",
    "Seat",
    "Term",
    "branch_name",
    "delete_group",
    "delete_term",
    "get_branch",
    "groups_on",
    "has_committee_on",
    "interchange",
    "latest_term",
    "list_groups",
    "list_terms",
    "needs_committee",
    "require_branch",
    "save_branch",
    "save_group",
    "save_term",
    "secretary_on",
    "summary",
    "term_findings",
    "term_on",
    "term_reminder_thresholds",
    "validate_term",
]
