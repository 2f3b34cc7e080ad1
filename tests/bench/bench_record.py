"""Benchmark rows for issue 16 target 4: the single 会议记录 PDF of the demo branch's latest meetings beside a raw
reportlab floor drawing the same strings and pictures on as many pages (tests/bench/floors.py page_floor).
Measured, never asserted."""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Any

N_RECORDS = 20  # the latest meetings with a record to print
REPEAT = 3  # each record's time is the best of this many exports (a GC pause is not the renderer's)


def run(tmp: Path) -> list[dict[str, Any]]:
    import resources
    from db import interchange
    from db.connection import open_ledger
    from exports import registry
    from exports.pdf import register_fonts
    from exports.registry import Params
    from tests.bench.floors import page_floor, pdf_pages

    led = open_ledger(tmp / "bench-record.sqlite", create=True)
    try:
        interchange.load_file(led, resources.demo_document())
        template = registry.get("meeting-record")
        assert template.choices is not None
        ids = [mid for mid, _label in template.choices(led)[:N_RECORDS]]
        import reportlab.platypus  # noqa: F401 - a session's first PDF pays this once (bench_roster's row)

        register_fonts()
        took: list[float] = []
        floors: list[float] = []
        pages = 0
        for mid in ids:
            params = Params(meeting_id=mid)
            out = tmp / f"record-{mid}.pdf"
            best = float("inf")
            for _ in range(REPEAT):
                t0 = time.perf_counter()
                registry.export(led, "meeting-record", params, "pdf", out)
                best = min(best, time.perf_counter() - t0)
            took.append(best)
            n = pdf_pages(out)
            pages += n
            report = template.build(led, params)
            floors.append(min(page_floor(report, tmp / f"floor-{mid}.pdf", n) for _ in range(REPEAT)))
    finally:
        led.close()
    med, floor_med = statistics.median(took), statistics.median(floors)
    return [
        {
            "name": f"record: 会议记录 PDF, median of the latest {len(ids)}",
            "value": med * 1000,
            "unit": "ms",
            "note": f"best of {REPEAT} each; {pages} pages in all; slowest {max(took) * 1000:.1f} ms",
        },
        {
            "name": "record: 会议记录 PDF: floor",
            "value": floor_med * 1000,
            "unit": "ms",
            "note": "raw reportlab drawing the same strings and pictures on as many pages",
        },
        {
            "name": "record: 会议记录 PDF / floor",
            "value": sum(took) / sum(floors),
            "unit": "ratio",
            "note": f"all {len(ids)} records together; target ≤ 1.5",
            "floor": "record: 会议记录 PDF: floor",
        },
    ]
