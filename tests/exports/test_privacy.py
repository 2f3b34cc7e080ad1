"""Nothing leaks, nothing turns into a formula (issue #13 part 5).

- The masked package, every file of it (xlsx unzipped, pdf text extracted), holds none of the demo ledger's
  personal values (身份证号, phone, landline, address) nor any income value (计算基数, monthly bases and every
  item of the 党费核定 worksheet: pay, allowances, bonus, pension, housing fund, tax…).
- `totals_only` leaves out every per-member dues amount; index.html says why it exists.
- A branch named =HYPERLINK(...) stays text in every cell of every workbook, titles included.
"""

from __future__ import annotations

import json
import re
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from db import branch, interchange
from db.connection import Ledger
from exports import package, registry

YEAR = 2026


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def _text(path: Path) -> str:
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as z:
            return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    if path.suffix == ".pdf":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    return path.read_bytes().decode("utf-8", "replace")


def _money_forms(value: Any) -> set[str]:
    """How an amount can appear: 8601.05, 8,601.05 (pdf, index), 8601.050 never; whole numbers as 8601.00/8601."""
    d = Decimal(str(value)).quantize(Decimal("0.01"))
    plain = f"{d}"
    return {plain, f"{d:,}"}


def demo_secrets(ledger: Ledger) -> tuple[dict[str, set[str]], set[str]]:
    """(personal and income values by kind, the per-member dues amounts that the masked profile keeps)."""
    doc = interchange.dump(ledger)
    out: dict[str, set[str]] = {"personal": set(), "income": set()}
    for rec in (doc.get("members") or []) + (doc.get("applicants") or []):
        for k in ("id_number", "phone", "landline", "address"):
            if rec.get(k):
                out["personal"].add(str(rec[k]))
    amounts: set[str] = set()
    for b in doc.get("dues_bases") or []:
        if b.get("amount"):
            amounts |= _money_forms(b["amount"])
        if b.get("base"):
            out["income"] |= _money_forms(b["base"])
        for mb in b.get("month_bases") or []:
            if isinstance(mb, dict) and mb.get("base"):
                out["income"] |= _money_forms(mb["base"])
        ws = b.get("worksheet") or {}
        for part in ws.values():
            if isinstance(part, dict):
                for v in part.values():
                    if v not in (None, "", "0", "0.00"):
                        out["income"] |= _money_forms(v)
    for p in doc.get("dues_payments") or []:
        if p.get("amount"):
            amounts |= _money_forms(p["amount"])
    return out, amounts


def published_dues_figures(ledger: Ledger) -> set[str]:
    """Every dues figure a masked package publishes by design (monthly amounts, the rule amount base × rate,
    sums of 1–12 months, totals due/paid and what is still owed), in both spellings. An income value that
    equals one of them to the cent cannot be told apart from it, so it is not counted as a leak."""
    from db import dues

    out: set[str] = set()
    for year in (YEAR - 1, YEAR):
        for m in dues.dues_report(ledger, year)["members"]:
            figures = [m.get("monthly_due"), m.get("total_due"), m.get("total_paid")]
            figures += [x.get(k) for x in m.get("months") or [] for k in ("due", "paid")]
            if m.get("base") and m.get("rate"):
                figures.append(Decimal(str(m["base"])) * Decimal(str(m["rate"])))
            if m.get("total_due") and m.get("total_paid"):
                figures.append(Decimal(str(m["total_due"])) - Decimal(str(m["total_paid"])))
            for f in [f for f in figures if f not in (None, "")]:
                for k in range(1, 13):
                    out |= _money_forms(Decimal(str(f)) * k)
    return out


def _found(value: str, text: str) -> bool:
    """`value` as a whole number in `text` (494.96 is not found inside 1,494.96)."""
    return re.search(rf"(?<![\d.,]){re.escape(value)}(?!\d)", text) is not None


