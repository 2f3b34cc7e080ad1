"""Plain records of the stored form templates and packs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

PERIOD_LABELS = {"year": "年度", "quarter": "季度"}
PROFILE_LABELS = {"masked": "脱敏", "full": "完整"}


@dataclass(frozen=True)
class FormTemplate:
    id: int
    name: str
    version: int
    file_name: str
    kind: str  # "xlsx" / "docx"
    sha256: str
    size: int
    added_on: dt.date
    pack_id: int | None = None
    period: str | None = None  # of a pack's form: "year" / "quarter"
    due_day: int | None = None
    profile: str | None = None  # of a pack's form: "masked" / "full"

    @property
    def suffix(self) -> str:
        return "." + self.kind

    @property
    def label(self) -> str:
        return f"{self.name}（第{self.version}版）"


@dataclass(frozen=True)
class FormPack:
    id: int
    name: str
    issuer: str
    version: int
    file_name: str
    sha256: str
    added_on: dt.date
    removed_on: dt.date | None = None

    @property
    def label(self) -> str:
        return f"{self.name}（第{self.version}版）"


@dataclass(frozen=True)
class NewForm:
    """One form of a pack being installed: checked by the caller (exports/forms/pack.py)."""

    name: str
    file_name: str
    data: bytes
    period: str
    due_day: int
    profile: str
