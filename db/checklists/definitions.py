"""Checklist definitions: 六个一 (or any district's list) as data, by year, and the checklist file format.

A checklist definition belongs to a year; the newest definition of a year ≤ Y applies to Y, so last year's list
carries over until the secretary changes it. With none stored, the built-in 六个一 (RULES.md §5) applies and is
stored the first time a result or photo is recorded against it. A definition goes out and comes back as a
checklist file (`branch-ledger-checklist`, see docs/interchange.md).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from db.errors import InputRefused, Problem
from db.interchange import insert_row

if TYPE_CHECKING:
    from db.connection import Ledger

DEFAULT_NAME = "六个一"
DEFAULT_SOURCE = "松江区“两新”组织党建阵地“六有”和“六个一”标准（G60科创走廊）"
FILE_FORMAT = "branch-ledger-checklist"

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
