"""主题党日指导清单 (RULES-EXT.md §16.1, YQ01–YQ04; local practice): the upper committee's list for a year,
imported from its sheet or JSON, shown month by month; each month's 主题党日 planned from its item and linked
when held; changes and skips with their reasons; finding K01.

model.py         GuideList, GuideItem, the month parser, the item's state on a day (pure)
store.py         reading; SaveGuideList, PlanGuideItem, LinkGuideMeeting, SetGuideDeviation, DeleteGuideList
import_sheet.py  the sheet in its usual shapes (db/sheets), and the JSON a committee sends
findings.py      K01
interchange.py   the `guide_lists` section
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from db.guide_lists import findings, interchange  # importing them registers the provider and the section
from db.guide_lists.model import (
    CHANGED,
    DONE,
    LOCAL_NOTE,
    MISSED,
    OPEN,
    PLANNED,
    SKIPPED,
    STATE_LABELS,
    GuideItem,
    GuideList,
    MonthError,
    counts,
    item_state,
    month_over,
    parse_month,
)
from db.guide_lists.store import (
    default_plan_date,
    delete_list,
    get_item,
    get_list,
    item_for_meeting,
    label,
    link_meeting,
    meeting_for,
    plan_item,
    save_list,
    set_deviation,
    theme_days_in,
    year_summary,
    years,
)
from db.lazy import lazy_names

if TYPE_CHECKING:
    from db.guide_lists.import_sheet import (
        GUIDE,
        GuideImport,
        import_guide_file,
        import_guide_sheet,
        list_to_json,
        lists_from_json,
    )

# The sheet import (and the sheet reader it uses, db/sheets: csv, zipfile, 6 ms) loads on first use: the
# findings and the 工作台's fill import this package, and have no sheet to read.
__getattr__ = lazy_names(
    globals(),
    {
        "db.guide_lists.import_sheet": (
            "GUIDE",
            "GuideImport",
            "import_guide_file",
            "import_guide_sheet",
            "list_to_json",
            "lists_from_json",
        )
    },
    ("import_sheet",),
)

__all__ = [
    "CHANGED",
    "DONE",
    "GUIDE",
    "LOCAL_NOTE",
    "MISSED",
    "OPEN",
    "PLANNED",
    "SKIPPED",
    "STATE_LABELS",
    "GuideImport",
    "GuideItem",
    "GuideList",
    "MonthError",
    "counts",
    "default_plan_date",
    "delete_list",
    "findings",
    "get_item",
    "get_list",
    "import_guide_file",
    "import_guide_sheet",
    "interchange",
    "item_for_meeting",
    "item_state",
    "label",
    "link_meeting",
    "list_to_json",
    "lists_from_json",
    "meeting_for",
    "month_over",
    "parse_month",
    "plan_item",
    "save_list",
    "set_deviation",
    "theme_days_in",
    "year_summary",
    "years",
]
