"""报送包: the hand-in folder for one branch and one year (CONTRACT.md §2 `package`, `verify-package`).

One folder named after the branch and the period holds every template of the registry for the year (xlsx and
pdf), the finalised 会议记录 and the 发展党员纪实表 of the year (pdf, one per record), `data.json` (the whole
ledger as an interchange document, masked per profile), `index.html` (a summary page that opens in any browser
without network) and `manifest.json` (branch, period, profile, every file with size and SHA-256, and the
summary the liaison's table is built from). The format is documented in docs/package.md.

The folder is written under a temporary name on the target, checked by re-reading every file against the
manifest, and only then renamed to its final name. An earlier package of the same name is first renamed aside
and removed only after the new one is in place, so a full, removed or read-only stick never leaves a
half-written package under the final name and never costs the earlier one.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import errno
import hashlib
import html
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import quote

from db import clock
from db.dates import fmt_zh
from db.errors import LedgerError
from db.rules.meetings import KIND_LABELS
from exports.report import (
    Cancelled,
    ExportCancelled,
    Images,
    KeyValues,
    Paragraph,
    Progress,
    Report,
    Table,
    never,
    no_progress,
)

if TYPE_CHECKING:
    from db.connection import Ledger
    from exports.registry import Template

FORMAT = "branch-ledger-package"
VERSION = 1
MANIFEST = "manifest.json"
DATA = "data.json"
INDEX = "index.html"
PROFILES = ("masked", "full", "handover")
PROFILE_LABELS = {"masked": "脱敏版", "full": "完整版", "handover": "交接版"}
REPORTS_DIR = "报表"
HANDOVER_DIR = "交接"
# Per-record templates that are blank forms printed before the event, not records of it.
PER_RECORD_SKIP = frozenset({"sign-in"})
# Files an operating system drops into folders by itself; never counted as "extra".
IGNORED_NAMES = frozenset({"Thumbs.db", ".DS_Store", "desktop.ini"})
# Keys whose values are personal data: set to null anywhere in data.json of the masked profile.
SENSITIVE_KEYS = frozenset(
    {
        "id_number",
        "phone",
        "landline",
        "address",
        "base",
        "income",
        "salary",
        "annual_income",
        "monthly_income",
        "income_base",
        "annual_salary",
    }
)
# Fields whose values are also searched for in free text (notes, findings) and in every report cell.
TEXT_SCRUB_KEYS = ("id_number", "phone", "landline", "address")
ACTIVE_STAGES = frozenset({"applicant", "activist", "candidate", "probationary"})
WINDOWS_ILLEGAL = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
MAX_BRANCH_CHARS = 24
CHUNK = 1 << 20


class PackageError(LedgerError):
    """The package could not be written or read; `str()` says why and what to do, in Chinese."""


# ------------------------------------------------------------------------------------------ names


def safe_name(text: str, limit: int = 40) -> str:
    """A file or folder name that Windows, FAT sticks and zip tools all accept; Chinese kept, short."""
    name = WINDOWS_ILLEGAL.sub("", text or "").strip()
    name = re.sub(r"\s+", "", name)
    name = name[:limit].rstrip(". ")
    if not name or name.upper().split(".")[0] in {
        "CON",
        "PRN",
        "AUX",
        "NUL",
        *(f"COM{i}" for i in range(10)),
        *(f"LPT{i}" for i in range(10)),
    }:
        name = f"_{name}"
    return name


def package_name(branch_name: str, year: int, profile: str) -> str:
    """e.g. 中共测试科技有限公司支部委员会_2026年报送包_脱敏版."""
    return f"{safe_name(branch_name or '支部', MAX_BRANCH_CHARS)}_{year}年报送包_{PROFILE_LABELS[profile]}"


def app_version() -> str:
    try:
        from importlib.metadata import version

        return version("branch-ledger")
    except Exception:  # noqa: BLE001 - a frozen build may carry no metadata
        pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
        with contextlib.suppress(OSError):
            m = re.search(r'^version\s*=\s*"([^"]+)"', pyproject.read_text(encoding="utf-8"), re.M)
            if m:
                return m.group(1)
        return "unknown"


def default_as_of(year: int, today: dt.date | None = None) -> dt.date:
    today = today or clock.today()
    return min(dt.date(year, 12, 31), today)


# ------------------------------------------------------------------------------------------ the summary


def _optional(module: str, fn: str, *args: Any, **kwargs: Any) -> Any:
    """Call another area's function; None while that area is not in the app (reported as null)."""
    import importlib

    try:
        mod = importlib.import_module(module)
        func = getattr(mod, fn)
    except (ModuleNotFoundError, AttributeError):
        return None
    return func(*args, **kwargs)


