"""Form packs (表格包): a liaison sends several forms as one .zip — the templates and `manifest.json`, which
names each form, the period it is filled for (年度/季度), the day of the following month it is due and the
profile (masked/full). `read_pack` checks the pack whole before anything is filled (every problem with its
JSON path or form and cell); `fill_pack` fills every form into one new folder, beside a 清单.json that lists
them (written to a temporary folder and renamed when whole).

manifest.json:
    {"format": "branch-ledger-form-pack", "version": 1, "name": "…", "issuer": "…",
     "forms": [{"file": "x.xlsx", "title": "…", "period": "quarter", "due_day": 10, "profile": "masked"}]}
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from db.dates import fmt_zh
from exports.forms.engine import FormError
from exports.forms.fields import period_of

if TYPE_CHECKING:
    from db.connection import Ledger
    from exports.forms import FillResult
    from exports.registry import Params

FORMAT = "branch-ledger-form-pack"
MANIFEST = "manifest.json"
LIST_NAME = "清单.json"
PERIODS = {"year": "年度", "quarter": "季度"}
PROFILES = {"masked": "脱敏", "full": "完整"}
MAX_FILE = 20 * 1024 * 1024  # one template; a larger one is not a form


@dataclass(frozen=True)
class PackForm:
    file: str
    title: str
    period: str
    due_day: int
    profile: str


@dataclass(frozen=True)
class Pack:
    path: Path
    name: str
    issuer: str
    forms: tuple[PackForm, ...]


def _refuse(pack: Path, problems: list[tuple[str, str]]) -> FormError:
    return FormError(problems, pack.name)


def _manifest_problems(doc: Any, names: set[str]) -> list[tuple[str, str]]:
    where = MANIFEST
    out: list[tuple[str, str]] = []
    if not isinstance(doc, dict):
        return [(f"{where} $", "应为一个 JSON 对象")]
    if doc.get("format") != FORMAT:
        out.append((f"{where} $.format", f"应为“{FORMAT}”"))
    if doc.get("version") != 1:
        out.append((f"{where} $.version", "本程序只认识第1版表格包"))
    if not isinstance(doc.get("name"), str) or not doc["name"].strip():
        out.append((f"{where} $.name", "缺少表格包名称"))
    forms = doc.get("forms")
    if not isinstance(forms, list) or not forms:
        out.append((f"{where} $.forms", "应列出至少一张表格"))
        return out
    seen: set[str] = set()
    titles: set[str] = set()
    for i, f in enumerate(forms):
        at = f"{where} $.forms[{i}]"
        if not isinstance(f, dict):
            out.append((at, "应为一个 JSON 对象"))
            continue
        file = f.get("file")
        if not isinstance(file, str) or PurePosixPath(file).name != file or not file:
            out.append((f"{at}.file", "应为表格包根目录中的文件名"))
        elif not file.lower().endswith((".xlsx", ".docx")):
            out.append((f"{at}.file", "表格模板应是 .xlsx 或 .docx 文件"))
        elif file not in names:
            out.append((f"{at}.file", f"表格包中没有文件“{file}”"))
        elif file in seen:
            out.append((f"{at}.file", f"“{file}”列了两次"))
        else:
            seen.add(file)
        title = f.get("title")
        if not isinstance(title, str) or not title.strip():
            out.append((f"{at}.title", "缺少表格名称"))
        elif title.strip() in titles:
            out.append((f"{at}.title", f"表格名称“{title.strip()}”重复"))
        else:
            titles.add(title.strip())
        if f.get("period") not in PERIODS:
            out.append((f"{at}.period", "应为 year（年度）或 quarter（季度）"))
        due = f.get("due_day")
        if not isinstance(due, int) or isinstance(due, bool) or not 1 <= due <= 28:
            out.append((f"{at}.due_day", "应为 1–28 的整数（期间结束后下个月的第几天报送）"))
        if f.get("profile", "masked") not in PROFILES:
            out.append((f"{at}.profile", "应为 masked（脱敏）或 full（完整）"))
    return out


MAX_ENTRIES = 200  # a pack is a handful of forms
MAX_TOTAL = 100 * 1024 * 1024  # everything in the pack, unpacked
MAX_MANIFEST = 1024 * 1024
MAX_RATIO = 200  # unpacked/packed of one entry beyond this (and 1 MB) is a zip bomb, not a form
MAX_INNER = 100 * 1024 * 1024  # an .xlsx/.docx is itself a zip: its parts unpacked


def _bad_entry_name(name: str) -> str | None:
    """Why an entry's name is refused (path traversal, absolute, drive letters), or None."""
    if "\\" in name:
        return "路径中有反斜杠（Windows 路径，可能指向表格包以外），已拒绝"
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return "是绝对路径或带盘符，已拒绝"
    if any(part == ".." for part in PurePosixPath(name).parts):
        return "指向表格包以外（路径中有“..”），已拒绝"
    return None


