"""六个一 (or any district's list) as data, the year's self-check with evidence and photos, findings C01/C02
(RULES.md §5, §6.5).

definitions.py  checklist definitions by year (carried over until changed), the built-in 六个一, the file format
results.py      the year's results and 整改, the year at a glance (rows, summary, open 整改)
photos.py       evidence photos and their thumbnails
findings.py     C01/C02
interchange.py  the `checklists` section

Elections and vacancies belong to the committee (db/committee/); their names are re-exported here because
callers have found them on db.checklists (`checklists.save_election`, `from db.checklists import Election`).
"""

from __future__ import annotations

from db.checklists import findings, interchange  # importing them registers the provider and the section
from db.checklists.definitions import (
    DEFAULT_ITEMS,
    DEFAULT_NAME,
    DEFAULT_SOURCE,
    FILE_FORMAT,
    Definition,
    Item,
    checklist_names,
    default_definition,
    definition_for,
    definition_from_json,
    definition_to_json,
    definition_years,
    ensure_definition,
    export_definition,
    import_definition,
    save_definition,
    validate_definition,
)
from db.checklists.photos import (
    THUMB_PX,
    Photo,
    add_photo,
    make_thumbnail,
    photo_data,
    photo_thumb,
    photos,
    remove_photo,
)
from db.checklists.results import (
    STATUS_CHOICES,
    STATUS_LABELS,
    Result,
    Row,
    get_result,
    open_rectifications,
    results,
    save_result,
    validate_result,
    year_rows,
    year_summary,
)
from db.committee import (
    ELECTION_KIND_LABELS,
    QUORUM_LABELS,
    Candidate,
    Election,
    Vacancy,
    Verdict,
    delete_election,
    delete_vacancy,
    get_election,
    is_elected,
    list_elections,
    list_vacancies,
    quorum_mode,
    save_election,
    save_vacancy,
    validate_election,
    verdict,
)

__all__ = [
    "DEFAULT_ITEMS",
    "DEFAULT_NAME",
    "DEFAULT_SOURCE",
    "ELECTION_KIND_LABELS",
    "FILE_FORMAT",
    "QUORUM_LABELS",
    "STATUS_CHOICES",
    "STATUS_LABELS",
    "THUMB_PX",
    "Candidate",
    "Definition",
    "Election",
    "Item",
    "Photo",
    "Result",
    "Row",
    "Vacancy",
    "Verdict",
    "add_photo",
    "checklist_names",
    "default_definition",
    "definition_for",
    "definition_from_json",
    "definition_to_json",
    "definition_years",
    "delete_election",
    "delete_vacancy",
    "ensure_definition",
    "export_definition",
    "findings",
    "get_election",
    "get_result",
    "import_definition",
    "interchange",
    "is_elected",
    "list_elections",
    "list_vacancies",
    "make_thumbnail",
    "open_rectifications",
    "photo_data",
    "photo_thumb",
    "photos",
    "quorum_mode",
    "remove_photo",
    "results",
    "save_definition",
    "save_election",
    "save_result",
    "save_vacancy",
    "validate_definition",
    "validate_election",
    "validate_result",
    "verdict",
    "year_rows",
    "year_summary",
]
