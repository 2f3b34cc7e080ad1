"""The interchange document (CONTRACT.md §3): `dump` the whole ledger to JSON, `load` it back, all or nothing.

Each area registers its top-level keys with `@section(key, order, dump=..., load=...)`. `load` validates the
document against the JSON Schema in db/schemas/ first (messages in Chinese with the JSON path), then loads
every section in one operation; ids are kept, so `dump → load → dump` gives the same document (apart from
`exported_at`).
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from db import clock
from db.errors import InputRefused, LedgerError, Problem

if TYPE_CHECKING:
    from db.connection import Ledger

FORMAT = "branch-ledger"
VERSION = 1
SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"

SECTION_MODULES = (
    "db.settings",
    "db.branch",
    "db.members",
    "db.opening",
    "db.committee",
    "db.meetings",
    "db.dues",
    "db.development",
    "db.checklists",
)


@dataclass(frozen=True)
class Section:
    key: str
    order: int
    dump: Callable[[Ledger], Any]
    load: Callable[[Ledger, Any], None]


_SECTIONS: dict[str, Section] = {}


def section(key: str, order: int) -> Callable[[Callable[[Ledger], Any]], Callable[[Ledger], Any]]:
    """Register the dump function of a top-level key; the load function is attached with `.loader`."""

    def register(dump_fn: Callable[[Ledger], Any]) -> Callable[[Ledger], Any]:
        def loader(load_fn: Callable[[Ledger, Any], None]) -> Callable[[Ledger, Any], None]:
            _SECTIONS[key] = Section(key, order, dump_fn, load_fn)
            return load_fn

        dump_fn.loader = loader  # type: ignore[attr-defined]
        return dump_fn

    return register


def sections() -> list[Section]:
    for name in SECTION_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as e:
            if e.name != name:
                raise
    return sorted(_SECTIONS.values(), key=lambda s: s.order)


def dump(ledger: Ledger) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": clock.now().isoformat(timespec="seconds"),
    }
    for s in sections():
        doc[s.key] = s.dump(ledger)
    return doc


def dumps(doc: dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


# ------------------------------------------------------------------------------------------ schema


def _registry() -> Any:
    from referencing import Registry, Resource

    resources = []
    for p in sorted(SCHEMA_DIR.glob("*.json")):
        contents = json.loads(p.read_text(encoding="utf-8"))
        resources.append((contents["$id"], Resource.from_contents(contents)))
    return Registry().with_resources(resources)


def _translate(err: Any) -> str:
    v = err.validator
    if v == "required":
        missing = err.message.split("'")[1] if "'" in err.message else err.message
        return f"缺少必填字段“{missing}”"
    if v == "type":
        names = {
            "string": "文本",
            "integer": "整数",
            "number": "数字",
            "boolean": "true/false",
            "array": "列表",
            "object": "对象",
            "null": "空",
        }
        want = err.validator_value if isinstance(err.validator_value, list) else [err.validator_value]
        return (
            "类型应为"
            + "或".join(str(names.get(w, w)) for w in want)
            + f"，实际是 {json.dumps(err.instance, ensure_ascii=False)[:40]}"
        )
    if v == "enum":
        return (
            "取值只能是 "
            + "、".join(str(x) for x in err.validator_value if x is not None)
            + f"，实际是 {json.dumps(err.instance, ensure_ascii=False)[:40]}"
        )
    if v == "pattern":
        hint = {
            r"^\d{4}-\d{2}-\d{2}$": "日期应写成 YYYY-MM-DD",
            r"^-?\d+\.\d{2}$": '金额应写成两位小数的文本，如 "15.00"',
            r"^\d{4}-\d{2}$": "月份应写成 YYYY-MM",
        }.get(err.validator_value, f"格式不符（{err.validator_value}）")
        return f"{hint}，实际是 {json.dumps(err.instance, ensure_ascii=False)[:40]}"
    if v == "const":
        return f"应为 {json.dumps(err.validator_value, ensure_ascii=False)}"
    if v in ("minimum", "maximum"):
        return f"数值超出范围（{err.message}）"
    if v == "minLength":
        return "不能为空"
    return err.message  # type: ignore[no-any-return]


def _path(err: Any) -> str:
    out = ""
    for part in err.absolute_path:
        piece: str = f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
        out += piece
    return out or "（文档）"


def schema_problems(doc: Any) -> list[Problem]:
    from jsonschema import Draft202012Validator

    registry = _registry()
    root = registry.contents("urn:branch-ledger:interchange")
    validator = Draft202012Validator(root, registry=registry)
    problems = []
    for err in sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path))):
        problems.append(Problem(_translate(err), column=_path(err)))
    return problems


# ------------------------------------------------------------------------------------------ load


def is_empty(ledger: Ledger) -> bool:
    return not ledger.scalar("SELECT count(*) FROM members") and not ledger.scalar(
        "SELECT count(*) FROM branch"
    )


def clear(ledger: Ledger) -> None:
    """Delete all the secretary's data (inside an operation), children first."""
    from db.connection import UNTRACKED

    ledger.conn.execute("PRAGMA defer_foreign_keys=ON")
    tables = [
        r[0]
        for r in ledger.query(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE '\\_%' ESCAPE '\\' AND sql NOT LIKE 'CREATE VIRTUAL%'"
        )
    ]
    for t in tables:
        if t not in UNTRACKED:
            ledger.conn.execute(f'DELETE FROM "{t}"')