def _read_entry(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """An entry's bytes, never more than `limit` whatever its header says (a lying header is refused)."""
    out = bytearray()
    with zf.open(info) as fh:
        while chunk := fh.read(1024 * 1024):
            out += chunk
            if len(out) > limit:
                raise ValueError("解压后超过大小上限")
    return bytes(out)


def _inner_problem(data: bytes) -> str | None:
    """An .xlsx/.docx is a zip too: refuse one whose parts would unpack to more than MAX_INNER."""
    import io

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as inner:
            infos = inner.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return "不是有效的 Excel/Word 文件（文件已损坏或只是改了扩展名）"
    if len(infos) > 5000 or sum(i.file_size for i in infos) > MAX_INNER:
        return "解压后过大（超过 100 MB），不像一张表格，已拒绝"
    return None


def load_pack(path: Path) -> tuple[Pack, dict[str, bytes]]:
    """Open and check a pack whole: the zip (every entry's name and size, hostile zips refused), the manifest
    and that every form it names is in it; returns the pack and the bytes of its forms (not yet the fields).
    Every problem names the pack file and the entry or the manifest's JSON path."""
    try:
        if path.stat().st_size > MAX_TOTAL:
            raise _refuse(path, [(path.name, "文件超过 100 MB，不像表格包")])
        zf = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise _refuse(path, [(str(path), "找不到这个文件")]) from None
    except (zipfile.BadZipFile, OSError) as e:
        raise _refuse(path, [(str(path), f"不是表格包（.zip）：{e}")]) from None
    with zf:
        all_infos = zf.infolist()
        problems: list[tuple[str, str]] = []
        if len(all_infos) > MAX_ENTRIES:
            raise _refuse(
                path, [(path.name, f"有 {len(all_infos)} 个文件，不像表格包（最多 {MAX_ENTRIES} 个）")]
            )
        total = 0
        for info in all_infos:
            why = _bad_entry_name(info.filename)
            if why:
                problems.append((f"{path.name} 中的“{info.filename}”", why))
                continue
            if info.flag_bits & 0x1:
                problems.append((f"{path.name} 中的“{info.filename}”", "是加密的，表格包不能加密"))
            total += info.file_size
            if info.file_size > MAX_FILE:
                problems.append((f"{path.name} 中的“{info.filename}”", "解压后超过 20 MB，不像一张表格"))
            elif info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                problems.append(
                    (f"{path.name} 中的“{info.filename}”", "压缩比异常（疑似“压缩炸弹”），已拒绝")
                )
        if total > MAX_TOTAL:
            problems.append((path.name, "解压后合计超过 100 MB，不像表格包"))
        if problems:
            raise _refuse(path, problems)
        infos = {i.filename: i for i in all_infos if not i.is_dir()}
        if MANIFEST not in infos:
            raise _refuse(path, [(str(path), f"表格包中没有 {MANIFEST}（应在包的最外层）")])
        try:
            doc = json.loads(_read_entry(zf, infos[MANIFEST], MAX_MANIFEST).decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            raise _refuse(path, [(MANIFEST, f"不是有效的 JSON：{e}")]) from None
        except (ValueError, zipfile.BadZipFile, OSError, RuntimeError) as e:
            raise _refuse(path, [(MANIFEST, f"读不出来：{e}")]) from None
        problems = _manifest_problems(doc, set(infos))
        if problems:
            raise _refuse(path, problems)
        files: dict[str, bytes] = {}
        for i, f in enumerate(doc["forms"]):
            at = f"{MANIFEST} $.forms[{i}].file（{f['file']}）"
            try:
                data = _read_entry(zf, infos[f["file"]], MAX_FILE)
            except (ValueError, zipfile.BadZipFile, OSError, RuntimeError) as e:
                problems.append((at, f"读不出来：{e}"))
                continue
            inner = _inner_problem(data)
            if inner:
                problems.append((at, inner))
            files[f["file"]] = data
        if problems:
            raise _refuse(path, problems)
    forms = tuple(
        PackForm(f["file"], f["title"].strip(), f["period"], f["due_day"], f.get("profile", "masked"))
        for f in doc["forms"]
    )
    return Pack(path, doc["name"].strip(), str(doc.get("issuer") or ""), forms), files


def read_pack(path: Path) -> Pack:
    """Open and check a pack: the manifest and that every form it names is in it (not yet the fields)."""
    return load_pack(path)[0]


def check_forms(pack: Pack, files: dict[str, bytes]) -> list[tuple[str, str]]:
    """Every form's fields checked against the 字段表: (“title”(file) cell, message) for each problem."""
    from exports import forms

    problems: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory(prefix=".pack-check-") as tmp_name:
        for f in pack.forms:
            src = Path(tmp_name) / f.file
            src.write_bytes(files[f.file])
            try:
                usage = forms.inspect(src)
            except FormError as e:
                usage = forms.Usage(problems=list(e.problems))
            problems += [(f"“{f.title}”（{f.file}）{w}", m) for w, m in usage.problems]
    return problems


def install_pack(ledger: Ledger, path: Path) -> Any:
    """Install a pack into the ledger (its forms stored as template versions, a new pack version when its name
    is known): the zip, the manifest and every form's fields are checked first; any problem refuses it whole."""
    from db import forms as stored
    from db.forms.model import NewForm

    pack, files = load_pack(path)
    problems = check_forms(pack, files)
    if problems:
        raise _refuse(path, problems)
    manifest = {
        "name": pack.name,
        "issuer": pack.issuer,
        "forms": [
            {"file": f.file, "title": f.title, "period": f.period, "due_day": f.due_day, "profile": f.profile}
            for f in pack.forms
        ],
    }
    from exports.package.manifest import file_sha256

    digest = file_sha256(path)
    new = [NewForm(f.title, f.file, files[f.file], f.period, f.due_day, f.profile) for f in pack.forms]
    return stored.add_pack(ledger, pack.name, pack.issuer, path.name, digest, manifest, new)


def due_on(form: PackForm, end: dt.date) -> dt.date:
    """The day a form is due: `due_day` of the month after its period ends."""
    from exports.forms.library import due_on_day

    return due_on_day(form.due_day, end)


@dataclass
class PackResult:
    pack: Pack
    folder: Path
    filled: list[tuple[PackForm, FillResult, dt.date]]

    def to_json(self) -> dict[str, Any]:
        return {
            "pack": self.pack.name,
            "folder": str(self.folder),
            "forms": [
                {
                    "title": f.title,
                    "file": r.out.name,
                    "period": f.period,
                    "profile": f.profile,
                    "due": due.isoformat(),
                    "rows": r.rows,
                    "warnings": r.warnings,
                }
                for f, r, due in self.filled
            ],
        }


def _out_name(form: PackForm) -> str:
    from exports.package.manifest import safe_name

    return safe_name(form.title) + Path(form.file).suffix.lower()


def fill_pack(ledger: Ledger, pack_path: Path, out: Path, params: Params) -> PackResult:
    """Fill every form of a pack for the period into the new folder `out` with 清单.json. Every form is checked
    before any is filled; a problem in one refuses the pack (each problem named with its form and cell)."""
    from exports import forms

    pack, files = load_pack(pack_path)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise _refuse(pack_path, [(str(out), "输出文件夹已存在且不是空的，请换一个文件夹")])
    if any(f.period == "quarter" for f in pack.forms) and params.quarter is None:
        quarterly = "、".join(f.title for f in pack.forms if f.period == "quarter")
        raise _refuse(pack_path, [("期间", f"表格包中有按季度填报的表格（{quarterly}），请给出季度")])
    out.parent.mkdir(parents=True, exist_ok=True)
    problems = check_forms(pack, files)
    if problems:
        raise _refuse(pack_path, problems)
    with tempfile.TemporaryDirectory(prefix=".pack-", dir=out.parent) as tmp_name:
        tmp = Path(tmp_name)
        src = tmp / "模板"
        src.mkdir()
        for f in pack.forms:
            (src / f.file).write_bytes(files[f.file])
        dest = tmp / "out"
        dest.mkdir()
        filled: list[tuple[PackForm, FillResult, dt.date]] = []
        for f in pack.forms:
            p = replace(
                params,
                masked=f.profile == "masked",
                quarter=params.quarter if f.period == "quarter" else None,
            )
            end = period_of(p)[3]
            result = forms.fill(ledger, src / f.file, dest / _out_name(f), p)
            filled.append((f, result, due_on(f, end)))
        year, _q, _start, _end, as_of = period_of(params)
        listing = {
            "pack": pack.name,
            "issuer": pack.issuer,
            "year": year,
            "quarter": params.quarter,
            "as_of": as_of.isoformat(),
            "forms": [
                {
                    "title": f.title,
                    "file": r.out.name,
                    "template": f.file,
                    "period": PERIODS[f.period],
                    "profile": PROFILES[f.profile],
                    "due": due.isoformat(),
                    "due_text": fmt_zh(due),
                    "warnings": r.warnings,
                }
                for f, r, due in filled
            ],
        }
        (dest / LIST_NAME).write_text(
            json.dumps(listing, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        if out.exists():
            out.rmdir()
        shutil.move(str(dest), str(out))
    final = [(f, replace(r, out=out / r.out.name), due) for f, r, due in filled]
    return PackResult(pack, out, final)
