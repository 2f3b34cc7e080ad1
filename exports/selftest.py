"""`--self-test`: prove a build is whole. Import every module, find the font, make a temporary ledger, run the
migrations, write one xlsx and one pdf, and print a one-line verdict. Used by CI on the frozen bundle."""

from __future__ import annotations

import importlib
import pkgutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _import_all(packages: list[str]) -> int:
    n = 0
    for pkg_name in packages:
        pkg = importlib.import_module(pkg_name)
        n += 1
        for info in pkgutil.walk_packages(pkg.__path__, prefix=pkg_name + "."):
            if info.name.endswith("__main__"):
                continue
            importlib.import_module(info.name)
            n += 1
    return n


def _forms_check(ledger: Any, workdir: Path, params: Any) -> int:
    """The park's forms in the bundle: jinja2's sandbox, openpyxl and docxtpl (with python-docx's own files)."""
    import docx
    from openpyxl import Workbook, load_workbook

    from exports import forms

    wb = Workbook()
    wb.active["A1"] = "{{ 支部.名称 }}"
    wb.active["A2"] = "{{ 党员.姓名 }}"
    wb.save(workdir / "form.xlsx")
    forms.fill(ledger, workdir / "form.xlsx", workdir / "form-filled.xlsx", params)
    ws = load_workbook(workdir / "form-filled.xlsx").active
    d = docx.Document()
    d.add_paragraph("{{ 支部.名称 }}")
    d.save(str(workdir / "form.docx"))
    forms.fill(ledger, workdir / "form.docx", workdir / "form-filled.docx", params)
    text = docx.Document(str(workdir / "form-filled.docx")).paragraphs[0].text
    if ws["A1"].value != "自检支部" or ws["A2"].value != "自检党员" or text != "自检支部":
        raise RuntimeError("form templates were not filled")
    return 3


def headless_checks(workdir: Path) -> dict[str, object]:
    import resources
    from db import branch, members
    from db.connection import open_ledger
    from db.migrations import LATEST
    from exports import registry
    from exports.pdf_fonts import register_fonts

    register_fonts()
    ledger = open_ledger(workdir / "selftest.sqlite", create=True)
    try:
        branch.save_branch(ledger, branch.Branch(name="自检支部"))
        members.add(ledger, members.Member(name="自检党员", id_number="11010519491231002X"))
        params = registry.Params(year=2026)
        xlsx = registry.export(ledger, "roster", params, "xlsx", workdir / "selftest.xlsx")
        pdf = registry.export(ledger, "roster", params, "pdf", workdir / "selftest.pdf")
        form_cells = _forms_check(ledger, workdir, params)
        version = ledger.schema_version
    finally:
        ledger.close()
    if version != LATEST:
        raise RuntimeError(f"schema version {version} != {LATEST}")
    cipher_info = encrypted_check(workdir)
    inbox_info = inbox_check(workdir)
    if pdf.read_bytes()[:5] != b"%PDF-" or xlsx.read_bytes()[:2] != b"PK":
        raise RuntimeError("export files are not valid")
    if not resources.demo_document().exists():
        raise RuntimeError("demo branch missing")
    return {
        "schema": version,
        "pdf_bytes": pdf.stat().st_size,
        "xlsx_bytes": xlsx.stat().st_size,
        "form_cells": form_cells,
        **cipher_info,
        **inbox_info,
    }


def inbox_check(workdir: Path) -> dict[str, object]:
    """The liaison's inbox verifies many packages in worker processes spawned from this very exe (the entry
    scripts call multiprocessing.freeze_support() first): one worker starts and verifies a small package."""
    import hashlib
    import json
    import os

    from exports import inbox
    from exports.package.manifest import FORMAT, MANIFEST, VERSION, manifest_checksum

    folder = workdir / "selftest-package"
    folder.mkdir()
    body = "自检".encode()
    (folder / "a.txt").write_bytes(body)
    m: dict[str, object] = {
        "format": FORMAT,
        "version": VERSION,
        "files": [{"path": "a.txt", "size": len(body), "sha256": hashlib.sha256(body).hexdigest()}],
    }
    m["checksum"] = manifest_checksum(m)
    (folder / MANIFEST).write_text(json.dumps(m, ensure_ascii=False), encoding="utf-8")
    procs = inbox._process_pool(1)
    if procs is None:
        raise RuntimeError("no worker process can be started")
    with procs:
        pid = procs.submit(os.getpid).result(timeout=120)
        (res,) = procs.submit(inbox._verify_chunk, [(folder, None)]).result(timeout=120)
    if pid == os.getpid() or not res.ok:
        raise RuntimeError(f"the inbox's worker process did not verify a package: {res.describe()}")
    return {"inbox_worker": "ok"}


