"""The hand-in package (issue 8): build → verify round trip, tampering detected, the masked profile holds no
personal data in any file, a failing stick leaves nothing half-written and keeps the earlier package, the
encrypted zip reads back, the handover copy opens as a ledger."""

from __future__ import annotations

import errno
import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from db import interchange
from db.connection import Ledger, open_ledger
from exports import package, registry
from exports.report import Column as Col
from exports.report import Report, Table

ROOT = Path(__file__).resolve().parents[2]
YEAR = 2026


@pytest.fixture
def built(demo_ledger: Ledger, tmp_path: Path) -> Path:
    return package.build_package(demo_ledger, YEAR, tmp_path / "stick")


def all_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def file_texts(path: Path) -> str:
    """Everything readable in a file: xlsx unzipped, pdf text extracted, json/html/other as text."""
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as z:
            return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    if path.suffix == ".pdf":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    return path.read_bytes().decode("utf-8", "replace")


def personal_values(ledger: Ledger) -> dict[str, list[str]]:
    doc = interchange.dump(ledger)
    out: dict[str, list[str]] = {"id_number": [], "phone": [], "address": [], "income": []}
    for rec in (doc.get("members") or []) + (doc.get("applicants") or []):
        for k in ("id_number", "phone", "landline", "address"):
            if rec.get(k):
                out["phone" if k == "landline" else k].append(rec[k])
    for b in doc.get("dues_bases") or []:
        if b.get("base"):
            out["income"].append(b["base"])
    return out


# ------------------------------------------------------------------------------------------ round trip


def test_package_contents_and_verify_round_trip(built: Path, demo_ledger: Ledger) -> None:
    assert built.is_dir()
    assert built.name == "中共松江星辰智能科技有限公司支部委员会_2026年报送包_脱敏版"
    manifest = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["format"] == "branch-ledger-package"
    assert manifest["profile"] == "masked"
    assert manifest["period"]["year"] == YEAR
    assert manifest["branch"]["name"] == "中共松江星辰智能科技有限公司支部委员会"
    assert manifest["app"]["version"]
    listed = {f["path"] for f in manifest["files"]}
    on_disk = {p.relative_to(built).as_posix() for p in all_files(built)} - {"manifest.json"}
    assert listed == on_disk
    for f in manifest["files"]:
        assert f["size"] == (built / f["path"]).stat().st_size
        assert len(f["sha256"]) == 64
    # every periodic template of the registry, in both formats
    assert manifest["failed"] == [], f"templates that failed to build: {manifest['failed']}"
    for t in registry.templates():
        if t.periodic and not set(t.needs) & {"meeting", "applicant"}:
            for fmt in t.formats:
                assert any(
                    f.get("template") == t.key and f.get("format") == fmt for f in manifest["files"]
                ), t.key
    assert {"data.json", "index.html"} <= listed
    s = manifest["summary"]
    assert s["members"]["total"] == s["members"]["full"] + s["members"]["probationary"] > 0
    assert set(s["findings"]) == {"error", "warning", "reminder"}
    for area in ("meetings", "dues", "development", "checklist"):
        assert area in s  # null while that area is not in the app
    html = (built / "index.html").read_text(encoding="utf-8")
    assert '<meta charset="utf-8">' in html and "<style>" in html
    assert "http://" not in html and "https://" not in html  # opens with no network
    for f in manifest["files"]:
        if f["path"] != "index.html":
            assert f["path"].split("/")[-1] in html
    res = package.verify_package(built)
    assert res.ok, res.describe()
    assert res.checked == len(manifest["files"])
    assert "完整" in res.describe()
    assert res.to_json()["ok"] is True
    # no leftovers of the temporary folder
    assert [p.name for p in built.parent.iterdir()] == [built.name]


def test_folder_name_is_safe_and_short() -> None:
    name = package.package_name('中共"某某"科技有限公司/研发中心:第一支部委员会*?', 2025, "full")
    assert not set('<>:"/\\|?*') & set(name)
    assert name.endswith("_2025年报送包_完整版")
    assert len(name) <= 45
    assert package.safe_name("CON") == "_CON"
    assert package.safe_name("  名称. ") == "名称"


