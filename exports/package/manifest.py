"""What a package is: the format's constants and folder names, the package's own name (`safe_name`,
`package_name`), the SHA-256 of files and of the manifest itself, `read_manifest`, and the year's summary the
manifest carries (one dict per area, from each area's `year_summary`; the liaison's table is built from it).
The layout of manifest.json is documented in docs/package.md.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import re
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from db import clock

if TYPE_CHECKING:
    from db.connection import Ledger


FORMAT = "branch-ledger-package"
VERSION = 1
MANIFEST = "manifest.json"
DATA = "data.json"
INDEX = "index.html"
PROFILES = ("masked", "full", "handover")
PROFILE_LABELS = {"masked": "脱敏版", "full": "完整版", "handover": "交接版"}
REPORTS_DIR = "报表"
HANDOVER_DIR = "交接"


WINDOWS_ILLEGAL = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
MAX_BRANCH_CHARS = 24
CHUNK = 1 << 20


# ------------------------------------------------------------------------------------------ names


def safe_name(text: str, limit: int = 40) -> str:
    """A file or folder name that Windows, FAT sticks and zip tools all accept; Chinese kept, short."""
    name = WINDOWS_ILLEGAL.sub("", text or "").strip()
    name = re.sub(r"\s+", "", name)
    name = name[:limit].rstrip(". ")
    if not name or name.upper().split(".")[0] in {
        "CON",
        "PRN",
        "AUX",
        "NUL",
        *(f"COM{i}" for i in range(10)),
        *(f"LPT{i}" for i in range(10)),
    }:
        name = f"_{name}"
    return name


def package_name(branch_name: str, year: int, profile: str) -> str:
    """e.g. 中共测试科技有限公司支部委员会_2026年报送包_脱敏版."""
    return f"{safe_name(branch_name or '支部', MAX_BRANCH_CHARS)}_{year}年报送包_{PROFILE_LABELS[profile]}"


def app_version() -> str:
    try:
        from importlib.metadata import version

        return version("branch-ledger")
    except Exception:  # noqa: BLE001 - a frozen build may carry no metadata
        pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
        with contextlib.suppress(OSError):
            m = re.search(r'^version\s*=\s*"([^"]+)"', pyproject.read_text(encoding="utf-8"), re.M)
            if m:
                return m.group(1)
        return "unknown"


def default_as_of(year: int, today: dt.date | None = None) -> dt.date:
    today = today or clock.today()
    return min(dt.date(year, 12, 31), today)


# ------------------------------------------------------------------------------------------ the summary


def _optional(module: str, fn: str, *args: Any, **kwargs: Any) -> Any:
    """Call another area's function; None while that area is not in the app (reported as null)."""
    import importlib

    try:
        mod = importlib.import_module(module)
        func = getattr(mod, fn)
    except (ModuleNotFoundError, AttributeError):
        return None
    return func(*args, **kwargs)


def period_findings(ledger: Ledger, year: int, as_of: dt.date) -> list[Any]:
    """Findings as of `as_of` that concern the year: those of a period in it, and the standing ones."""
    from db import findings

    return [f for f in findings.check(ledger, as_of) if f.period is None or f.period.startswith(str(year))]


def year_summary(ledger: Ledger, year: int, as_of: dt.date, found: list[Any] | None = None) -> dict[str, Any]:
    """The summary of manifest.json: one dict per area; an area not in the app is null."""
    from db import branch, members

    counts = members.counts_on(ledger, as_of)
    found = period_findings(ledger, year, as_of) if found is None else found
    by_sev = {"error": 0, "warning": 0, "reminder": 0}
    for f in found:
        by_sev[f.severity] = by_sev.get(f.severity, 0) + 1
    meetings = _optional("db.meetings", "year_summary", ledger, year, as_of=as_of)
    return {
        "members": {**counts, "groups": len(branch.groups_on(ledger, as_of))},
        "meetings": meetings,
        "dues": _optional("db.dues", "year_summary", ledger, year, as_of=as_of),
        "development": _optional("db.development", "year_summary", ledger, year, as_of=as_of),
        "checklist": _optional("db.checklists", "year_summary", ledger, year),
        "scorecard": _optional("db.scorecards", "year_summary", ledger, year, as_of=as_of),
        "guide_list": _optional("db.guide_lists", "year_summary", ledger, year, as_of=as_of),
        "projects": _optional("db.projects", "year_summary", ledger, year, as_of=as_of),
        "findings": by_sev,
    }


# ------------------------------------------------------------------------------------------ checksums


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            h.update(chunk)
    return h.hexdigest()


def stream_sha256(fh: IO[bytes]) -> tuple[str, int]:
    h = hashlib.sha256()
    size = 0
    while chunk := fh.read(CHUNK):
        h.update(chunk)
        size += len(chunk)
    return h.hexdigest(), size


def manifest_checksum(manifest: dict[str, Any]) -> str:
    body = {k: v for k, v in manifest.items() if k != "checksum"}
    text = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_manifest(folder: Path) -> dict[str, Any]:
    """The manifest of a package folder (not verified: use `verify_package` for that)."""
    data: dict[str, Any] = json.loads((Path(folder) / MANIFEST).read_text(encoding="utf-8"))
    return data
