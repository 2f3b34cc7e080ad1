"""The 工作台's figures, findings and year charts, computed in a second process while the app starts.

The 工作台 is painted first and filled after (desktop/sections/dashboard_fill.py): a thread computes the
branch's figures, every area's findings and the year's charts, 190-230 ms on a ten-year, 60-member ledger, much
of it the first import of each area's modules. A thread shares Python's lock with the GUI thread, so that work
cannot begin before the paint without delaying it. A process has its own interpreter and runs on a core of its
own: started as soon as the app knows which plain ledger it will open (db/early_open.py, before Qt is imported),
it computes while the window is built, and the 工作台 shows its findings with, or just after, its first paint.
It runs below the app's priority, so where the cores are busy the window's start comes first.

What it computes counts only if it is what the app would have computed itself:
- it reads the file under the writer's lock `begin_open` took before starting it, in one read transaction;
- it is used only while the app's own connection has changed nothing since it opened the file
  (`Ledger.take_early_fill`), for the same as-of date, and with the schema it read (a migration at open, even
  one without rows, changes `PRAGMA schema_version`);
- the fill's thread does not wait for it: it computes as before and, between one part and the next, looks
  whether the process has answered; from then on it shows what the process computed (what it has shown already
  was the same) and computes the rest only for the views it keeps for later refreshes (Ledger.adopt_memo). A
  process that fails, sends something that does not count or is slower than the thread changes nothing (it is
  stopped when the thread is done), so the 工作台 is never filled later than without it.

It is not started where a second process cannot gain: fewer than three cores, or three with a ledger over
SMALL_FILE_MB (its quick check, in a thread of the app, already keeps a second core busy: measured on two
cores, a 20-year, 500-member ledger's first paint came 80-110 ms later with the process and its findings were
shown no sooner counted from the start). On two cores even a 60-member ledger no longer gains: once the app's
own fill had become quicker (kept dataclass code, db/codecache.py), the process made the paint 35-45 ms later
and the findings at most 15 ms sooner counted from the start (six alternated runs of five starts each,
2026-12-06; it had been ~35 ms later and ~90 ms sooner). Three cores keep the rule of two before (unmeasured).

The child is this program again (`python -m db.early_fill`, or the frozen app with `--early-fill`): it prints
a pickle of its result on its standard output, which only the app that started it reads.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
import threading
import weakref
from pathlib import Path
from typing import Any

SMALL_FILE_MB = 40.0  # with three cores, only ledgers up to this size get the process
FORMAT = 1  # what `compute` returns: bumped if its shape changes
NICE = 10  # the child's nice value above the app's own, where there are nice values (POSIX)


def wanted(path: Path, cores: int | None = None) -> bool:
    """Whether a second process can gain for this ledger on this machine (see the module docstring)."""
    cores = os.cpu_count() if cores is None else cores
    if not cores or cores < 3:
        return False
    if cores >= 4:
        return True
    try:
        return path.stat().st_size <= SMALL_FILE_MB * 1e6
    except OSError:
        return False


def compute(path: Path, on: dt.date) -> dict[str, Any]:
    """What the 工作台's fill shows, read from the plain ledger at `path` in one read transaction, through the
    same recipe as the app's own fill (`db.glance.parts`): the figures, the findings and the year's charts."""
    from db.cipher import read_only_uri, row_type
    from db.glance import parts
    from db.ledger import Ledger
    from db.ledger_file import _connect

    conn = _connect(read_only_uri(path), None, uri=True, isolation_level=None)
    try:
        conn.row_factory = row_type(conn)
        conn.execute("PRAGMA query_only=ON")
        conn.execute("BEGIN")  # one snapshot of the file for every read below
        ledger = Ledger(path, conn, None, None, None)
        schema = int(conn.execute("PRAGMA schema_version").fetchone()[0])
        shown: dict[str, Any] = {}
        for kind, part in parts(ledger, on):
            value = part()
            if kind != "area":
                shown[kind] = value
        conn.execute("COMMIT")
    finally:
        conn.close()
    return {"format": FORMAT, "path": str(path), "on": on.isoformat(), "schema": schema, **shown}


def command(path: Path, on: dt.date) -> list[str]:
    """How the app starts the child: the frozen app runs itself with a hidden flag (desktop/app.py)."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "--early-fill", str(path), on.isoformat()]
    return [sys.executable, "-m", "db.early_fill", str(path), on.isoformat()]