def period_findings(ledger: Ledger, year: int, as_of: dt.date) -> list[Any]:
    """Findings as of `as_of` that concern the year: those of a period in it, and the standing ones."""
    from db import findings

    return [f for f in findings.check(ledger, as_of) if f.period is None or f.period.startswith(str(year))]


def year_summary(ledger: Ledger, year: int, as_of: dt.date, found: list[Any] | None = None) -> dict[str, Any]:
    """The summary of manifest.json: one dict per area; an area not in the app is null."""
    from db import branch, members

    counts = members.counts_on(ledger, as_of)
    found = period_findings(ledger, year, as_of) if found is None else found
    by_sev = {"error": 0, "warning": 0, "reminder": 0}
    for f in found:
        by_sev[f.severity] = by_sev.get(f.severity, 0) + 1
    meetings = _optional("db.meetings", "year_summary", ledger, year, as_of=as_of)
    return {
        "members": {**counts, "groups": len(branch.groups_on(ledger, as_of))},
        "meetings": meetings,
        "dues": _optional("db.dues", "year_summary", ledger, year),
        "development": _optional("db.development", "year_summary", ledger, year),
        "checklist": _optional("db.checklists", "year_summary", ledger, year),
        "findings": by_sev,
    }


# ------------------------------------------------------------------------------------------ masking


def sensitive_values(doc: dict[str, Any]) -> dict[str, str]:
    """Every personal value in a full dump (ID numbers, phones, landlines, addresses) -> its masked form."""
    from db.rules import idcard

    out: dict[str, str] = {}

    def add(key: str, value: Any) -> None:
        if not isinstance(value, str):
            return
        v = value.strip()
        if len(v) < 5:
            return
        if key == "id_number":
            out[v] = idcard.mask(v)
        elif key in ("phone", "landline"):
            out[v] = idcard.mask_phone(v)
        else:
            out[v] = "（已隐去）"

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                if k in TEXT_SCRUB_KEYS:
                    add(k, v)
                else:
                    walk(v)
            if node.get("field") in TEXT_SCRUB_KEYS:  # member history: old values of personal fields
                for k in ("from_value", "to_value"):
                    add(str(node["field"]), node.get(k))
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(doc)
    return out


def scrub_text(text: str, values: dict[str, str]) -> str:
    for raw in sorted(values, key=len, reverse=True):
        if raw in text:
            text = text.replace(raw, values[raw])
    return text


def masked_document(doc: dict[str, Any], values: dict[str, str] | None = None) -> dict[str, Any]:
    """data.json of the masked profile: personal and income fields set to null, history of them dropped,
    and any personal value that slipped into free text replaced by its masked form."""
    values = sensitive_values(doc) if values is None else values

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            out: dict[str, Any] = {}
            for k, v in node.items():
                if k in SENSITIVE_KEYS and not isinstance(v, (dict, list)):
                    out[k] = None
                elif k == "history" and isinstance(v, list):
                    out[k] = [
                        walk(h) for h in v if not (isinstance(h, dict) and h.get("field") in SENSITIVE_KEYS)
                    ]
                else:
                    out[k] = walk(v)
            return out
        if isinstance(node, list):
            return [walk(v) for v in node]
        if isinstance(node, str):
            return scrub_text(node, values)
        return node

    result: dict[str, Any] = walk(copy.deepcopy(doc))
    return result


def redact_report(report: Report, values: dict[str, str]) -> int:
    """Replace any personal value left in a masked report (a template that forgot `masked`); count them."""
    if not values:
        return 0
    count = 0

    def fix(v: Any) -> Any:
        nonlocal count
        if isinstance(v, (str, int)) and not isinstance(v, bool):
            s = str(v)
            new = scrub_text(s, values)
            if new != s:
                count += 1
                return new
        return v

    report.title = fix(report.title)
    report.subtitle = fix(report.subtitle)
    report.footer_note = fix(report.footer_note)
    for block in report.blocks:
        if isinstance(block, Table):
            block.rows = [[fix(c) for c in row] for row in block.rows]
            if block.totals:
                block.totals = [fix(c) for c in block.totals]
        elif isinstance(block, KeyValues):
            block.pairs = [(k, fix(v)) for k, v in block.pairs]
        elif isinstance(block, Paragraph):
            block.text = fix(block.text)
        elif isinstance(block, Images):
            for img in block.images:
                img.caption = fix(img.caption)
    return count