def encrypted_check(workdir: Path) -> dict[str, object]:
    """A password-protected ledger (issue #21): SQLCipher is in the bundle, the file holds no plain text, the
    password opens it, a wrong one is refused, a snapshot copy is encrypted and opens with the same password."""
    from db import branch, cipher, members, rekey
    from db.connection import list_snapshots, open_ledger, open_ledger_readonly

    path = workdir / "selftest-encrypted.sqlite"
    secret = "11010519491231002X"
    with open_ledger(path, create=True, password="自检密码-2026") as ledger:
        branch.save_branch(ledger, branch.Branch(name="自检支部"))
        members.add(ledger, members.Member(name="自检党员", id_number=secret))
        ledger.snapshot("manual")
        rekey.change_password(ledger, "自检密码-2026", "自检密码-2027")
    for f in [path, *list_snapshots(path)]:
        data = f.read_bytes()
        if secret.encode() in data or "自检党员".encode() in data or data[:16] == b"SQLite format 3\x00":
            raise RuntimeError(f"{f.name} is not encrypted")
    try:
        open_ledger_readonly(path, password="自检密码-2026").close()
    except cipher.WrongPassword:
        pass
    else:
        raise RuntimeError("the old password still opens the ledger")
    with open_ledger(path, password="自检密码-2027") as ledger:
        if ledger.scalar("SELECT id_number FROM members") != secret or not ledger.verify()["ok"]:
            raise RuntimeError("the encrypted ledger did not read back")
    return {"sqlcipher": cipher.cipher_version().split()[0]}


def dataclass_code_check() -> str:
    """Our dataclasses' methods were made from kept code (db/codecache.py): in the frozen app, from the file the
    build shipped — every module imported above made its dataclasses. Returns "served/texts"."""
    from db import codecache

    code = codecache.dataclass_code
    if code is None or not code.used:
        raise RuntimeError("db.codecache did not see the dataclasses being made")
    if getattr(sys, "frozen", False) and code.served < len(code.used) * 9 // 10:
        raise RuntimeError(
            f"the bundle's dataclass code file served {code.served} of {len(code.used)} texts: "
            "build.spec did not ship it for this Python"
        )
    return f"{code.served}/{len(code.used)}"


def run_self_test(gui_check: Callable[[Path], dict[str, object]] | None = None) -> int:
    """Headless checks, plus `gui_check(workdir)` when the GUI exe passes its own (desktop.app.gui_self_test)."""
    gui = gui_check is not None
    start = time.perf_counter()
    try:
        packages = ["db", "exports", "resources"] + (["desktop"] if gui else [])
        modules = _import_all(packages)
        if not gui and "PySide6" in sys.modules:
            raise RuntimeError("the headless ledger imported PySide6")
        with tempfile.TemporaryDirectory(prefix="branch-ledger-selftest-") as tmp:
            info = headless_checks(Path(tmp))
            info["dataclass_code"] = dataclass_code_check()
            if gui_check is not None:
                info.update(gui_check(Path(tmp)))
        ms = (time.perf_counter() - start) * 1000
        details = " ".join(f"{k}={v}" for k, v in info.items())
        print(f"SELF-TEST OK ({'gui' if gui else 'ledger'}) modules={modules} {details} time={ms:.0f}ms")
        return 0
    except Exception as e:  # noqa: BLE001 - the verdict line must name any failure
        traceback.print_exc()
        print(f"SELF-TEST FAILED ({'gui' if gui else 'ledger'}): {type(e).__name__}: {e}")
        return 1
