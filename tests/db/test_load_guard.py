"""`ledger load` refuses everything it cannot keep, with the JSON path, and never crashes (issue #13 §1); it is
liberal where the contract leaves a field open: Chinese labels for enumerations, member names for member-id
fields and member ids for person-name fields (issue #11 §4). Each case of the issues is one row below."""

from __future__ import annotations

import codecs
import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import resources
from db import interchange
from db.connection import open_ledger
from db.errors import InputRefused
from exports import cli
from tests.db.demo_cut import demo_cut


@pytest.fixture(scope="module")
def demo() -> dict[str, Any]:
    """The demo document cut to a record of each shape (tests/db/demo_cut.py): each check takes milliseconds."""
    return demo_cut()


def _set(path: tuple[Any, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        box = doc
        for k in path[:-1]:
            box = box[k]
        box[path[-1]] = value

    return change


def _first_applicant_step(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        doc["applicants"][0]["steps"][key] = value

    return change


def _append_copy(path: tuple[Any, ...]) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        box = doc
        for k in path:
            box = box[k]
        box.append(copy.deepcopy(box[0]))

    return change


# (case, change, JSON path named, words in the message)
CASES: list[tuple[str, Callable[[dict[str, Any]], None], str, str]] = [
    ("impossible date", _set(("members", 0, "birth_date"), "2019-02-30"), "members[0].birth_date", "不存在"),
    ("year zero", _set(("members", 0, "birth_date"), "0000-01-01"), "members[0].birth_date", "不存在"),
    ("year 9999", _set(("members", 0, "birth_date"), "9999-12-31"), "members[0].birth_date", "1900—2100"),
    (
        "birth in the future",
        _set(("members", 0, "birth_date"), "2026-11-23"),
        "members[0].birth_date",
        "今天之后",
    ),
    (
        "applicant birth in the future",
        _set(("applicants", 0, "birth_date"), "2027-01-01"),
        "applicants[0].birth_date",
        "今天之后",
    ),
    ("date before 1900", _set(("meetings", 0, "date"), "1899-12-31"), "meetings[0].date", "1900—2100"),
    (
        "paid_on 2019-13-45",
        _set(("dues_payments", 0, "paid_on"), "2019-13-45"),
        "dues_payments[0].paid_on",
        "不存在",
    ),
    ("month 0000-00", _set(("dues_payments", 0, "month"), "0000-00"), "dues_payments[0].month", "不存在"),
    ("month 2026-13", _set(("dues_payments", 0, "month"), "2026-13"), "dues_payments[0].month", "01—12"),
    ("time 25:00", _set(("meetings", 0, "start_time"), "25:00"), "meetings[0].start_time", "00:00—23:59"),
    ("time 14:60", _set(("meetings", 0, "end_time"), "14:60"), "meetings[0].end_time", "不存在"),
    ("negative money", _set(("dues_payments", 0, "amount"), "-5.00"), "dues_payments[0].amount", "负数"),
    (
        "400-digit amount",
        _set(("dues_payments", 0, "amount"), "9" * 400 + ".00"),
        "dues_payments[0].amount",
        "超出合理范围",
    ),
    (
        "money over the bound",
        _set(("remittances", 0, "amount"), "10000000.01"),
        "remittances[0].amount",
        "上限",
    ),
    ("three decimals", _set(("dues_payments", 0, "amount"), "5.001"), "dues_payments[0].amount", "两位小数"),
    ("method bitcoin", _set(("dues_payments", 0, "method"), "bitcoin"), "dues_payments[0].method", "bitcoin"),
    ("NUL in a name", _set(("members", 0, "name"), "张\x00三"), "members[0].name", "控制字符"),
    ("control character in notes", _set(("meetings", 0, "notes"), "a\x1bb"), "meetings[0].notes", "控制字符"),
    ("lone surrogate", _set(("members", 0, "name"), "张\ud800"), "members[0].name", "代理项"),
    ("newline in a name", _set(("members", 0, "name"), "张\n三"), "members[0].name", "换行"),
    ("RTL override in a name", _set(("members", 0, "name"), "\u202e三张"), "members[0].name", "方向"),
    ("zero-width name", _set(("applicants", 0, "name"), "\u200b"), "applicants[0].name", "零宽"),
    ("name too long", _set(("members", 0, "name"), "张" * 51), "members[0].name", "最多 50"),
    ("50 MB string", _set(("members", 0, "notes"), "x" * 50_000_000), "members[0].notes", "文本过长"),
    (
        "notes longer than a form prints",
        _set(("meetings", 0, "notes"), "记" * 2001),
        "meetings[0].notes",
        "最多 2,000",
    ),
    (
        "member's notes longer than the roster prints",
        _set(("members", 0, "notes"), "记" * 151),
        "members[0].notes",
        "最多 150",
    ),
    (
        "decision longer than the record prints",
        _set(("meetings", 0, "decisions"), [{"text": "决" * 501}]),
        "meetings[0].decisions[0].text",
        "最多 500",
    ),
    ("id beyond 64 bits", _set(("members", 0, "id"), 2**64), "members[0].id", "64 位"),
    ("id beyond 2^53", _set(("meetings", 0, "id"), 2**60), "meetings[0].id", "上限"),
    (
        "vote count beyond 64 bits",
        _set(("meetings", 0, "decisions"), [{"text": "决议", "yes": 2**70}]),
        "meetings[0].decisions[0].yes",
        "64 位",
    ),
    (
        "vote count not sane",
        _set(("elections", 0, "candidates", 0, "votes_for"), 100_001),
        "elections[0].candidates[0].votes_for",
        "上限",
    ),
    ("negative count", _set(("elections", 0, "present"), -1), "elections[0].present", "下限"),
    ("duplicate member id", _set(("members", 1, "id"), 1), "members[1].id", "重复"),
    ("duplicate payment id", _set(("dues_payments", 1, "id"), 1), "dues_payments[1].id", "重复"),
    ("duplicate meeting id", _set(("meetings", 1, "id"), 1), "meetings[1].id", "重复"),
    (
        "member twice in attendance",
        _append_copy(("meetings", 0, "attendance")),
        "meetings[0].attendance[5].member_id",
        "两次",
    ),
    (
        "member twice among candidates",
        _append_copy(("elections", 0, "candidates")),
        "elections[0].candidates",
        "两次",
    ),
    ("missing group", _set(("members", 3, "group_id"), 999), "members[3].group_id", "不存在"),
    (
        "missing member of a payment",
        _set(("dues_payments", 0, "member_id"), 4242),
        "dues_payments[0].member_id",
        "不存在",
    ),
    ("missing host", _set(("meetings", 0, "host_id"), 4242), "meetings[0].host_id", "不存在"),
    ("missing term of an election", _set(("elections", 0, "term_id"), 77), "elections[0].term_id", "不存在"),
    (
        "unknown enumeration",
        _set(("meetings", 0, "attendance", 0, "status"), "迟到"),
        "meetings[0].attendance[0].status",
        "取值只能是",
    ),
    (
        "bad date inside a step object",
        _first_applicant_step("talked", {"date": "2024-02-30", "by": "许艳燕"}),
        "applicants[0].steps.talked.date",
        "不存在",
    ),
    (
        "bad plain step date",
        _first_applicant_step("applied", "2024-02-30"),
        "applicants[0].steps.applied",
        "不存在",
    ),
    (
        "unknown member name as host",
        _set(("meetings", 0, "host_id"), "查无此人"),
        "meetings[0].host_id",
        "没有名为",
    ),
    (
        "unknown member id as 谈话人",
        _first_applicant_step("talked", {"date": "2023-04-06", "by": 4242}),
        "applicants[0].steps.talked.by",
        "没有 id 为 4242",
    ),
    (
        "NaN",
        _set(("applicants", 0, "steps", "training"), {"start": "2024-01-01", "hours": float("nan")}),
        "applicants[0].steps.training.hours",
        "有限",
    ),
    (
        "deep nesting in a field",
        _set(("members", 0, "notes"), json.loads("[" * 40 + "]" * 40)),
        "members[0].notes",
        "嵌套",
    ),
]


@pytest.mark.parametrize(("change", "path", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_bad_value_is_refused_with_its_path(
    demo: dict[str, Any], change: Callable[[dict[str, Any]], None], path: str, words: str
) -> None:
    doc = copy.deepcopy(demo)
    change(doc)
    with pytest.raises(InputRefused) as err:
        interchange.check(doc, source="bad.json")
    hits = [p for p in err.value.problems if (p.column or "").startswith(path)]
    assert hits, [str(p) for p in err.value.problems]
    assert any(words in p.message for p in hits), [str(p) for p in hits]
    assert all(p.file == "bad.json" for p in err.value.problems)


@pytest.mark.parametrize(
    ("key", "value", "words"),
    [
        ("dues_cap", "-5.00", "负数"),
        ("dues_cap", "abc", "两位小数"),
        ("dues_cap", 5, "类型"),
        ("late_entry_days", 366, "上限"),
        ("attachment_max_mb", 0, "下限"),
        ("election_quorum", "x", "取值只能是"),
    ],
)
def test_settings_are_checked_to_their_choices_and_ranges(
    demo: dict[str, Any], key: str, value: Any, words: str
) -> None:
    doc = copy.deepcopy(demo)
    doc["settings"][key] = value
    with pytest.raises(InputRefused) as err:
        interchange.check(doc)
    (p,) = err.value.problems
    assert p.column == f"settings.{key}" and words in p.message


def test_the_settings_schema_follows_the_settings() -> None:
    from db.settings.store import SPECS

    schema = json.loads((interchange.SCHEMA_DIR / "settings.json").read_text("utf-8"))["properties"]
    # records_start_on is a date kept with the settings but owned by db/opening (validated there), not a spec
    assert set(schema) == {s.key for s in SPECS} | {"records_start_on"}
    for s in SPECS:
        if s.choices:
            assert schema[s.key]["enum"] == [c for c, _ in s.choices] + [None]
        elif s.minimum is not None or s.maximum is not None:
            assert (schema[s.key].get("minimum"), schema[s.key].get("maximum")) == (s.minimum, s.maximum)


def test_duplicate_id_number_is_refused_at_the_second_member(demo: dict[str, Any]) -> None:
    doc = copy.deepcopy(demo)
    doc["members"][5]["id_number"] = doc["members"][2]["id_number"]
    with pytest.raises(InputRefused) as err:
        interchange.check(doc)
    assert [p.column for p in err.value.problems] == ["members[5].id_number"]


def test_all_problems_at_once_and_nothing_written(demo: dict[str, Any], tmp_path: Path) -> None:
    doc = copy.deepcopy(demo)
    doc["members"][0]["birth_date"] = "2019-02-30"
    doc["dues_payments"][3]["method"] = "bitcoin"
    doc["meetings"][2]["start_time"] = "25:00"
    doc["members"][3]["group_id"] = 999
    led = open_ledger(tmp_path / "l.sqlite", create=True)
    try:
        with pytest.raises(InputRefused) as err:
            interchange.load(led, doc, source="bad.json")
        assert {p.column for p in err.value.problems} == {
            "members[0].birth_date",
            "dues_payments[3].method",
            "meetings[2].start_time",
            "members[3].group_id",
        }
        assert "4 处" in str(err.value)
        assert interchange.is_empty(led) and led.scalar("SELECT count(*) FROM ops") == 0
    finally:
        led.close()


# ------------------------------------------------------------------------------------------ files


def _load_cli(tmp_path: Path, data: bytes, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    src = tmp_path / "in.json"
    src.write_bytes(data)
    db = tmp_path / "new" / "l.sqlite"
    code = cli.main(["--db", str(db), "load", str(src), "--json"])
    out, err = capsys.readouterr()
    assert code == 1, out
    assert "Traceback" not in err and "Traceback" not in out
    assert not db.exists() and not db.parent.exists()
    error: dict[str, Any] = json.loads(out)["error"]
    assert error["code"] == "refused"
    return error


def _details(error: dict[str, Any]) -> str:
    return " ".join(f"{d['where']} {d['message']}" for d in error["details"])


def test_a_gbk_file_is_named_as_gbk(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = resources.demo_document().read_text("utf-8")
    error = _load_cli(tmp_path, text.encode("gb18030"), capsys)
    assert "GBK" in _details(error) and "UTF-8" in _details(error)


@pytest.mark.parametrize(
    ("encoding", "bom", "named"),
    [
        ("utf-16-le", codecs.BOM_UTF16_LE, "UTF-16"),
        ("utf-16-be", b"", "UTF-16"),
        ("utf-32-le", codecs.BOM_UTF32_LE, "UTF-32"),
    ],
)
def test_a_utf16_or_utf32_file_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], encoding: str, bom: bytes, named: str
) -> None:
    text = '{"format": "branch-ledger", "version": 1, "members": []}'
    error = _load_cli(tmp_path, bom + text.encode(encoding), capsys)
    assert named in _details(error)


def test_a_binary_file_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    error = _load_cli(tmp_path, bytes(range(256)) * 8, capsys)
    assert "UTF-8" in _details(error)


def test_nesting_100000_deep_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    error = _load_cli(tmp_path, b"[" * 100_000 + b"]" * 100_000, capsys)
    assert "嵌套" in _details(error)


def test_nesting_100000_deep_inside_a_field(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    head = b'{"format": "branch-ledger", "version": 1, "branch": {"name": "x", "notes": '
    error = _load_cli(tmp_path, head + b"[" * 100_000 + b"]" * 100_000 + b"}}", capsys)
    assert "嵌套" in _details(error)


def test_a_number_of_5000_digits_is_reported_at_its_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = (
        b'{"format": "branch-ledger", "version": 1, "members": [{"id": ' + b"7" * 5000 + b', "name": "x"}]}'
    )
    error = _load_cli(tmp_path, data, capsys)
    assert "members[0].id" in _details(error) and "超出范围" in _details(error)


def test_nan_and_infinity_and_a_huge_float_are_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = b'{"format": "branch-ledger", "version": 1, "settings": {"late_entry_days": NaN}, "x": Infinity, "y": 1e999}'
    details = _details(_load_cli(tmp_path, data, capsys))
    assert "settings.late_entry_days" in details and "“x”" in details and "“y”" in details


def test_a_key_given_twice_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = '{"format": "branch-ledger", "version": 1, "branch": {"name": "甲", "name": "乙"}}'.encode()
    assert "出现了不止一次" in _details(_load_cli(tmp_path, data, capsys))


def test_a_json_syntax_error_gives_line_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    error = _load_cli(tmp_path, b'{"format": "branch-ledger",\n "version": 1,,}', capsys)
    assert "第2行" in error["details"][0]["where"] and "字段名" in error["details"][0]["message"]


def test_a_lone_surrogate_escape_in_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = b'{"format": "branch-ledger", "version": 1, "branch": {"name": "\\ud800"}}'
    assert "branch.name" in _details(_load_cli(tmp_path, data, capsys))


# ------------------------------------------------------------------------------------------ liberal


def test_chinese_labels_load_as_their_codes(demo: dict[str, Any], tmp_path: Path) -> None:
    """Every enumeration accepts the label the GUI shows; the ledger then holds exactly what the codes give."""
    doc = copy.deepcopy(demo)
    m = doc["members"]
    m[0]["gender"], m[0]["category"], m[0]["status"] = (
        ("男" if m[0]["gender"] == "male" else "女"),
        "正式党员",
        "在册",
    )
    m[0]["occupation"] = {
        "worker": "工人（工勤技能人员）",
        "professional": "企事业单位、社会组织专业技术人员",
    }.get(m[0]["occupation"], m[0]["occupation"])
    meeting = next(x for x in doc["meetings"] if x["decisions"] and x["attendance"])
    labels = {"present": "出席", "leave": "请假", "absent": "缺席", "observer": "列席"}
    for a in meeting["attendance"]:
        a["status"] = labels[a["status"]]
        a["category"] = {"full": "正式党员", "probationary": "预备党员"}.get(a["category"], a["category"])
    methods = {
        "show_of_hands": "举手表决",
        "ballot": "无记名投票",
        "roll_call": "口头表决",
        "consensus": "一致同意（未逐一表决）",
    }
    for d in meeting["decisions"]:
        d["method"] = methods.get(d["method"], d["method"])
    kinds = {
        "assembly": "支部党员大会",
        "committee": "支委会",
        "lecture": "党课",
        "theme_day": "主题党日",
        "group": "党小组会",
    }
    meeting["kinds"] = [kinds.get(k, k) for k in meeting["kinds"]]
    doc["dues_payments"][0]["method"] = {"cash": "现金", "wechat": "微信", "bank": "银行转账"}.get(
        doc["dues_payments"][0]["method"], doc["dues_payments"][0]["method"]
    )
    doc["dues_bases"][0]["kind"] = {"employed": "在职", "retired": "离退休"}.get(
        doc["dues_bases"][0]["kind"], doc["dues_bases"][0]["kind"]
    )
    doc["committee_terms"][0]["kind"] = "支部委员会"
    for s in doc["committee_terms"][0]["members"]:
        s["role"] = {
            "secretary": "书记",
            "deputy": "副书记",
            "organization": "组织委员",
            "propaganda": "宣传委员",
            "discipline": "纪检委员",
            "member": "委员",
        }[s["role"]]
    doc["elections"][0]["kind"] = "换届选举"
    doc["elections"][0]["method"] = "无记名投票"
    doc["applicants"][0]["stage"] = {
        "applicant": "申请人",
        "activist": "积极分子",
        "candidate": "发展对象",
        "probationary": "预备党员",
        "full": "已转正",
        "stopped": "终止",
    }.get(doc["applicants"][0]["stage"], doc["applicants"][0]["stage"])
    doc["settings"] = {"lecture_cadence": "每季度", "rounding": "到分，四舍五入"}
    a = _load_and_dump(doc, tmp_path / "labels.sqlite")
    plain = copy.deepcopy(demo)
    plain["settings"] = {"lecture_cadence": "quarter", "rounding": "half_up_cent"}
    b = _load_and_dump(plain, tmp_path / "codes.sqlite")
    assert a == b


def test_member_names_and_ids_in_person_fields(demo: dict[str, Any], tmp_path: Path) -> None:
    """A member-id field takes a member's name; a person-name field (谈话人, 授课人, 收款人) takes a member id."""
    doc = copy.deepcopy(demo)
    names = {m["id"]: m["name"] for m in doc["members"]}
    ids = {v: k for k, v in names.items()}
    assert len(ids) == len(names)  # the demo's names are unique
    meeting = next(x for x in doc["meetings"] if x["host_id"] and x["attendance"])
    meeting["host_id"] = names[meeting["host_id"]]
    meeting["attendance"][0]["member_id"] = names[meeting["attendance"][0]["member_id"]]
    pay = doc["dues_payments"][0]
    pay["member_id"] = names[pay["member_id"]]
    talk = doc["talks"][0]  # the 组织生活 sections too
    talk["talker_id"], talk["member_id"] = names[talk["talker_id"]], names[talk["member_id"]]
    talked = next(a for a in doc["applicants"] if isinstance(a["steps"].get("talked"), dict))
    by = talked["steps"]["talked"]["by"]
    member_by = by in ids
    if member_by:
        talked["steps"]["talked"]["by"] = ids[by]
    a = _load_and_dump(doc, tmp_path / "names.sqlite")
    b = _load_and_dump(copy.deepcopy(demo), tmp_path / "ids.sqlite")
    assert a == b
    assert member_by  # the demo's 谈话人 is a member, so the id really was turned into the name


def test_a_name_two_members_share_is_refused_with_the_path(demo: dict[str, Any]) -> None:
    doc = copy.deepcopy(demo)
    doc["members"][1]["name"] = doc["members"][0]["name"]
    doc["meetings"][0]["host_id"] = doc["members"][0]["name"]
    with pytest.raises(InputRefused) as err:
        interchange.check(doc)
    (p,) = err.value.problems
    assert p.column == "meetings[0].host_id" and "2 名党员" in p.message


def _load_and_dump(doc: dict[str, Any], path: Path) -> dict[str, Any]:
    led = open_ledger(path, create=True)
    try:
        interchange.load(led, doc)
        out = interchange.dump(led)
    finally:
        led.close()
    out.pop("exported_at")
    return out


def test_dump_load_round_trip_stays_identical_through_the_file(demo_ledger, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = interchange.dump(demo_ledger)
    src = tmp_path / "dump.json"
    src.write_text(interchange.dumps(first), encoding="utf-8")
    assert cli.main(["--db", str(tmp_path / "again.sqlite"), "load", str(src)]) == 0
    led = open_ledger(tmp_path / "again.sqlite")
    try:
        second = interchange.dump(led)
    finally:
        led.close()
    first.pop("exported_at"), second.pop("exported_at")
    assert interchange.dumps(second) == interchange.dumps(first)