# ------------------------------------------------------------------------------------------ records


def _dates_in(node: Any) -> Iterator[str]:
    if isinstance(node, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", node):
        yield node
    elif isinstance(node, dict):
        for v in node.values():
            yield from _dates_in(v)
    elif isinstance(node, list):
        for v in node:
            yield from _dates_in(v)


def record_ids(doc: dict[str, Any], need: str, year: int) -> list[int]:
    """The records of the year a per-record template is made for.

    meeting: the meetings held in the year whose record is finalised (all of the year if the ledger keeps no
    finalisation date). applicant: everyone with a development step dated in the year, or still in the process
    (申请人 to 预备党员) and started by the end of the year.
    """
    y = str(year)
    if need == "meeting":
        meetings = [m for m in doc.get("meetings") or [] if str(m.get("date") or "")[:4] == y]
        if any("finalized_on" in m for m in meetings):
            meetings = [m for m in meetings if m.get("finalized_on")]
        return [int(m["id"]) for m in sorted(meetings, key=lambda m: (m.get("date") or "", m["id"]))]
    if need == "applicant":
        out = []
        for a in doc.get("applicants") or []:
            dates = sorted(_dates_in(a.get("steps") or {}))
            in_year = any(d.startswith(y) for d in dates)
            ongoing = a.get("stage") in ACTIVE_STAGES and bool(dates) and dates[0] <= f"{y}-12-31"
            if in_year or ongoing:
                out.append(int(a["id"]))
        return out
    return []


def _record_label(doc: dict[str, Any], need: str, rid: int) -> str:
    if need == "meeting":
        for m in doc.get("meetings") or []:
            if m.get("id") == rid:
                return f"{m.get('date') or ''}_{safe_name(str(m.get('topic') or ''), 16)}_{rid}".strip("_")
    if need == "applicant":
        for a in doc.get("applicants") or []:
            if a.get("id") == rid:
                return f"{safe_name(str(a.get('name') or ''), 10)}_{rid}"
    return str(rid)


# ------------------------------------------------------------------------------------------ writing


def _write_report(report: Report, fmt: str, path: Path) -> None:
    """Render one report; a separate function so tests can make the stick fill up midway."""
    from exports.pdf import write_pdf
    from exports.xlsx import write_xlsx

    (write_pdf if fmt == "pdf" else write_xlsx)(report, path)


def _write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            h.update(chunk)
    return h.hexdigest()


def stream_sha256(fh: IO[bytes]) -> tuple[str, int]:
    h = hashlib.sha256()
    size = 0
    while chunk := fh.read(CHUNK):
        h.update(chunk)
        size += len(chunk)
    return h.hexdigest(), size


def manifest_checksum(manifest: dict[str, Any]) -> str:
    body = {k: v for k, v in manifest.items() if k != "checksum"}
    text = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _explain(err: OSError, target: Path) -> PackageError:
    code = err.errno
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        msg = (
            f"目标磁盘空间不足，报送包没有写完：{target}。请换一个空间更大的U盘或文件夹，"
            "或删除U盘上不需要的文件后再试。没有留下不完整的报送包。"
        )
    elif code in (errno.EROFS, errno.EACCES, errno.EPERM) or getattr(err, "winerror", None) in (5, 32):
        msg = (
            f"目标文件夹不能写入（只读、写保护、没有权限，或旧的报送包正被资源管理器、Excel、WPS 等程序打开）："
            f"{target}。请关闭这些窗口、检查U盘的写保护开关，或换一个文件夹后再试。没有留下不完整的报送包。"
        )
    elif code in (errno.ENOENT, errno.EIO, errno.ENODEV, errno.ENXIO, getattr(errno, "ESHUTDOWN", -1)):
        msg = (
            f"写入时找不到目标磁盘（U盘可能已被拔出）：{target}。请重新插好U盘后再试；"
            "没有留下不完整的报送包。"
        )
    else:
        msg = f"写入报送包失败：{err.strerror or err}（{err.filename or target}）。没有留下不完整的报送包。"
    pe = PackageError(msg)
    pe.__cause__ = err
    return pe


@dataclass
class _Builder:
    root: Path
    files: list[dict[str, Any]] = field(default_factory=list)

    def add(self, rel: str, **info: Any) -> None:
        path = self.root / rel
        self.files.append({"path": rel, "size": path.stat().st_size, "sha256": file_sha256(path), **info})


def _templates_plan(doc: dict[str, Any], year: int) -> list[tuple[Template, int | None, str, str]]:
    """(template, record id, relative path, format) for every file to render, in registry order."""
    from exports import registry

    plan: list[tuple[Template, int | None, str, str]] = []
    used: set[str] = set()
    n = 0
    for t in registry.templates():
        per_record = [x for x in t.needs if x in ("meeting", "applicant")]
        if not per_record:
            if not t.periodic:
                continue
            n += 1
            stem = f"{n:02d}_{safe_name(t.title, 30)}"
            if stem in used:
                stem = f"{stem}_{t.key}"
            used.add(stem)
            for fmt in t.formats:
                plan.append((t, None, f"{REPORTS_DIR}/{stem}.{fmt}", fmt))
        elif len(per_record) == 1 and t.key not in PER_RECORD_SKIP:
            need = per_record[0]
            sub = safe_name(t.title, 20)
            fmt = "pdf" if "pdf" in t.formats else t.formats[0]
            for rid in record_ids(doc, need, year):
                plan.append((t, rid, f"{sub}/{_record_label(doc, need, rid)}.{fmt}", fmt))
    return plan


def build_package(
    ledger: Ledger,
    year: int,
    out_dir: Path,
    profile: str = "masked",
    *,
    as_of: dt.date | None = None,
    zip_password: str | None = None,
    progress: Progress = no_progress,
    cancelled: Cancelled = never,
) -> Path:
    """Write the hand-in folder for `year` into `out_dir`; return the folder. With `zip_password`, an AES
    encrypted zip of it is written beside it as well (see `zip_package`)."""
    from db import branch, interchange
    from exports.registry import Params

    if profile not in PROFILES:
        raise PackageError(f"没有“{profile}”这种报送方式，可选：{'、'.join(PROFILES)}")
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
    values = sensitive_values(full_doc) if masked else {}
    doc = masked_document(full_doc, values) if masked else full_doc
    plan = _templates_plan(full_doc, year)
    total = len(plan) + 5 + (2 if profile == "handover" else 0)
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
    try:
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
        tick("正在写入 data.json")
        _write_bytes(tmp / DATA, interchange.dumps(doc).encode("utf-8"))
        bld.add(DATA, kind="data", title="交换文件（整个台账）" + ("，已隐去个人信息" if masked else ""))

        tick("正在汇总")
        found = period_findings(ledger, year, as_of)
        summary = year_summary(ledger, year, as_of, found)
        finding_docs = [f.to_json() for f in found]
        if masked:
            finding_docs = masked_document({"f": finding_docs}, values)["f"]

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

        manifest: dict[str, Any] = {
            "format": FORMAT,
            "version": VERSION,
            "name": name,
            "branch": {"name": b.name, "upper_org": b.upper_org, "park": b.park},
            "period": {"year": year, "label": f"{year}年度", "as_of": as_of.isoformat()},
            "created_at": clock.now().isoformat(timespec="seconds"),
            "app": {"name": "支部台账", "version": app_version()},
            "profile": profile,
            "profile_label": PROFILE_LABELS[profile],
            "summary": summary,
            "findings": finding_docs,
            "redactions": redactions,
            "failed": failed,
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
        check = verify_package(tmp)
        if not check.ok:
            raise PackageError(
                "报送包写入后核对不一致（"
                + check.describe().replace("\n", "；")
                + "），可能是U盘有问题。请换一个U盘或文件夹再试；没有留下不完整的报送包。"
            )
        tick("正在完成")
        _install(tmp, final)
    except OSError as e:
        shutil.rmtree(tmp, ignore_errors=True)
        raise _explain(e, final) from e
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    progress(total, total, "完成")
    if zip_password is not None:
        zip_package(final, password=zip_password)
    return final


def read_manifest(folder: Path) -> dict[str, Any]:
    """The manifest of a package folder (not verified: use `verify_package` for that)."""
    data: dict[str, Any] = json.loads((Path(folder) / MANIFEST).read_text(encoding="utf-8"))
    return data


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


# ------------------------------------------------------------------------------------------ index.html

_CSS = """
body{font-family:"Microsoft YaHei","PingFang SC","Noto Sans SC",sans-serif;margin:24px auto;max-width:980px;
color:#222;padding:0 16px;line-height:1.6}
h1{color:#8B0000;font-size:22px;margin-bottom:4px}h2{font-size:17px;border-bottom:2px solid #8B0000;
padding-bottom:3px;margin-top:28px}.sub{color:#666}table{border-collapse:collapse;width:100%;margin:8px 0}
th,td{border:1px solid #bbb;padding:4px 8px;text-align:left;vertical-align:top}th{background:#F2E6E6}
tr:nth-child(even) td{background:#FAFAFA}td.n{text-align:right}.error{color:#C62828;font-weight:bold}
.warning{color:#B26A00}.reminder{color:#1565C0}.note{color:#666;font-size:13px}
code{font-size:12px;color:#555}td.nw,th.nw{white-space:nowrap}
"""

STAGE_LABELS = {
    "applicant": "申请人",
    "activist": "积极分子",
    "candidate": "发展对象",
    "probationary": "预备党员",
    "full": "已转正",
    "stopped": "终止",
}
SEVERITY_LABELS = {"error": "问题", "warning": "提醒", "reminder": "待办"}


def _e(v: Any) -> str:
    return html.escape("" if v is None else str(v))


def _money(v: Any) -> str:
    from decimal import Decimal, InvalidOperation

    try:
        return f"{Decimal(str(v)):,.2f}"
    except (InvalidOperation, ValueError):
        return _e(v)


def summary_rows(summary: dict[str, Any]) -> list[tuple[str, str]]:
    """The summary as (label, text) lines, for index.html and the GUI."""
    rows: list[tuple[str, str]] = []
    m = summary.get("members") or {}
    rows.append(
        (
            "党员",
            f"共 {m.get('total', 0)} 名：正式党员 {m.get('full', 0)} 名，预备党员 "
            f"{m.get('probationary', 0)} 名；党小组 {m.get('groups', 0)} 个",
        )
    )
    mt = summary.get("meetings")
    if mt is None:
        rows.append(("三会一课", "（本版本未记录）"))
    else:
        held, req = mt.get("held") or {}, mt.get("required") or {}
        parts = [f"{KIND_LABELS.get(k, k)} {held.get(k, 0)}/{req[k]}" for k in req if req[k] or held.get(k)]
        parts += [f"{KIND_LABELS.get(k, k)} {v}" for k, v in held.items() if k not in req and v]
        rows.append(("三会一课（已开/应开）", "，".join(parts) or "（无）"))
    d = summary.get("dues")
    if d is None:
        rows.append(("党费", "（本版本未记录）"))
    else:
        rows.append(
            (
                "党费",
                f"应交 {_money(d.get('due'))} 元，实交 {_money(d.get('paid'))} 元，"
                f"已上缴 {_money(d.get('remitted'))} 元；欠交 {d.get('arrears_members', 0)} 人",
            )
        )
    dv = summary.get("development")
    if dv is None:
        rows.append(("发展党员", "（本版本未记录）"))
    else:
        stages = "，".join(f"{STAGE_LABELS.get(k, k)} {v}" for k, v in (dv.get("by_stage") or {}).items())
        rows.append(
            (
                "发展党员",
                f"{stages or '（无）'}；本年接收预备党员 {dv.get('admitted', 0)} 名，"
                f"转正 {dv.get('converted', 0)} 名",
            )
        )
    c = summary.get("checklist")
    if c is None:
        rows.append(("六个一", "（本版本未记录）"))
    else:
        rows.append(
            (
                "六个一",
                f"达标 {c.get('met', 0)}/{c.get('items', 0)} 项，"
                f"细项 {c.get('sub_met', 0)}/{c.get('sub_items', 0)} 项",
            )
        )
    f = summary.get("findings") or {}
    rows.append(
        (
            "问题与提醒",
            f"问题 {f.get('error', 0)} 条，提醒 {f.get('warning', 0)} 条，待办 {f.get('reminder', 0)} 条",
        )
    )
    return rows


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(1, round(n / 1024))} KB"


def _zh_date(iso: Any) -> str:
    """2026-11-22 -> 2026年11月22日 (and a timestamp keeps its hh:mm), as everywhere else in the app."""
    text = "" if iso is None else str(iso)
    try:
        if "T" in text or " " in text:
            when = dt.datetime.fromisoformat(text)
            return f"{fmt_zh(when.date())} {when:%H:%M}"
        return fmt_zh(dt.date.fromisoformat(text))
    except ValueError:
        return text


# index.html lists the reports first, then the per-record folders, then the machine-readable files.
_FILE_ORDER = (REPORTS_DIR, HANDOVER_DIR, "发展党员纪实表", "会议记录")


def _file_key(path: str) -> tuple[int, str]:
    top = path.split("/", 1)[0] if "/" in path else ""
    return (_FILE_ORDER.index(top) if top in _FILE_ORDER else len(_FILE_ORDER), path)


def render_index(manifest: dict[str, Any], files: list[dict[str, Any]]) -> str:
    b = manifest["branch"]
    period = manifest["period"]
    created = _zh_date(manifest["created_at"])
    out = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(b['name'])} {period['year']}年度报送包</title><style>{_CSS}</style></head><body>",
        f"<h1>{_e(b['name'])}　{period['year']}年度报送包</h1>",
        f'<p class="sub">{_e(manifest["profile_label"])}　·　统计截至 {_e(_zh_date(period["as_of"]))}　·　'
        f"生成于 {_e(created)}　·　支部台账 {_e(manifest['app']['version'])}"
        + (f"　·　上级党组织：{_e(b.get('upper_org'))}" if b.get("upper_org") else "")
        + "</p>",
    ]
    if manifest.get("failed"):
        out.append(
            '<h2 class="error">未能生成的报表</h2><p class="error">以下报表生成时出错，本报送包中没有它们，'
            "请联系技术支持后重新生成：</p><ul>"
        )
        for f in manifest["failed"]:
            out.append(f"<li>{_e(f.get('title'))}：{_e(f.get('error'))}</li>")
        out.append("</ul>")
    if manifest["profile"] == "masked":
        out.append(
            '<p class="note">本报送包为脱敏版：不含公民身份号码、手机号、固定电话、家庭住址和收入，'
            "姓名和统计数字保留。</p>"
        )
    out.append("<h2>概况</h2><table>")
    for label, text in summary_rows(manifest["summary"]):
        out.append(f'<tr><th style="width:11em">{_e(label)}</th><td>{_e(text)}</td></tr>')
    out.append("</table>")
    found = manifest.get("findings") or []
    out.append(f"<h2>问题与提醒（{len(found)} 条）</h2>")
    if found:
        out.append(
            '<table><tr><th class="nw">类别</th><th class="nw">代码</th><th>事项</th><th class="nw">期限</th></tr>'
        )
        for f in found:
            sev = f.get("severity", "")
            out.append(
                f'<tr><td class="{_e(sev)} nw">{_e(SEVERITY_LABELS.get(sev, sev))}</td>'
                f'<td class="nw">{_e(f.get("code"))}</td><td>{_e(f.get("message"))}</td>'
                f'<td class="nw">{_e(_zh_date(f.get("due")))}</td></tr>'
            )
        out.append("</table>")
    else:
        out.append("<p>截至统计日期，没有发现问题或待办事项。</p>")
    out.append(f"<h2>文件（{len(files) + 1} 个）</h2><table><tr><th>文件</th><th>内容</th><th>大小</th></tr>")
    listed = sorted(files, key=lambda f: _file_key(f["path"]))
    for f in listed:
        href = quote(f["path"])
        out.append(
            f'<tr><td><a href="{href}">{_e(f["path"])}</a></td><td>{_e(f.get("title") or "")}</td>'
            f'<td class="n">{_size(int(f["size"]))}</td></tr>'
        )
    out.append(
        f'<tr><td><a href="{MANIFEST}">{MANIFEST}</a></td><td>文件清单（每个文件的大小和 SHA-256）</td>'
        "<td></td></tr>"
    )
    out.append(
        '</table><p class="note">核对报送包是否完整、未被改动：在支部台账中打开“报送 → 核对报送包”，'
        "或运行 <code>ledger verify-package 本文件夹</code>。本页面只读，不需要网络。</p>"
    )
    out.append("</body></html>")
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------------------------------ zip


