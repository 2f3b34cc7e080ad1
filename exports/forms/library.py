"""The templates kept in the ledger (db/forms): add one from a file (checked first, then copied in as a new
version), check and fill a stored version, and fill every form of the installed packs into a hand-in package.

A stored template is written to a private temporary file to be read (openpyxl/docxtpl read files); the file
is removed afterwards.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from exports.forms.engine import FormError, Usage

if TYPE_CHECKING:
    from db.connection import Ledger
    from db.forms import FormTemplate
    from exports.forms import FillResult
    from exports.registry import Params

FORMS_DIR = "园区表格"


@contextlib.contextmanager
def template_file(ledger: Ledger, t: FormTemplate) -> Iterator[Path]:
    """The stored bytes of `t` as a temporary file (removed afterwards)."""
    from db import forms as stored

    with tempfile.TemporaryDirectory(prefix=".form-") as tmp:
        path = Path(tmp) / f"{t.name[:40]}{t.suffix}".replace("/", "_").replace("\\", "_")
        path.write_bytes(stored.template_data(ledger, t.id))
        yield path


def inspect_stored(ledger: Ledger, t: FormTemplate) -> Usage:
    from exports import forms

    with template_file(ledger, t) as path:
        try:
            return forms.inspect(path)
        except FormError as e:
            return Usage(problems=list(e.problems))


def add_template_file(ledger: Ledger, path: Path, name: str | None = None) -> FormTemplate:
    """Check a template file and copy it into the ledger as the next version of `name` (default: the file's
    name without suffix). A template with an unknown name or a refused expression is not stored."""
    from db import forms as stored
    from exports import forms

    usage = forms.inspect(path)
    if usage.problems:
        raise FormError(usage.problems, path.name)
    if not usage.fields:
        raise FormError([(path.name, "文件里没有 {{ 字段 }}，没有可以填写的内容")], path.name)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise FormError([(str(path), f"读不出来：{e.strerror or e}")], path.name) from None
    return stored.add_template(ledger, (name or path.stem).strip(), path.name, data)


def fill_stored(ledger: Ledger, t: FormTemplate, out: Path, params: Params) -> FillResult:
    """Fill a stored template version into `out`."""
    from exports import forms

    with template_file(ledger, t) as path:
        result = forms.fill(ledger, path, out, params)
    result.template = Path(t.file_name)
    return result


# ------------------------------------------------------------------------------ in the hand-in package


@dataclass
class PackageForm:
    rel: str
    pack: str
    title: str
    template: FormTemplate
    period: str
    period_label: str
    due: dt.date
    masked: bool
    warnings: list[str] = field(default_factory=list)

    def manifest_entry(self) -> dict[str, Any]:
        from db.dates import fmt_zh

        return {
            "pack": self.pack,
            "title": self.title,
            "path": self.rel,
            "template": self.template.file_name,
            "template_version": self.template.version,
            "template_sha256": self.template.sha256,
            "period": self.period,
            "period_label": self.period_label,
            "due": self.due.isoformat(),
            "due_text": fmt_zh(self.due),
            "profile": "masked" if self.masked else "full",
            "warnings": self.warnings,
        }


def _quarter_for(year: int, as_of: dt.date) -> int:
    """The quarter a quarterly form is filled for in a year's package: the one the as-of day is in."""
    return (as_of.month - 1) // 3 + 1 if as_of.year == year else 4


def package_forms(
    ledger: Ledger, year: int, as_of: dt.date, masked: bool, root: Path
) -> tuple[list[PackageForm], list[dict[str, Any]]]:
    """Fill every form of every installed pack into `root`/园区表格/<pack>/ for a year's package: yearly forms
    for the year, quarterly ones for the quarter of the as-of day. In a masked package every form is filled
    masked, whatever its manifest asks; in a full package a form follows its manifest's profile.
    Returns the forms written and the failed ones (manifest `failed` entries), never raising for one form."""
    from db import forms as stored
    from db.errors import LedgerError, WriteFailed
    from exports.forms.fields import period_of
    from exports.package.manifest import safe_name
    from exports.registry import Params

    done: list[PackageForm] = []
    failed: list[dict[str, Any]] = []
    for pack in stored.installed_packs(ledger):
        folder = f"{FORMS_DIR}/{safe_name(pack.name, 30)}"
        used: set[str] = set()
        for t in stored.pack_templates(ledger, pack.id):
            quarter = _quarter_for(year, as_of) if t.period == "quarter" else None
            form_masked = masked or t.profile != "full"
            p = Params(year=year, quarter=quarter, as_of=None, masked=form_masked)
            _y, _q, _start, end, _as_of = period_of(p)
            p = Params(year=year, quarter=quarter, as_of=min(as_of, end), masked=form_masked)
            stem = safe_name(t.name, 40)
            if stem in used:
                stem = f"{stem}_{t.id}"
            used.add(stem)
            rel = f"{folder}/{stem}{t.suffix}"
            out = root / rel
            out.parent.mkdir(parents=True, exist_ok=True)
            label = f"{year}年第{quarter}季度" if quarter else f"{year}年度"
            due = due_on_day(t.due_day or 28, end)
            try:
                result = fill_stored(ledger, t, out, p)
            except (WriteFailed, OSError):
                raise  # the stick is full or gone: the package explains it
            except LedgerError as e:
                failed.append(
                    {"template": f"form:{t.id}", "title": f"{pack.name}：{t.name}", "error": str(e)}
                )
                continue
            except Exception as e:  # noqa: BLE001 - one broken form must not stop the hand-in: named
                failed.append(
                    {
                        "template": f"form:{t.id}",
                        "title": f"{pack.name}：{t.name}",
                        "error": f"{type(e).__name__}: {e}",
                    }
                )
                continue
            done.append(
                PackageForm(
                    rel, pack.name, t.name, t, t.period or "year", label, due, form_masked, result.warnings
                )
            )
    return done, failed


def due_on_day(day: int, end: dt.date) -> dt.date:
    """`day` of the month after the period ends (exports/forms/pack.py `due_on`)."""
    y, m = (end.year + 1, 1) if end.month == 12 else (end.year, end.month + 1)
    return dt.date(y, m, day)
