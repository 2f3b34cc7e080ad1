"""The park's own forms (园区表格, issue #20): an .xlsx or .docx that a liaison marks up with `{{ 支部.名称 }}`-style
placeholders, filled from the ledger as of a date and a period.

fields.py     the 字段表 (the one data dictionary, Chinese names) and `build_context` from the read models
engine.py     Jinja2's SandboxedEnvironment and the check that every name is in the 字段表
xlsx_fill.py  Excel templates (openpyxl): repeating rows, merged cells, never a formula from a value
docx_fill.py  Word templates (docxtpl)

No Qt here: the `ledger form` command and the GUI call the same `fill`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from exports.forms.engine import FormError, Usage
from exports.forms.fields import BY_PATH, FIELDS, MAIN, Dictionary, Field, build_context

if TYPE_CHECKING:
    from db.connection import Ledger
    from exports.registry import Params

SUFFIXES = (".xlsx", ".docx")

__all__ = [
    "BY_PATH",
    "FIELDS",
    "MAIN",
    "SUFFIXES",
    "Dictionary",
    "Field",
    "FillResult",
    "FormError",
    "Usage",
    "fill",
    "fill_context",
    "inspect",
]


@dataclass
class FillResult:
    template: Path
    out: Path
    fields: dict[str, list[str]]
    rows: int = 0
    warnings: list[str] = field(default_factory=list)
    sensitive: dict[str, list[str]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "template": str(self.template),
            "out": str(self.out),
            "fields": self.fields,
            "rows": self.rows,
            "warnings": self.warnings,
        }


def _kind(template: Path) -> str:
    suffix = template.suffix.lower()
    if suffix not in SUFFIXES:
        raise FormError([(str(template), "表格模板应是 .xlsx（Excel）或 .docx（Word）文件")], template.name)
    return suffix


def inspect(template: Path, dictionary: Dictionary = MAIN) -> Usage:
    """Which fields a template uses and where, and its problems (unknown names…), without filling it."""
    usage = Usage(dictionary=dictionary)
    if _kind(template) == ".xlsx":
        from exports.forms import xlsx_fill

        xlsx_fill.scan(xlsx_fill.load(template), usage)
    else:
        from exports.forms import docx_fill

        docx_fill.scan(docx_fill.load(template), usage)
    return usage


def fill(ledger: Ledger, template: Path, out: Path, params: Params) -> FillResult:
    """Fill a form template for a period (params: year, quarter, as_of, masked) into `out`, written whole
    (temporary name, then renamed). Raises FormError, naming each unknown or refused place, before writing."""
    _kind(template)
    result = fill_context(template, out, build_context(ledger, params), MAIN)
    if params.masked:
        for path, places in result.sensitive.items():
            result.warnings.append(
                f"模板在{'、'.join(places)}要求“{path}”：这是脱敏填写，只填了部分隐去的值"
                "（需要完整值时请用完整版填写）"
            )
    return result


def fill_context(template: Path, out: Path, ctx: dict[str, Any], dictionary: Dictionary) -> FillResult:
    """Fill a template from a ready dictionary `ctx` (the branch's or the park's) into `out`."""
    kind = _kind(template)
    if out.suffix.lower() != kind:
        raise FormError([(str(out), f"输出文件应与模板同为 {kind} 文件")], template.name)
    usage = Usage(dictionary=dictionary)
    rows = 0
    if kind == ".xlsx":
        from exports.forms.xlsx_fill import fill_xlsx

        rows = fill_xlsx(template, out, ctx, usage)
    else:
        from exports.forms.docx_fill import fill_docx

        fill_docx(template, out, ctx, usage)
    return FillResult(template, out, usage.fields, rows, [], usage.sensitive())
