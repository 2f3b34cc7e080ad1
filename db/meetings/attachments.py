"""Attachments of a meeting record (photos, the scanned 签到表, other files): stored inside the ledger with a
thumbnail, up to the `attachment_max_mb` setting (both from db/media.py, shared with the checklists' photos);
AddAttachment, RemoveAttachment (marked deleted, so undo can bring it back), the list and the data.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import TYPE_CHECKING

from db import clock, media
from db.errors import InputRefused, Problem
from db.meetings.model import ATTACHMENT_KINDS, AttachmentInfo

if TYPE_CHECKING:
    from db.connection import Ledger


def _sha256(data: bytes) -> str:
    # hashlib loads here, not with the package: the findings and the 工作台's fill import db.meetings and never
    # hash a file (OpenSSL's module, 3-4 ms)
    import hashlib

    return hashlib.sha256(data).hexdigest()


def _insert_attachment(
    ledger: Ledger,
    meeting_id: int,
    name: str,
    data: bytes,
    kind: str,
    mime: str | None,
    added_on: dt.date,
    deleted_at: str | None = None,
    att_id: int | None = None,
) -> int:
    cur = ledger.conn.execute(
        "INSERT INTO meeting_attachments(id, meeting_id, kind, name, mime, size, sha256, added_on, deleted_at, data, "
        "thumbnail) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        (
            att_id,
            meeting_id,
            kind,
            name,
            mime or media.mime_for(name),
            len(data),
            _sha256(data),
            added_on.isoformat(),
            deleted_at,
            sqlite3.Binary(data),
            media.thumbnail_or_none(data),
        ),
    )
    return int(cur.lastrowid or 0)


def add_attachment(
    ledger: Ledger, meeting_id: int, name: str, data: bytes, kind: str = "photo", mime: str | None = None
) -> int:
    """AddAttachment: stored inside the ledger, up to the `attachment_max_mb` setting, with a thumbnail."""
    from db.meetings.store import get_meeting  # store reads attachments, so not at the top

    max_mb = media.limit_mb(ledger)
    if kind not in ATTACHMENT_KINDS:
        raise InputRefused([Problem("附件类型不正确", column="附件类型")])
    if media.too_large(data, max_mb):
        raise InputRefused(
            [
                Problem(
                    f"“{name}”有 {media.size_mb(data):.1f} MB，超过附件上限 {max_mb} MB"
                    "（可在“设置”中调整，或先压缩图片）",
                    column="附件",
                )
            ]
        )
    if not data:
        raise InputRefused([Problem(f"“{name}”是空文件", column="附件")])
    get_meeting(ledger, meeting_id)
    with ledger.operation("AddAttachment", f"添加附件 {name}") as op:
        op.value = _insert_attachment(ledger, meeting_id, name, data, kind, mime, clock.today())
    return int(op.value)


def remove_attachment(ledger: Ledger, attachment_id: int) -> None:
    """RemoveAttachment: marked deleted (the data stays in the file, so undo can bring it back)."""
    row = ledger.query_one("SELECT name FROM meeting_attachments WHERE id=?", (attachment_id,))
    if row is None:
        raise KeyError(attachment_id)
    with ledger.operation("RemoveAttachment", f"删除附件 {row[0]}"):
        ledger.conn.execute(
            "UPDATE meeting_attachments SET deleted_at=? WHERE id=? AND deleted_at IS NULL",
            (clock.now().isoformat(timespec="seconds"), attachment_id),
        )


_INFO_COLUMNS = "id, meeting_id, kind, name, mime, size, added_on, thumbnail, deleted_at"


def _info(r: sqlite3.Row) -> AttachmentInfo:
    return AttachmentInfo(
        r["id"],
        r["meeting_id"],
        r["kind"],
        r["name"],
        r["mime"],
        r["size"],
        dt.date.fromisoformat(r["added_on"]),
        r["thumbnail"],
        r["deleted_at"],
    )


def list_attachments(ledger: Ledger, meeting_id: int, include_deleted: bool = False) -> list[AttachmentInfo]:
    sql = (
        f"SELECT {_INFO_COLUMNS} FROM meeting_attachments "
        "WHERE meeting_id=?" + ("" if include_deleted else " AND deleted_at IS NULL") + " ORDER BY id"
    )
    return [_info(r) for r in ledger.query(sql, (meeting_id,))]


def attachments_of(
    ledger: Ledger, meetings_sql: str, params: tuple[object, ...]
) -> dict[int, list[AttachmentInfo]]:
    """The attachments (not deleted) of every meeting whose id `meetings_sql` selects, by meeting, in id order:
    what `list_attachments` gives each, in one read."""
    out: dict[int, list[AttachmentInfo]] = {}
    for r in ledger.query(
        f"SELECT {_INFO_COLUMNS} FROM meeting_attachments WHERE meeting_id IN ({meetings_sql}) "
        "AND deleted_at IS NULL ORDER BY id",
        params,
    ):
        out.setdefault(r["meeting_id"], []).append(_info(r))
    return out


def attachment_data(ledger: Ledger, attachment_id: int) -> bytes:
    row = ledger.query_one("SELECT data FROM meeting_attachments WHERE id=?", (attachment_id,))
    if row is None:
        raise KeyError(attachment_id)
    return bytes(row[0])