def zip_package(folder: Path, out: Path | None = None, password: str | None = None) -> Path:
    """Zip a package folder (AES-256 when a password is given); Chinese names stay readable (UTF-8 flag).
    Written to a temporary name, read back and checked against the manifest, then renamed."""
    import pyzipper

    from db.fileutil import atomic_path

    folder = Path(folder)
    out = Path(out) if out else folder.with_name(folder.name + ".zip")
    if password is not None and not password:
        raise PackageError("压缩包密码不能为空。")
    try:
        with atomic_path(out) as tmp:
            kw: dict[str, Any] = {"compression": pyzipper.ZIP_DEFLATED}
            if password:
                kw["encryption"] = pyzipper.WZ_AES
            with pyzipper.AESZipFile(tmp, "w", **kw) as zf:
                if password:
                    zf.setpassword(password.encode("utf-8"))
                    zf.setencryption(pyzipper.WZ_AES, nbits=256)
                for path in sorted(folder.rglob("*")):
                    if path.is_file():
                        rel = path.relative_to(folder).as_posix()
                        zf.write(path, f"{folder.name}/{rel}")  # non-ASCII names get the UTF-8 flag
            check = verify_package(tmp, password=password)
            if not check.ok:
                raise PackageError("压缩包写入后核对不一致：" + check.describe().replace("\n", "；"))
    except OSError as e:
        raise _explain(e, out) from e
    return out


