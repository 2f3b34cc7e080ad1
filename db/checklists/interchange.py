"""Interchange section `checklists`: per checklist and year, its definition, results and photos (base64).

A year whose definition was carried over from an earlier year says so (`definition_year`); on load such an
entry is checked against the earlier year's stored definition and stored as its own when it differs.
Results and photos for keys the definition does not list go in `unlisted`, so nothing is lost.
"""

from __future__ import annotations

import base64
import datetime as dt
from typing import TYPE_CHECKING, Any

from db import clock
from db.checklists.definitions import (
    DEFAULT_NAME,
    Definition,
    Item,
    _items_from,
    _write_definition,
    definition_for,
    definition_to_json,
    definition_years,
    validate_definition,
)
from db.checklists.photos import Photo, make_thumbnail, photo_data, photos
from db.checklists.results import Result, _write_result, results
from db.dates import from_iso, iso
from db.errors import InputRefused
from db.interchange import insert_row, section

if TYPE_CHECKING:
    from db.connection import Ledger

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
