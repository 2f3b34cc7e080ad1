"""Writer-lock contention: several processes take and drop the ledger's lock as fast as they can, and each
holder checks that nobody else holds it (an O_EXCL marker file made while holding, removed before release).

`make bench` runs 4 processes × 60 s (LOCK_CONTENTION_SECONDS, LOCK_CONTENTION_WORKERS change it);
tests/db/test_lock_contention.py runs the same code for a few seconds. One process:
`python -m tests.bench.bench_lock worker <ledger> <seconds> <result.json>`.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent


def worker(ledger: Path, seconds: float, result: Path, remover: bool = False) -> None:
    """`remover`: let go with `release_and_remove` every time (what a read-only open does with a lock file it
    made), the worst case for the inode check every acquirer makes."""
    from db.filelock import FileLock

    marker = ledger.with_name(ledger.name + ".holder")
    holds = overlaps = refused = 0
    rng = random.Random(os.getpid())
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        lock = FileLock(ledger)
        if not lock.try_acquire():
            refused += 1
            continue
        try:
            holds += 1
            try:
                fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            except FileExistsError:
                overlaps += 1  # somebody else believes they hold the lock too
                continue
            os.close(fd)
            if rng.random() < 0.5:
                time.sleep(rng.random() / 1000)
            os.unlink(marker)
        finally:
            (lock.release_and_remove if remover else lock.release)()
    result.write_text(json.dumps({"holds": holds, "overlaps": overlaps, "refused": refused}))


def contend(folder: Path, workers: int, seconds: float, removers: int = 0) -> dict[str, int]:
    """Run `workers` processes for `seconds` on one ledger path (the first `removers` of them remove the lock
    file as they let go); total holds, overlaps and refusals."""
    ledger = folder / "contended.sqlite"
    ledger.write_bytes(b"")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = []
    results = [folder / f"worker-{i}.json" for i in range(workers)]
    for i, r in enumerate(results):
        mode = ["remover"] if i < removers else []
        procs.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "tests.bench.bench_lock",
                    "worker",
                    str(ledger),
                    str(seconds),
                    str(r),
                    *mode,
                ],
                cwd=ROOT,
                env=env,
            )
        )
    for p in procs:
        p.wait()
    total = {"holds": 0, "overlaps": 0, "refused": 0, "workers": workers, "failed_workers": 0}
    for p, r in zip(procs, results, strict=True):
        if p.returncode != 0 or not r.exists():
            total["failed_workers"] += 1
            continue
        for k, v in json.loads(r.read_text()).items():
            total[k] += v
    return total


def run(tmp: Path) -> list[dict[str, Any]]:
    workers = int(os.environ.get("LOCK_CONTENTION_WORKERS", "4"))
    seconds = float(os.environ.get("LOCK_CONTENTION_SECONDS", "60"))
    folder = tmp / "lock-contention"
    folder.mkdir(parents=True, exist_ok=True)
    t = contend(folder, workers, seconds)
    note = f"{workers} processes × {seconds:g} s; {t['refused']} refused tries"
    return [
        {"name": "writer lock: holds under contention", "value": t["holds"], "unit": "holds", "note": note},
        {"name": "writer lock: overlapping holds", "value": t["overlaps"], "unit": "overlaps", "note": note},
    ]


if __name__ == "__main__":
    if len(sys.argv) in (5, 6) and sys.argv[1] == "worker":
        worker(Path(sys.argv[2]), float(sys.argv[3]), Path(sys.argv[4]), remover=sys.argv[5:] == ["remover"])
    else:
        out = contend(Path(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]))
        print(json.dumps(out))
