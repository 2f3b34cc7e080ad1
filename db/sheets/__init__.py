"""The one tolerant sheet reader behind every Excel/CSV import (花名册, 党费收缴登记表, 发展党员工作台账, 三会一课):
files.py gets the cells out (the real extent, merged cells, refusals of damaged files), table.py finds the
header and the rows, cells.py reads one value (dates, names, money, yes/no)."""

from db.sheets.cells import (
    cell_text,
    clean_name,
    count_from,
    date_from,
    money_from,
    name_problem,
    strip_invisible,
    yes_no,
)
from db.sheets.files import SheetFileError
from db.sheets.table import (
    MAX_HEADER_SCAN,
    MAX_ROWS,
    SheetRow,
    SheetSpec,
    SheetTable,
    norm_header,
    read_table,
)

__all__ = [
    "MAX_HEADER_SCAN",
    "MAX_ROWS",
    "SheetFileError",
    "SheetRow",
    "SheetSpec",
    "SheetTable",
    "cell_text",
    "clean_name",
    "count_from",
    "date_from",
    "money_from",
    "name_problem",
    "norm_header",
    "read_table",
    "strip_invisible",
    "yes_no",
]