# ------------------------------------------------------------------------------------------ verification


@dataclass
class VerifyResult:
    path: Path
    manifest: dict[str, Any] | None = None
    missing: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    error: str | None = None
    checked: int = 0

    @property
    def ok(self) -> bool:
        return self.error is None and not (self.missing or self.changed or self.extra)

    @property
    def status(self) -> str:
        """ok | tampered (changed or extra) | incomplete (missing) | unreadable (no usable manifest)."""
        if self.error is not None:
            return "unreadable"
        if self.changed or self.extra:
            return "tampered"
        if self.missing:
            return "incomplete"
        return "ok"

    def to_json(self) -> dict[str, Any]:
        m = self.manifest or {}
        return {
            "path": str(self.path),
            "ok": self.ok,
            "status": self.status,
            "branch": (m.get("branch") or {}).get("name"),
            "year": (m.get("period") or {}).get("year"),
            "profile": m.get("profile"),
            "created_at": m.get("created_at"),
            "files": len(m.get("files") or []),
            "checked": self.checked,
            "missing": self.missing,
            "changed": self.changed,
            "extra": self.extra,
            "error": self.error,
        }

    def describe(self) -> str:
        if self.error is not None:
            return f"无法核对 {self.path}：{self.error}"
        m = self.manifest or {}
        head = (
            f"{(m.get('branch') or {}).get('name', '')} {(m.get('period') or {}).get('year', '')}年度报送包"
            f"（{m.get('profile_label', m.get('profile', ''))}，生成于 {str(m.get('created_at', '')).replace('T', ' ')}）"
        )
        if self.ok:
            return f"{head}：完整，{self.checked} 个文件与清单一致。"
        lines = [f"{head}：不完整或已被改动。"]
        lines += [f"  缺少：{p}" for p in self.missing]
        lines += [f"  已改动：{p}" for p in self.changed]
        lines += [f"  多出：{p}" for p in self.extra]
        return "\n".join(lines)


