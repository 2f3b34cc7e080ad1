"""六个一 (or any district's list) as data, the year's self-check with evidence and photos, findings C01/C02, and
the committee's elections and vacancies (RULES.md §4, §5, §6.5).

A checklist definition belongs to a year; the newest definition of a year ≤ Y applies to Y, so last year's list
carries over until the secretary changes it. Results are kept by (year, checklist name, item key), so they
survive a definition carried over from an earlier year. Photos are insert-only rows with a BLOB and a
thumbnail; removing one is a soft delete (BLOBs are not in the audit images).
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from db import clock
from db.dates import fmt_zh, from_iso, iso
from db.errors import InputRefused, Problem
from db.findings import Finding, provider
from db.interchange import insert_row, section
from db.rules import committee as rules

if TYPE_CHECKING:
    from db.connection import Ledger

DEFAULT_NAME = "六个一"
DEFAULT_SOURCE = "松江区“两新”组织党建阵地“六有”和“六个一”标准（G60科创走廊）"
STATUS_LABELS = {"met": "达标", "not_met": "未达标", "partly": "部分达标"}
STATUS_CHOICES = ("met", "partly", "not_met")
FILE_FORMAT = "branch-ledger-checklist"
THUMB_PX = 240

# The product's default (RULES.md §5, wording of the seed article): 六个一, and the 六有 of the first item.
DEFAULT_ITEMS: list[dict[str, Any]] = [
    {
        "key": "1",
        "title": "有一个“六有”标准化党员活动阵地",
        "standard": "按照党建阵地“六有”标准建设党员活动阵地：有场所、有设施、有标志、有党旗、有书报、有制度",
        "sub_items": [
            {
                "key": "1.1",
                "title": "有场所",
                "standard": "活动场所能容纳全体党员开展活动，可一室多用或与会议室共用",
            },
            {
                "key": "1.2",
                "title": "有设施",
                "standard": "配有桌椅、书柜或报刊架，可配电脑、电视、投影等电教设备",
            },
            {
                "key": "1.3",
                "title": "有标志",
                "standard": "悬挂“中共××支部委员会”名牌和“党员活动室”（“党员之家”）门牌",
            },
            {"key": "1.4", "title": "有党旗", "standard": "室内悬挂党旗，展示所获荣誉"},
            {"key": "1.5", "title": "有书报", "standard": "订有党报党刊，备有学习资料"},
            {
                "key": "1.6",
                "title": "有制度",
                "standard": "“三会一课”等制度上墙，张贴入党誓词、党员的权利和义务",
            },
        ],
    },
    {
        "key": "2",
        "title": "有一个党建工作特色品牌",
        "standard": "结合本单位实际，形成有名称、有载体、有活动的党建工作特色品牌",
    },
    {"key": "3", "title": "有一个单位形象展示空间", "standard": "设有展示本单位发展和党组织建设成果的空间"},
    {
        "key": "4",
        "title": "有一个党建工作宣传教育画廊",
        "standard": "设有党建工作宣传教育画廊（宣传栏），内容定期更新",
    },
    {
        "key": "5",
        "title": "有一份反映本单位党建工作的简报或刊物",
        "standard": "编印反映本单位党建工作的简报或刊物（可为电子版），定期出刊",
    },
    {
        "key": "6",
        "title": "有一套党建工作制度和学习资料",
        "standard": "建立“三会一课”、党费收缴、发展党员等党建工作制度，备有学习资料",
    },
]


# ------------------------------------------------------------------------------------------ model


@dataclass
class Item:
    key: str
    title: str
    standard: str | None = None
    sub_items: list[Item] = field(default_factory=list)
    id: int | None = None


@dataclass
class Definition:
    name: str
    year: int  # the year this definition was made for (may be earlier than the year it is used for)
    items: list[Item] = field(default_factory=list)
    source: str | None = None
    notes: str | None = None
    id: int | None = None  # None: the built-in default, not yet stored

    def all_items(self) -> list[tuple[Item, Item | None]]:
        """Every item and sub-item with its parent (None for a top item), in order."""
        out: list[tuple[Item, Item | None]] = []
        for it in self.items:
            out.append((it, None))
            out.extend((sub, it) for sub in it.sub_items)
        return out

    def find(self, key: str) -> Item | None:
        return next((it for it, _p in self.all_items() if it.key == key), None)


@dataclass
class Result:
    year: int
    checklist: str
    item_key: str
    status: str | None = None
    evidence: str | None = None
    documents: str | None = None
    checked_on: dt.date | None = None
    rectification: str | None = None
    rect_due: dt.date | None = None
    rect_done: dt.date | None = None
    id: int | None = None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status or "", "未检查")

    @property
    def met(self) -> bool | None:
        return None if self.status is None else self.status == "met"

    @property
    def is_gap(self) -> bool:
        return self.status in ("not_met", "partly")


@dataclass
class Photo:
    id: int
    year: int
    checklist: str
    item_key: str
    file_name: str
    mime: str
    caption: str | None
    added_on: dt.date | None


def _items_from(data: list[dict[str, Any]], *, where: str = "items", depth: int = 0) -> list[Item]:
    out: list[Item] = []
    for i, d in enumerate(data):
        subs = d.get("sub_items") or []
        out.append(
            Item(
                str(d.get("key") or "").strip(),
                str(d.get("title") or "").strip(),
                (d.get("standard") or None),
                _items_from(subs, where=f"{where}[{i}].sub_items", depth=depth + 1) if depth == 0 else [],
            )
        )
    return out


def default_definition(year: int) -> Definition:
    return Definition(DEFAULT_NAME, year, _items_from(DEFAULT_ITEMS), DEFAULT_SOURCE)


def validate_definition(d: Definition) -> list[Problem]:
    problems: list[Problem] = []
    if not d.name.strip():
        problems.append(Problem("清单名称不能为空", column="名称"))
    if not 1990 <= d.year <= 2100:
        problems.append(Problem(f"年度 {d.year} 不正确", column="年度"))
    if not d.items:
        problems.append(Problem("清单至少要有一个项目", column="项目"))
    seen: set[str] = set()
    for n, (it, parent) in enumerate(d.all_items(), start=1):
        where = f"子项目（{parent.title}）" if parent else "项目"
        if not it.key:
            problems.append(Problem(f"第{n}个{where}缺少编号", row=n, column="编号"))
        elif it.key in seen:
            problems.append(Problem(f"编号“{it.key}”重复", row=n, column="编号"))
        seen.add(it.key)
        if not it.title:
            problems.append(Problem(f"第{n}个{where}缺少名称", row=n, column="名称"))
    return problems


# ------------------------------------------------------------------------------------------ definitions


def _load_items(ledger: Ledger, def_id: int) -> list[Item]:
    rows = ledger.query("SELECT * FROM checklist_items WHERE def_id=? ORDER BY position, id", (def_id,))
    tops = {
        r["id"]: Item(r["key"], r["title"], r["standard"], [], r["id"])
        for r in rows
        if r["parent_id"] is None
    }
    for r in rows:
        if r["parent_id"] is not None and r["parent_id"] in tops:
            tops[r["parent_id"]].sub_items.append(Item(r["key"], r["title"], r["standard"], [], r["id"]))
    return list(tops.values())


def _def_from_row(ledger: Ledger, row: Any) -> Definition:
    return Definition(
        row["name"], row["year"], _load_items(ledger, row["id"]), row["source"], row["notes"], row["id"]
    )


def checklist_names(ledger: Ledger, year: int) -> list[str]:
    """The checklists in force for a year (defined that year or carried over); the default if none."""
    names = [
        r[0]
        for r in ledger.query(
            "SELECT name FROM checklist_defs WHERE year<=? GROUP BY name ORDER BY min(id)", (year,)
        )
    ]
    return names or [DEFAULT_NAME]


def definition_for(ledger: Ledger, year: int, name: str = DEFAULT_NAME) -> Definition:
    """The definition in force for `year`: the newest stored one of a year ≤ `year`, else the built-in default."""
    row = ledger.query_one(
        "SELECT * FROM checklist_defs WHERE name=? AND year<=? ORDER BY year DESC LIMIT 1", (name, year)
    )
    if row is not None:
        return _def_from_row(ledger, row)
    if name == DEFAULT_NAME:
        return default_definition(year)
    raise KeyError(name)


def definition_years(ledger: Ledger, name: str = DEFAULT_NAME) -> list[int]:
    return [r[0] for r in ledger.query("SELECT year FROM checklist_defs WHERE name=? ORDER BY year", (name,))]


def _write_definition(ledger: Ledger, d: Definition) -> int:
    """Store `d` as the definition of its year (replacing that year's own definition), inside an operation."""
    row = ledger.query_one("SELECT id FROM checklist_defs WHERE name=? AND year=?", (d.name, d.year))
    if row is None:
        def_id = insert_row(
            ledger, "checklist_defs", {"year": d.year, "name": d.name, "source": d.source, "notes": d.notes}
        )
    else:
        def_id = int(row[0])
        ledger.conn.execute(
            "UPDATE checklist_defs SET source=?, notes=? WHERE id=?", (d.source, d.notes, def_id)
        )
        ledger.conn.execute("DELETE FROM checklist_items WHERE def_id=? AND parent_id IS NOT NULL", (def_id,))
        ledger.conn.execute("DELETE FROM checklist_items WHERE def_id=?", (def_id,))
    for pos, it in enumerate(d.items):
        pid = insert_row(
            ledger,
            "checklist_items",
            {
                "def_id": def_id,
                "parent_id": None,
                "key": it.key,
                "position": pos,
                "title": it.title,
                "standard": it.standard,
            },
        )
        for spos, sub in enumerate(it.sub_items):
            insert_row(
                ledger,
                "checklist_items",
                {
                    "def_id": def_id,
                    "parent_id": pid,
                    "key": sub.key,
                    "position": spos,
                    "title": sub.title,
                    "standard": sub.standard,
                },
            )
    return def_id


def save_definition(ledger: Ledger, d: Definition) -> int:
    """SaveChecklistDefinition: the list for `d.year` (and, by carry-over, the years after until changed)."""
    d = replace(d, name=d.name.strip())
    for it, _p in d.all_items():
        it.key, it.title = it.key.strip(), it.title.strip()
    problems = validate_definition(d)
    if problems:
        raise InputRefused(problems, "清单内容有误，未保存")
    with ledger.operation("SaveChecklistDefinition", f"保存{d.year}年“{d.name}”清单") as op:
        op.value = _write_definition(ledger, d)
    return int(op.value)


def ensure_definition(ledger: Ledger, year: int, name: str = DEFAULT_NAME) -> None:
    """Store the built-in default for `year` when no definition is stored yet (inside an operation), so every
    recorded result has a stored definition."""
    if ledger.query_one("SELECT 1 FROM checklist_defs WHERE name=? AND year<=?", (name, year)) is None:
        _write_definition(ledger, definition_for(ledger, year, name))


def definition_to_json(d: Definition) -> dict[str, Any]:
    def item(it: Item, top: bool) -> dict[str, Any]:
        out: dict[str, Any] = {"key": it.key, "title": it.title, "standard": it.standard}
        if top:
            out["sub_items"] = [item(s, False) for s in it.sub_items]
        return out

    return {
        "format": FILE_FORMAT,
        "version": 1,
        "name": d.name,
        "year": d.year,
        "source": d.source,
        "notes": d.notes,
        "items": [item(it, True) for it in d.items],
    }


def definition_from_json(data: Any, *, source: str | None = None, year: int | None = None) -> Definition:
    """Read a checklist file (see docs/interchange.md); refuse it with what and where when it is wrong."""

    def refuse(msg: str, column: str | None = None) -> InputRefused:
        return InputRefused([Problem(msg, file=source, column=column)], "清单文件有误，未导入")

    if not isinstance(data, dict) or data.get("format") != FILE_FORMAT:
        raise refuse(f'不是支部台账的清单文件（缺少 "format": "{FILE_FORMAT}"）')
    items = data.get("items")
    if not isinstance(items, list):
        raise refuse("缺少项目列表 items", "items")
    for i, it in enumerate(items):
        if not isinstance(it, dict):
            raise refuse("每个项目应是一个对象", f"items[{i}]")
        subs = it.get("sub_items") or []
        if not isinstance(subs, list) or not all(isinstance(s, dict) for s in subs):
            raise refuse("子项目 sub_items 应是对象列表", f"items[{i}].sub_items")
    y = year if year is not None else data.get("year")
    if not isinstance(y, int):
        raise refuse("缺少年度 year（整数）", "year")
    d = Definition(
        str(data.get("name") or "").strip(), y, _items_from(items), data.get("source"), data.get("notes")
    )
    problems = validate_definition(d)
    if problems:
        for p in problems:
            p.file = source
        raise InputRefused(problems, "清单文件有误，未导入")
    return d


def export_definition(d: Definition, path: Path) -> Path:
    from db.fileutil import atomic_path

    with atomic_path(path) as tmp:
        Path(tmp).write_text(
            json.dumps(definition_to_json(d), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    return path


def import_definition(ledger: Ledger, path: Path, year: int | None = None) -> Definition:
    """ImportChecklist: read a checklist file and store it as the definition of `year` (default: the file's)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except OSError as e:
        raise InputRefused([Problem(f"无法读取文件：{e.strerror}", file=Path(path).name)]) from None
    except json.JSONDecodeError as e:
        raise InputRefused(
            [Problem(f"不是有效的 JSON：{e.msg}", file=Path(path).name, row=e.lineno)]
        ) from None
    d = definition_from_json(data, source=Path(path).name, year=year)
    d.id = save_definition(ledger, d)
    return d


# ------------------------------------------------------------------------------------------ results


def _result(r: Any) -> Result:
    return Result(
        r["year"],
        r["checklist"],
        r["item_key"],
        r["status"],
        r["evidence"],
        r["documents"],
        from_iso(r["checked_on"]),
        r["rectification"],
        from_iso(r["rect_due"]),
        from_iso(r["rect_done"]),
        r["id"],
    )


def results(ledger: Ledger, year: int, name: str = DEFAULT_NAME) -> dict[str, Result]:
    return {
        r["item_key"]: _result(r)
        for r in ledger.query(
            "SELECT * FROM checklist_results WHERE year=? AND checklist=? ORDER BY id", (year, name)
        )
    }


def get_result(ledger: Ledger, result_id: int) -> Result | None:
    r = ledger.query_one("SELECT * FROM checklist_results WHERE id=?", (result_id,))
    return _result(r) if r else None


def validate_result(r: Result, d: Definition) -> list[Problem]:
    problems: list[Problem] = []
    it = d.find(r.item_key)
    title = it.title if it else r.item_key
    if it is None:
        problems.append(Problem(f"清单“{d.name}”中没有编号为“{r.item_key}”的项目", column="项目"))
    if r.status is not None and r.status not in STATUS_LABELS:
        problems.append(Problem("是否达标只能是：达标、部分达标、未达标", column="是否达标"))
    if r.checked_on and r.checked_on.year not in (r.year, r.year + 1):
        problems.append(
            Problem(f"{title}：检查日期 {fmt_zh(r.checked_on)} 不在 {r.year} 年度内", column="检查日期")
        )
    if r.rect_done and r.checked_on and r.rect_done < r.checked_on:
        problems.append(Problem(f"{title}：整改完成日期早于检查日期", column="整改完成日期"))
    if (r.rect_due or r.rect_done) and not (r.rectification or "").strip():
        problems.append(Problem(f"{title}：填写了整改期限，请同时写明整改措施", column="整改措施"))
    return problems


def save_result(ledger: Ledger, r: Result) -> int:
    """SaveChecklistResult: one item's self-check for the year (insert or update)."""
    d = definition_for(ledger, r.year, r.checklist)
    problems = validate_result(r, d)
    if problems:
        raise InputRefused(problems, "自查结果有误，未保存")
    it = d.find(r.item_key)
    with ledger.operation("SaveChecklistResult", f"{r.year}年自查：{it.title if it else r.item_key}") as op:
        ensure_definition(ledger, r.year, r.checklist)
        op.value = _write_result(ledger, r)
    return int(op.value)


def _write_result(ledger: Ledger, r: Result) -> int:
    vals = (
        r.status,
        r.evidence,
        r.documents,
        iso(r.checked_on),
        r.rectification,
        iso(r.rect_due),
        iso(r.rect_done),
    )
    row = ledger.query_one(
        "SELECT id FROM checklist_results WHERE year=? AND checklist=? AND item_key=?",
        (r.year, r.checklist, r.item_key),
    )
    if row is None:
        cur = ledger.conn.execute(
            "INSERT INTO checklist_results(year, checklist, item_key, status, evidence, documents, checked_on, "
            "rectification, rect_due, rect_done) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (r.year, r.checklist, r.item_key, *vals),
        )
        r.id = int(cur.lastrowid or 0)
    else:
        r.id = int(row[0])
        ledger.conn.execute(
            "UPDATE checklist_results SET status=?, evidence=?, documents=?, checked_on=?, rectification=?, "
            "rect_due=?, rect_done=? WHERE id=?",
            (*vals, r.id),
        )
    return r.id


# ------------------------------------------------------------------------------------------ photos


def make_thumbnail(data: bytes, px: int = THUMB_PX) -> tuple[bytes, str]:
    """(PNG thumbnail, mime of the original); raises ValueError when the bytes are not a picture."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as im:
            fmt = (im.format or "PNG").upper()
            im.load()
            small = im.convert("RGBA") if im.mode not in ("RGB", "RGBA") else im.copy()
    except (UnidentifiedImageError, OSError) as e:
        raise ValueError("不是可识别的图片（支持 JPG、PNG、BMP、GIF）") from e
    small.thumbnail((px, px))
    out = io.BytesIO()
    small.save(out, "PNG", optimize=True)
    mime = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "BMP": "image/bmp"}.get(
        fmt, "image/png"
    )
    return out.getvalue(), mime


def add_photo(
    ledger: Ledger,
    year: int,
    name: str,
    item_key: str,
    data: bytes,
    file_name: str,
    caption: str | None = None,
    added_on: dt.date | None = None,
) -> int:
    """AddChecklistPhoto: a picture of the evidence, kept in the ledger file."""
    from db import settings

    limit_mb = int(settings.get(ledger, "attachment_max_mb") or 10)
    if len(data) > limit_mb * 1024 * 1024:
        raise InputRefused(
            [
                Problem(
                    f"图片 {file_name} 大小 {len(data) / 1048576:.1f} MB，超过上限 {limit_mb} MB"
                    "（可在“设置”中调整）",
                    file=file_name,
                )
            ]
        )
    try:
        thumb, mime = make_thumbnail(data)
    except ValueError as e:
        raise InputRefused([Problem(str(e), file=file_name)]) from None
    d = definition_for(ledger, year, name)
    it = d.find(item_key)
    if it is None:
        raise InputRefused([Problem(f"清单“{name}”中没有编号为“{item_key}”的项目", column="项目")])
    with ledger.operation("AddChecklistPhoto", f"添加佐证照片：{it.title}") as op:
        ensure_definition(ledger, year, name)
        op.value = insert_row(
            ledger,
            "checklist_photos",
            {
                "year": year,
                "checklist": name,
                "item_key": item_key,
                "file_name": file_name,
                "mime": mime,
                "caption": caption,
                "added_on": iso(added_on or clock.today()),
                "data": data,
                "thumb": thumb,
            },
        )
    return int(op.value)


def remove_photo(ledger: Ledger, photo_id: int) -> None:
    """RemoveChecklistPhoto: a soft delete (the picture stays in the file, undo brings it back)."""
    with ledger.operation("RemoveChecklistPhoto", "删除佐证照片"):
        ledger.conn.execute(
            "UPDATE checklist_photos SET deleted_at=? WHERE id=? AND deleted_at IS NULL",
            (clock.now().isoformat(timespec="seconds"), photo_id),
        )


def photos(ledger: Ledger, year: int, name: str = DEFAULT_NAME, item_key: str | None = None) -> list[Photo]:
    sql = (
        "SELECT id, year, checklist, item_key, file_name, mime, caption, added_on FROM checklist_photos "
        "WHERE year=? AND checklist=? AND deleted_at IS NULL"
    )
    params: list[Any] = [year, name]
    if item_key is not None:
        sql += " AND item_key=?"
        params.append(item_key)
    return [
        Photo(r[0], r[1], r[2], r[3], r[4], r[5], r[6], from_iso(r[7]))
        for r in ledger.query(sql + " ORDER BY id", params)
    ]


def photo_data(ledger: Ledger, photo_id: int) -> bytes:
    return bytes(ledger.scalar("SELECT data FROM checklist_photos WHERE id=?", (photo_id,)) or b"")


def photo_thumb(ledger: Ledger, photo_id: int) -> bytes:
    return bytes(
        ledger.scalar("SELECT coalesce(thumb, data) FROM checklist_photos WHERE id=?", (photo_id,)) or b""
    )


# ------------------------------------------------------------------------------------------ the year at a glance


@dataclass
class Row:
    """One line of the year's self-check: the item, its parent (for a sub-item) and its result."""

    item: Item
    parent: Item | None
    result: Result
    photo_count: int = 0


def year_rows(ledger: Ledger, year: int, name: str = DEFAULT_NAME) -> list[Row]:
    d = definition_for(ledger, year, name)
    res = results(ledger, year, name)
    counts: dict[str, int] = {}
    for p in photos(ledger, year, name):
        counts[p.item_key] = counts.get(p.item_key, 0) + 1
    return [
        Row(it, parent, res.get(it.key) or Result(year, name, it.key), counts.get(it.key, 0))
        for it, parent in d.all_items()
    ]


def year_summary(ledger: Ledger, year: int) -> dict[str, int]:
    """{"items", "met", "sub_items", "sub_met"} over the checklists in force for the year."""
    out = {"items": 0, "met": 0, "sub_items": 0, "sub_met": 0}
    for name in checklist_names(ledger, year):
        for row in year_rows(ledger, year, name):
            k = "sub_items" if row.parent else "items"
            out[k] += 1
            if row.result.status == "met":
                out["sub_met" if row.parent else "met"] += 1
    return out


def open_rectifications(ledger: Ledger, year: int) -> list[dict[str, Any]]:
    """Undone 整改 of the year's gaps (for the handover list): checklist, key, title, status, measure, due."""
    out: list[dict[str, Any]] = []
    for name in checklist_names(ledger, year):
        for row in year_rows(ledger, year, name):
            r = row.result
            if r.is_gap and r.rect_done is None:
                out.append(
                    {
                        "year": year,
                        "checklist": name,
                        "key": row.item.key,
                        "title": row.item.title,
                        "parent": row.parent.title if row.parent else None,
                        "status": r.status,
                        "status_label": r.status_label,
                        "rectification": r.rectification,
                        "due": r.rect_due,
                        "result_id": r.id,
                    }
                )
    return out


@provider("checklists")
def findings(ledger: Ledger, as_of: dt.date) -> list[Finding]:
    """C01 an item, C02 a 六有 sub-item not met (or only partly) in the year's self-check, 整改 not yet done.

    The year of `as_of` is used; before the year's first check, last year's open gaps are still reported."""
    out: list[Finding] = []
    day = as_of.isoformat()
    for name in checklist_names(ledger, as_of.year):
        year = as_of.year
        checked = ledger.scalar(
            "SELECT count(*) FROM checklist_results WHERE year=? AND checklist=? AND status IS NOT NULL "
            "AND (checked_on IS NULL OR checked_on<=?)",
            (year, name, day),
        )
        if not checked:
            year -= 1
        for row in year_rows(ledger, year, name):
            r = row.result
            if (
                not r.is_gap
                or (r.checked_on and r.checked_on > as_of)
                or (r.rect_done and r.rect_done <= as_of)
            ):
                continue
            what = f"{row.parent.title} — {row.item.title}" if row.parent else row.item.title
            msg = f"{year}年“{name}”自查：{what} {r.status_label}"
            if r.rectification:
                msg += f"；整改措施：{r.rectification}"
                if r.rect_due:
                    msg += f"（{'已超过' if r.rect_due < as_of else ''}期限{fmt_zh(r.rect_due)}）"
            else:
                msg += "；请填写整改措施和整改期限"
            out.append(
                Finding(
                    "C02" if row.parent else "C01",
                    "warning",
                    "checklist_item",
                    r.id,
                    row.item.title,
                    msg,
                    period=str(year),
                    due=r.rect_due,
                )
            )
    return out


# ------------------------------------------------------------------------------------------ elections


ELECTION_KIND_LABELS = {"general": "换届选举", "by": "补选"}
QUORUM_LABELS = {rules.QUORUM_INCLUSIVE: "达到4/5即有效", rules.QUORUM_STRICT: "须超过4/5"}


@dataclass
class Candidate:
    member_id: int
    votes_for: int | None = None
    votes_against: int | None = None
    abstain: int | None = None
    elected: bool | None = None  # as recorded; None = as the rule gives
    role: str | None = None  # the post given after the election (书记 etc.)
    notes: str | None = None
    id: int | None = None


@dataclass
class Election:
    held_on: dt.date
    kind: str = "general"
    term_id: int | None = None
    expected: int | None = None
    present: int | None = None
    seats: int | None = None
    method: str = "secret"
    secretary_approved_on: dt.date | None = None
    secretary_approval_ref: str | None = None
    members_filed_on: dt.date | None = None
    members_filing_ref: str | None = None
    notes: str | None = None
    candidates: list[Candidate] = field(default_factory=list)
    id: int | None = None

    @property
    def kind_label(self) -> str:
        return ELECTION_KIND_LABELS.get(self.kind, self.kind)


@dataclass(frozen=True)
class Verdict:
    """The live verdict of an election record under the branch's quorum setting."""

    quorum_known: bool
    quorum_ok: bool
    quorum_needed: int
    votes_needed: int
    elected: tuple[int, ...]  # member ids the rule elects
    tie: tuple[int, ...]
    problems: tuple[str, ...]
    mode: str

    def text(self) -> str:
        if not self.quorum_known:
            return "请填写应到和实到有选举权人数"
        head = (
            f"到会人数符合要求（至少{self.quorum_needed}人，{QUORUM_LABELS[self.mode]}）"
            if self.quorum_ok
            else f"到会人数不足（至少需要{self.quorum_needed}人），选举无效"
        )
        if self.quorum_ok:
            head += f"；赞成票须超过实到人数的一半，即至少{self.votes_needed}票"
        return head


def quorum_mode(ledger: Ledger) -> str:
    from db import settings

    mode = str(settings.get(ledger, "election_quorum") or rules.QUORUM_INCLUSIVE)
    return mode if mode in QUORUM_LABELS else rules.QUORUM_INCLUSIVE


def verdict(e: Election, mode: str = rules.QUORUM_INCLUSIVE) -> Verdict:
    if e.expected is None or e.present is None:
        return Verdict(False, False, 0, 0, (), (), (), mode)
    ballots = [rules.Ballot(c.member_id, c.votes_for or 0) for c in e.candidates if c.votes_for is not None]
    out = rules.election_outcome(ballots, e.expected, e.present, e.seats, mode)
    return Verdict(
        True,
        out.valid,
        rules.quorum_needed(e.expected, mode),
        rules.votes_needed(e.present),
        out.elected,
        out.tie_at_cut,
        out.problems,
        mode,
    )


def is_elected(c: Candidate, v: Verdict) -> bool:
    return c.elected if c.elected is not None else c.member_id in v.elected


def _election(ledger: Ledger, r: Any) -> Election:
    cands = [
        Candidate(
            c["member_id"],
            c["votes_for"],
            c["votes_against"],
            c["abstain"],
            None if c["elected"] is None else bool(c["elected"]),
            c["role"],
            c["notes"],
            c["id"],
        )
        for c in ledger.query(
            "SELECT * FROM election_candidates WHERE election_id=? ORDER BY position, id", (r["id"],)
        )
    ]
    return Election(
        from_iso(r["held_on"]) or dt.date.min,
        r["kind"],
        r["term_id"],
        r["expected"],
        r["present"],
        r["seats"],
        r["method"],
        from_iso(r["secretary_approved_on"]),
        r["secretary_approval_ref"],
        from_iso(r["members_filed_on"]),
        r["members_filing_ref"],
        r["notes"],
        cands,
        r["id"],
    )


def list_elections(ledger: Ledger) -> list[Election]:
    return [_election(ledger, r) for r in ledger.query("SELECT * FROM elections ORDER BY held_on, id")]


def get_election(ledger: Ledger, election_id: int) -> Election:
    r = ledger.query_one("SELECT * FROM elections WHERE id=?", (election_id,))
    if r is None:
        raise KeyError(election_id)
    return _election(ledger, r)


def validate_election(ledger: Ledger, e: Election) -> list[Problem]:
    from db.members import names, roster_on

    problems: list[Problem] = []
    if e.kind not in ELECTION_KIND_LABELS:
        problems.append(Problem("选举类型只能是换届选举或补选", column="类型"))
    for label, v in (("应到人数", e.expected), ("实到人数", e.present), ("应选名额", e.seats)):
        if v is not None and v < 0:
            problems.append(Problem(f"{label}不能为负数", column=label))
    if e.expected is not None and e.present is not None and e.present > e.expected:
        problems.append(Problem(f"实到人数{e.present}多于应到人数{e.expected}", column="实到人数"))
    if e.seats is not None and e.seats > rules.SEATS_MAX:
        problems.append(Problem(f"应选名额{e.seats}人超过支部委员会一般上限7人", column="应选名额"))
    who = names(ledger)
    voters = {m.id for m in roster_on(ledger, e.held_on) if m.can_vote} if e.held_on else set()
    seen: set[int] = set()
    for c in e.candidates:
        n = who.get(c.member_id, f"编号{c.member_id}")
        if c.member_id not in who:
            problems.append(Problem(f"候选人{n}不在花名册中", column="候选人"))
        elif c.member_id not in voters:
            problems.append(
                Problem(f"{n}在选举日不是本支部正式党员，没有被选举权（党章第七条）", column="候选人")
            )
        if c.member_id in seen:
            problems.append(Problem(f"候选人{n}重复", column="候选人"))
        seen.add(c.member_id)
        for label, v in (("赞成票", c.votes_for), ("反对票", c.votes_against), ("弃权票", c.abstain)):
            if v is not None and v < 0:
                problems.append(Problem(f"{n}的{label}不能为负数", column=label))
        total = sum(v or 0 for v in (c.votes_for, c.votes_against, c.abstain))
        if e.present is not None and total > e.present:
            problems.append(Problem(f"{n}的票数合计{total}多于实到人数{e.present}", column="赞成票"))
        if c.role is not None and c.role not in (
            "secretary",
            "deputy",
            "organization",
            "propaganda",
            "discipline",
            "member",
        ):
            problems.append(Problem(f"{n}的职务不正确", column="职务"))
    return problems


def save_election(ledger: Ledger, e: Election) -> int:
    """SaveElection: the record of a 换届选举 or 补选 with its candidates and votes."""
    problems = validate_election(ledger, e)
    if problems:
        raise InputRefused(problems, "选举记录有误，未保存")
    vals = {
        "kind": e.kind,
        "held_on": iso(e.held_on),
        "term_id": e.term_id,
        "expected": e.expected,
        "present": e.present,
        "seats": e.seats,
        "method": e.method or "secret",
        "secretary_approved_on": iso(e.secretary_approved_on),
        "secretary_approval_ref": e.secretary_approval_ref,
        "members_filed_on": iso(e.members_filed_on),
        "members_filing_ref": e.members_filing_ref,
        "notes": e.notes,
    }
    with ledger.operation("SaveElection", f"保存{fmt_zh(e.held_on)}{e.kind_label}记录") as op:
        if e.id is None:
            e.id = insert_row(ledger, "elections", vals)
        else:
            sets = ", ".join(f"{k}=?" for k in vals)
            ledger.conn.execute(f"UPDATE elections SET {sets} WHERE id=?", (*vals.values(), e.id))
            ledger.conn.execute("DELETE FROM election_candidates WHERE election_id=?", (e.id,))
        for pos, c in enumerate(e.candidates):
            c.id = insert_row(
                ledger,
                "election_candidates",
                {
                    "election_id": e.id,
                    "member_id": c.member_id,
                    "position": pos,
                    "votes_for": c.votes_for,
                    "votes_against": c.votes_against,
                    "abstain": c.abstain,
                    "elected": None if c.elected is None else int(c.elected),
                    "role": c.role,
                    "notes": c.notes,
                },
            )
        op.value = e.id
    return int(op.value)


def delete_election(ledger: Ledger, election_id: int) -> None:
    with ledger.operation("DeleteElection", "删除选举记录"):
        ledger.conn.execute("DELETE FROM elections WHERE id=?", (election_id,))


# ------------------------------------------------------------------------------------------ vacancies


@dataclass
class Vacancy:
    term_id: int
    role: str
    arose_on: dt.date
    member_id: int | None = None
    reason: str | None = None
    filled_by: int | None = None
    filled_on: dt.date | None = None
    notes: str | None = None
    id: int | None = None


def list_vacancies(ledger: Ledger, term_id: int | None = None) -> list[Vacancy]:
    sql = "SELECT * FROM committee_vacancies"
    params: tuple[Any, ...] = ()
    if term_id is not None:
        sql += " WHERE term_id=?"
        params = (term_id,)
    return [
        Vacancy(
            r["term_id"],
            r["role"],
            from_iso(r["arose_on"]) or dt.date.min,
            r["member_id"],
            r["reason"],
            r["filled_by"],
            from_iso(r["filled_on"]),
            r["notes"],
            r["id"],
        )
        for r in ledger.query(sql + " ORDER BY arose_on, id", params)
    ]


def save_vacancy(ledger: Ledger, v: Vacancy) -> int:
    """SaveVacancy: a seat fallen vacant in a term, and (later) the 补选 that filled it."""
    problems: list[Problem] = []
    if v.filled_on and v.filled_on < v.arose_on:
        problems.append(Problem("补选日期早于出缺日期", column="补选日期"))
    if v.role not in ("secretary", "deputy", "organization", "propaganda", "discipline", "member"):
        problems.append(Problem("职务不正确", column="职务"))
    if problems:
        raise InputRefused(problems, "缺额记录有误，未保存")
    vals = {
        "term_id": v.term_id,
        "role": v.role,
        "member_id": v.member_id,
        "arose_on": iso(v.arose_on),
        "reason": v.reason,
        "filled_by": v.filled_by,
        "filled_on": iso(v.filled_on),
        "notes": v.notes,
    }
    with ledger.operation("SaveVacancy", "保存支委缺额") as op:
        if v.id is None:
            v.id = insert_row(ledger, "committee_vacancies", vals)
        else:
            sets = ", ".join(f"{k}=?" for k in vals)
            ledger.conn.execute(f"UPDATE committee_vacancies SET {sets} WHERE id=?", (*vals.values(), v.id))
        op.value = v.id
    return int(op.value)


def delete_vacancy(ledger: Ledger, vacancy_id: int) -> None:
    with ledger.operation("DeleteVacancy", "删除支委缺额记录"):
        ledger.conn.execute("DELETE FROM committee_vacancies WHERE id=?", (vacancy_id,))


# ------------------------------------------------------------------------------------------ interchange

RESULT_KEYS = ("status", "evidence", "documents", "checked_on", "rectification", "rect_due", "rect_done")


def _entries(ledger: Ledger) -> list[tuple[str, int]]:
    rows = ledger.query(
        "SELECT name, year FROM checklist_defs UNION SELECT checklist, year FROM checklist_results "
        "UNION SELECT checklist, year FROM checklist_photos WHERE deleted_at IS NULL"
    )
    first = {
        r[0]: i
        for i, r in enumerate(ledger.query("SELECT name FROM checklist_defs GROUP BY name ORDER BY min(id)"))
    }
    return sorted({(r[0], int(r[1])) for r in rows}, key=lambda e: (first.get(e[0], 999), e[0], e[1]))


def _photo_json(ledger: Ledger, p: Photo) -> dict[str, Any]:
    return {
        "id": p.id,
        "file_name": p.file_name,
        "mime": p.mime,
        "caption": p.caption,
        "added_on": iso(p.added_on),
        "data": base64.b64encode(photo_data(ledger, p.id)).decode("ascii"),
    }


@section("checklists", order=90)
def dump_checklists(ledger: Ledger) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for name, year in _entries(ledger):
        d = (
            definition_for(ledger, year, name)
            if (name == DEFAULT_NAME or definition_years(ledger, name))
            else None
        )
        res = results(ledger, year, name)
        pics: dict[str, list[dict[str, Any]]] = {}
        for p in photos(ledger, year, name):
            pics.setdefault(p.item_key, []).append(_photo_json(ledger, p))

        def item(
            it: Item, top: bool, res: dict[str, Result] = res, pics: dict[str, list[dict[str, Any]]] = pics
        ) -> dict[str, Any]:
            r = res.pop(it.key, None) or Result(0, "", it.key)
            o: dict[str, Any] = {
                "key": it.key,
                "title": it.title,
                "standard": it.standard,
                "met": r.met,
                "status": r.status,
                "evidence": r.evidence,
                "documents": r.documents,
                "checked_on": iso(r.checked_on),
                "rectification": r.rectification,
                "rect_due": iso(r.rect_due),
                "rect_done": iso(r.rect_done),
                "photos": pics.pop(it.key, []),
            }
            if top:
                o["sub_items"] = [item(s, False) for s in it.sub_items]
            return o

        items = [item(it, True) for it in d.items] if d else []
        unlisted = [
            {
                "key": k,
                **{
                    f: (iso(v) if isinstance(v, dt.date) else v)
                    for f, v in ((f, getattr(r, f)) for f in RESULT_KEYS)
                },
                "photos": pics.pop(k, []),
            }
            for k, r in res.items()
        ]
        unlisted += [{"key": k, **dict.fromkeys(RESULT_KEYS), "photos": ps} for k, ps in pics.items()]
        out.append(
            {
                "year": year,
                "name": name,
                "definition_year": d.year if d else None,
                "source": d.source if d else None,
                "notes": d.notes if d else None,
                "items": items,
                "unlisted": unlisted,
            }
        )
    return out


def _status_of(o: dict[str, Any]) -> str | None:
    status = o.get("status")
    if status is None and o.get("met") is not None:
        status = "met" if o["met"] else "not_met"
    return status if isinstance(status, str) else None


def _load_result(ledger: Ledger, year: int, name: str, o: dict[str, Any]) -> None:
    r = Result(
        year,
        name,
        str(o["key"]),
        _status_of(o),
        o.get("evidence"),
        o.get("documents"),
        from_iso(o.get("checked_on")),
        o.get("rectification"),
        from_iso(o.get("rect_due")),
        from_iso(o.get("rect_done")),
    )
    if any(getattr(r, f) is not None for f in RESULT_KEYS):
        _write_result(ledger, r)
    for p in o.get("photos") or []:
        data = base64.b64decode(p["data"])
        try:
            thumb, _mime = make_thumbnail(data)
        except ValueError:
            thumb = None
        insert_row(
            ledger,
            "checklist_photos",
            {
                "id": p.get("id"),
                "year": year,
                "checklist": name,
                "item_key": str(o["key"]),
                "file_name": p["file_name"],
                "mime": p.get("mime") or "image/png",
                "caption": p.get("caption"),
                "added_on": p.get("added_on") or clock.today().isoformat(),
                "data": data,
                "thumb": thumb,
            },
        )


@dump_checklists.loader  # type: ignore[attr-defined,untyped-decorator]
def load_checklists(ledger: Ledger, value: list[dict[str, Any]]) -> None:
    carried: list[tuple[int, dict[str, Any]]] = []
    for n, entry in enumerate(value):
        year, name = int(entry["year"]), str(entry.get("name") or DEFAULT_NAME)
        own = entry.get("definition_year") in (None, year)
        items = entry.get("items") or []
        d = Definition(name, year, _items_from(items), entry.get("source"), entry.get("notes"))
        problems = validate_definition(d) if items or own else []
        if problems:
            for p in problems:
                p.column = f"checklists[{n}]" + (f".{p.column}" if p.column else "")
            raise InputRefused(problems, "交换文件中的清单有误，未写入任何内容")
        if own and items:
            _write_definition(ledger, d)
        else:
            carried.append((n, entry))
    for _n, entry in carried:  # a definition carried over must match the earlier year's; else store it as own
        year, name = int(entry["year"]), str(entry.get("name") or DEFAULT_NAME)
        d = Definition(
            name, year, _items_from(entry.get("items") or []), entry.get("source"), entry.get("notes")
        )
        try:
            have = definition_for(ledger, year, name)
        except KeyError:
            have = None
        if d.items and (
            have is None
            or have.id is None
            or definition_to_json(have)["items"] != definition_to_json(d)["items"]
        ):
            _write_definition(ledger, d)
    for entry in value:
        year, name = int(entry["year"]), str(entry.get("name") or DEFAULT_NAME)
        for it in entry.get("items") or []:
            _load_result(ledger, year, name, it)
            for sub in it.get("sub_items") or []:
                _load_result(ledger, year, name, sub)
        for o in entry.get("unlisted") or []:
            _load_result(ledger, year, name, o)


ELECTION_KEYS = [
    "id",
    "kind",
    "held_on",
    "term_id",
    "expected",
    "present",
    "seats",
    "method",
    "secretary_approved_on",
    "secretary_approval_ref",
    "members_filed_on",
    "members_filing_ref",
    "notes",
]
CANDIDATE_KEYS = ["member_id", "votes_for", "votes_against", "abstain", "elected", "role", "notes"]


@section("elections", order=45)
def dump_elections(ledger: Ledger) -> list[dict[str, Any]]:
    out = []
    for r in ledger.query(f"SELECT {', '.join(ELECTION_KEYS)} FROM elections ORDER BY id"):
        d = dict(r)
        d["candidates"] = []
        for c in ledger.query(
            f"SELECT {', '.join(CANDIDATE_KEYS)} FROM election_candidates WHERE election_id=? "
            "ORDER BY position, id",
            (r["id"],),
        ):
            cd = dict(c)
            cd["elected"] = None if cd["elected"] is None else bool(cd["elected"])
            d["candidates"].append(cd)
        out.append(d)
    return out


@dump_elections.loader  # type: ignore[attr-defined,untyped-decorator]
def load_elections(ledger: Ledger, value: list[dict[str, Any]]) -> None:
    for e in value:
        data = {k: e.get(k) for k in ELECTION_KEYS}
        data["kind"] = data["kind"] or "general"
        data["method"] = data["method"] or "secret"
        insert_row(ledger, "elections", data)
        for pos, c in enumerate(e.get("candidates") or []):
            cd = {k: c.get(k) for k in CANDIDATE_KEYS}
            cd["elected"] = None if cd["elected"] is None else int(bool(cd["elected"]))
            insert_row(ledger, "election_candidates", {"election_id": e["id"], "position": pos, **cd})


VACANCY_KEYS = ["id", "term_id", "role", "member_id", "arose_on", "reason", "filled_by", "filled_on", "notes"]


@section("committee_vacancies", order=46)
def dump_vacancies(ledger: Ledger) -> list[dict[str, Any]]:
    return [
        dict(r)
        for r in ledger.query(f"SELECT {', '.join(VACANCY_KEYS)} FROM committee_vacancies ORDER BY id")
    ]


@dump_vacancies.loader  # type: ignore[attr-defined,untyped-decorator]
def load_vacancies(ledger: Ledger, value: list[dict[str, Any]]) -> None:
    for v in value:
        insert_row(ledger, "committee_vacancies", {k: v.get(k) for k in VACANCY_KEYS})
