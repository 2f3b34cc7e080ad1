"""One writer means one writer: 4 processes fight over the ledger's lock; no two ever hold it at once.
(4 × 3 s here; `make bench` runs 4 × 60 s.)"""

from __future__ import annotations

from pathlib import Path

from tests.bench.bench_lock import contend


def test_four_processes_never_hold_the_lock_at_once(tmp_path: Path) -> None:
    result = contend(tmp_path, workers=4, seconds=3)
    assert result["failed_workers"] == 0
    assert result["holds"] > 100  # real contention happened
    assert result["overlaps"] == 0, result
    # the lock file stays (never deleted on release), and nobody is named as holder once all have let go
    lock = tmp_path / "contended.sqlite.lock"
    assert lock.exists() and lock.read_bytes() == b""


def test_a_reader_removing_the_lock_file_it_made_never_lets_two_in(tmp_path: Path) -> None:
    """Read-only opens remove a lock file they made (to leave the folder as it was) while holding it; every
    acquirer checks that the file it locked is still under the name. Worst case: two of four remove it on
    every release."""
    result = contend(tmp_path, workers=4, seconds=3, removers=2)
    assert result["failed_workers"] == 0
    assert result["holds"] > 100
    assert result["overlaps"] == 0, result