def load(ledger: Ledger, doc: Any, *, replace: bool = False, source: str | None = None) -> dict[str, int]:
    """LoadDocument: validate, then load every section in one operation. Returns counts per section."""
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise InputRefused([Problem('不是支部台账交换文件（缺少 "format": "branch-ledger"）', file=source)])
    if doc.get("version") != VERSION:
        raise InputRefused(
            [Problem(f"交换文件版本 {doc.get('version')} 不受支持（本程序支持版本 {VERSION}）", file=source)]
        )
    problems = schema_problems(doc)
    if problems:
        for p in problems:
            p.file = source
        raise InputRefused(problems, "交换文件内容有误，未写入任何内容")
    if not replace and not is_empty(ledger):
        raise LedgerError(
            "台账不是空的；载入会覆盖现有内容。若确实要替换，请使用 --replace（会先保存快照）。"
        )
    if replace and not is_empty(ledger):
        ledger.snapshot("before-load")
    counts: dict[str, int] = {}
    with ledger.operation("LoadDocument", "载入交换文件"):
        ledger.conn.execute("PRAGMA defer_foreign_keys=ON")
        if replace:
            clear(ledger)
        for s in sections():
            value = doc.get(s.key)
            if value is None:
                continue
            try:
                s.load(ledger, value)
            except InputRefused as e:
                for p in e.problems:
                    p.file = p.file or source
                raise
            counts[s.key] = len(value) if isinstance(value, (list, dict)) else 1
        fk = ledger.query("PRAGMA foreign_key_check")
        if fk:
            raise InputRefused(
                [Problem(f"表 {r[0]} 第 {r[1]} 条引用了不存在的 {r[2]} 记录", file=source) for r in fk[:20]],
                "交换文件中的引用不一致，未写入任何内容",
            )
    return counts


def load_file(ledger: Ledger, path: Path, *, replace: bool = False) -> dict[str, int]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as e:
        raise LedgerError(f"无法读取 {path}：{e.strerror}") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        raise InputRefused(
            [Problem(f"不是有效的 JSON：{e.msg}", file=path.name, row=e.lineno, column=f"第{e.colno}列")]
        ) from None
    return load(ledger, doc, replace=replace, source=path.name)


# ------------------------------------------------------------------------------------------ helpers for sections


def money_str(value: Any) -> str | None:
    from decimal import Decimal

    if value is None:
        return None
    return f"{Decimal(str(value)).quantize(Decimal('0.01'))}"


def row_dict(row: Any, keys: list[str]) -> dict[str, Any]:
    return {k: row[k] for k in keys}


def insert_row(ledger: Ledger, table: str, data: dict[str, Any]) -> int:
    cols = list(data)
    cur = ledger.conn.execute(
        f'INSERT INTO "{table}" ({", ".join(cols)}) VALUES ({", ".join("?" for _ in cols)})',
        [data[c] for c in cols],
    )
    return int(cur.lastrowid or 0)
