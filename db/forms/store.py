"""Reading and writing the stored form templates: AddFormTemplate (a new version when the name is known),
InstallFormPack (the pack and its forms, one operation), RemoveFormPack (a soft removal: the package stops
filling its forms; the bytes stay so undo and the history keep working)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from db import clock
from db.errors import InputRefused, Problem
from db.forms.model import FormPack, FormTemplate, NewForm

if TYPE_CHECKING:
    from db.connection import Ledger

KINDS = ("xlsx", "docx")
MAX_BYTES = 20 * 1024 * 1024
_COLS = "id, name, version, file_name, kind, sha256, size, added_on, pack_id, period, due_day, profile"


def _template(r: Any) -> FormTemplate:
    return FormTemplate(
        r["id"],
        r["name"],
        r["version"],
        r["file_name"],
        r["kind"],
        r["sha256"],
        r["size"],
        dt.date.fromisoformat(r["added_on"]),
        r["pack_id"],
        r["period"],
        r["due_day"],
        r["profile"],
    )


def _pack(r: Any) -> FormPack:
    return FormPack(
        r["id"],
        r["name"],
        r["issuer"],
        r["version"],
        r["file_name"],
        r["sha256"],
        dt.date.fromisoformat(r["added_on"]),
        dt.date.fromisoformat(r["removed_on"]) if r["removed_on"] else None,
    )


def list_templates(ledger: Ledger, *, latest: bool = False, own: bool = False) -> list[FormTemplate]:
    """Stored templates by name, newest version first; `latest`: only the newest version of each name;
    `own`: only those the secretary added (not from a pack)."""
    where = "WHERE pack_id IS NULL" if own else ""
    rows = [
        _template(r)
        for r in ledger.query(f"SELECT {_COLS} FROM form_templates {where} ORDER BY name, version DESC")
    ]
    if not latest:
        return rows
    newest: dict[str, FormTemplate] = {}
    for t in rows:
        newest.setdefault(t.name, t)
    return list(newest.values())


def get_template(ledger: Ledger, template_id: int) -> FormTemplate:
    r = ledger.query_one(f"SELECT {_COLS} FROM form_templates WHERE id=?", (template_id,))
    if r is None:
        raise InputRefused([Problem(f"表格模板 {template_id} 不在台账中")])
    return _template(r)


def template_data(ledger: Ledger, template_id: int) -> bytes:
    data = ledger.scalar("SELECT data FROM form_templates WHERE id=?", (template_id,))
    if data is None:
        raise InputRefused([Problem(f"表格模板 {template_id} 不在台账中")])
    return bytes(data)


def _next_version(ledger: Ledger, table: str, name: str) -> int:
    return int(ledger.scalar(f"SELECT coalesce(max(version), 0) FROM {table} WHERE name=?", (name,))) + 1


def _check(name: str, file_name: str, data: bytes) -> tuple[str, str]:
    kind = PurePath(file_name).suffix.lower().lstrip(".")
    problems = []
    if not name.strip():
        problems.append(Problem("请给表格模板起一个名称", column="名称"))
    if kind not in KINDS:
        problems.append(Problem(f"“{file_name}”不是 .xlsx 或 .docx 文件", column="文件"))
    if not data:
        problems.append(Problem(f"“{file_name}”是空文件", column="文件"))
    if len(data) > MAX_BYTES:
        problems.append(Problem(f"“{file_name}”超过 20 MB，不像一张表格", column="文件"))
    if problems:
        raise InputRefused(problems, "表格模板没有保存")
    return name.strip(), kind


def _insert(
    ledger: Ledger,
    name: str,
    file_name: str,
    data: bytes,
    kind: str,
    pack_id: int | None = None,
    period: str | None = None,
    due_day: int | None = None,
    profile: str | None = None,
) -> int:
    cur = ledger.conn.execute(
        "INSERT INTO form_templates(name, version, file_name, kind, data, sha256, size, added_on, pack_id, "
        "period, due_day, profile) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            name,
            _next_version(ledger, "form_templates", name),
            PurePath(file_name).name,
            kind,
            data,
            hashlib.sha256(data).hexdigest(),
            len(data),
            clock.today().isoformat(),
            pack_id,
            period,
            due_day,
            profile,
        ),
    )
    return int(cur.lastrowid or 0)


def add_template(ledger: Ledger, name: str, file_name: str, data: bytes) -> FormTemplate:
    """Copy a (checked) template into the ledger; a known name gets the next version. Identical bytes as the
    newest version of that name are not stored twice: that version is returned."""
    name, kind = _check(name, file_name, data)
    digest = hashlib.sha256(data).hexdigest()
    newest = ledger.query_one(
        f"SELECT {_COLS} FROM form_templates WHERE name=? ORDER BY version DESC LIMIT 1", (name,)
    )
    if newest is not None and newest["sha256"] == digest and newest["pack_id"] is None:
        return _template(newest)
    with ledger.operation("form.add", f"添加表格模板“{name}”"):
        tid = _insert(ledger, name, file_name, data, kind)
    return get_template(ledger, tid)


def list_packs(ledger: Ledger, *, include_removed: bool = False) -> list[FormPack]:
    where = "" if include_removed else "WHERE removed_on IS NULL"
    return [_pack(r) for r in ledger.query(f"SELECT * FROM form_packs {where} ORDER BY name, version DESC")]


def installed_packs(ledger: Ledger) -> list[FormPack]:
    """The packs whose forms the hand-in package fills: the newest version of each name, unless removed."""
    out: list[FormPack] = []
    seen: set[str] = set()
    for p in list_packs(ledger, include_removed=True):
        if p.name in seen:
            continue
        seen.add(p.name)
        if p.removed_on is None:
            out.append(p)
    return out


def pack_templates(ledger: Ledger, pack_id: int) -> list[FormTemplate]:
    return [
        _template(r)
        for r in ledger.query(f"SELECT {_COLS} FROM form_templates WHERE pack_id=? ORDER BY id", (pack_id,))
    ]


def pack_manifest(ledger: Ledger, pack_id: int) -> dict[str, Any]:
    return dict(json.loads(ledger.scalar("SELECT manifest FROM form_packs WHERE id=?", (pack_id,)) or "{}"))


def add_pack(
    ledger: Ledger,
    name: str,
    issuer: str,
    file_name: str,
    pack_bytes_sha256: str,
    manifest: dict[str, Any],
    forms: Sequence[NewForm],
) -> FormPack:
    """Install a checked pack: the pack (next version of its name) and every form as a template version, in
    one operation. The same pack file installed again is not stored twice."""
    same = ledger.query_one(
        "SELECT * FROM form_packs WHERE name=? AND sha256=? AND removed_on IS NULL ORDER BY version DESC LIMIT 1",
        (name.strip(), pack_bytes_sha256),
    )
    newest = ledger.query_one(
        "SELECT id FROM form_packs WHERE name=? ORDER BY version DESC LIMIT 1", (name.strip(),)
    )
    if same is not None and newest is not None and newest["id"] == same["id"]:
        return _pack(same)
    if not forms:
        raise InputRefused([Problem("表格包中没有表格")], "表格包没有安装")
    checked = [(f, *_check(f.name, f.file_name, f.data)) for f in forms]
    with ledger.operation("form.pack", f"安装表格包“{name.strip()}”"):
        cur = ledger.conn.execute(
            "INSERT INTO form_packs(name, issuer, version, file_name, sha256, manifest, added_on) "
            "VALUES (?,?,?,?,?,?,?)",
            (
                name.strip(),
                issuer,
                _next_version(ledger, "form_packs", name.strip()),
                PurePath(file_name).name,
                pack_bytes_sha256,
                json.dumps(manifest, ensure_ascii=False),
                clock.today().isoformat(),
            ),
        )
        pid = int(cur.lastrowid or 0)
        for f, fname, kind in checked:
            _insert(ledger, fname, f.file_name, f.data, kind, pid, f.period, f.due_day, f.profile)
    r = ledger.query_one("SELECT * FROM form_packs WHERE id=?", (pid,))
    return _pack(r)


def remove_pack(ledger: Ledger, pack_id: int) -> None:
    """Stop filling a pack's forms in the hand-in package (its templates stay in the ledger's history)."""
    r = ledger.query_one("SELECT name FROM form_packs WHERE id=?", (pack_id,))
    if r is None:
        raise InputRefused([Problem(f"表格包 {pack_id} 不在台账中")])
    with ledger.operation("form.pack.remove", f"移除表格包“{r['name']}”"):
        ledger.conn.execute(
            "UPDATE form_packs SET removed_on=? WHERE name=? AND removed_on IS NULL",
            (clock.today().isoformat(), r["name"]),
        )
