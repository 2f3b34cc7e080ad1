"""Files kept inside the ledger (meeting attachments, checklist evidence photos): the one place for their
thumbnails, the mime type guessed from a file name, and the `attachment_max_mb` size limit. No SQL; each kind
stores its own rows.

Two thumbnail functions, because the two callers have always behaved differently and this module changes no
behaviour: `make_thumbnail` (the checklists' evidence photos) refuses what is not a picture and keeps
transparency; `thumbnail_or_none` (meeting attachments, which may be PDFs or anything else) gives None for
what is not a picture and flattens to RGB. Both are PNGs at most THUMB_PX on a side.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from db.connection import Ledger

THUMB_PX = 240
DEFAULT_LIMIT_MB = 10

# Mime types by file name extension; anything else is application/octet-stream.
MIME_BY_EXTENSION = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "bmp": "image/bmp",
    "webp": "image/webp",
    "tif": "image/tiff",
    "tiff": "image/tiff",
    "pdf": "application/pdf",
}
# Mime types by the picture format Pillow recognised; any other picture is reported as image/png.
MIME_BY_PICTURE_FORMAT = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "BMP": "image/bmp"}


def mime_for(name: str) -> str:
    """The mime type a file name suggests (by its extension)."""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return MIME_BY_EXTENSION.get(ext, "application/octet-stream")


def limit_mb(ledger: Ledger) -> int:
    """The `attachment_max_mb` setting: the largest file, in MB, the ledger keeps."""
    return int(ledger.setting("attachment_max_mb") or DEFAULT_LIMIT_MB)


def too_large(data: bytes, max_mb: int) -> bool:
    return len(data) > max_mb * 1024 * 1024


def size_mb(data: bytes) -> float:
    """The size in MB, for the message that refuses a file over the limit."""
    return len(data) / 1048576


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
    return out.getvalue(), MIME_BY_PICTURE_FORMAT.get(fmt, "image/png")


def thumbnail_or_none(data: bytes, px: int = THUMB_PX) -> bytes | None:
    """A small PNG of an image (None for what is not an image)."""
    try:
        from PIL import Image as PILImage
    except ImportError:  # pragma: no cover - Pillow comes with reportlab
        return None
    try:
        with PILImage.open(io.BytesIO(data)) as im:
            im.thumbnail((px, px))
            out = io.BytesIO()
            im.convert("RGB").save(out, format="PNG", optimize=True)
            return out.getvalue()
    except Exception:  # noqa: BLE001 - any undecodable file simply has no thumbnail
        return None
