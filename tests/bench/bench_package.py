"""Benchmark rows for issue 8: building the demo branch's hand-in package, and the liaison's summary over 300
generated packages (the issue wants < 10 s on this machine; measured, never asserted).

The 300 packages are real: one package of the demo branch is built, then copied 300 times with a different
branch name in each manifest (files unchanged, manifest checksum recomputed), so every copy is verified file by
file exactly as a real one would be.

The build and its floors both run with reportlab (fonts registered) and openpyxl already imported; what a
session's first package pays for those imports is in rows of their own ("xlsx first use" here, "PDF first use"
in bench_roster).
"""

from __future__ import annotations

import json
import pathlib
import shutil
import time
from typing import Any

N_PACKAGES = 300
N_DISTRICT = 1000
N_ZIPS = 30
ROUNDS = 3  # the package again and its floors, in turns: the best of each


def _fan_out(src: pathlib.Path, inbox: pathlib.Path, n: int, link: bool = False) -> None:
    import os

    from exports import package

    manifest = package.read_manifest(src)
    for i in range(n):
        dst = inbox / f"branch{i:04d}"
        shutil.copytree(
            src,
            dst,
            ignore=shutil.ignore_patterns(package.MANIFEST),
            copy_function=os.link if link else shutil.copy2,
        )
        m: dict[str, Any] = json.loads(json.dumps(manifest))
        m["branch"]["name"] = f"中共园区第{i + 1:03d}号企业支部委员会"
        m["summary"]["members"]["total"] = 10 + i % 40
        m["checksum"] = package.manifest_checksum(m)
        (dst / package.MANIFEST).write_text(json.dumps(m, ensure_ascii=False, indent=2), encoding="utf-8")