def child_main(args: list[str]) -> int:
    """In the child: compute for `args` = [path, YYYY-MM-DD] and write the pickle to file descriptor 1 (a
    windowed Windows exe has no sys.stdout, but the pipe its parent handed it is its descriptor 1)."""
    import pickle

    try:
        path, on = Path(args[0]), dt.date.fromisoformat(args[1])
        data = pickle.dumps(compute(path, on), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 - the app computes it itself; nothing to show from here
        return 1
    view = memoryview(data)
    try:
        while view:
            view = view[os.write(1, view) :]
    except OSError:  # the app stopped reading: it went on without us
        return 1
    return 0


def _stop(proc: Any) -> None:
    if proc.poll() is None:
        with contextlib.suppress(OSError):
            proc.kill()
    with contextlib.suppress(Exception):
        proc.wait(timeout=2)
    if proc.stdout is not None:
        with contextlib.suppress(OSError):
            proc.stdout.close()


class EarlyFill:
    """The child computing the 工作台's first fill for `path` as of `on`. Read its result once with `result`;
    `discard` stops it. A child nobody reads or discards is stopped when this object goes."""

    def __init__(self, path: Path, on: dt.date, proc: Any) -> None:
        self.path = path
        self.on = on
        self._proc = proc
        self._stopper = weakref.finalize(self, _stop, proc)
        self._data: bytes | None = None
        # read as it comes, so a child with more to say than a pipe holds is never left waiting on us
        self._reader = threading.Thread(target=self._read, name="early-fill-read", daemon=True)
        self._reader.start()

    @classmethod
    def start(cls, path: Path, on: dt.date, *, anywhere: bool = False) -> EarlyFill | None:
        """Start the child, or None where it would not gain (`wanted`; `anywhere`: start it all the same, as the
        self-test does) or could not start."""
        path = Path(path).absolute()
        if not anywhere and not wanted(path):
            return None
        import subprocess

        try:
            proc = subprocess.Popen(
                command(path, on),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                # below the app's own priority: where the cores are fewer than the busy threads, the window's
                # start comes first (Windows: at creation; elsewhere just after, as a nice value of 10)
                creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0)
                | getattr(subprocess, "BELOW_NORMAL_PRIORITY_CLASS", 0),
            )
        except (OSError, ValueError):
            return None
        if hasattr(os, "setpriority"):
            with contextlib.suppress(OSError):
                os.setpriority(os.PRIO_PROCESS, proc.pid, min(19, os.getpriority(os.PRIO_PROCESS, 0) + NICE))
        return cls(path, on, proc)

    def _read(self) -> None:
        with contextlib.suppress(Exception):
            self._data = self._proc.stdout.read()

    def ready(self) -> bool:
        """Whether the child has said all it will (its result is in, or it ended without one)."""
        return not self._reader.is_alive()

    def result(self, on: dt.date, schema: int, timeout: float = 0.0) -> dict[str, Any] | None:
        """The child's result if it counts for a fill as of `on` on a file of `schema` (`PRAGMA
        schema_version`), waiting up to `timeout` for it; None otherwise. The child is gone afterwards."""
        try:
            self._reader.join(timeout)
            if self._reader.is_alive() or self._proc.poll() not in (None, 0) or not self._data:
                return None
            import pickle  # here, not before the window's first paint

            got = pickle.loads(self._data)  # noqa: S301 - our own child, through a pipe only we hold
        except Exception:  # noqa: BLE001 - computed in the fill's thread instead
            return None
        finally:
            self.discard()
        ok = (
            isinstance(got, dict)
            and got.get("format") == FORMAT
            and got.get("path") == str(self.path)
            and got.get("on") == on.isoformat()
            and got.get("schema") == schema
        )
        return got if ok else None

    def discard(self) -> None:
        """Stop the child (if it still runs) and let go of its pipe."""
        self._stopper()


if __name__ == "__main__":
    raise SystemExit(child_main(sys.argv[1:]))
