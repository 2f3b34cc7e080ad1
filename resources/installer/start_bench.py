"""Start-up time of the app, installed under Wine, beside the Linux bundle and the source run (issue #16, target 7).

Run by smoke-windows.sh (step 1b, right after the silent install) with wine-env.sh's environment:

    start_bench.py OUT.json INSTALLED_EXE_W LEDGER_EXE_W WORKDIR

Every start is `BranchLedger --bench-start RESULT --db LEDGER` (desktop/benchstart.py) on a copy of the demo
branch: the app opens the ledger as a secretary's double-click does (Qt offscreen, from the prefix's registry)
and writes the time since its process was created until the 工作台 is painted and interactive, plus its stages.
Here we add the wall time of the whole command (for Wine: Wine's own start, the wineserver, the exit).

Targets (each on its own copy of the ledger):
    wine-installed  the installed BranchLedger.exe under Wine
    wine-source     `python -m desktop.app` with the Windows Python the bundle was built from, under Wine
    linux-bundle    dist/BranchLedger/BranchLedger from `make dist`, when it is there (else skipped, said so)
    linux-source    `.venv/bin/python -m desktop.app`
    floor           `wine cmd /c exit`: Wine's own start, the floor of the Wine rows

Temperatures:
    first  the first start after the installer wrote the files (also the one that takes the open-time snapshot)
    warm   the next RUNS starts, median
    cold   RUNS starts each (not for wine-source) after `sync; echo 3 > /proc/sys/vm/drop_caches` (the page cache of the whole machine),
           when this container allows it (it needs root and a writable /proc/sys); otherwise not measured, and
           the JSON says why. The host of a VM may still cache the disk: "cold" is cold for this kernel only.
Before every start the wineserver has exited (wineserver -w), so each Wine start pays for it, as the floor does.

Prints one line per row and writes OUT.json: {"when", "machine", "loadavg_before", "loadavg_after", "cold",
"rows": [{"name", "value", "unit", "note", "floor"}], "runs": [every start's figures]}.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
RUNS = int(os.environ.get("START_RUNS", "3"))
STAGES = ["to_main_ms", "qapp_ms", "opened_ms", "window_ms", "painted_ms", "complete_ms", "settled_ms"]
CACHE = Path(os.environ.get("BRANCH_LEDGER_WIN_CACHE", "."))
# wine-env.sh's WINE_LOCALE: Simplified Chinese Windows
WINE_ENV = {"LOCPATH": str(CACHE / "locale"), "LANG": "zh_CN.UTF-8", "LC_ALL": "zh_CN.UTF-8"}


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def wpath(p: Path) -> str:
    out = subprocess.run(
        ["winepath", "-w", str(p)], capture_output=True, text=True, env={**os.environ, **WINE_ENV}
    )
    return out.stdout.strip()


def wineserver_wait() -> None:
    subprocess.run(["wineserver", "-w"], env={**os.environ, **WINE_ENV}, check=False)


def drop_caches() -> str | None:
    """Empty the kernel's page cache; None when done, else why not."""
    try:
        os.sync()
        with open("/proc/sys/vm/drop_caches", "w") as fh:
            fh.write("3\n")
        return None
    except OSError as e:
        return f"{type(e).__name__}: {e.strerror or e}"


class Target:
    def __init__(self, name: str, label: str, command: list[str], env: dict[str, str], wine: bool) -> None:
        self.name, self.label, self.command, self.env, self.wine = name, label, command, env, wine
        self.runs: list[dict[str, Any]] = []

    def start(self, temperature: str, workdir: Path) -> dict[str, Any]:
        n = sum(1 for r in self.runs if r["temperature"] == temperature)
        result = workdir / self.name / f"{temperature}-{n}.json"
        result.unlink(missing_ok=True)
        args = ["--bench-start", self.path(result), "--db", self.path(workdir / self.name / "ledger.sqlite")]
        if self.name == "floor":
            args = []
        if self.wine:
            wineserver_wait()
        # The wall time ends when the program's process exits, not when its output pipe closes: the wineserver
        # and Wine's services inherit that pipe and keep it open for a few seconds after.
        chunks: list[bytes] = []
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            self.command + args,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,  # Windows programs under Wine need a pipe, never a file
            stderr=subprocess.STDOUT,
            env=self.env,
            cwd=REPO,
        )
        reader = threading.Thread(target=lambda: chunks.append(proc.stdout.read() if proc.stdout else b""))
        reader.start()
        try:
            code = proc.wait(timeout=600)
        except subprocess.TimeoutExpired:
            proc.kill()
            code = proc.wait()
        wall = (time.perf_counter() - t0) * 1000
        if self.wine:
            wineserver_wait()
        reader.join(timeout=60)
        output = b"".join(chunks).decode("utf-8", "replace")
        run: dict[str, Any] = {"target": self.name, "temperature": temperature, "wall_ms": round(wall, 1)}
        if self.name != "floor":
            if not result.exists():
                raise RuntimeError(f"{self.label}: no result (exit {code}): {output[-1500:]}")
            figures = json.loads(result.read_text(encoding="utf-8"))
            if "error" in figures or code != 0:
                raise RuntimeError(f"{self.label}: {figures.get('error')} (exit {code}): {output[-800:]}")
            run.update(figures)
        self.runs.append(run)
        return run

    def path(self, p: Path) -> str:
        return wpath(p) if self.wine else str(p)