def _window_gap(inbox: pathlib.Path) -> tuple[float, float, int]:
    """(longest gap in ms between two ticks of a 5 ms timer on the GUI thread, seconds, packages counted) while
    the 联络员汇总 window checks `inbox` in its background thread, as the liaison runs it."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from desktop import liaison
    from tests.bench.gaps import longest_gap

    app = QApplication.instance() or QApplication([])
    w = liaison.LiaisonWindow()
    w.show()
    app.processEvents()
    gap, took = longest_gap(app, lambda: w.add_paths([inbox]), lambda: w.worker is not None)
    counted = len(w.result.counted)
    w.close()
    w.deleteLater()
    app.processEvents()
    return gap, took, counted


def aggregate_rows(tmp: pathlib.Path, folder: pathlib.Path, size_mb: float) -> list[dict[str, Any]]:
    """The liaison's rows (issue 16 target 6): 300 and 1,000 packages to xlsx, the GUI thread while the window
    checks 300, 30 encrypted zips."""
    from exports import aggregate, package
    from exports.inbox import workers

    inbox = tmp / "inbox"
    inbox.mkdir()
    _fan_out(folder, inbox, N_PACKAGES)
    t0 = time.perf_counter()
    result = aggregate.aggregate([inbox], tmp / "park.xlsx")
    agg_s = time.perf_counter() - t0
    counted = len(result.counted)
    gap_ms, window_s, window_counted = _window_gap(inbox)
    shutil.rmtree(inbox)
    # a district's thousand: the files hard-linked (4.6 GB of copies would not fit every machine), so they are
    # read from the page cache, as a second aggregate of the same inbox would
    big = tmp / "inbox-1000"
    big.mkdir()
    _fan_out(folder, big, N_DISTRICT, link=True)
    t0 = time.perf_counter()
    result_big = aggregate.collect([big])
    collect_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    aggregate.write(result_big, tmp / "district.xlsx")
    write_s = time.perf_counter() - t0
    big_s = collect_s + write_s
    shutil.rmtree(big)

    zips = tmp / "zips"
    zips.mkdir()
    first = package.zip_package(folder, zips / "z000.zip", password="bench-pw-2026")
    for i in range(1, N_ZIPS):
        shutil.copy(first, zips / f"z{i:03d}.zip")
    t0 = time.perf_counter()
    zres = aggregate.collect([zips], password="bench-pw-2026")
    zip_s = time.perf_counter() - t0
    assert len(zres.rows) == N_ZIPS and all(r.status in ("ok", "superseded") for r in zres.rows)
    return [
        {
            "name": f"aggregate: {N_PACKAGES} packages to xlsx",
            "value": round(agg_s, 2),
            "unit": "s",
            "note": f"{counted} counted, {N_PACKAGES * size_mb:.0f} MB hashed",
        },
        {
            "name": f"aggregate: {N_DISTRICT} packages to xlsx",
            "value": round(big_s, 2),
            "unit": "s",
            "note": f"issue target ≤ 5 s; {len(result_big.counted)} counted; files hard-linked, hashed from the "
            f"page cache ({N_DISTRICT * size_mb:.0f} MB); checking {collect_s:.2f} s in {workers()} worker processes, "
            f"the xlsx {write_s:.2f} s",
        },
        {
            "name": f"aggregate: {N_PACKAGES} packages in the 联络员汇总 window: longest GUI-thread gap",
            "value": gap_ms,
            "unit": "ms",
            "note": f"a 5 ms timer on the GUI thread while the window checks them in its background thread "
            f"({window_s:.2f} s, {window_counted} counted); target ≤ 100 ms",
        },
        {
            "name": f"aggregate: {N_ZIPS} AES-encrypted zips",
            "value": round(zip_s, 2),
            "unit": "s",
            "note": "WinZip AES derives a key (PBKDF2, 1000 rounds) per entry",
        },
    ]


def run(tmp: pathlib.Path) -> list[dict[str, Any]]:
    import exports.forms as forms
    import resources
    from db import interchange
    from db.connection import open_ledger
    from exports import package
    from exports.package import build as package_build
    from tests.bench.floors import first_use, form_floor, pdf_pages, report_floor, xlsx_floor

    led = open_ledger(tmp / "bench-package.sqlite", create=True)
    written: list[tuple[Any, str, pathlib.Path]] = []
    spent = {"pdf": 0.0, "xlsx": 0.0}  # seconds the build spent writing each format
    original = package_build._write_report

    def recording(report: Any, fmt: str, path: pathlib.Path) -> None:
        t0 = time.perf_counter()
        original(report, fmt, path)
        spent[fmt] = spent.get(fmt, 0.0) + time.perf_counter() - t0
        part = next(p for p in path.parents if p.name.endswith(".part"))  # renamed when the package is whole
        written.append((report, fmt, path.relative_to(part)))

    # the park forms it fills: each template, the filled file and the context kept, for the floor that fills
    # the same cells (or renders the same context) with the library alone
    templates: list[tuple[pathlib.Path, pathlib.Path, dict[str, Any]]] = []
    spent_forms = [0.0]
    copying = [0.0]  # the bench's own copies of the templates, taken off the build's time
    fill_context = forms.fill_context

    def filling(template: pathlib.Path, out: pathlib.Path, ctx: dict[str, Any], *args: Any) -> Any:
        t0 = time.perf_counter()
        keep = tmp / "form-templates" / f"{len(templates)}{template.suffix}"
        keep.parent.mkdir(exist_ok=True)
        shutil.copyfile(template, keep)
        copying[0] += time.perf_counter() - t0
        t0 = time.perf_counter()
        try:
            return fill_context(template, out, ctx, *args)
        finally:
            spent_forms[0] += time.perf_counter() - t0
            t1 = time.perf_counter()
            filled = keep.with_name(f"filled-{keep.name}")
            shutil.copyfile(out, filled)
            templates.append((keep, filled, ctx))
            copying[0] += time.perf_counter() - t1

    package_build._write_report = recording  # type: ignore[assignment]
    forms.fill_context = filling  # type: ignore[assignment]
    try:
        interchange.load_file(led, resources.demo_document())
        year = 2026
        # reportlab imported and the CJK fonts registered before the clock, as for the floors (a session's first
        # PDF pays it once: bench_roster's "PDF first use" row); openpyxl imported before it too, as it is when
        # the xlsx floors run after the build (a session's first workbook pays it once: the "xlsx first use"
        # row below, timed in a process of its own); python-docx and docxtpl, which the park forms fill with and
        # the forms' floor opens the templates with, likewise (the "park forms first use" row: until 2026-12-04
        # the forms were timed with this import inside and their floor without, which read 1.7–2.1×)
        import docx  # noqa: F401
        import docxtpl  # noqa: F401
        import openpyxl  # noqa: F401
        import reportlab.platypus  # noqa: F401

        from exports.pdf import register_fonts

        register_fonts()
        t0 = time.perf_counter()
        folder = package.build_package(led, year, tmp / "stick")
        build_s = time.perf_counter() - t0 - copying[0]
        package_build._write_report = original  # type: ignore[assignment]
        forms.fill_context = fill_context
        pages = {rel: pdf_pages(folder / rel) for _r, fmt, rel in written if fmt == "pdf"}
        floors = tmp / "floors"
        floors.mkdir()
        # The same package again in the same session (the app's export modules loaded, reportlab's font tables
        # warm, as the floors are) and the floors, taken in turns ROUNDS times and the best of each kept: on
        # this shared machine one build or one set of floors moved by a third between runs, and until
        # 2026-12-06 the floors ran once, after the builds, so a ratio read anywhere from 1.1 to 2.2.
        again_s = floor_s = pdf_floor_s = forms_floor_s = forms_open_save_s = float("inf")
        pdf_again_s = forms_again_s = float("inf")  # the PDFs' and the forms' share of a later package
        took: dict[str, float] = {}

        def timed_report(report: Any, fmt: str, path: pathlib.Path) -> None:
            t0 = time.perf_counter()
            original(report, fmt, path)
            took[fmt] = took.get(fmt, 0.0) + time.perf_counter() - t0

        def timed_form(*args: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return fill_context(*args)
            finally:
                took["form"] = took.get("form", 0.0) + time.perf_counter() - t0

        for k in range(ROUNDS):
            took.clear()
            package_build._write_report = timed_report  # type: ignore[assignment]
            forms.fill_context = timed_form  # type: ignore[assignment]
            t0 = time.perf_counter()
            package.build_package(led, year, tmp / f"stick-again-{k}")
            again_s = min(again_s, time.perf_counter() - t0)
            package_build._write_report = original  # type: ignore[assignment]
            forms.fill_context = fill_context
            pdf_again_s = min(pdf_again_s, took.get("pdf", 0.0))
            forms_again_s = min(forms_again_s, took.get("form", 0.0))
            shutil.rmtree(tmp / f"stick-again-{k}")
            xlsx_s = pdf_s = 0.0
            for i, (report, fmt, rel) in enumerate(written):
                out = floors / f"{i}.{fmt}"
                if fmt == "xlsx":
                    xlsx_s += xlsx_floor(report, out)
                else:
                    pdf_s += report_floor(report, out, pages[rel])
            form_s = sum(
                form_floor(t, floors / f"form-{i}{t.suffix}", filled, ctx)
                for i, (t, filled, ctx) in enumerate(templates)
            )
            # the former floor of the forms (their templates opened and saved, nothing put in), for comparison
            open_save_s = sum(
                form_floor(t, floors / f"open-{i}{t.suffix}") for i, (t, _f, _c) in enumerate(templates)
            )
            floor_s = min(floor_s, xlsx_s + pdf_s + form_s)
            pdf_floor_s = min(pdf_floor_s, pdf_s)
            forms_floor_s = min(forms_floor_s, form_s)
            forms_open_save_s = min(forms_open_save_s, open_save_s)
    finally:
        package_build._write_report = original  # type: ignore[assignment]
        forms.fill_context = fill_context
        led.close()
    n_pdf = sum(1 for _r, fmt, _p in written if fmt == "pdf")
    files = package.read_manifest(folder)["files"]
    size_mb = sum(int(f["size"]) for f in files) / 1024 / 1024

    openpyxl_s = first_use("import openpyxl")
    docx_s = first_use("import docx\nimport docxtpl")

    t0 = time.perf_counter()
    assert package.verify_package(folder).ok
    verify_ms = (time.perf_counter() - t0) * 1000

    return [
        {
            "name": "package: build demo branch (masked)",
            "value": round(build_s, 2),
            "unit": "s",
            "note": f"{len(files)} files, {size_mb:.1f} MB",
        },
        {
            "name": "package: build demo branch: floor",
            "value": round(floor_s, 2),
            "unit": "s",
            "note": f"raw openpyxl / raw reportlab writing the same content of its {len(written)} reports (a report "
            f"with text or pictures drawn as the record group's floor draws it), and openpyxl putting the same cells "
            f"into / docxtpl rendering the same context in the templates of its {len(templates)} park forms "
            f"({forms_floor_s:.2f} s)",
        },
        {
            "name": "package: build demo branch / floor",
            "value": build_s / floor_s if floor_s else float("nan"),
            "unit": "ratio",
            "note": "target ≤ 1.5 (the package also writes data.json, checks and hashes every file)",
            "floor": "package: build demo branch: floor",
        },
        {
            "name": "package: build demo branch again in the session",
            "value": round(again_s, 2),
            "unit": "s",
            "note": f"best of {ROUNDS} later packages of the session: the first pays for loading the app's exporters",
        },
        {
            "name": "package: build demo branch again / floor",
            "value": again_s / floor_s if floor_s else float("nan"),
            "unit": "ratio",
            "note": f"target ≤ 1.5; best of {ROUNDS}, each beside the floors (best of {ROUNDS})",
            "floor": "package: build demo branch: floor",
        },
        {
            "name": "xlsx first use in a session: import openpyxl",
            "value": openpyxl_s,
            "unit": "s",
            "note": "paid by the first xlsx export or package of a session only; before the package's clock, "
            "as for its floors (median of 3 fresh processes)",
        },
        {
            "name": "park forms first use in a session: import python-docx, docxtpl",
            "value": docx_s,
            "unit": "s",
            "note": "paid by the first park form filled in a session only; before the package's clock, as for "
            "the forms' floors (median of 3 fresh processes)",
        },
        {
            "name": "package: its PDFs / their floors",
            "value": pdf_again_s / pdf_floor_s if pdf_floor_s else float("nan"),
            "unit": "ratio",
            "note": f"{n_pdf} PDFs written in {pdf_again_s:.2f} s (best of {ROUNDS} later packages; the session's "
            f"first package {spent['pdf']:.2f} s), raw reportlab {pdf_floor_s:.2f} s",
        },
        {
            "name": "package: its park forms / their floors",
            "value": forms_again_s / forms_floor_s if forms_floor_s else float("nan"),
            "unit": "ratio",
            "note": f"{len(templates)} forms filled in {forms_again_s:.2f} s (best of {ROUNDS} later packages; the "
            f"session's first package {spent_forms[0]:.2f} s); the library alone filling the same cells (openpyxl) "
            f"or rendering the same context (docxtpl) {forms_floor_s:.2f} s; the templates only opened and saved "
            f"(the floor until 2026-12-06) {forms_open_save_s:.2f} s",
        },
        {
            "name": "package: verify-package demo branch",
            "value": round(verify_ms, 1),
            "unit": "ms",
            "note": f"re-hash {len(files)} files",
        },
    ] + aggregate_rows(tmp, folder, size_mb)


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        for row in run(pathlib.Path(d)):
            print(row)