def _safe_rel(rel: Any) -> bool:
    if not isinstance(rel, str) or not rel or "\\" in rel:
        return False
    p = PurePosixPath(rel)
    return not p.is_absolute() and ".." not in p.parts and ":" not in rel


def _check_manifest(res: VerifyResult, raw: bytes) -> dict[str, Any] | None:
    try:
        manifest = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        res.error = "文件清单 manifest.json 无法读取（不是有效的 JSON）"
        return None
    if (
        not isinstance(manifest, dict)
        or manifest.get("format") != FORMAT
        or not isinstance(manifest.get("files"), list)
    ):
        res.error = "manifest.json 不是支部台账报送包的文件清单"
        return None
    if int(manifest.get("version") or 0) > VERSION:
        res.error = f"这个报送包由更新版本的支部台账生成（格式 {manifest.get('version')}），请先升级"
        return None
    res.manifest = manifest
    if manifest.get("checksum") != manifest_checksum(manifest):
        res.changed.append(f"{MANIFEST}（清单内容被改动）")
    for f in manifest["files"]:
        if not isinstance(f, dict) or not _safe_rel(f.get("path")):
            res.error = "manifest.json 中有不合规的文件路径"
            return None
    return manifest


def _ignored(rel: str) -> bool:
    name = rel.rsplit("/", 1)[-1]
    return name in IGNORED_NAMES or name.startswith("._")


