"""The interchange document (CONTRACT.md §3): `dump` the whole ledger to JSON, `load` it back, all or nothing.

Each area registers its top-level keys with `@section(key, order, dump=..., load=...)`. `load` validates the
document against the JSON Schema in db/schemas/ first (messages in Chinese with the JSON path), then loads
every section in one operation; ids are kept, so `dump → load → dump` gives the same document (apart from
`exported_at`).
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import io
import json
import re
import sqlite3
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from db import clock
from db.errors import InputRefused, LedgerError, Problem
from db.fileutil import is_disk_fault

if TYPE_CHECKING:
    from db.connection import Ledger

FORMAT = "branch-ledger"
VERSION = 1
SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"

# The module of each area that registers its sections: an area's package imports it, except db.branch and
# db.opening, whose names load on first use (the window reads them before its first paint): theirs are named.
SECTION_MODULES = (
    "db.settings",
    "db.branch.interchange",
    "db.members",
    "db.opening.interchange",
    "db.committee",
    "db.meetings",
    "db.dues",
    "db.development",
    "db.checklists",
    "db.appraisals",
    "db.talks",
    "db.study",
    "db.rectifications",
    "db.transfers",
    "db.mobility",
    "db.honors",
    "db.care",
    "db.posts",
    "db.plans",
    "db.scorecards",
    "db.forms",
    "db.guide_lists",
    "db.projects",
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
    """The document as the text `ledger dump` prints and the package's data.json holds (see `write`)."""
    out = io.BytesIO()
    write(doc, out)
    return out.getvalue().decode("utf-8")


WRITE_PIECE = 1 << 16  # bytes gathered before each write to the file


def _encoded(value: Any, indent: bytes) -> bytes:
    """One value as indented JSON whose lines after the first start with `indent`, as in the whole document.

    orjson in C (a hand-in package of 500 members: 4.7 s of Python's pure-Python indenting encoder, 0.3 s
    here); what it refuses (an integer beyond 64 bits, a key that is not a string) goes through the standard
    library as before. Its output is json.dumps(indent=2, ensure_ascii=False)'s, byte for byte, except that a
    float may be spelled another way (1e-7 for 1e-07, 0.00001 for 1e-05): the same number when read."""
    try:
        text = _orjson_dumps(value)
    except TypeError:  # orjson.JSONEncodeError included
        text = json.dumps(value, ensure_ascii=False, indent=2).encode("utf-8")
    return text.replace(b"\n", b"\n" + indent) if indent else text


def _orjson_dumps(value: Any) -> bytes:
    """orjson.dumps indented by two spaces; orjson (and the uuid and platform modules it brings, a few ms) is
    imported on the first document written, not when the app starts."""
    global _orjson_dumps
    import orjson

    fast = functools.partial(orjson.dumps, option=orjson.OPT_INDENT_2)
    _orjson_dumps = fast
    return fast(value)


def write(doc: dict[str, Any], fh: BinaryIO) -> None:
    """The document as UTF-8 JSON indented by two spaces into `fh`, written piece by piece: each section's
    records are encoded one at a time, so no single call holds the interpreter lock for long (the whole 48 MB
    of a 500-member, 20-year ledger at once stopped the window of a package built in the background for
    150–200 ms)."""
    parts: list[bytes] = []
    size = 0

    def put(piece: bytes) -> None:
        nonlocal size
        parts.append(piece)
        size += len(piece)
        if size >= WRITE_PIECE:
            fh.write(b"".join(parts))
            parts.clear()
            size = 0

    if not doc:
        put(b"{}")
    for n, (key, value) in enumerate(doc.items()):
        put(b"{\n  " if n == 0 else b",\n  ")
        put(_encoded(key, b""))
        put(b": ")
        if isinstance(value, list) and value:
            for k, item in enumerate(value):
                put(b"[\n    " if k == 0 else b",\n    ")
                put(_encoded(item, b"    "))
            put(b"\n  ]")
        else:
            put(_encoded(value, b"  "))
    if doc:
        put(b"\n}")
    parts.append(b"\n")
    fh.write(b"".join(parts))


