"""desktop/pyside_import.py: PySide imported without compiling its signature support again, with the same result.

Each import runs in a fresh interpreter (this one imported shiboken6 at collection, through tests/conftest.py)."""

from __future__ import annotations

import builtins
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from desktop import pyside_import
from desktop.pyside_import import LazyPattern

ROOT = Path(__file__).resolve().parents[2]


def run(script: str, *args: str) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


QUICK = """
import json, sys
from pathlib import Path
from desktop import pyside_import as q
q.quick_import(Path(sys.argv[1]), write=True)
s = q.last
print(json.dumps({"served": s.served, "used": len(s.used), "lazy": len(s.lazy),
                  "compiled": sum(p._compiled is not None for p in s.lazy)}))
"""


def test_first_import_compiles_and_writes_the_file_the_next_one_takes_every_module_from(
    tmp_path: Path,
) -> None:
    cache = tmp_path / "code.bin"
    first = run(QUICK, str(cache))
    assert first["used"] >= 10 and first["served"] == 0  # PySide 6.11: 13 embedded modules
    assert cache.is_file()
    second = run(QUICK, str(cache))
    assert second == dict(first, served=first["used"])
    # the three brace patterns are made and left uncompiled: nothing in the import uses them
    assert second["lazy"] == 3 and second["compiled"] == 0


COMPARE = """
import json, sys
from pathlib import Path
from desktop import pyside_import as q
from db import codecache
q.quick_import(Path(sys.argv[1]), write=False)
boot = sys.modules["signature_bootstrap"]
zfile = sys.modules["shibokensupport.signature.loader"].__loader__.zfile
flags = boot.EmbeddableZipImporter.exec_module.__code__.co_flags & codecache.future_mask()
out = {"served": q.last.served}
for filename, (key, cached) in q.last.used.items():  # the code objects the modules were made from
    stock = compile(zfile.read(filename), filename, "exec", flags, True)  # as exec_module compiles it
    # equal code (bytecode, constants and nested code, names, flags, line tables); marshal's bytes may differ
    # where the same constant is or is not shared
    out[filename] = [stock == cached, stock.co_filename == cached.co_filename]
print(json.dumps(out))
"""


def test_every_kept_code_object_is_what_the_stock_importer_compiles(tmp_path: Path) -> None:
    cache = tmp_path / "code.bin"
    run(QUICK, str(cache))
    compared = run(COMPARE, str(cache))
    assert compared.pop("served") == len(compared) >= 10
    assert "shibokensupport/signature/parser.py" in compared
    assert {name: all(checks) for name, checks in compared.items()} == dict.fromkeys(compared, True)


SIGNATURES = """
import json, sys
from pathlib import Path
if sys.argv[1] != "stock":
    from desktop import pyside_import as q
    q.quick_import(Path(sys.argv[1]), write=False)
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.support.signature import get_signature
out = {}
for cls in (QtCore.QObject, QtCore.QDate, QtGui.QPainter, QtWidgets.QWidget, QtWidgets.QTableView):
    for name in sorted(vars(cls)):
        # PySide's signature (a list of them for an overloaded function), parsed from its signature strings
        out[f"{cls.__name__}.{name}"] = str(get_signature(getattr(cls, name)))
app = QtWidgets.QApplication([])
try:
    QtWidgets.QWidget().resize("x", None)
except TypeError as e:
    out["wrong arguments"] = str(e)
out["doc"] = QtWidgets.QWidget.resize.__doc__
out["lazy compiled"] = [p._compiled is not None for p in q.last.lazy] if sys.argv[1] != "stock" else None
print(json.dumps(out))
"""


def test_signatures_help_and_wrong_argument_messages_are_the_same_both_ways(tmp_path: Path) -> None:
    cache = tmp_path / "code.bin"
    run(QUICK, str(cache))
    stock = run(SIGNATURES, "stock")
    quick = run(SIGNATURES, str(cache))
    # the parser's pattern compiled when first used: by the first signature asked for
    assert quick.pop("lazy compiled") == [True, False, False] and stock.pop("lazy compiled") is None
    assert quick == stock
    assert sum("(" in v for v in stock.values()) > 300
    assert stock["QWidget.resize"].count("Signature") == 2
    assert (
        "Supported signatures" in stock["wrong arguments"]
        and "resize(w: int, h: int" in stock["wrong arguments"]
    )


