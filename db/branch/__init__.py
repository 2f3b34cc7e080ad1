"""The branch: its profile and its 党小组 (RULES.md §4), with their interchange sections.

profile.py      the branch profile (one row), `require_branch`, the 工作台 `summary`
groups.py       党小组
interchange.py  the `branch` and `party_groups` sections

The committee by term lives in db/committee/; its names are re-exported here because callers have always
found them on db.branch (`branch.list_terms`, `from db.branch import Term`).

The names load with their module on first use (PEP 562): the window's header and the 工作台 read the profile
before the first paint, and the committee, the roster and the interchange reader they would pull in are the
findings' to load, in the start-up fill's thread. `db.branch.interchange` registers the sections; the
interchange reader imports it (db/interchange.py SECTION_MODULES).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from db.lazy import lazy_names

if TYPE_CHECKING:
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

_HOMES = {
    "db.branch.groups": ("PartyGroup", "delete_group", "groups_on", "list_groups", "save_group"),
    "db.branch.profile": ("Branch", "branch_name", "get_branch", "require_branch", "save_branch", "summary"),
}

# every other name of __all__ is db.committee's
__getattr__ = lazy_names(globals(), _HOMES, ("groups", "interchange", "profile"), others="db.committee")

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
