"""The one tolerant reader every import uses: find the header row (below any title rows, on one row or on two
rows where a merged heading stands over its sub-columns, as in the official 汇总表), map the header texts to the
import's fields by their names and variants, and hand back the data rows by the sheet's own row numbers, with
every column that was not used listed, never dropped silently.

A `SheetSpec` says what an import understands: `classify` maps a normalised header text to a field key,
`accepts` says whether a set of keys makes a header row. The reader knows nothing of members or dues."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from db.errors import Problem
from db.sheets.cells import CELL_MAX, cell_text, strip_invisible
from db.sheets.files import Grid, SheetFileError, read_grids

MAX_HEADER_SCAN = 30
MAX_ROWS = 2000

_NOTE = re.compile(r"[（(][^）)]*[）)]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # never text: NUL and the other C0 controls


def norm_header(text: object) -> str:
    """'公民身份\\n号码（18位）*' -> '公民身份号码'."""
    s = re.sub(r"\s+", "", strip_invisible(str(text or "")))
    s = s.replace("*", "").replace("＊", "").rstrip(":：")
    return _NOTE.sub("", s)


def header_text(value: object) -> str:
    """A header as shown to the secretary: the cell's text without spaces and line breaks."""
    return re.sub(r"\s+", "", strip_invisible(cell_text(value)))


@dataclass(frozen=True)
class SheetSpec:
    what: str  # "花名册", "党费收缴登记表", …: used in messages
    classify: Callable[[str], str | None]  # normalised header text -> field key
    accepts: Callable[[set[str]], bool]  # do these keys make a header row?
    header_hint: str  # which column names the header row should have
    max_rows: int = MAX_ROWS
    row_noun: str = "行"  # "名党员", "人", "次会议"


@dataclass
class SheetRow:
    """One data row of the sheet: its row number and the cell texts by header text (overrides applied)."""

    row: int
    values: dict[str, str]
    name: str = ""


@dataclass
class SheetTable:
    file: str = ""
    sheet: str = ""
    header_row: int | None = None  # the (first) header row, 1-based
    header_rows: int = 1  # 2 for a two-row merged header
    columns: list[str] = field(default_factory=list)  # used header texts, in sheet order
    fields: dict[str, str] = field(default_factory=dict)  # field key -> the sheet's header text for it
    ignored_columns: list[str] = field(default_factory=list)  # every column with a header that was not used
    records: list[SheetRow] = field(default_factory=list)
    raw_rows: dict[int, dict[str, Any]] = field(default_factory=dict, repr=False)  # row -> header -> value
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def first_data_row(self) -> int:
        return (self.header_row or 0) + self.header_rows

    def text(self, rec: SheetRow, key: str) -> str:
        h = self.fields.get(key)
        return rec.values.get(h, "").strip() if h else ""

    def raw(self, rec: SheetRow, key: str) -> Any:
        h = self.fields.get(key)
        return self.raw_rows.get(rec.row, {}).get(h) if h else None


@dataclass
class _Header:
    index: int
    rows: int
    cols: dict[int, tuple[str, str]]  # column -> (key, header text)
    texts: dict[int, str]  # column -> header text of every titled column

    @property
    def score(self) -> int:
        return len({k for k, _ in self.cols.values()})


def _match(spec: SheetSpec, value: Any) -> str | None:
    n = norm_header(cell_text(value))
    return spec.classify(n) if n else None


def _header_at(spec: SheetSpec, rows: list[list[Any]], i: int) -> tuple[_Header, _Header | None]:
    top = rows[i]
    single = _Header(i, 1, {}, {})
    for j, v in enumerate(top):
        t = header_text(v)
        if not t:
            continue
        single.texts[j] = t
        key = _match(spec, v)
        if key:
            single.cols[j] = (key, t)
    if i + 1 >= len(rows):
        return single, None
    # Two rows: a heading over sub-columns (merged across, so every column under it repeats its text) with the
    # names of the sub-columns on the row below; columns merged down both rows repeat their name below.
    sub = rows[i + 1]
    double = _Header(i, 2, {}, {})
    width = max(len(top), len(sub))
    from_top = from_sub = 0
    for j in range(width):
        tv = top[j] if j < len(top) else None
        sv = sub[j] if j < len(sub) else None
        tt, st = header_text(tv), header_text(sv)
        sk, tk = _match(spec, sv), _match(spec, tv)
        if sk and st != tt:
            double.cols[j] = (sk, st)
            from_sub += 1
        elif tk and (not st or st == tt):
            double.cols[j] = (tk, tt)
            from_top += 1
        text = st if st and st != tt and tt else (tt or st)
        if st and tt and st != tt and not sk:
            text = f"{tt}/{st}"
        if text:
            double.texts[j] = text
    # a real two-row header has names on both rows (columns merged down, sub-columns under a heading)
    if not from_top or not from_sub or double.score <= single.score:
        return single, None
    return single, double


