"""Evidence photos of checklist items, kept in the ledger file with a PNG thumbnail.

Photos are insert-only rows with a BLOB and a thumbnail; removing one is a soft delete (BLOBs are not in the
audit images; undo brings the photo back). `make_thumbnail` is the checklists' copy of the thumbnail code that
db/meetings also has; the two are to become one shared module (db/media.py, another task).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from db import clock
from db.checklists.definitions import DEFAULT_NAME, definition_for, ensure_definition
from db.dates import from_iso, iso
from db.errors import InputRefused, Problem
from db.interchange import insert_row

if TYPE_CHECKING:
    from db.connection import Ledger

THUMB_PX = 240


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
