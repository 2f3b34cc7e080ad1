"""The `mobility`, `honors`, `discipline` and `care` interchange sections (issue #18): dump → load → dump, load
checks naming JSON paths, and the masked 报送包 carrying none of the personal reasons and contacts."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

import pytest

from db import care, honors, interchange, mobility
from db.connection import Ledger, open_ledger
from db.errors import InputRefused
from tests.orglife_data import add_members

D = dt.date
SECTIONS = ("mobility", "honors", "discipline", "care")
SECRETS = (
    "照顾患病母亲外出",
    "13912345678",
    "王联系人15800001111",
    "酒后驾驶被处分",
    "屡教不改",
    "因病致困欠债八万",
    "胃癌术后",
    "谈及家庭变故",
)


def fill(ledger: Ledger) -> list[int]:
    ids = add_members(ledger, 5)
    o = mobility.Outing(
        ids[0],
        D(2025, 12, 1),
        "江苏省苏州市工业园区",
        employer="某科技公司",
        away_reason=SECRETS[0],
        contact=SECRETS[1],
        host_branch="园区某企业党支部",
        host_contact=SECRETS[2],
        card_no="320500-0001",
        card_issued_on=D(2025, 11, 28),
        card_valid_until=D(2026, 11, 27),
        vote_elsewhere=True,
        fixed_place=True,
    )
    mobility.save_outing(ledger, o)
    assert o.id is not None
    mobility.save_contact(ledger, mobility.Contact(o.id, D(2026, 2, 1), "phone", "组织委员", SECRETS[7]))
    mobility.set_dues_elsewhere(ledger, ids[0], ["2026-01", "2026-02"], "园区某企业党支部")
    mobility.save_lost(ledger, mobility.Lost(ids[1], D(2025, 10, 1)))
    honors.save_award(
        ledger,
        honors.Award(ids[2], "excellent_member", D(2026, 6, 28), level="committee", doc_no="园党〔2026〕5号"),
    )
    honors.save_sanction(
        ledger,
        honors.Sanction(
            ids[3],
            "probation",
            D(2026, 3, 1),
            ends_on=D(2027, 3, 1),
            sanction_reason=SECRETS[3],
            notes=SECRETS[3],
        ),
    )
    honors.save_disposition(
        ledger,
        honors.Disposition(ids[4], "correct", D(2026, 1, 5), D(2026, 1, 10), disposition_reason=SECRETS[4]),
    )
    care.save_entry(
        ledger,
        care.CareEntry(
            ids[2], "hardship", D(2025, 1, 1), hardship_detail=SECRETS[5], exempt=True, notes=SECRETS[6]
        ),
    )
    care.save_visit(
        ledger, care.Visit(ids[2], D(2026, 1, 20), "spring", "money", amount="500", fund="upper", signed=True)
    )
    return ids


def test_round_trip(ledger: Ledger, tmp_path: Path) -> None:
    fill(ledger)
    doc = interchange.dump(ledger)
    assert doc["mobility"]["outings"][0]["contacts"][0]["log_note"] == SECRETS[7]
    assert doc["mobility"]["outings"][0]["vote_elsewhere"] is True
    assert [m["month"] for m in doc["mobility"]["dues_elsewhere"]] == ["2026-01", "2026-02"]
    assert doc["honors"][0]["kind"] == "excellent_member"
    assert doc["discipline"]["sanctions"][0]["kind"] == "probation"
    assert doc["care"]["register"][0]["exempt"] is True and doc["care"]["visits"][0]["amount"] == "500.00"
    other = open_ledger(tmp_path / "copy.sqlite", create=True)
    try:
        interchange.load(other, json.loads(json.dumps(doc)))
        again = interchange.dump(other)
        for key in SECTIONS:
            assert again[key] == doc[key], key
        assert mobility.list_outings(other)[0].contacts[0].way == "phone"
    finally:
        other.close()


@pytest.mark.parametrize(
    ("where", "path"),
    [
        (lambda d: d["mobility"]["outings"][0], "mobility.outings[0].member_id"),
        (lambda d: d["discipline"]["sanctions"][0], "discipline.sanctions[0].member_id"),
        (lambda d: d["care"]["visits"][0], "care.visits[0].member_id"),
        (lambda d: d["honors"][0], "honors[0].member_id"),
    ],
)
def test_dangling_member_is_refused_by_json_path(ledger: Ledger, tmp_path: Path, where, path: str) -> None:  # type: ignore[no-untyped-def]
    fill(ledger)
    doc = interchange.dump(ledger)
    where(doc)["member_id"] = 999
    other = open_ledger(tmp_path / "bad.sqlite", create=True)
    try:
        with pytest.raises(InputRefused) as e:
            interchange.load(other, doc)
        assert any(p.column == path or path in str(p) for p in e.value.problems), [
            str(p) for p in e.value.problems
        ]
        assert interchange.is_empty(other)
    finally:
        other.close()


def test_bad_enum_names_the_path(ledger: Ledger, tmp_path: Path) -> None:
    fill(ledger)
    doc = interchange.dump(ledger)
    doc["discipline"]["dispositions"][0]["kind"] = "warning"
    other = open_ledger(tmp_path / "bad.sqlite", create=True)
    try:
        with pytest.raises(InputRefused, match=r"discipline\.dispositions\[0\]\.kind"):
            interchange.load(other, doc)
    finally:
        other.close()


def _text(path: Path) -> str:
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as z:
            return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    if path.suffix == ".pdf":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    return path.read_bytes().decode("utf-8", "replace")


def test_masked_package_carries_no_personal_reason(ledger: Ledger, tmp_path: Path) -> None:
    from exports import package

    fill(ledger)
    folder = package.build_package(ledger, 2026, tmp_path / "out")
    texts = {p.relative_to(folder).as_posix(): _text(p) for p in sorted(folder.rglob("*")) if p.is_file()}
    leaks = [(name, s) for s in SECRETS for name, t in texts.items() if s in t]
    assert leaks == []
    data = json.loads(texts["data.json"])
    o = data["mobility"]["outings"][0]
    assert o["destination"] == "江苏省苏州市工业园区"  # where a member went is kept
    assert o["away_reason"] is None and o["contact"] is None and o["contacts"][0]["log_note"] is None
    assert data["discipline"]["sanctions"][0]["sanction_reason"] is None
    assert (
        data["care"]["register"][0]["hardship_detail"] is None
        and data["care"]["register"][0]["notes"] is None
    )
    # the full profile keeps them
    full = package.build_package(ledger, 2026, tmp_path / "full", profile="full")
    assert SECRETS[3] in (full / "data.json").read_text(encoding="utf-8")


def test_a_month_paid_both_here_and_elsewhere_is_refused_on_load(tmp_path: Path) -> None:
    doc = {
        "format": "branch-ledger",
        "version": 1,
        "branch": {"name": "测试支部"},
        "members": [{"id": 1, "name": "甲"}],
        "mobility": {
            "outings": [{"id": 1, "member_id": 1, "left_on": "2026-01-01", "destination": "苏州"}],
            "dues_elsewhere": [
                {"member_id": 1, "month": "2026-02"},
                {"member_id": 1, "month": "2026-02"},
                {"member_id": 1, "month": "2026-03"},
            ],
        },
        "dues_payments": [{"id": 1, "member_id": 1, "month": "2026-03", "amount": "5.00"}],
    }
    led = open_ledger(tmp_path / "x.sqlite", create=True)
    try:
        with pytest.raises(InputRefused) as e:
            interchange.load(led, doc)
        cols = {p.column for p in e.value.problems}
        assert cols == {"mobility.dues_elsewhere[1].month", "mobility.dues_elsewhere[2].month"}
        assert any("只在一处交纳" in p.message for p in e.value.problems)
        assert interchange.is_empty(led)
    finally:
        led.close()