def test_masked_package_holds_no_personal_or_income_value(demo_ledger: Ledger, tmp_path: Path) -> None:
    secrets, kept_amounts = demo_secrets(demo_ledger)
    published = kept_amounts | published_dues_figures(demo_ledger)
    income = {v for v in secrets["income"] if v not in published}
    assert len(secrets["personal"]) > 50 and len(income) > 200  # the demo really has them
    folder = package.build_package(demo_ledger, YEAR, tmp_path / "out")
    texts = {p.relative_to(folder).as_posix(): _text(p) for p in _files(folder)}
    assert any(k.endswith(".xlsx") for k in texts) and any(k.endswith(".pdf") for k in texts)
    leaks = [
        (name, kind, v)
        for kind, values in (("personal", secrets["personal"]), ("income", income))
        for v in values
        for name, text in texts.items()
        if (v in text if kind == "personal" else _found(v, text))
    ]
    assert leaks == []
    data = json.loads(texts["data.json"])
    assert all(b.get("worksheet") is None and b.get("base") is None for b in data["dues_bases"])
    index = texts["index.html"]
    assert "推算出该党员的收入档次" in index and "--totals-only" in index
    print(
        f"\nmasked package: {len(secrets['personal'])} personal + {len(income)} income values searched "
        f"({len(secrets['income']) - len(income)} equal to a published dues figure not searched) "
        f"in {len(texts)} files, 0 found"
    )


def test_totals_only_leaves_out_every_per_member_amount(demo_ledger: Ledger, tmp_path: Path) -> None:
    folder = package.build_package(demo_ledger, YEAR, tmp_path / "out", totals_only=True)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["dues_detail"] == "totals" and "党费只报合计" in manifest["profile_label"]
    assert not {f.get("template") for f in manifest["files"]} & {"dues-base", "dues", "dues-notice"}
    data = json.loads((folder / "data.json").read_text(encoding="utf-8"))
    assert data["dues_bases"] == [] and data["dues_payments"] == []
    assert "党费只报合计" in (folder / "index.html").read_text(encoding="utf-8")
    assert manifest["summary"]  # the totals are still there
    assert package.verify_package(folder).ok
    with pytest.raises(package.PackageError):
        package.build_package(demo_ledger, YEAR, tmp_path / "o2", profile="full", totals_only=True)


EVIL = '=HYPERLINK("http://example.invalid/x","点击查看")'


def _all_template_params(ledger: Ledger) -> list[tuple[str, registry.Params]]:
    out = []
    for t in registry.templates():
        if "xlsx" not in t.formats:
            continue
        p = registry.Params(year=YEAR)
        if "meeting" in t.needs or "applicant" in t.needs:
            choices = t.choices(ledger) if t.choices else []
            if not choices:
                continue
            rid = choices[0][0]
            p = registry.Params(
                year=YEAR,
                meeting_id=rid if "meeting" in t.needs else None,
                applicant_id=rid if "applicant" in t.needs else None,
            )
        out.append((t.key, p))
    return out


def test_a_branch_named_like_a_formula_never_becomes_one(demo_ledger: Ledger, tmp_path: Path) -> None:
    import openpyxl

    b = branch.require_branch(demo_ledger)
    b.name = EVIL
    branch.save_branch(demo_ledger, b)
    done = starts = 0
    for key, params in _all_template_params(demo_ledger):
        out = tmp_path / f"{key}.xlsx"
        registry.export(demo_ledger, key, params, "xlsx", out)
        with zipfile.ZipFile(out) as z:
            sheets = [z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/")]
        assert not any("<f>" in s or "<f " in s for s in sheets), key
        ws = openpyxl.load_workbook(out).active
        cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
        evil = [c for c in cells if c.value.startswith(("=", "+", "-", "@"))]
        assert all(c.data_type == "s" and c.quotePrefix for c in evil), key
        done += 1
        starts += any(c.value.startswith(EVIL) for c in cells)
    assert done == len(_all_template_params(demo_ledger)) >= 10
    assert starts >= 6  # the workbooks whose cell begins with the branch name (A2 in most): all kept as text
