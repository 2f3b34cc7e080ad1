"""Bring in the upper committee's 主题党日指导清单 from the sheet it was sent as: columns 月份, 主题, 内容要点,
参考形式, 时间节点 under any of their usual names and in any order, below a title row, with the month merged down
over several items and written "1月", "一月", "2026年1月" or as a date. Read by the shared tolerant reader
(db/sheets), refused with the file, row and column of every problem, all rows or none (SaveGuideList).

Also the same list as JSON (a `guide_lists` section of an interchange document, or one list object), the way a
park's committee can send one file to fifty branches."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from db.errors import InputRefused, Problem
from db.guide_lists.model import GuideItem, GuideList, MonthError, parse_month
from db.guide_lists.store import save_list
from db.sheets import SheetRow, SheetSpec, norm_header, read_table
from db.sheets.files import SheetFileError, read_grids
from db.sheets.result import SheetImport

if TYPE_CHECKING:
    from db.connection import Ledger

HEADERS: dict[str, tuple[str, ...]] = {
    "month": ("月份", "月", "月度", "时间", "安排月份", "活动月份", "开展月份", "开展时间"),
    "theme": ("主题", "活动主题", "主题党日主题", "学习主题", "党日主题", "主题内容"),
    "points": ("内容要点", "主要内容", "活动内容", "内容", "学习内容", "要点", "工作要点", "活动要点"),
    "forms": ("参考形式", "活动形式", "形式", "建议形式", "开展形式", "推荐形式", "参考方式"),
    "node": ("时间节点", "重要节点", "节点", "重要时间节点", "相关节点", "纪念日", "重要纪念日"),
    "seq": ("序号", "编号"),
    "notes": ("备注", "说明"),
}
_LOOKUP = {norm_header(v): k for k, vs in HEADERS.items() for v in vs}
_YEAR = re.compile(r"(20\d{2})\s*年")

GUIDE = SheetSpec(
    what="主题党日指导清单",
    classify=lambda t: _LOOKUP.get(t),
    accepts=lambda keys: {"month", "theme"} <= keys,
    header_hint="表头行应含“月份”和“主题”，以及“内容要点”“参考形式”“时间节点”等列名（顺序不限）。",
    max_rows=200,
    row_noun="项",
)


@dataclass
class GuideImport(SheetImport):
    year: int | None = None
    guide: GuideList | None = field(default=None, repr=False)


def _title_rows(path: Path, header_row: int | None) -> str:
    """The text above the header (the list's title), joined."""
    if not header_row or header_row <= 1:
        return ""
    try:
        grid = next(iter(read_grids(path, header_row + 1)))
    except (SheetFileError, StopIteration):
        return ""
    texts = []
    for r in grid.rows[: header_row - 1]:
        for v in r:
            t = str(v or "").strip()
            if t and t not in texts:
                texts.append(t)
    return " ".join(texts)


def import_guide_sheet(
    ledger: Ledger,
    path: Path | str,
    year: int | None = None,
    dry_run: bool = False,
    *,
    issuer: str | None = None,
    replace: bool = False,
    overrides: Mapping[tuple[int, str], str] | None = None,
) -> GuideImport:
    """Check (dry_run) or import one 指导清单 sheet. The year is taken from `year`, else from the months
    ("2026年1月") or the title row ("2026年度…指导清单")."""
    path = Path(path)
    res: GuideImport = GuideImport.of(read_table(path, GUIDE, overrides, name_key=None), kind="guide")
    res.dry_run = dry_run
    if res.errors:
        return res
    if not res.records:
        res.errors.append(res.problem("表头下面没有清单项目。", row=res.header_row))
        return res
    title = _title_rows(path, res.header_row)
    items: list[GuideItem] = []
    years: dict[int, int] = {}  # year written in a month cell -> first row
    last_month: int | None = None
    for rec in res.records:
        before = len(res.errors)

        def err(key: str, msg: str, rec: SheetRow = rec) -> None:
            res.errors.append(
                res.problem(msg, rec.row, res.fields.get(key), value=res.text(rec, key) or None)
            )

        raw = res.raw(rec, "month")
        text = res.text(rec, "month")
        month: int | None = None
        if not text and raw is None:
            month = last_month  # a month cell left empty under the one above (not merged): the same month
            if month is None:
                err("month", "月份为空")
        else:
            try:
                y, month = parse_month(raw if raw is not None and not isinstance(raw, str) else text)
            except MonthError as e:
                err("month", str(e))
            else:
                if y is not None:
                    years.setdefault(y, rec.row)
                    if year is not None and y != year:
                        err("month", f"“{text}”不是{year}年的月份")
        theme = res.text(rec, "theme")
        if not theme:
            err("theme", "主题为空：每一项都要有主题")
        if len(res.errors) > before or month is None:
            continue
        last_month = month
        items.append(
            GuideItem(
                month,
                theme,
                res.text(rec, "points") or None,
                res.text(rec, "forms") or None,
                res.text(rec, "node") or None,
            )
        )
    if year is None:
        if len(years) > 1:
            a, b = sorted(years)[:2]
            res.errors.append(
                res.problem(
                    f"清单中的月份属于不同年度（{a}年、{b}年），请分开导入", years[b], res.fields["month"]
                )
            )
        elif years:
            year = next(iter(years))
        else:
            m = _YEAR.search(title)
            if m:
                year = int(m.group(1))
            else:
                res.errors.append(
                    res.problem("看不出这份清单是哪一年的（标题和月份里都没有年份），请选择年度后再导入")
                )
    res.year = year
    if res.errors or year is None:
        return res
    res.guide = GuideList(year, items, issuer, title or None, path.name)
    if dry_run:
        return res
    try:
        save_list(ledger, res.guide, replace=replace)
    except InputRefused as e:
        for p in e.problems:
            p.file = p.file or path.name
        res.errors.extend(e.problems)
        return res
    res.imported = len(items)
    return res


# ------------------------------------------------------------------------------------------ JSON


def list_to_json(gl: GuideList) -> dict[str, Any]:
    """The list as issued (no branch's plans or meetings): what a committee sends out."""
    return {
        "year": gl.year,
        "issuer": gl.issuer,
        "title": gl.title,
        "items": [
            {"month": i.month, "theme": i.theme, "points": i.points, "forms": i.forms, "node": i.node}
            for i in sorted(gl.items, key=lambda i: (i.month, i.seq))
        ],
    }


def lists_from_json(doc: Any, source: str) -> list[GuideList]:
    """Lists from a JSON document: an interchange document's `guide_lists`, a bare list of lists, or one list.
    Problems come with their JSON path."""
    if isinstance(doc, dict) and "guide_lists" in doc:
        raw, base = doc["guide_lists"], "guide_lists"
    elif isinstance(doc, dict) and "items" in doc:
        raw, base = [doc], ""
    else:
        raw, base = doc, ""
    if not isinstance(raw, list):
        raise InputRefused([Problem("不是主题党日指导清单（缺少 guide_lists 或 items）", file=source)])
    problems: list[Problem] = []
    out: list[GuideList] = []
    for i, g in enumerate(raw):
        at = f"{base}[{i}]" if base or len(raw) > 1 or not isinstance(doc, dict) else "（文档）"
        if not isinstance(g, dict):
            problems.append(Problem("应为对象", column=at, file=source))
            continue
        y = g.get("year")
        if not isinstance(y, int) or isinstance(y, bool) or not 2000 <= y <= 2100:
            problems.append(Problem(f"年度应为整数，实际是 {y!r}", column=f"{at}.year", file=source))
            continue
        gl = GuideList(y, [], g.get("issuer"), g.get("title"), source)
        for j, it in enumerate(g.get("items") or []):
            p = f"{at}.items[{j}]"
            if not isinstance(it, dict):
                problems.append(Problem("应为对象", column=p, file=source))
                continue
            try:
                yy, month = parse_month(it.get("month"))
            except MonthError as e:
                problems.append(Problem(str(e), column=f"{p}.month", file=source))
                continue
            if yy is not None and yy != y:
                problems.append(Problem(f"不是{y}年的月份", column=f"{p}.month", file=source))
            theme = it.get("theme")
            if not isinstance(theme, str) or not theme.strip():
                problems.append(Problem("主题为空", column=f"{p}.theme", file=source))
                continue
            gl.items.append(
                GuideItem(
                    month,
                    theme.strip(),
                    _text(it.get("points")),
                    _text(it.get("forms")),
                    _text(it.get("node")),
                )
            )
        out.append(gl)
    if problems:
        raise InputRefused(problems, "指导清单文件有误，未导入")
    return out


def _text(v: Any) -> str | None:
    return str(v).strip() or None if v is not None else None


def import_guide_file(
    ledger: Ledger,
    path: Path | str,
    year: int | None = None,
    dry_run: bool = False,
    *,
    replace: bool = False,
    overrides: Mapping[tuple[int, str], str] | None = None,
) -> GuideImport:
    """A sheet, or (.json) the JSON a committee sends: one result shape for the command line and the dialog."""
    path = Path(path)
    if path.suffix.lower() != ".json":
        return import_guide_sheet(ledger, path, year, dry_run, replace=replace, overrides=overrides)
    from db.loadcheck.reading import read_file

    res = GuideImport(file=path.name, kind="guide", dry_run=dry_run)
    try:
        lists = lists_from_json(read_file(path), path.name)
        if year is not None:
            lists = [g for g in lists if g.year == year]
            if not lists:
                raise InputRefused([Problem(f"文件中没有{year}年的指导清单", file=path.name)])
        res.year = lists[0].year if len(lists) == 1 else None
        res.guide = lists[0] if len(lists) == 1 else None
        if not dry_run:
            with ledger.operation("ImportGuideLists", f"导入主题党日指导清单（{path.name}）"):
                for gl in lists:
                    save_list(ledger, gl, replace=replace)
            res.imported = sum(len(g.items) for g in lists)
    except InputRefused as e:
        for p in e.problems:
            p.file = p.file or path.name
        res.errors.extend(e.problems)
    return res