def verify_package(path: Path, password: str | None = None) -> VerifyResult:
    """Re-hash every file of a package (folder or zip) against its manifest: what is missing, changed, extra."""
    path = Path(path)
    if path.is_file() and path.suffix.lower() == ".zip":
        return _verify_zip(path, password)
    res = VerifyResult(path)
    if not path.is_dir():
        res.error = "找不到这个文件夹或压缩包"
        return res
    try:
        raw = (path / MANIFEST).read_bytes()
    except FileNotFoundError:
        res.error = "文件夹中没有 manifest.json，不是报送包（或已被删除）"
        return res
    except OSError as e:
        res.error = f"读取 manifest.json 失败：{e.strerror or e}"
        return res
    manifest = _check_manifest(res, raw)
    if manifest is None:
        return res
    listed = set()
    for f in manifest["files"]:
        rel = f["path"]
        listed.add(rel)
        p = path / rel
        try:
            size = p.stat().st_size
        except FileNotFoundError:
            res.missing.append(rel)
            continue
        except OSError as e:
            res.changed.append(f"{rel}（无法读取：{e.strerror}）")
            continue
        res.checked += 1
        if size != f.get("size"):
            res.changed.append(f"{rel}（大小不同）")
        elif file_sha256(p) != f.get("sha256"):
            res.changed.append(f"{rel}（内容不同）")
    for dirpath, _dirs, names in os.walk(path):
        for n in names:
            rel = (Path(dirpath) / n).relative_to(path).as_posix()
            if rel != MANIFEST and rel not in listed and not _ignored(rel):
                res.extra.append(rel)
    res.extra.sort()
    return res


