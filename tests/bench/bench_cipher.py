"""A password-protected ledger against the same ledger in plain SQLite (issue #21; target ≤ 1.2×): opening it
(integrity quick check, schema read; the key derivation, 256000 rounds of PBKDF2-HMAC-SHA512, once per session,
measured apart), the 工作台 start in a fresh process (painted, and findings and charts shown), and
`findings.check` with nothing kept — on the 10-year 60-member generated ledger. Medians of several runs."""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path
from typing import Any

PASSWORD = "bench-password-2026"
TAG = "10y/60 members"


def _encrypted_copy(plain: Path, target: Path) -> Path:
    from db import cipher

    src = cipher.connect(plain, None)
    try:
        cipher.export_to(src, target, cipher.Key(PASSWORD).new_salt_raw())
    finally:
        src.close()
    return target


def _alternating(fns: list[Any], n: int) -> list[float]:
    """Median seconds of each fn, run in turn n times: a machine whose load changes during the bench (it is shared)
    weighs on each the same, so the ratios hold even when the times do not."""
    for fn in fns:
        fn()  # warm: the file in the OS cache, modules imported
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(n):
        for i, fn in enumerate(fns):
            t0 = time.perf_counter()
            fn()
            times[i].append(time.perf_counter() - t0)
    return [statistics.median(t) for t in times]


def _opener(path: Path, password: Any) -> Any:
    from db.connection import open_ledger

    return lambda: open_ledger(path, snapshot_on_open=False, password=password).close()


def _checker(path: Path, password: Any) -> tuple[Any, Any]:
    from db import clock, findings
    from db.connection import open_ledger

    led = open_ledger(path, snapshot_on_open=False, password=password)
    today = clock.today()

    def cold() -> None:
        led._memo.clear()  # noqa: SLF001 - measure the computation, not what was kept
        findings.check(led, today)

    return cold, led


def _kdf_time() -> float:
    from db import cipher

    return _alternating([lambda: cipher.Key(PASSWORD).raw(os.urandom(cipher.SALT_SIZE))], 5)[0]


def _row(name: str, value: float, unit: str, note: str = "") -> dict[str, Any]:
    return {"name": name, "value": value, "unit": unit, "note": note}


def run(tmp: Path) -> list[dict[str, Any]]:
    from db import cipher
    from tests.bench.run import _median_run, make_big_ledger

    plain = make_big_ledger(tmp, 60, 10)
    enc = _encrypted_copy(plain, tmp / "big-encrypted.sqlite")
    key = cipher.Key(PASSWORD)
    key.for_file(enc)  # derived once: what the rest of a session costs
    rows: list[dict[str, Any]] = []

    kdf = _kdf_time()
    open_plain, open_enc, open_enc_keyed = _alternating(
        [_opener(plain, None), _opener(enc, PASSWORD), _opener(enc, key)], 7
    )
    rows += [
        _row(f"open, plain ({TAG})", open_plain * 1000, "ms", "quick_check + schema; no snapshot"),
        _row(f"open, encrypted ({TAG})", open_enc * 1000, "ms", f"incl. key derivation {kdf * 1000:.0f} ms"),
        _row(f"open encrypted / plain ({TAG})", open_enc / open_plain, "ratio", "target ≤ 1.2"),
        _row(
            f"open encrypted, key derived / plain ({TAG})",
            open_enc_keyed / open_plain,
            "ratio",
            "re-opening in the same session (unlock, switch back)",
        ),
        _row("key derivation (PBKDF2-HMAC-SHA512 × 256000)", kdf * 1000, "ms", "once per session, by design"),
    ]

    (check_p, led_p), (check_e, led_e) = _checker(plain, None), _checker(enc, key)
    try:
        check_plain, check_enc = _alternating([check_p, check_e], 7)
    finally:
        led_p.close()
        led_e.close()
    rows += [
        _row(f"findings.check, plain ({TAG})", check_plain * 1000, "ms", "nothing kept; median of 7"),
        _row(f"findings.check, encrypted ({TAG})", check_enc * 1000, "ms", "nothing kept; median of 7"),
        _row(f"findings.check encrypted / plain ({TAG})", check_enc / check_plain, "ratio", "target ≤ 1.2"),
    ]

    starts: dict[str, list[tuple[float, float]]] = {"plain": [], "enc": []}
    old = os.environ.get("LEDGER_PASSWORD")
    try:
        for _ in range(5):
            os.environ.pop("LEDGER_PASSWORD", None)
            run = _median_run("app", plain, 1)
            starts["plain"].append((run["painted"], run["complete"]))
            os.environ["LEDGER_PASSWORD"] = PASSWORD
            run = _median_run("app", enc, 1)
            starts["enc"].append((run["painted"], run["complete"]))
    finally:
        if old is None:
            os.environ.pop("LEDGER_PASSWORD", None)
        else:
            os.environ["LEDGER_PASSWORD"] = old
    p_paint = statistics.median(p for p, _ in starts["plain"])
    p_done = statistics.median(d for _, d in starts["plain"])
    e_paint = statistics.median(p for p, _ in starts["enc"])
    e_done = statistics.median(d for _, d in starts["enc"])
    rows += [
        _row(f"工作台 painted, encrypted ({TAG})", e_paint * 1000, "ms", f"plain {p_paint * 1000:.0f} ms"),
        _row(f"工作台 start encrypted / plain, painted ({TAG})", e_paint / p_paint, "ratio", "target ≤ 1.2"),
        _row(
            f"工作台 start encrypted / plain, findings shown ({TAG})",
            e_done / p_done,
            "ratio",
            f"plain {p_done * 1000:.0f} ms, encrypted {e_done * 1000:.0f} ms; target ≤ 1.2",
        ),
    ]
    return rows
