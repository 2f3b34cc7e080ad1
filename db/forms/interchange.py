"""Interchange section `form_templates`: the installed packs (with their manifest) and every stored template
version, its bytes as base64 and their SHA-256 (checked on load)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from typing import TYPE_CHECKING, Any

from db.errors import InputRefused, Problem
from db.interchange import insert_row, section

if TYPE_CHECKING:
    from db.connection import Ledger


@section("form_templates", order=140)
def dump_form_templates(ledger: Ledger) -> dict[str, Any]:
    packs = [
        {
            "id": r["id"],
            "name": r["name"],
            "issuer": r["issuer"],
            "version": r["version"],
            "file_name": r["file_name"],
            "sha256": r["sha256"],
            "manifest": json.loads(r["manifest"]),
            "added_on": r["added_on"],
            "removed_on": r["removed_on"],
        }
        for r in ledger.query("SELECT * FROM form_packs ORDER BY id")
    ]
    templates = [
        {
            "id": r["id"],
            "name": r["name"],
            "version": r["version"],
            "file_name": r["file_name"],
            "kind": r["kind"],
            "sha256": r["sha256"],
            "added_on": r["added_on"],
            "pack_id": r["pack_id"],
            "period": r["period"],
            "due_day": r["due_day"],
            "profile": r["profile"],
            "data": base64.b64encode(bytes(r["data"])).decode("ascii"),
        }
        for r in ledger.query("SELECT * FROM form_templates ORDER BY id")
    ]
    return {"packs": packs, "templates": templates}


@dump_form_templates.loader  # type: ignore[attr-defined,untyped-decorator]
def load_form_templates(ledger: Ledger, value: Any) -> None:
    if not value:
        return
    problems: list[Problem] = []
    if not isinstance(value, dict):
        raise InputRefused([Problem("应为一个 JSON 对象", column="form_templates")])
    for i, p in enumerate(value.get("packs") or []):
        at = f"form_templates.packs[{i}]"
        try:
            insert_row(
                ledger,
                "form_packs",
                {
                    "id": p.get("id"),
                    "name": str(p["name"]),
                    "issuer": str(p.get("issuer") or ""),
                    "version": int(p["version"]),
                    "file_name": str(p["file_name"]),
                    "sha256": str(p["sha256"]),
                    "manifest": json.dumps(p.get("manifest") or {}, ensure_ascii=False),
                    "added_on": str(p["added_on"]),
                    "removed_on": p.get("removed_on"),
                },
            )
        except (KeyError, TypeError, ValueError) as e:
            problems.append(Problem(f"表格包缺少或写错了 {e}", column=at))
    for i, t in enumerate(value.get("templates") or []):
        at = f"form_templates.templates[{i}]"
        try:
            data = base64.b64decode(str(t["data"]), validate=True)
        except (KeyError, binascii.Error, ValueError):
            problems.append(Problem("模板数据不是有效的 base64", column=f"{at}.data"))
            continue
        if t.get("sha256") and hashlib.sha256(data).hexdigest() != t["sha256"]:
            problems.append(Problem("模板数据与 sha256 不符（文件被改动过）", column=f"{at}.data"))
            continue
        try:
            insert_row(
                ledger,
                "form_templates",
                {
                    "id": t.get("id"),
                    "name": str(t["name"]),
                    "version": int(t["version"]),
                    "file_name": str(t["file_name"]),
                    "kind": str(t["kind"]),
                    "data": data,
                    "sha256": hashlib.sha256(data).hexdigest(),
                    "size": len(data),
                    "added_on": str(t["added_on"]),
                    "pack_id": t.get("pack_id"),
                    "period": t.get("period"),
                    "due_day": t.get("due_day"),
                    "profile": t.get("profile"),
                },
            )
        except (KeyError, TypeError, ValueError) as e:
            problems.append(Problem(f"表格模板缺少或写错了 {e}", column=at))
    if problems:
        raise InputRefused(problems, "交换文件中的表格模板有误，未写入任何内容")