def test_a_damaged_or_stale_file_is_compiled_anew_and_replaced(tmp_path: Path) -> None:
    cache = tmp_path / "code.bin"
    fresh = run(QUICK, str(cache))
    good = cache.read_bytes()
    for damaged in (b"", b"not marshal at all", good[: len(good) // 2]):
        cache.write_bytes(damaged)
        assert run(QUICK, str(cache))["served"] == 0
        assert run(QUICK, str(cache))["served"] == fresh["used"]
    # another Python build's file, and one whose sources changed (a PySide upgrade): nothing taken from it
    import marshal

    data = marshal.loads(good)
    cache.write_bytes(marshal.dumps(dict(data, python="3.11.0 (another build)")))
    assert run(QUICK, str(cache))["served"] == 0
    code = data["code"]
    first = sorted(code)[0]
    (length, crc, flags), obj = code[first]
    cache.write_bytes(marshal.dumps(dict(data, code=dict(code, **{first: ((length, crc ^ 1, flags), obj)}))))
    assert run(QUICK, str(cache))["served"] == fresh["used"] - 1
    assert run(QUICK, str(cache))["served"] == fresh["used"]


def test_the_frozen_app_reads_its_shipped_file_and_never_writes(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert (
        pyside_import.default_cache_path() == tmp_path / "resources" / "codecache" / pyside_import.CACHE_NAME
    )


def test_stock_functions_are_back_after_the_import_and_a_second_call_does_nothing() -> None:
    # this process imported shiboken6 through quick_import (tests/conftest.py)
    assert builtins.compile is pyside_import._STOCK_COMPILE
    assert re.compile is pyside_import._STOCK_RE_COMPILE
    assert isinstance(re.compile("a"), re.Pattern)
    assert pyside_import.quick_import() is False


PATTERN = r"(?P<word>\w+)\s*(?=\[)|(\d+)"


@pytest.mark.parametrize(
    ("method", "args"),
    [
        ("search", ("x 12 ab [",)),
        ("match", ("ab [",)),
        ("fullmatch", ("12",)),
        ("split", ("a 1 b [ 2",)),
        ("findall", ("a [ 1 b [ 22",)),
        ("sub", ("<>", "a [ 1")),
        ("subn", ("<>", "a [ 1")),
    ],
)
def test_a_lazy_pattern_answers_as_the_compiled_one(method: str, args: tuple[str, ...]) -> None:
    lazy = LazyPattern(PATTERN, re.VERBOSE)
    taken = getattr(lazy, method)  # taken before first use, as PySide's parser keeps `rec.finditer`
    assert lazy._compiled is None
    real = re.compile(PATTERN, re.VERBOSE)
    got, want = taken(*args), getattr(real, method)(*args)
    if isinstance(want, re.Match):
        assert got.groups() == want.groups() and got.span() == want.span()
    else:
        assert got == want
    assert [m.span() for m in lazy.finditer("a [ 1 b [")] == [m.span() for m in real.finditer("a [ 1 b [")]
    assert (lazy.pattern, lazy.flags, lazy.groups, lazy.groupindex) == (
        real.pattern,
        real.flags,
        real.groups,
        real.groupindex,
    )


def test_a_lazy_pattern_is_not_compiled_by_questions_a_pattern_has_no_answer_to() -> None:
    lazy = LazyPattern("(", 0)  # would not compile
    assert getattr(lazy, "__isabstractmethod__", False) is False  # what abc asks of every class attribute
    assert lazy._compiled is None
    with pytest.raises(re.error):
        lazy.search("x")


def test_the_build_command_writes_the_file_and_says_what_is_wrong_in_chinese(tmp_path: Path) -> None:
    out = tmp_path / "sub" / "code.bin"
    done = subprocess.run(
        [sys.executable, "-m", "desktop.pyside_import", str(out)], capture_output=True, text=True, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    assert out.is_file() and "modules" in done.stdout
    assert run(QUICK, str(out))["served"] >= 10
    bad = subprocess.run(
        [sys.executable, "-m", "desktop.pyside_import"], capture_output=True, text=True, cwd=ROOT
    )
    assert bad.returncode == 2 and "用法" in bad.stderr and "Traceback" not in bad.stderr