def _verify_zip(path: Path, password: str | None) -> VerifyResult:
    import zipfile

    import pyzipper

    res = VerifyResult(path)
    try:
        zf = pyzipper.AESZipFile(path)
    except (zipfile.BadZipFile, OSError) as e:
        res.error = f"压缩包无法打开（{e}）"
        return res
    with zf:
        if password:
            zf.setpassword(password.encode("utf-8"))
        names = [i.filename for i in zf.infolist() if not i.is_dir()]
        manifests = sorted(
            (n for n in names if n.rsplit("/", 1)[-1] == MANIFEST and n.count("/") <= 1),
            key=lambda n: n.count("/"),
        )
        if not manifests:
            res.error = "压缩包中没有 manifest.json，不是报送包"
            return res
        prefix = manifests[0][: -len(MANIFEST)]
        try:
            raw = zf.read(manifests[0])
        except RuntimeError as e:
            res.error = (
                ("这个压缩包已加密，请输入密码" if not password else "压缩包密码不正确")
                if "password" in str(e).lower()
                else f"压缩包无法读取（{e}）"
            )
            return res
        except (zipfile.BadZipFile, OSError, ValueError) as e:
            res.error = f"压缩包已损坏（{e}）"
            return res
        manifest = _check_manifest(res, raw)
        if manifest is None:
            return res
        present = {n[len(prefix) :]: n for n in names if n.startswith(prefix)}
        listed = set()
        for f in manifest["files"]:
            rel = f["path"]
            listed.add(rel)
            if rel not in present:
                res.missing.append(rel)
                continue
            res.checked += 1
            try:
                with zf.open(present[rel]) as fh:
                    digest, size = stream_sha256(fh)
            except (zipfile.BadZipFile, RuntimeError, OSError, ValueError):
                res.changed.append(f"{rel}（无法读取）")
                continue
            if size != f.get("size"):
                res.changed.append(f"{rel}（大小不同）")
            elif digest != f.get("sha256"):
                res.changed.append(f"{rel}（内容不同）")
        res.extra = sorted(
            [n for n in names if not n.startswith(prefix)]
            + [r for r in present if r != MANIFEST and r not in listed and not _ignored(r)]
        )
    return res
