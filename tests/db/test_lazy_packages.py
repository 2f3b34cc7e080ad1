"""db.branch and db.opening load their names on first use (db/lazy.py): every name they list is there, from
the module that defines it; a submodule is reachable as an attribute; a misspelt name is an AttributeError; the
interchange reader still registers their sections."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(code: str) -> str:
    """`code` in a fresh interpreter (nothing of db imported yet); its output."""
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120, check=False
    )
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout.strip()


@pytest.mark.parametrize("package", ["db.branch", "db.opening"])
def test_every_listed_name_is_the_defining_modules_own(package: str) -> None:
    pkg = importlib.import_module(package)
    homes = dict(pkg._HOMES)  # noqa: SLF001
    listed = {n for names in homes.values() for n in names}
    if package == "db.branch":
        # the rest of its names are the committee's (db.branch re-exports some of them)
        rest = tuple(n for n in pkg.__all__ if n not in listed and n != "interchange")
        assert rest and set(rest) <= set(importlib.import_module("db.committee").__all__)
        homes["db.committee"] = rest
        listed |= set(rest)
    assert listed | {"interchange"} == set(pkg.__all__)
    for module, names in homes.items():
        mod = importlib.import_module(module)
        for name in names:
            assert getattr(pkg, name) is getattr(mod, name), name
            assert name in vars(pkg)  # kept: found directly from now on
    assert pkg.interchange is importlib.import_module(f"{package}.interchange")
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = pkg.no_such_name


def test_a_fresh_process_star_imports_and_registers_the_sections() -> None:
    code = (
        "from db.branch import *\n"
        "from db.opening import *\n"
        "import sys\n"
        "assert 'db.committee' in sys.modules and Term.__name__ == 'Term' and callable(setup_open)\n"
        "from db import interchange\n"
        "keys = {s.key for s in interchange.sections()}\n"
        "assert {'branch', 'party_groups', 'opening_balances'} <= keys, keys\n"
        "print('ok')\n"
    )
    assert _run(code) == "ok"


def test_importing_the_packages_loads_none_of_their_modules() -> None:
    code = (
        "import sys\n"
        "import db.branch, db.opening\n"
        "print(' '.join(m for m in ('db.branch.profile', 'db.committee', 'db.members', 'db.interchange',\n"
        "                            'db.opening.store', 'db.opening.steps') if m in sys.modules) or '-')\n"
    )
    assert _run(code) == "-"


def test_the_findings_load_no_sheet_reader_and_no_hashing() -> None:
    """The 工作台's fill imports every findings provider after the first paint (issue #16): the sheet import of
    the guide lists (db/sheets: csv, zipfile) and the hashing of attachments (hashlib) wait for their first use."""
    code = (
        "import sys\n"
        "from db import findings\n"
        "findings._load_providers()\n"
        "print(' '.join(m for m in ('hashlib', 'db.sheets', 'db.guide_lists.import_sheet') if m in sys.modules)"
        " or '-')\n"
    )
    assert _run(code) == "-"


def test_the_guide_lists_sheet_import_names_load_on_first_use() -> None:
    import db.guide_lists as guide_lists
    import db.guide_lists.import_sheet as import_sheet

    for name in ("GUIDE", "GuideImport", "import_guide_file", "import_guide_sheet", "list_to_json"):
        assert getattr(guide_lists, name) is getattr(import_sheet, name)
    assert guide_lists.lists_from_json is import_sheet.lists_from_json
    assert guide_lists.import_sheet is import_sheet
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = guide_lists.no_such_name
