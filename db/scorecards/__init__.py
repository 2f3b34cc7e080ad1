"""星级 / 考核 self-assessment (RULES-EXT.md §16.4, YQ13–YQ17): schemes as data (items, points, how each is
evidenced), the scheme file, one example scheme (示例，非正式标准), and a year's score with its gaps.

model.py        Scheme, Item, StarLevel, Check; the evidence kinds; pure scoring rules
schemes.py      stored schemes, the scheme file (`branch-ledger-scorecard`), the example scheme
score.py        the year's evidence (from the ledger's read models), score, stars and gaps; manual checks
interchange.py  the `scorecards` section
"""

from __future__ import annotations

from db.scorecards import interchange  # importing it registers the section
from db.scorecards.model import (
    EVIDENCE_KINDS,
    Check,
    EvidenceKind,
    Item,
    Scheme,
    StarLevel,
    item_score,
    stars_for,
)
from db.scorecards.schemes import (
    EXAMPLE_NAME,
    EXAMPLE_NOTE,
    FILE_FORMAT,
    delete_scheme,
    example_scheme,
    export_scheme,
    get_scheme,
    import_scheme,
    list_schemes,
    read_scheme_file,
    save_scheme,
    scheme_for,
    scheme_from_json,
    scheme_to_json,
    validate_scheme,
)
from db.scorecards.score import (
    Evidence,
    ItemScore,
    YearScore,
    checks_of,
    save_check,
    year_score,
    year_summary,
)

__all__ = [
    "EVIDENCE_KINDS",
    "EXAMPLE_NAME",
    "EXAMPLE_NOTE",
    "FILE_FORMAT",
    "Check",
    "Evidence",
    "EvidenceKind",
    "Item",
    "ItemScore",
    "Scheme",
    "StarLevel",
    "YearScore",
    "checks_of",
    "delete_scheme",
    "example_scheme",
    "export_scheme",
    "get_scheme",
    "import_scheme",
    "interchange",
    "item_score",
    "list_schemes",
    "read_scheme_file",
    "save_check",
    "save_scheme",
    "scheme_for",
    "scheme_from_json",
    "scheme_to_json",
    "stars_for",
    "validate_scheme",
    "year_score",
    "year_summary",
]
