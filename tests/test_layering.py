"""STYLE.md: imports run desktop → exports → db; db/ and exports/ never load Qt; no SQL in desktop/."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_headless_packages_do_not_load_qt() -> None:
    code = (
        "import sys, pkgutil, importlib\n"
        "import db, exports\n"
        "for pkg in (db, exports):\n"
        "    for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        importlib.import_module(m.name)\n"
        "import exports.cli\n"
        "assert not any(k.startswith('PySide6') for k in sys.modules), [k for k in sys.modules if 'PySide6' in k]\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_db_never_imports_exports_or_desktop() -> None:
    offenders = []
    for path in (ROOT / "db").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"^\s*(from|import)\s+(exports|desktop|PySide6)\b", text, re.M):
            offenders.append(str(path.relative_to(ROOT)))
    for path in (ROOT / "exports").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"^\s*(from|import)\s+(desktop|PySide6)\b", text, re.M):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_no_sql_in_desktop() -> None:
    pattern = re.compile(
        r"\.execute\(|\bSELECT\b.*\bFROM\b|\bINSERT INTO\b|\bUPDATE\b.*\bSET\b|\bDELETE FROM\b"
    )
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "desktop").rglob("*.py")
        if pattern.search(p.read_text("utf-8"))
    ]
    assert offenders == []