def test_changed_byte_missing_and_extra_file_each_detected(built: Path, tmp_path: Path) -> None:
    def copy(tag: str) -> Path:
        return Path(shutil.copytree(built, tmp_path / tag / built.name))

    changed = copy("changed")
    target = next(p for p in all_files(changed) if p.suffix == ".xlsx")
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0x01
    target.write_bytes(bytes(data))
    r = package.verify_package(changed)
    assert not r.ok and r.status == "tampered"
    assert (
        r.changed == [f"{target.relative_to(changed).as_posix()}（内容不同）"]
        and not r.missing
        and not r.extra
    )
    assert "已改动" in r.describe()

    missing = copy("missing")
    (missing / "data.json").unlink()
    r = package.verify_package(missing)
    assert not r.ok and r.status == "incomplete" and r.missing == ["data.json"] and not r.changed

    extra = copy("extra")
    (extra / "报表" / "补充.txt").write_text("加一个文件", encoding="utf-8")
    (extra / "Thumbs.db").write_bytes(b"windows drops this")  # ignored: the OS writes it by itself
    r = package.verify_package(extra)
    assert not r.ok and r.extra == ["报表/补充.txt"] and not r.missing and not r.changed

    edited = copy("manifest")
    m = json.loads((edited / "manifest.json").read_text(encoding="utf-8"))
    m["summary"]["members"]["total"] += 10  # someone "improves" the numbers by hand
    (edited / "manifest.json").write_text(json.dumps(m, ensure_ascii=False), encoding="utf-8")
    r = package.verify_package(edited)
    assert not r.ok and r.changed and r.changed[0].startswith("manifest.json")

    r = package.verify_package(tmp_path / "nowhere")
    assert not r.ok and r.error


def test_cli_package_and_verify_package(demo_ledger: Ledger, tmp_path: Path) -> None:
    db = demo_ledger.path
    demo_ledger.close()
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "exports.cli", *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
        )

    r = run("--db", str(db), "package", "--year", str(YEAR), "--out", str(tmp_path / "out"))
    assert r.returncode == 0, r.stderr
    folder = Path(r.stdout.strip())
    assert folder.is_dir() and folder.name.endswith("脱敏版")
    r = run("verify-package", str(folder), "--json")
    assert r.returncode == 0
    assert json.loads(r.stdout)["ok"] is True
    (folder / "data.json").unlink()
    r = run("verify-package", str(folder))
    assert r.returncode == 1 and "缺少：data.json" in r.stdout


# ------------------------------------------------------------------------------------------ profiles


def test_masked_profile_holds_no_personal_data_in_any_file(built: Path, demo_ledger: Ledger) -> None:
    values = personal_values(demo_ledger)
    assert len(values["id_number"]) >= 30 and len(values["phone"]) >= 30 and values["address"]
    texts = {p.relative_to(built).as_posix(): file_texts(p) for p in all_files(built)}
    assert any(p.endswith(".pdf") for p in texts) and any(p.endswith(".xlsx") for p in texts)
    for kind in ("id_number", "phone", "address"):
        for v in values[kind]:
            for rel, text in texts.items():
                assert v not in text, f"{kind} {v} found in {rel}"
    data = json.loads((built / "data.json").read_text(encoding="utf-8"))
    for m in data["members"]:
        assert (
            m["id_number"] is None and m["phone"] is None and m["address"] is None and m["landline"] is None
        )
        assert m["name"]  # names stay
    for b in data.get("dues_bases") or []:
        assert b["base"] is None
    from decimal import Decimal

    for v in values["income"]:  # 税后 monthly bases, as written in json and as printed in xlsx/pdf
        forms = {f'"{v}"', f"{Decimal(v):,.2f}", f"{Decimal(v):.2f}"}
        for rel, text in texts.items():
            assert not any(f in text for f in forms), f"income {v} found in {rel}"


def test_full_profile_keeps_personal_data(demo_ledger: Ledger, tmp_path: Path) -> None:
    folder = package.build_package(demo_ledger, YEAR, tmp_path, profile="full")
    assert folder.name.endswith("完整版")
    values = personal_values(demo_ledger)
    data = (folder / "data.json").read_text(encoding="utf-8")
    assert values["id_number"][0] in data and values["phone"][0] in data
    roster = next(p for p in all_files(folder) if p.suffix == ".xlsx" and "花名册" in p.name)
    assert values["id_number"][0] in file_texts(roster)
    # the full data.json is a whole interchange document: it loads into a new ledger
    led = open_ledger(tmp_path / "reloaded.sqlite", create=True)
    try:
        interchange.load_file(led, folder / "data.json")
        assert len(interchange.dump(led)["members"]) == len(json.loads(data)["members"])
    finally:
        led.close()


