"""The old import path of the roster sheet import, which now lives in db/members/import_sheet.py.

Kept so `from db import roster_import` (in branches made before the move) keeps working; new code imports
`from db.members import import_sheet`.
"""

from __future__ import annotations

from db.members.import_sheet import (
    HEADERS,
    ImportResult,
    SheetRow,
    cell_text,
    import_members,
    norm_header,
    read_sheet,
    sheet_headers,
)

__all__ = [
    "HEADERS",
    "ImportResult",
    "SheetRow",
    "cell_text",
    "import_members",
    "norm_header",
    "read_sheet",
    "sheet_headers",
]
