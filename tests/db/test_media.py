"""db/media.py: the thumbnails, mime guess and size limit shared by meeting attachments and checklist photos."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from db import media, settings
from db.connection import Ledger


def _picture(mode: str, size: tuple[int, int], fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size).save(out, fmt)
    return out.getvalue()


@pytest.mark.parametrize(
    ("mode", "fmt", "mime"),
    [
        ("RGB", "JPEG", "image/jpeg"),
        ("RGBA", "PNG", "image/png"),
        ("P", "GIF", "image/gif"),
        ("L", "BMP", "image/bmp"),
    ],
)
def test_make_thumbnail_keeps_transparency_and_names_the_original_mime(
    mode: str, fmt: str, mime: str
) -> None:
    thumb, got = media.make_thumbnail(_picture(mode, (900, 300), fmt))
    assert got == mime
    with Image.open(io.BytesIO(thumb)) as im:
        assert im.format == "PNG"
        assert im.size == (media.THUMB_PX, 80)
        assert im.mode in ("RGB", "RGBA")
        assert (im.mode == "RGBA") == (mode not in ("RGB",))


def test_make_thumbnail_refuses_what_is_not_a_picture() -> None:
    with pytest.raises(ValueError, match="不是可识别的图片"):
        media.make_thumbnail(b"%PDF-1.4")


def test_thumbnail_or_none_flattens_to_rgb_and_gives_none_for_other_files() -> None:
    thumb = media.thumbnail_or_none(_picture("RGBA", (100, 1200), "PNG"))
    assert thumb is not None
    with Image.open(io.BytesIO(thumb)) as im:
        assert (im.format, im.mode, im.size) == ("PNG", "RGB", (20, media.THUMB_PX))
    assert media.thumbnail_or_none(b"%PDF-1.4") is None
    assert media.thumbnail_or_none(b"") is None
    assert media.thumbnail_or_none(_picture("RGB", (50, 40), "PNG"), px=16) is not None


@pytest.mark.parametrize(
    ("name", "mime"),
    [
        ("合影.JPG", "image/jpeg"),
        ("签到表.pdf", "application/pdf"),
        ("scan.tiff", "image/tiff"),
        ("notes", "application/octet-stream"),
        ("a.tar.gz", "application/octet-stream"),
    ],
)
def test_mime_for(name: str, mime: str) -> None:
    assert media.mime_for(name) == mime


def test_size_limit(ledger: Ledger) -> None:
    assert media.limit_mb(ledger) == 10
    settings.update(ledger, {"attachment_max_mb": 2})
    assert media.limit_mb(ledger) == 2
    assert not media.too_large(b"x" * (1024 * 1024), 1)
    assert media.too_large(b"x" * (1024 * 1024 + 1), 1)
    assert f"{media.size_mb(b'x' * 1572864):.1f}" == "1.5"