def targets(installed_exe: str, hostpy: str) -> tuple[list[Target], list[str]]:
    base = dict(os.environ)
    wine = {**base, **WINE_ENV}
    # the source runs read (and, the first time, write) compiled .pyc files, as an installed Python does
    source = {k: v for k, v in base.items() if k != "PYTHONDONTWRITEBYTECODE"}
    skipped = []
    out = [
        Target("floor", "wine cmd /c exit", ["wine", "cmd", "/c", "exit"], wine, True),
        Target(
            "wine-installed", "installed BranchLedger.exe under Wine", ["wine", installed_exe], wine, True
        ),
    ]
    winpy = CACHE / "prefix" / "drive_c" / "python" / "python.exe"
    if winpy.exists():
        env = {k: v for k, v in wine.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env.update(PYTHONPATH=wpath(REPO), PYTHONPYCACHEPREFIX="C:\\branch-ledger-pycache")
        out.append(
            Target(
                "wine-source",
                "python -m desktop.app under Wine (the build's Windows Python)",
                ["wine", "C:\\python\\python.exe", "-m", "desktop.app"],
                env,
                True,
            )
        )
    else:
        skipped.append("wine-source: no Windows Python in the prefix")
    bundle = REPO / "dist" / "BranchLedger" / "BranchLedger"
    linux = {**source, "QT_QPA_PLATFORM": "offscreen"}
    linux_frozen = {**base, "QT_QPA_PLATFORM": "offscreen"}
    if bundle.exists():
        out.append(Target("linux-bundle", "Linux bundle (make dist)", [str(bundle)], linux_frozen, False))
    else:
        skipped.append(f"linux-bundle: {bundle.relative_to(REPO)} is missing (make dist)")
    linux["PYTHONPATH"] = str(REPO)
    out.append(
        Target(
            "linux-source",
            "python -m desktop.app on Linux (.venv)",
            [hostpy, "-m", "desktop.app"],
            linux,
            False,
        )
    )
    return out, skipped


def median(runs: list[dict[str, Any]], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def rows_for(t: Target, temperature: str, floor_name: str | None) -> list[dict[str, Any]]:
    runs = [r for r in t.runs if r["temperature"] == temperature]
    if not runs:
        return []
    how = "the first start after install" if temperature == "first" else f"median of {len(runs)}"
    if t.name == "floor":
        return [
            {
                "name": f"start {temperature}: {t.label}",
                "value": median(runs, "wall_ms"),
                "unit": "ms",
                "note": f"{how}; Wine's own start and exit",
            }
        ]
    stages = ", ".join(f"{k.removesuffix('_ms')} {median(runs, k):.0f}" for k in STAGES)
    rss = median(runs, "peak_rss_mb") if all("peak_rss_mb" in r for r in runs) else None
    row_floor = {"floor": floor_name} if floor_name else {}
    return [
        {
            "name": f"start {temperature}: {t.label}, 工作台 painted",
            "value": median(runs, "painted_ms"),
            "unit": "ms",
            "note": f"{how}; since the process was created; {stages} ms"
            + (f"; peak RSS {rss:.0f} MB" if rss else ""),
            **row_floor,
        },
        {
            "name": f"start {temperature}: {t.label}, wall",
            "value": median(runs, "wall_ms"),
            "unit": "ms",
            "note": f"{how}; the whole command until it exited",
            **row_floor,
        },
    ]


def main(argv: list[str]) -> int:
    out_json, installed_exe, ledger_exe, workdir_s = argv[1:5]
    workdir = Path(workdir_s)
    hostpy = os.environ.get("HOSTPY", sys.executable)
    before = loadavg()
    shutil.rmtree(workdir, ignore_errors=True)
    (workdir / "demo").mkdir(parents=True)
    # the demo branch, loaded by the installed ledger.exe
    demo = wpath(workdir / "demo")
    made = subprocess.run(
        [
            "wine",
            ledger_exe,
            "--data-dir",
            demo,
            "load",
            installed_exe.rsplit("\\", 1)[0] + "\\_internal\\resources\\demo\\demo_branch.json",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, **WINE_ENV},
        check=False,
    )
    ledger = workdir / "demo" / "ledger.sqlite"
    if made.returncode != 0 or not ledger.exists():
        print(
            f"start: ledger.exe load of the demo branch failed: {made.stdout.decode('utf-8', 'replace')[-800:]}"
        )
        return 1
    all_targets, skipped = targets(installed_exe, hostpy)
    for t in all_targets:
        (workdir / t.name).mkdir()
        if t.name != "floor":
            shutil.copyfile(ledger, workdir / t.name / "ledger.sqlite")
    try:
        for t in all_targets:  # first start, then the warm ones, each target in a row
            t.start("first", workdir)
            for _ in range(RUNS):
                t.start("warm", workdir)
        why_not = drop_caches()
        if why_not is None:
            for _ in range(RUNS):
                for t in all_targets:
                    if t.name == "wine-source":
                        continue  # the slowest start, and not a user's: warm only
                    if t.wine:
                        wineserver_wait()
                    why_not = drop_caches()
                    if why_not is not None:
                        break
                    t.start("cold", workdir)
        cold = (
            "after sync; echo 3 > /proc/sys/vm/drop_caches" if why_not is None else f"not measured: {why_not}"
        )
    finally:
        wineserver_wait()
    rows: list[dict[str, Any]] = []
    floor = {
        "warm": "start warm: wine cmd /c exit",
        "cold": "start cold: wine cmd /c exit",
        "first": "start warm: wine cmd /c exit",
    }
    for temperature in ("first", "warm", "cold"):
        for t in all_targets:
            if t.name == "floor" and temperature == "first":
                continue
            fl = floor[temperature] if t.wine and t.name != "floor" else None
            if t.name == "linux-bundle":
                fl = f"start {temperature}: {by_name(all_targets, 'linux-source').label}, 工作台 painted"
            rows += rows_for(t, temperature, fl)
    rows += ratio_rows(all_targets)
    doc = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": platform.platform(),
        "cpus": os.cpu_count(),
        "loadavg_before": before,
        "loadavg_after": loadavg(),
        "cold": cold,
        "skipped": skipped,
        "rows": rows,
        "runs": [r for t in all_targets for r in t.runs],
    }
    Path(out_json).write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    for r in rows:
        value = f"{r['value']:.2f}" if r["unit"] == "ratio" else f"{r['value']:.0f}"
        print(f"start {r['name'].removeprefix('start ')}: {value} {r['unit']} ({r['note']})")
    print(
        f"start: cold = {cold}; load average {before} before, {doc['loadavg_after']} after"
        + (f"; skipped: {'; '.join(skipped)}" if skipped else "")
    )
    return 0


def by_name(all_targets: list[Target], name: str) -> Target:
    return next(t for t in all_targets if t.name == name)


def ratio_rows(all_targets: list[Target]) -> list[dict[str, Any]]:
    names = {t.name for t in all_targets}
    pairs = [("wine-installed", "floor", "wall", "the installed app's whole start / Wine's own start")]
    pairs.append(("wine-installed", "wine-source", "painted_ms", "frozen / python -m, both under Wine"))
    pairs.append(("linux-bundle", "linux-source", "painted_ms", "frozen / python -m, both on Linux"))
    rows = []
    for a, b, key, what in pairs:
        if a not in names or b not in names:
            continue
        ta, tb = by_name(all_targets, a), by_name(all_targets, b)
        for temperature in ("warm", "cold"):
            ra = [r for r in ta.runs if r["temperature"] == temperature]
            rb = [r for r in tb.runs if r["temperature"] == temperature]
            if not ra or not rb:
                continue
            k = "wall_ms" if key == "wall" else key
            rows.append(
                {
                    "name": f"start {temperature}: {ta.label} / {tb.label}",
                    "value": median(ra, k) / median(rb, k),
                    "unit": "ratio",
                    "note": f"{what}; {k.removesuffix('_ms')}, medians",
                }
            )
    return rows


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