def _find_header(spec: SheetSpec, rows: list[list[Any]]) -> _Header | None:
    best: _Header | None = None
    for i in range(min(len(rows), MAX_HEADER_SCAN)):
        for h in _header_at(spec, rows, i):
            if h is None or not spec.accepts({k for k, _ in h.cols.values()}):
                continue
            if best is None or h.score > best.score:
                best = h
    return best


def read_table(
    path: Path | str,
    spec: SheetSpec,
    overrides: Mapping[tuple[int, str], str] | None = None,
    *,
    name_key: str | None = "name",
) -> SheetTable:
    """Read the sheet into rows by header text (no validation of the values yet). File problems, a missing
    header, an oversized sheet come back as errors; nothing is raised."""
    path = Path(path)
    res = SheetTable(file=path.name)
    chosen: tuple[Grid, _Header] | None = None
    first: Grid | None = None
    try:
        for grid in read_grids(path, spec.max_rows + MAX_HEADER_SCAN + 2):
            if first is None:
                first = grid
            h = _find_header(spec, grid.rows)
            if h is not None:
                chosen = (grid, h)
                break
    except SheetFileError as e:
        res.errors.append(Problem(str(e), row=e.row, file=path.name))
        return res
    if chosen is None:
        res.sheet = first.title if first else ""
        if first is None or not any(any(cell_text(v) for v in r) for r in first.rows):
            res.errors.append(Problem(f"“{path.name}”中的工作表是空的，没有可导入的内容。", file=path.name))
        else:
            res.errors.append(
                Problem(
                    f"在“{path.name}”的前{MAX_HEADER_SCAN}行中没有找到表头（{spec.what}）。{spec.header_hint}",
                    file=path.name,
                )
            )
        return res
    grid, hdr = chosen
    res.sheet = grid.title
    res.header_row = hdr.index + 1
    res.header_rows = hdr.rows
    used: dict[int, tuple[str, str]] = {}
    for j in sorted(hdr.cols):
        key, text = hdr.cols[j]
        if key in res.fields:
            res.warnings.append(
                Problem(
                    f"与“{res.fields[key]}”是同一项，此列未使用",
                    row=res.header_row,
                    column=text,
                    file=path.name,
                )
            )
            continue
        res.fields[key] = text
        used[j] = (key, text)
    res.columns = [t for _, t in used.values()]
    res.ignored_columns = [t for j, t in sorted(hdr.texts.items()) if j not in used]
    if res.ignored_columns:
        res.warnings.append(
            Problem(
                "以下列没有对应的台账项目，未导入：" + "、".join(f"“{t}”" for t in res.ignored_columns),
                row=res.header_row,
                file=path.name,
            )
        )
    start = hdr.index + hdr.rows
    data_rows = sum(1 for r in grid.rows[start:] if any(cell_text(v) for v in r))
    if grid.truncated or data_rows > spec.max_rows:
        res.errors.append(
            Problem(
                f"“{path.name}”的表头下面有超过 {spec.max_rows} 行数据，远多于一个支部的{spec.what}，已拒绝导入"
                "（没有读完整个文件）。请检查是否选错了文件，或删去表格下方多余的内容后再导入。",
                file=path.name,
            )
        )
        return res
    overrides = overrides or {}
    for i in range(start, len(grid.rows)):
        r = grid.rows[i]
        rownum = i + 1
        raw: dict[str, Any] = {}
        values: dict[str, str] = {}
        for j, (_key, text) in used.items():
            v = r[j] if j < len(r) else None
            raw[text] = v
            values[text] = _CONTROL.sub("", cell_text(v)).strip()
        for text in res.columns:
            if (rownum, text) in overrides:
                values[text] = str(overrides[(rownum, text)] or "").strip()
        if not any(values.values()):
            continue
        for text, v in values.items():
            if len(v) > CELL_MAX:
                res.errors.append(
                    Problem(
                        f"这一格有 {len(v)} 个字符，超过 {CELL_MAX} 个，不是台账表格的内容",
                        row=rownum,
                        column=text,
                        file=path.name,
                    )
                )
                values[text] = v[:CELL_MAX]
        name = values.get(res.fields[name_key], "") if name_key and name_key in res.fields else ""
        res.records.append(SheetRow(rownum, values, name))
        res.raw_rows[rownum] = raw
    return res
