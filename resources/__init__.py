"""The one helper that finds shipped resources, from source or from a frozen (PyInstaller) bundle."""

from __future__ import annotations

import sys
from pathlib import Path


def root() -> Path:
    """The resources/ folder; PyInstaller ships it under the same relative path."""
    base = getattr(sys, "_MEIPASS", None)
    if base:
        return Path(base) / "resources"
    return Path(__file__).resolve().parent


def path(*parts: str) -> Path:
    return root().joinpath(*parts)


FONT_REGULAR = ("fonts", "NotoSansSC-Regular.ttf")
FONT_BOLD = ("fonts", "NotoSansSC-Bold.ttf")


def font_regular() -> Path:
    return path(*FONT_REGULAR)


def font_bold() -> Path:
    return path(*FONT_BOLD)


def demo_document() -> Path:
    return path("demo", "demo_branch.json")


def guides_dir() -> Path:
    """The user guides (docs/guide-*.md): beside the sources in a checkout, under docs/ in the bundle
    (build.spec ships them there), read by the Help menu."""
    base = getattr(sys, "_MEIPASS", None)
    if base:
        return Path(base) / "docs"
    return Path(__file__).resolve().parent.parent / "docs"


def guides() -> list[Path]:
    return sorted(guides_dir().glob("guide-*.md"))