RELEASE_WHOLE = 64  # below the document and its sections, a dict or list of at most this many items (a row, a
# meeting with its attendance) is freed in one go


def release(docs: list[Any]) -> None:
    """Free documents piece by piece; `docs` is a list the caller hands over together with its own references.

    Dropping a 500-member, 20-year document (a few million objects) frees it in one cascade of deallocations
    in C that holds the interpreter lock for 70–110 ms: a package built in the background stopped the window
    that long at its end. Here the documents, their sections and every large dict and list below are emptied
    one item at a time, so the lock can change hands between items. Only what nothing else refers to is
    emptied: a container another holder still has (a kept read model, the other of two documents sharing a
    part) is left whole and merely let go of."""
    from db.ledger import collector_paused

    with collector_paused():  # nothing here makes a cycle; a collection would walk the millions still there
        sections: list[Any] = []
        _empty_into(docs, sections, 0)  # the documents: always taken apart
        stack: list[Any] = []
        _empty_into(sections, stack, 0)  # their sections: always
        _empty_into(stack, stack, RELEASE_WHOLE)  # below: what is large


def _exclusive_refs() -> int:
    """What sys.getrefcount says, in _empty_into's shape, of a container held by nothing else (2 on CPython 3.11:
    the name and the argument; measured rather than assumed, as later Pythons count borrowed references less)."""
    probe: list[Any] = [[]]
    part = probe.pop()
    return sys.getrefcount(part)


_EXCLUSIVE = _exclusive_refs()


def _empty_into(parts: list[Any], into: list[Any], whole: int) -> None:
    """Pop `parts` until empty; the items of each dict or list larger than `whole` that nothing else holds go to
    `into` (which may be `parts` itself) and it is cleared; the rest is let go of."""
    while parts:
        part = parts.pop()
        # more references than a container held by nothing else has: someone else holds it too
        if isinstance(part, (dict, list)) and len(part) > whole and sys.getrefcount(part) <= _EXCLUSIVE:
            into.extend(part.values() if isinstance(part, dict) else part)
            part.clear()  # its items live on in `into` only
        del part


# ------------------------------------------------------------------------------------------ schema


def _resources() -> dict[str, Any]:
    out: dict[str, Any] = {}
    for p in sorted(SCHEMA_DIR.glob("*.json")):
        contents = json.loads(p.read_text(encoding="utf-8"))
        out[contents["$id"]] = contents
    return out


