"""db/codecache.py: dataclasses made from kept code are the classes the stock path makes, and the file is safe."""

from __future__ import annotations

import dataclasses
import json
import marshal
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from db import codecache
from db.codecache import TextCode

ROOT = Path(__file__).resolve().parents[2]

# dataclasses of every shape ours use: frozen, ordered, slots, keyword-only, defaults and factories, unhashable
SHAPES = """
import dataclasses
from dataclasses import dataclass, field

@dataclass(frozen=True)
class Finding:
    code: str
    where: tuple[int, ...] = ()
    note: str = ""

@dataclass(order=True)
class Row:
    day: str
    amount: int = 0
    tags: list[str] = field(default_factory=list)

@dataclass(slots=True, kw_only=True)
class Options:
    name: str
    count: int = 3

@dataclass(eq=False, repr=False)
class Plain:
    x: int
"""


def make(exec_: Any) -> dict[str, Any]:
    """The SHAPES module made with exec_ as the dataclasses module's exec."""
    saved = dataclasses.exec  # type: ignore[attr-defined]
    dataclasses.exec = exec_  # type: ignore[attr-defined]
    try:
        ns: dict[str, Any] = {"__name__": "shapes"}
        exec(compile(SHAPES, "shapes.py", "exec", 0, True), ns)  # noqa: S102 - the test's own fixed text
    finally:
        dataclasses.exec = saved  # type: ignore[attr-defined]
    return ns


METHODS = (
    "__init__",
    "__repr__",
    "__eq__",
    "__hash__",
    "__lt__",
    "__le__",
    "__gt__",
    "__ge__",
    "__setattr__",
    "__delattr__",
)


