"""Interchange section `projects`: each 书记项目 / 党建项目 with its targets, milestones and progress notes (photos
as base64, like the checklists' evidence photos)."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any

from db.interchange import insert_row, section
from db.projects.store import PROJECT_COLUMNS

if TYPE_CHECKING:
    from db.connection import Ledger

KEYS = ["id", *PROJECT_COLUMNS]
TARGET_KEYS = ["id", "seq", "indicator", "expected", "actual", "met"]
MILESTONE_KEYS = ["id", "title", "due_on", "done_on", "notes"]
PROGRESS_KEYS = ["id", "noted_on", "text", "milestone_id", "meeting_id", "target_id", "figure"]
PHOTO_KEYS = ["id", "file_name", "mime", "caption"]


@section("projects", order=121)
def dump_projects(ledger: Ledger) -> list[dict[str, Any]]:
    out = []
    for r in ledger.query(f"SELECT {', '.join(KEYS)} FROM projects ORDER BY year, id"):
        d = dict(r)
        pid = r["id"]
        d["targets"] = [
            {**dict(t), "met": None if t["met"] is None else bool(t["met"])}
            for t in ledger.query(
                f"SELECT {', '.join(TARGET_KEYS)} FROM project_targets WHERE project_id=? ORDER BY seq, id",
                (pid,),
            )
        ]
        d["milestones"] = [
            dict(m)
            for m in ledger.query(
                f"SELECT {', '.join(MILESTONE_KEYS)} FROM project_milestones WHERE project_id=? ORDER BY due_on, id",
                (pid,),
            )
        ]
        d["progress"] = []
        for g in ledger.query(
            f"SELECT {', '.join(PROGRESS_KEYS)} FROM project_progress WHERE project_id=? ORDER BY noted_on, id",
            (pid,),
        ):
            gd = dict(g)
            gd["photos"] = [
                {
                    **{k: ph[k] for k in PHOTO_KEYS},
                    "data": base64.b64encode(bytes(ph["data"])).decode("ascii"),
                }
                for ph in ledger.query(
                    "SELECT * FROM project_photos WHERE progress_id=? ORDER BY id", (g["id"],)
                )
            ]
            d["progress"].append(gd)
        out.append(d)
    return out


@dump_projects.loader  # type: ignore[attr-defined,untyped-decorator]
def load_projects(ledger: Ledger, value: list[dict[str, Any]]) -> None:
    from db import media

    for p in value:
        data = {k: p.get(k) for k in KEYS}
        data["kind"] = data["kind"] or "secretary"
        pid = insert_row(ledger, "projects", data)
        for i, t in enumerate(p.get("targets") or [], 1):
            row = {k: t.get(k) for k in TARGET_KEYS}
            row["seq"] = row["seq"] or i
            row["met"] = None if row["met"] is None else int(bool(row["met"]))
            insert_row(ledger, "project_targets", {**row, "project_id": pid})
        for m in p.get("milestones") or []:
            insert_row(
                ledger, "project_milestones", {**{k: m.get(k) for k in MILESTONE_KEYS}, "project_id": pid}
            )
        for g in p.get("progress") or []:
            gid = insert_row(
                ledger, "project_progress", {**{k: g.get(k) for k in PROGRESS_KEYS}, "project_id": pid}
            )
            for ph in g.get("photos") or []:
                blob = base64.b64decode(ph.get("data") or "")
                try:
                    thumb: bytes | None = media.make_thumbnail(blob)[0]
                except ValueError:
                    thumb = None
                insert_row(
                    ledger,
                    "project_photos",
                    {
                        **{k: ph.get(k) for k in PHOTO_KEYS},
                        "progress_id": gid,
                        "data": blob,
                        "thumbnail": thumb,
                    },
                )