def _inline(node: Any, base: str, resources: dict[str, Any]) -> Any:
    """The schema with every `$ref` replaced by what it points to (the schemas are not recursive): one tree, so
    that validating a large document does not spend its time resolving references."""
    if isinstance(node, list):
        return [_inline(x, base, resources) for x in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        uri, _, pointer = str(node["$ref"]).partition("#")
        target_base = uri or base
        target = resources[target_base]
        for part in [p for p in pointer.split("/") if p]:
            target = target[part]
        resolved = _inline(target, target_base, resources)
        rest = {k: _inline(v, base, resources) for k, v in node.items() if k != "$ref"}
        return {"allOf": [resolved], **rest} if rest else resolved
    return {k: _inline(v, base, resources) for k, v in node.items() if k not in ("$defs", "$id", "$schema")}


@functools.lru_cache(maxsize=1)
def _validator() -> Any:
    from jsonschema import Draft202012Validator

    from db.loadcheck.values import format_checker

    resources = _resources()
    root = _inline(resources["urn:branch-ledger:interchange"], "urn:branch-ledger:interchange", resources)
    return Draft202012Validator(root, format_checker=format_checker())


def _shown(value: Any) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        text = type(value).__name__
    return text if len(text) <= 40 else text[:40] + "…"


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
        return "类型应为" + "或".join(str(names.get(w, w)) for w in want) + f"，实际是 {_shown(err.instance)}"
    if v == "enum":
        return (
            "取值只能是 "
            + "、".join(str(x) for x in err.validator_value if x is not None)
            + f"，实际是 {_shown(err.instance)}"
        )
    if v == "pattern":
        hint = {
            r"^\d{4}-\d{2}-\d{2}$": "日期应写成 YYYY-MM-DD",
            r"^-?\d+\.\d{2}$": '金额应写成两位小数的文本，如 "15.00"',
            r"^\d{4}-\d{2}$": "月份应写成 YYYY-MM",
        }.get(err.validator_value, f"格式不符（{err.validator_value}）")
        return f"{hint}，实际是 {_shown(err.instance)}"
    if v == "const":
        return f"应为 {json.dumps(err.validator_value, ensure_ascii=False)}"
    if v == "minimum":
        return f"数值 {_shown(err.instance)} 小于下限 {err.validator_value}"
    if v == "maximum":
        return f"数值 {_shown(err.instance)} 超出上限 {err.validator_value:,}"
    if v == "minItems":
        return "至少要有一项"
    if v == "minLength":
        return "不能为空"
    if v == "maxLength":
        n = len(err.instance) if isinstance(err.instance, str) else 0
        return f"文本过长（{n:,} 个字符，此处最多 {err.validator_value:,} 个）"
    if v == "format":
        return str(err.cause) if err.cause is not None else f"格式不符（{err.validator_value}）"
    if v == "additionalProperties":
        return "有不认识的字段：" + "、".join(re.findall(r"'([^']*)'", err.message))
    if v in ("anyOf", "oneOf"):
        return f"取值不符合任何一种允许的写法：{_shown(err.instance)}"
    return f"不符合要求（{err.message[:80]}）"


def _path(err: Any) -> str:
    out = ""
    for part in err.absolute_path:
        piece: str = f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
        out += piece
    return out or "（文档）"


def _branch_error(err: Any) -> Any | None:
    """Of an anyOf that failed, the first error of the alternative whose type the value has (a step given as an
    object is judged as an object), so that the message names the field inside it."""
    branches: dict[int, list[Any]] = {}
    for e in err.context:
        branches.setdefault(int(e.relative_schema_path[0]), []).append(e)
    for found in branches.values():
        if not any(e.validator == "type" and not e.relative_path for e in found):
            return min(found, key=lambda e: -len(e.absolute_path))
    return None  # of no alternative's type: said as such


def schema_problems(doc: Any) -> list[Problem]:
    problems = []
    errors = []
    for err in _validator().iter_errors(doc):
        while err.validator in ("anyOf", "oneOf") and err.context:
            inner = _branch_error(err)  # a step written as a date or as an object: say what in it is wrong
            if inner is None:
                break
            err = inner
        errors.append(err)
    for err in sorted(errors, key=lambda e: list(map(str, e.absolute_path))):
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


def check(doc: Any, *, source: str | None = None) -> Any:
    """Everything `load` checks before writing (db/loadcheck): raises InputRefused with every problem, each with
    its JSON path; returns the document with Chinese labels turned into codes and member names into ids — a copy:
    the caller's document is never changed (a second load of the same dict sees what the first one saw)."""
    import copy

    doc = copy.deepcopy(doc)
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise InputRefused([Problem('不是支部台账交换文件（缺少 "format": "branch-ledger"）', file=source)])
    if doc.get("version") != VERSION:
        raise InputRefused(
            [
                Problem(
                    f"交换文件版本 {_shown(doc.get('version'))} 不受支持（本程序支持版本 {VERSION}）",
                    file=source,
                )
            ]
        )
    from db.loadcheck import check_document

    problems = check_document(doc)
    if problems:
        for p in problems:
            p.file = source
        raise InputRefused(problems, f"交换文件内容有误（{len(problems)} 处），未写入任何内容")
    return doc


def load(
    ledger: Ledger, doc: Any, *, replace: bool = False, source: str | None = None, checked: bool = False
) -> dict[str, int]:
    """LoadDocument: validate, then load every section in one operation. Returns counts per section.

    `checked=True`: the document has already passed `check` (the command line checks it before it opens or
    creates a ledger file)."""
    if not checked:
        doc = check(doc, source=source)
    if not replace and not is_empty(ledger):
        raise LedgerError(
            "台账不是空的；载入会覆盖现有内容。若确实要替换，请使用 --replace（会先保存快照）。"
        )
    snap = ledger.snapshot("before-load") if replace and not is_empty(ledger) else None
    try:
        return _load_sections(ledger, doc, replace=replace, source=source)
    except BaseException:
        # The load was rolled back: the ledger is as the snapshot has it, so nothing is kept — not the copy, not
        # a folder made only to hold it.
        if snap is not None:
            with contextlib.suppress(OSError):
                snap.unlink()
            for folder in (snap.parent, snap.parent.parent):
                with contextlib.suppress(OSError):
                    folder.rmdir()  # only when empty
        raise


def _load_sections(ledger: Ledger, doc: Any, *, replace: bool, source: str | None) -> dict[str, int]:
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
            except (sqlite3.Error, ValueError, TypeError, KeyError, AttributeError, OverflowError) as e:
                if is_disk_fault(e):
                    raise  # a full or failing disk is not the document's fault: the operation says so (fileutil)
                # A value the checks above let through and the section cannot keep: refused, never a traceback.
                raise InputRefused(
                    [
                        Problem(
                            f"无法载入这一部分（{type(e).__name__}：{str(e)[:120]}）",
                            column=s.key,
                            file=source,
                        )
                    ],
                    "交换文件内容有误，未写入任何内容",
                ) from None
            if s.key == "form_templates" and isinstance(value, dict):  # say how many forms, not the two keys
                value = value.get("templates") or []
            counts[s.key] = len(value) if isinstance(value, (list, dict)) else 1
        fk = ledger.query("PRAGMA foreign_key_check")
        if fk:
            raise InputRefused(
                [
                    Problem(
                        f"{TABLE_SECTIONS.get(r[0], r[0])} 中有记录引用了不存在的 {TABLE_SECTIONS.get(r[2], r[2])} 记录",
                        file=source,
                    )
                    for r in fk[:20]
                ],
                "交换文件中的引用不一致，未写入任何内容",
            )
    return counts


# Tables named by the section of the interchange document they come from (for the last-resort reference check).
TABLE_SECTIONS = {
    "members": "members",
    "member_history": "members[].history",
    "party_groups": "party_groups",
    "committee_terms": "committee_terms",
    "committee_members": "committee_terms[].members",
    "elections": "elections",
    "election_candidates": "elections[].candidates",
    "committee_vacancies": "committee_vacancies",
    "meetings": "meetings",
    "meeting_attendance": "meetings[].attendance",
    "meeting_excluded": "meetings[].excluded",
    "meeting_makeups": "meetings[].makeups",
    "meeting_speeches": "meetings[].agenda[].speeches",
    "planned_meetings": "planned_meetings",
    "dues_bases": "dues_bases",
    "dues_payments": "dues_payments",
    "applicants": "applicants",
    "transfers": "transfers",
    "mobility_outings": "mobility.outings",
    "mobility_contacts": "mobility.outings[].contacts",
    "dues_elsewhere": "mobility.dues_elsewhere",
    "mobility_lost": "mobility.lost",
    "awards": "honors",
    "sanctions": "discipline.sanctions",
    "dispositions": "discipline.dispositions",
    "care_register": "care.register",
    "care_visits": "care.visits",
    "guide_lists": "guide_lists",
    "guide_items": "guide_lists[].items",
    "projects": "projects",
    "project_targets": "projects[].targets",
    "project_milestones": "projects[].milestones",
    "project_progress": "projects[].progress",
    "project_photos": "projects[].progress[].photos",
}


def read_file(path: Path) -> Any:
    """Read and parse an interchange file (UTF-8 JSON); refuses with the reason and place what cannot be read."""
    from db.loadcheck.reading import read_file as _read

    return _read(path)


def load_file(ledger: Ledger, path: Path, *, replace: bool = False) -> dict[str, int]:
    return load(ledger, read_file(path), replace=replace, source=path.name)


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