def method_code(ns: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for cls in ("Finding", "Row", "Options", "Plain"):
        for name in METHODS:
            fn = ns[cls].__dict__.get(name)
            out[f"{cls}.{name}"] = getattr(fn, "__code__", fn)
    return out


def test_classes_made_from_kept_code_have_the_stock_methods_and_behave_the_same(tmp_path: Path) -> None:
    path = tmp_path / "dc.codecache"
    first = TextCode(path)
    made_first = make(first.exec)
    assert first.new and first.served == 0
    assert first.save() and path.is_file()
    second = TextCode(path)
    made_second = make(second.exec)
    assert second.served == len(second.used) == len(first.used) and not second.new
    stock = make(codecache._stock_exec)
    assert method_code(made_first) == method_code(stock) == method_code(made_second)
    F, R, Opt = made_second["Finding"], made_second["Row"], made_second["Options"]
    f = F("D01", (1, 2))
    assert repr(f) == "Finding(code='D01', where=(1, 2), note='')" and f == F("D01", (1, 2))
    assert hash(f) == hash(F("D01", (1, 2)))
    with pytest.raises(dataclasses.FrozenInstanceError):
        f.code = "x"  # type: ignore[misc]
    assert (
        sorted([R("b"), R("a", 2)]) == [R("a", 2), R("b")]
        and R("a").tags == []
        and R("a").tags is not R("a").tags
    )
    assert Opt(name="n").count == 3 and not hasattr(Opt(name="n"), "__dict__")
    with pytest.raises(TypeError):
        Opt("n")  # type: ignore[misc]


def test_the_key_is_the_exact_text_and_the_inherited_future_flags(tmp_path: Path) -> None:
    code = TextCode(tmp_path / "x.codecache")
    text = "def __create_fn__():\n def f(x: Undefined) -> Undefined:\n  return x\n return f"
    ns: dict[str, Any] = {}
    code.exec(text, {}, ns)  # from here: this module has `from __future__ import annotations`
    f = ns["__create_fn__"]()
    assert f.__annotations__ == {"x": "Undefined", "return": "Undefined"}  # postponed, as the builtin would
    plain: dict[str, Any] = {}
    exec(compile("def call(c, t, ns):\n c.exec(t, {}, ns)", "plain.py", "exec", 0, True), plain)  # noqa: S102
    with pytest.raises(NameError):  # no future flag: annotations evaluated at definition, as the builtin does
        plain["call"](code, text, ns)
        ns["__create_fn__"]()
    assert {flags for flags, _ in code.new} == {0, __import__("__future__").annotations.compiler_flag}


def test_a_damaged_or_foreign_file_is_ignored_and_replaced(tmp_path: Path) -> None:
    path = tmp_path / "dc.codecache"
    first = TextCode(path)
    make(first.exec)
    first.save()
    good = path.read_bytes()
    for bad in (b"", b"garbage", good[: len(good) // 3], marshal.dumps({"python": "2.7", "code": {}})):
        path.write_bytes(bad)
        again = TextCode(path)
        assert again.kept == {}
        assert method_code(make(again.exec)) == method_code(make(codecache._stock_exec))
        assert again.save()
        assert TextCode(path).kept.keys() == first.used.keys()
    data = marshal.loads(good)
    path.write_bytes(marshal.dumps(dict(data, python=sys.version + " (another build)")))
    assert TextCode(path).kept == {}


def test_save_writes_only_when_something_is_new_and_merges_with_the_file(tmp_path: Path) -> None:
    path = tmp_path / "dc.codecache"
    one = TextCode(path)
    one.exec("def __create_fn__():\n return 1", {}, {})
    assert one.save() and not one.save()  # nothing new the second time
    two = TextCode(path)
    two.exec("def __create_fn__():\n return 2", {}, {})
    two.exec("def __create_fn__():\n return 1", {}, {})
    assert two.served == 1 and two.save()
    assert len(TextCode(path).kept) == 2
    assert not list(tmp_path.glob("*.tmp"))  # written to a temporary name, then renamed


def test_a_full_file_starts_again_from_this_runs_texts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(codecache, "MAX_ENTRIES", 2)
    path = tmp_path / "dc.codecache"
    one = TextCode(path)
    for i in range(2):
        one.exec(f"def __create_fn__():\n return {i}", {}, {})
    one.save()
    two = TextCode(path)
    two.exec("def __create_fn__():\n return 9", {}, {})
    two.save()
    assert [text for _, text in TextCode(path).kept] == ["def __create_fn__():\n return 9"]


def test_an_unwritable_folder_loses_nothing_but_the_file(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code = TextCode(blocker / "sub" / "dc.codecache")  # its folder cannot be made
    code.exec("def __create_fn__():\n return 1", {}, {})
    assert code.save() is False and code.new


def test_other_exec_calls_go_to_the_builtin(tmp_path: Path) -> None:
    code = TextCode(tmp_path / "x.codecache")
    compiled = compile("y = 2", "<t>", "exec")
    ns: dict[str, Any] = {}
    code.exec(compiled, ns)  # a code object
    assert ns["y"] == 2 and not code.used


RUN = """
import json, sys
from db import codecache
import importlib, pkgutil, db
for m in pkgutil.walk_packages(db.__path__, "db."):  # every module of db: some hundred dataclasses
    if not m.name.endswith("__main__"):
        importlib.import_module(m.name)
c = codecache.dataclass_code
print(json.dumps({"served": c.served, "used": len(c.used), "new": len(c.new),
                  "exec_is_ours": __import__("dataclasses").exec == c.exec}))
"""


def run(args: list[str], cache_dir: Path) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    done = subprocess.run(
        [sys.executable, *args, "-c", RUN.replace("from db import codecache", _redirect(cache_dir))],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _redirect(cache_dir: Path) -> str:
    # db/__init__ installs from db/__pycache__; the test points the installed code at its own file instead
    return (
        "from pathlib import Path\nfrom db import codecache\n"
        f"c0 = codecache.dataclass_code; c0.path = Path({str(cache_dir / codecache.DATACLASSES)!r}); "
        "c0.kept = codecache.read(c0.path); c0.used.clear(); c0.new.clear(); c0.served = 0"
    )


def test_a_process_saves_at_exit_and_the_next_takes_every_text_from_the_file(tmp_path: Path) -> None:
    first = run([], tmp_path)
    assert first["exec_is_ours"] and first["used"] > 50 and first["served"] == 0
    second = run([], tmp_path)
    assert second["served"] == second["used"] == first["used"] and second["new"] == 0


def test_nothing_is_written_when_python_is_told_not_to_write_bytecode(tmp_path: Path) -> None:
    assert run(["-B"], tmp_path)["served"] == 0
    assert not (tmp_path / codecache.DATACLASSES).exists()


def test_the_frozen_app_reads_the_shipped_folder_and_never_writes(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert codecache.cache_dir() == tmp_path / "resources" / "codecache"
    assert codecache.writable() is False


def test_the_build_writes_every_text_its_imports_made_and_says_what_is_wrong_in_chinese(
    tmp_path: Path,
) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from db import codecache; sys.exit(codecache.main(sys.argv[1:]))",
            str(tmp_path),
            "db",
            "exports",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    kept = codecache.read(tmp_path / codecache.DATACLASSES)
    assert len(kept) > 300 and "texts" in done.stdout
    assert all(type(code).__name__ == "code" for code in kept.values())
    bad = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from db import codecache; sys.exit(codecache.main(sys.argv[1:]))",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert bad.returncode == 2 and "用法" in bad.stderr and "Traceback" not in bad.stderr
