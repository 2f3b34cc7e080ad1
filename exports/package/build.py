"""`build_package`: render the plan into a temporary folder on the target, write data.json, the handover files,
index.html and manifest.json, check every file against the manifest by re-reading it, and only then rename the
folder to its final name. An earlier package of the same name is first renamed aside and removed only after the
new one is in place, so a full, removed or read-only stick never leaves a half-written package under the final
name and never costs the earlier one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from db import clock
from db.errors import LedgerError
from db.fileutil import fsync_later
from exports.package.archive import zip_package
from exports.package.errors import PackageError, _explain
from exports.package.index_html import render_index
from exports.package.manifest import (
    DATA,
    FORMAT,
    HANDOVER_DIR,
    INDEX,
    MANIFEST,
    PROFILE_LABELS,
    PROFILES,
    VERSION,
    app_version,
    default_as_of,
    file_sha256,
    manifest_checksum,
    package_name,
    period_findings,
    year_summary,
)
from exports.package.mask import (
    PER_MEMBER_AMOUNT_TEMPLATES,
    Scrubber,
    masked_document,
    redact_report,
    sensitive_values,
    totals_only_document,
    totals_only_findings,
)
from exports.package.plan import _templates_plan
from exports.package.verify import verify_package
from exports.report import Cancelled, ExportCancelled, Progress, Report, never, no_progress

if TYPE_CHECKING:
    from db.connection import Ledger


def _write_report(report: Report, fmt: str, path: Path) -> None:
    """Render one report; a separate function so tests can make the stick fill up midway."""
    from exports.registry import writer

    writer(fmt)(report, path)


def _write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


@dataclass
class _Builder:
    root: Path
    files: list[dict[str, Any]] = field(default_factory=list)

    def add(self, rel: str, **info: Any) -> None:
        path = self.root / rel
        self.files.append({"path": rel, "size": path.stat().st_size, "sha256": file_sha256(path), **info})


def build_package(
    ledger: Ledger,
    year: int,
    out_dir: Path,
    profile: str = "masked",
    *,
    as_of: dt.date | None = None,
    zip_password: str | None = None,
    totals_only: bool = False,
    progress: Progress = no_progress,
    cancelled: Cancelled = never,
) -> Path:
    """Write the hand-in folder for `year` into `out_dir`; return the folder. With `zip_password`, an AES
    encrypted zip of it is written beside it as well (see `zip_package`). With `totals_only` (masked profile
    only) no per-member dues amount is written: the templates that list them are left out, the dues sections
    of data.json are empty and the dues findings' text is replaced (docs/privacy.md)."""
    from db import branch, interchange
    from exports.registry import Params

    if profile not in PROFILES:
        raise PackageError(f"没有“{profile}”这种报送方式，可选：{'、'.join(PROFILES)}")
    if totals_only and profile != "masked":
        raise PackageError("“党费只报合计”只用于脱敏版报送包。")
    today = clock.today()
    if year > today.year:
        raise PackageError(f"{year}年还没有到，不能生成这一年的报送包。")
    as_of = as_of or default_as_of(year, today)
    b = branch.require_branch(ledger)
    masked = profile == "masked"
    out_dir = Path(out_dir)
    name = package_name(b.name, year, profile)
    final = out_dir / name

    progress(0, 1, "正在读取台账")
    full_doc = interchange.dump(ledger)
    values = Scrubber(
        sensitive_values(full_doc) if masked else {}
    )  # made once for data.json and every report
    doc = masked_document(full_doc, values) if masked else full_doc
    plan = _templates_plan(full_doc, year)
    if totals_only:
        doc = totals_only_document(doc)
        plan = [p for p in plan if p[0].key not in PER_MEMBER_AMOUNT_TEMPLATES]
    total = len(plan) + 6 + (2 if profile == "handover" else 0)
    step = 0

    def tick(label: str) -> None:
        nonlocal step
        if cancelled():
            raise ExportCancelled()
        progress(step, total, label)
        step += 1

    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{name[:12]}-", suffix=".part", dir=out_dir))
    except OSError as e:
        raise _explain(e, out_dir) from e
    # Every file of the folder is fsynced in a background thread while the next is rendered; all are on the disk
    # (`syncs.wait()`) before the folder is checked and renamed to its final name.
    later = contextlib.ExitStack()
    try:
        syncs = later.enter_context(fsync_later())
        bld = _Builder(tmp)
        redactions: dict[str, int] = {}
        failed: list[dict[str, Any]] = []
        last: tuple[tuple[str, int | None], Report | None] | None = None
        for t, rid, rel, fmt in plan:
            tick(f"正在生成{t.title}")
            key = (t.key, rid)
            if last is None or last[0] != key:  # xlsx and pdf of one template come from the same report
                params = Params(
                    year=year,
                    as_of=as_of,
                    masked=masked,
                    meeting_id=rid if "meeting" in t.needs else None,
                    applicant_id=rid if "applicant" in t.needs else None,
                )
                report: Report | None
                try:
                    report = t.build(ledger, params)
                except Exception as e:  # noqa: BLE001 - one broken report must not stop the hand-in: named below
                    report = None
                    failed.append(
                        {
                            "template": t.key,
                            "title": t.title,
                            "record_id": rid,
                            "error": str(e) if isinstance(e, LedgerError) else f"{type(e).__name__}: {e}",
                        }
                    )
                if report is not None and masked:
                    n = redact_report(report, values)
                    if n:
                        redactions[t.key] = redactions.get(t.key, 0) + n
                last = (key, report)
            if last[1] is None:
                continue
            path = tmp / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                _write_report(last[1], fmt, path)
            except OSError:
                raise
            except Exception as e:  # noqa: BLE001 - a renderer bug on one report: named, the half file removed
                with contextlib.suppress(OSError):
                    path.unlink()
                failed.append(
                    {
                        "template": t.key,
                        "title": t.title,
                        "record_id": rid,
                        "format": fmt,
                        "error": f"{type(e).__name__}: {e}",
                    }
                )
                continue
            bld.add(
                rel,
                kind="record" if rid is not None else "template",
                template=t.key,
                title=t.title,
                format=fmt,
                record_id=rid,
            )
        tick("正在填写园区表格")
        from exports.forms.library import package_forms

        park_forms, form_failed = package_forms(ledger, year, as_of, masked, tmp)
        failed += form_failed
        for pf in park_forms:
            bld.add(
                pf.rel,
                kind="form",
                template=f"form:{pf.template.id}",
                title=f"{pf.pack}：{pf.title}",
                format=pf.template.kind,
                record_id=None,
            )
        tick("正在写入 data.json")
        with open(tmp / DATA, "wb") as fh:
            interchange.write(doc, fh)
            fh.flush()
            os.fsync(fh.fileno())
        docs = [doc, full_doc]  # not needed from here on: freed in pieces, not in one cascade at the return
        del doc, full_doc
        interchange.release(docs)
        bld.add(DATA, kind="data", title="交换文件（整个台账）" + ("，已隐去个人信息" if masked else ""))

        tick("正在汇总")
        found = period_findings(ledger, year, as_of)
        summary = year_summary(ledger, year, as_of, found)
        finding_docs = [f.to_json() for f in found]
        if masked:
            finding_docs = masked_document({"f": finding_docs}, values)["f"]
        if totals_only:
            finding_docs = totals_only_findings(finding_docs)

        if profile == "handover":
            tick("正在备份台账")
            backup_rel = f"{HANDOVER_DIR}/台账备份_{as_of:%Y%m%d}.sqlite"
            (tmp / HANDOVER_DIR).mkdir(parents=True, exist_ok=True)
            ledger.backup(tmp / backup_rel)
            bld.add(backup_rel, kind="ledger", title="台账文件备份（交接用）")
            tick("正在生成交接清单")
            from exports.handover import handover_report

            report = handover_report(ledger, year, as_of, found, bld.files[-1])
            rel = f"{HANDOVER_DIR}/交接清单.pdf"
            _write_report(report, "pdf", tmp / rel)
            bld.add(rel, kind="handover", title="支部书记工作交接清单", format="pdf")
            rel = f"{HANDOVER_DIR}/交接清单.docx"  # the same list in Word, for the two secretaries to amend
            _write_report(report, "docx", tmp / rel)
            bld.add(rel, kind="handover", title="支部书记工作交接清单（Word，可修改）", format="docx")

        manifest: dict[str, Any] = {
            "format": FORMAT,
            "version": VERSION,
            "name": name,
            "branch": {"name": b.name, "upper_org": b.upper_org, "park": b.park},
            "period": {"year": year, "label": f"{year}年度", "as_of": as_of.isoformat()},
            "created_at": clock.now().isoformat(timespec="seconds"),
            "app": {"name": "支部台账", "version": app_version()},
            "profile": profile,
            "profile_label": PROFILE_LABELS[profile] + ("（党费只报合计）" if totals_only else ""),
            "dues_detail": "totals" if totals_only else "per_member",
            "summary": summary,
            "findings": finding_docs,
            "redactions": redactions,
            "failed": failed,
            "forms": [pf.manifest_entry() for pf in park_forms],
            "files": [],
        }
        tick("正在写入 index.html")
        _write_bytes(tmp / INDEX, render_index(manifest, bld.files).encode("utf-8"))
        bld.add(INDEX, kind="index", title="报送包说明（用浏览器打开）")
        manifest["files"] = sorted(bld.files, key=lambda f: f["path"])
        manifest["checksum"] = manifest_checksum(manifest)
        _write_bytes(
            tmp / MANIFEST, (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        )

        tick("正在核对写入的文件")
        syncs.wait()
        later.close()
        check = verify_package(tmp)
        if not check.intact:  # a report that failed to build is named in the manifest, not a write fault
            raise PackageError(
                "报送包写入后核对不一致（"
                + check.describe().replace("\n", "；")
                + "），可能是U盘有问题。请换一个U盘或文件夹再试；没有留下不完整的报送包。"
            )
        tick("正在完成")
        _install(tmp, final)
    except OSError as e:
        later.close()
        shutil.rmtree(tmp, ignore_errors=True)
        raise _explain(e, final) from e
    except BaseException:
        later.close()
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    progress(total, total, "完成")
    if zip_password is not None:
        zip_package(final, password=zip_password)
    return final


def _install(tmp: Path, final: Path) -> None:
    """Rename the checked temporary folder to its final name; an earlier package is set aside first and
    removed only once the new one is in place (put back if the rename fails)."""
    aside: Path | None = None
    if final.exists():
        aside = final.with_name(f".{final.name[:12]}-old-{clock.now():%Y%m%d%H%M%S%f}")
        os.rename(final, aside)
    try:
        os.rename(tmp, final)
    except OSError:
        if aside is not None:
            with contextlib.suppress(OSError):
                os.rename(aside, final)
        raise
    if aside is not None:
        shutil.rmtree(aside, ignore_errors=True)