def test_masked_package_redacts_a_template_that_forgets_to_mask(
    demo_ledger: Ledger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from db import members

    phone = next(m.phone for m in members.list_members(demo_ledger) if m.phone)

    def leaky(ledger: Ledger, p: registry.Params) -> Report:
        rows = [[m.name, m.phone, m.id_number] for m in members.list_members(ledger)]
        return Report("泄露测试", blocks=[Table([Col("姓名"), Col("手机"), Col("身份证")], rows)])

    t = registry.Template(key="zz-leaky", title="泄露测试", build=leaky)
    registry.templates()
    monkeypatch.setitem(registry._TEMPLATES, "zz-leaky", t)
    folder = package.build_package(demo_ledger, YEAR, tmp_path)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["redactions"]["zz-leaky"] > 0
    for p in all_files(folder):
        assert phone not in file_texts(p), p
    assert package.verify_package(folder).ok


def test_a_broken_template_is_named_not_fatal(
    demo_ledger: Ledger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(ledger: Ledger, p: registry.Params) -> Report:
        raise ZeroDivisionError("division by zero")

    registry.templates()
    monkeypatch.setitem(
        registry._TEMPLATES, "zz-broken", registry.Template(key="zz-broken", title="坏报表", build=broken)
    )
    folder = package.build_package(demo_ledger, YEAR, tmp_path / "out")
    manifest = package.read_manifest(folder)
    assert [f["template"] for f in manifest["failed"] if f["template"] == "zz-broken"] == ["zz-broken"]
    assert not any(f.get("template") == "zz-broken" for f in manifest["files"])
    assert "坏报表" in (folder / "index.html").read_text(encoding="utf-8")
    # every file is as written, but the package is incomplete: a report is missing (issue #13)
    check = package.verify_package(folder)
    assert check.intact and not check.ok and check.status == "incomplete"
    assert any("坏报表" in f for f in check.failed)


def test_handover_copy_opens_as_a_ledger_and_has_the_list(demo_ledger: Ledger, tmp_path: Path) -> None:
    folder = package.build_package(demo_ledger, YEAR, tmp_path / "out", profile="handover")
    assert folder.name.endswith("交接版")
    assert package.verify_package(folder).ok
    copies = list((folder / "交接").glob("*.sqlite"))
    assert len(copies) == 1
    local = tmp_path / "local.sqlite"
    shutil.copy(
        copies[0], local
    )  # opening takes a lock beside the file: the secretary copies it off the stick
    led = open_ledger(local)
    try:
        assert led.verify()["ok"]
        assert len(interchange.dump(led)["members"]) == len(interchange.dump(demo_ledger)["members"])
    finally:
        led.close()
    text = file_texts(folder / "交接" / "交接清单.pdf")
    for words in (
        "支部书记工作交接清单",
        "原书记",
        "新书记",
        "尚未解决的问题",
        "发展党员待办",
        "党费欠交",
        "整改",
    ):
        assert words in text.replace(" ", ""), words
    # handover is full: personal data stays
    assert personal_values(demo_ledger)["id_number"][0] in (folder / "data.json").read_text(encoding="utf-8")


def test_unknown_profile_and_future_year_refused(demo_ledger: Ledger, tmp_path: Path) -> None:
    out = tmp_path / "out"
    with pytest.raises(package.PackageError):
        package.build_package(demo_ledger, YEAR, out, profile="secret")
    with pytest.raises(package.PackageError, match="还没有到"):
        package.build_package(demo_ledger, 2999, out)
    assert not out.exists() or not any(out.iterdir())


# ------------------------------------------------------------------------------------------ failures


def _fail_after(monkeypatch: pytest.MonkeyPatch, n: int, code: int = errno.ENOSPC) -> None:
    real = package._write_report
    calls = {"n": 0}

    def writer(report: Report, fmt: str, path: Path) -> None:
        calls["n"] += 1
        if calls["n"] > n:
            path.write_bytes(b"half")  # the stick took part of the file, then was full
            raise OSError(code, os.strerror(code), str(path))
        real(report, fmt, path)

    monkeypatch.setattr("exports.package.build._write_report", writer)


def test_full_stick_leaves_nothing_and_keeps_the_earlier_package(
    demo_ledger: Ledger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "stick"
    earlier = package.build_package(demo_ledger, YEAR, out)
    before = (earlier / "manifest.json").read_bytes()
    _fail_after(monkeypatch, 1)
    with pytest.raises(package.PackageError, match="空间不足") as e:
        package.build_package(demo_ledger, YEAR, out)
    assert "没有留下不完整的报送包" in str(e.value)
    assert [p.name for p in out.iterdir()] == [earlier.name]  # no temporary or set-aside folder remains
    assert (earlier / "manifest.json").read_bytes() == before
    assert package.verify_package(earlier).ok


def test_failure_without_earlier_package_leaves_no_folder(
    demo_ledger: Ledger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "stick"
    for code, words in ((errno.ENOSPC, "空间不足"), (errno.EROFS, "只读"), (errno.EIO, "拔出")):
        _fail_after(monkeypatch, 0, code)
        with pytest.raises(package.PackageError, match=words):
            package.build_package(demo_ledger, YEAR, out)
        assert list(out.iterdir()) == []


def test_manifest_write_failure_also_cleans_up(
    demo_ledger: Ledger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = package._write_bytes

    def writer(path: Path, data: bytes) -> None:
        if path.name == "manifest.json":
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        real(path, data)

    monkeypatch.setattr("exports.package.build._write_bytes", writer)
    with pytest.raises(package.PackageError):
        package.build_package(demo_ledger, YEAR, tmp_path / "out")
    assert list((tmp_path / "out").iterdir()) == []


def test_rebuilding_replaces_the_earlier_package_whole(demo_ledger: Ledger, tmp_path: Path) -> None:
    first = package.build_package(demo_ledger, YEAR, tmp_path / "out")
    (first / "stray.txt").write_text("x", encoding="utf-8")
    second = package.build_package(demo_ledger, YEAR, tmp_path / "out")
    assert second == first
    assert [p.name for p in (tmp_path / "out").iterdir()] == [first.name]
    assert package.verify_package(second).ok  # the stray file went with the old package


def test_cancel_leaves_nothing(demo_ledger: Ledger, tmp_path: Path) -> None:
    from exports.report import ExportCancelled

    with pytest.raises(ExportCancelled):
        package.build_package(demo_ledger, YEAR, tmp_path / "out", cancelled=lambda: True)
    assert list((tmp_path / "out").iterdir()) == []


# ------------------------------------------------------------------------------------------ zip


def test_encrypted_zip_reads_back_with_its_password(built: Path, tmp_path: Path) -> None:
    import pyzipper

    z = package.zip_package(built, tmp_path / "报送包.zip", password="正确的密码2026")
    with pyzipper.AESZipFile(z) as zf:
        infos = zf.infolist()
        assert all(i.flag_bits & 0x800 for i in infos)  # UTF-8 names: Chinese stays readable
        assert all(i.flag_bits & 0x1 for i in infos)  # encrypted
        names = [i.filename for i in infos]
        assert f"{built.name}/manifest.json" in names
        assert any("党员花名册" in n for n in names)
        with pytest.raises(RuntimeError):
            zf.read(f"{built.name}/data.json")  # no password
        zf.setpassword("正确的密码2026".encode())
        assert zf.read(f"{built.name}/data.json") == (built / "data.json").read_bytes()
    # the plain zipfile module cannot read AES entries without the password either
    with zipfile.ZipFile(z) as plain, pytest.raises((RuntimeError, NotImplementedError)):
        plain.read(f"{built.name}/data.json")
    assert package.verify_package(z, password="正确的密码2026").ok
    r = package.verify_package(z, password="错的")
    assert not r.ok and "密码不正确" in (r.error or "")
    r = package.verify_package(z)
    assert not r.ok and "请输入密码" in (r.error or "")


def test_plain_zip_and_build_with_zip_password(demo_ledger: Ledger, tmp_path: Path) -> None:
    folder = package.build_package(demo_ledger, YEAR, tmp_path, zip_password="abc12345")
    z = folder.with_name(folder.name + ".zip")
    assert z.is_file() and package.verify_package(z, password="abc12345").ok
    plain = package.zip_package(folder, tmp_path / "plain.zip")
    assert package.verify_package(plain).ok
    # a tampered zip entry is caught
    data = io.BytesIO(plain.read_bytes())
    with zipfile.ZipFile(data) as src, zipfile.ZipFile(tmp_path / "bad.zip", "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename.endswith("data.json"):
                body = body.replace(b'"branch-ledger"', b'"branch-ledgeR"')
            dst.writestr(info, body)
    r = package.verify_package(tmp_path / "bad.zip")
    assert r.status == "tampered" and any("data.json" in c for c in r.changed)
    with pytest.raises(package.PackageError):
        package.zip_package(folder, tmp_path / "empty.zip", password="")


# ------------------------------------------------------------------------------------------ records


def test_record_ids_pick_the_records_of_the_year() -> None:
    doc: dict[str, Any] = {
        "meetings": [
            {"id": 1, "date": "2026-03-01", "finalized_on": "2026-03-02"},
            {"id": 2, "date": "2026-04-01", "finalized_on": None},  # draft: not in the package
            {"id": 3, "date": "2025-12-30", "finalized_on": "2025-12-31"},
        ],
        "applicants": [
            {
                "id": 10,
                "stage": "full",
                "steps": {"applied": "2019-01-01", "full_approved": {"date": "2026-05-01"}},
            },
            {"id": 11, "stage": "activist", "steps": {"applied": "2024-02-01", "activist": "2024-09-01"}},
            {"id": 12, "stage": "stopped", "steps": {"applied": "2020-01-01"}},
            {"id": 13, "stage": "applicant", "steps": {"applied": "2027-01-05"}},
        ],
    }
    assert package.record_ids(doc, "meeting", 2026) == [1]
    assert package.record_ids(doc, "applicant", 2026) == [10, 11]
    doc["meetings"] = [{"id": 5, "date": "2026-01-01"}]  # no finalisation kept: all of the year
    assert package.record_ids(doc, "meeting", 2026) == [5]


def test_per_record_templates_go_to_a_subfolder(
    demo_ledger: Ledger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[int | None] = []

    def build(ledger: Ledger, p: registry.Params) -> Report:
        seen.append(p.applicant_id)
        return Report("纪实测试", blocks=[Table([Col("编号")], [[p.applicant_id]])])

    registry.templates()
    monkeypatch.setitem(
        registry._TEMPLATES,
        "zz-record",
        registry.Template(
            key="zz-record", title="纪实测试", build=build, needs=("applicant",), accepts=("applicant",)
        ),
    )
    monkeypatch.setitem(
        registry._TEMPLATES,
        "sign-in",
        registry.Template(
            key="sign-in", title="签到表", build=build, needs=("applicant",), accepts=("applicant",)
        ),
    )
    monkeypatch.setattr(
        "exports.package.plan.record_ids", lambda doc, need, year: [7, 8] if need == "applicant" else []
    )
    folder = package.build_package(demo_ledger, YEAR, tmp_path)
    files = sorted(p.name for p in (folder / "纪实测试").iterdir())
    assert [f.rsplit("_", 1)[-1] for f in files] == ["7.pdf", "8.pdf"]  # <name>_<id>.pdf
    assert seen == [7, 8]  # sign-in (a blank form) is not part of the package
    assert not (folder / "签到表").exists()


def test_handover_arrears_count_only_months_already_ended(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    import datetime as dt
    from decimal import Decimal

    from exports.handover import arrears_rows

    months = [
        {"month": f"2026-{m:02d}", "due": "10.00", "paid": "10.00" if m < 10 else "0.00"}
        for m in range(1, 13)
    ]
    doc = {"year": 2026, "members": [{"member_id": 1, "name": "张三", "months": months}]}
    monkeypatch.setattr("db.dues.dues_report", lambda led, year: doc)
    rows = arrears_rows(ledger, 2026, dt.date(2026, 11, 22))
    assert rows == [["张三", Decimal("100.00"), Decimal("90.00"), Decimal("10.00"), "2026-10（1 个月）"]]
    rows = arrears_rows(ledger, 2026, dt.date(2026, 11, 30))
    assert (
        rows is not None and rows[0][3] == Decimal("20.00") and rows[0][4] == "2026-10 至 2026-11（2 个月）"
    )
    assert arrears_rows(ledger, 2026, dt.date(2026, 9, 30)) == []


def test_index_reads_like_the_app(built: Path) -> None:
    """Dates as 2026年11月22日 (not ISO), the reports listed before the dozens of meeting records."""
    html = (built / "index.html").read_text(encoding="utf-8")
    manifest = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    assert "统计截至 2026年11月22日" in html
    assert not re.search(r">\d{4}-\d{2}-\d{2}<", html)  # no ISO date in a table cell
    dues = [f["due"] for f in manifest["findings"] if f.get("due")]
    y, m, d = (int(x) for x in dues[0].split("-"))
    assert f">{y}年{m}月{d}日<" in html
    first_report = html.index("报表/01_")
    assert first_report < html.index("会议记录/") and first_report < html.index("data.json</a>")
