"""三会一课 templates read back: `meeting-record` (the 记录本 page, RULES.md §1.3), `sign-in`, `meetings`
(台账, §6.3) in xlsx and pdf; long minutes flow across pages; one 记录本 page rendered to PNG."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from db import meetings
from db.connection import Ledger
from db.meetings import AgendaItem, Attendance, Decision, Meeting, Speech
from exports import registry
from tests.db.test_meetings import build, member

D = dt.date


def _ledger(tmp_path: Path) -> tuple[Ledger, int]:
    people = [
        member(i, n)
        for i, n in enumerate(["张书记", "李组织", "王宣传", "赵纪检", "钱委员", "孙党员"], start=1)
    ]
    people.append(member(7, "周预备", category="probationary", joined="2026-01-10"))
    terms = [
        {
            "id": 1,
            "kind": "committee",
            "starts_on": "2025-01-01",
            "ends_on": "2027-12-31",
            "members": [
                {"member_id": i, "role": r}
                for i, r in (
                    (1, "secretary"),
                    (2, "organization"),
                    (3, "propaganda"),
                    (4, "discipline"),
                    (5, "member"),
                )
            ],
        }
    ]
    led = build(tmp_path, people, terms=terms)
    m = Meeting(
        kinds=["committee"],
        date=D(2026, 10, 9),
        start_time="14:30",
        end_time="16:00",
        place="三楼会议室",
        host_id=1,
        recorder_id=2,
        topic="研究发展党员工作",
    )
    m.attendance = meetings.expected_attendance(led, m.date, m.kinds)  # type: ignore[arg-type]
    m.attendance[4].status, m.attendance[4].reason = "leave", "出差在外"
    m.attendance.append(Attendance(6, "observer", "列席", "full"))
    m.agenda = [
        AgendaItem("讨论确定发展对象", "支委逐一发表意见", [Speech("同意确定为发展对象", speaker_id=3)])
    ]
    m.decisions = [Decision("同意确定孙某为发展对象", "show_of_hands", 4, 0, 0, 0, item=1)]
    mid = meetings.create_meeting(led, m)
    meetings.finalize_meeting(led, mid, on=D(2026, 10, 10))
    return led, mid


def test_meeting_record_xlsx_and_pdf(tmp_path: Path) -> None:
    led, mid = _ledger(tmp_path)
    p = registry.Params(meeting_id=mid)
    x = registry.export(led, "meeting-record", p, "xlsx", tmp_path / "r.xlsx")
    ws = openpyxl.load_workbook(x).active
    text = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)
    for expected in (
        "会议记录",
        "支部委员会：研究发展党员工作",
        "2026年10月9日 14:30—16:00",
        "三楼会议室",
        "张书记",
        "李组织",
        "5人（其中有表决权5人）",
        "4人（其中有表决权4人）",
        "钱委员（请假：出差在外）",
        "孙党员",
        "讨论确定发展对象",
        "王宣传：同意确定为发展对象",
        "同意确定孙某为发展对象",
        "举手表决",
        "通过",
        "主持人",
    ):
        assert expected in text, expected
    pdf = registry.export(led, "meeting-record", p, "pdf", tmp_path / "r.pdf")
    ptext = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    for expected in ("会议记录", "研究发展党员工作", "出差在外", "同意确定孙某为发展对象", "记录人"):
        assert expected in ptext, expected
    led.close()


def test_amendments_are_printed_beside_the_original(tmp_path: Path) -> None:
    led, mid = _ledger(tmp_path)
    m = meetings.get_meeting(led, mid)
    m.place = "党员活动室"
    meetings.amend_meeting(led, m, "地点记错", on=D(2026, 10, 20))
    x = registry.export(led, "meeting-record", registry.Params(meeting_id=mid), "xlsx", tmp_path / "r.xlsx")
    text = " ".join(
        str(c.value) for row in openpyxl.load_workbook(x).active.iter_rows() for c in row if c.value
    )
    assert "更正记录" in text and "三楼会议室" in text and "党员活动室" in text and "地点记错" in text
    led.close()


def test_long_minutes_flow_across_pages(tmp_path: Path) -> None:
    led, mid = _ledger(tmp_path)
    long = "\n\n".join(
        f"第{i}段：" + "与会同志围绕发展党员工作的程序要求逐条讨论，认为要严格标准、规范程序。" * 6
        for i in range(1, 40)
    )
    m2 = Meeting(
        kinds=["assembly"],
        date=D(2026, 10, 15),
        host_id=1,
        recorder_id=2,
        topic="长记录",
        minutes=long,
        attendance=meetings.expected_attendance(led, D(2026, 10, 15), ["assembly"]),
    )
    mid2 = meetings.create_meeting(led, m2)
    pdf = registry.export(
        led, "meeting-record", registry.Params(meeting_id=mid2), "pdf", tmp_path / "long.pdf"
    )
    reader = PdfReader(pdf)
    assert len(reader.pages) >= 3
    text = "".join(p.extract_text() for p in reader.pages)
    assert "第1段" in text and "第39段" in text  # nothing clipped
    led.close()


def test_sign_in_lists_every_expected_name(tmp_path: Path) -> None:
    led, mid = _ledger(tmp_path)
    x = registry.export(led, "sign-in", registry.Params(meeting_id=mid), "xlsx", tmp_path / "s.xlsx")
    text = " ".join(
        str(c.value) for row in openpyxl.load_workbook(x).active.iter_rows() for c in row if c.value
    )
    for name in ("张书记", "李组织", "王宣传", "赵纪检", "钱委员", "签名"):
        assert name in text
    assert "孙党员" not in text  # 列席 are written in by hand, not pre-printed as expected
    pdf = registry.export(led, "sign-in", registry.Params(meeting_id=mid), "pdf", tmp_path / "s.pdf")
    assert "钱委员" in PdfReader(pdf).pages[0].extract_text()
    led.close()


def test_meetings_ledger_year_and_quarter(tmp_path: Path) -> None:
    led, mid = _ledger(tmp_path)
    other = Meeting(
        kinds=["theme_day", "lecture"],
        date=D(2026, 2, 10),
        host_id=1,
        recorder_id=2,
        topic="党课",
        lecturer="张书记",
        lecture_title="做新时代合格党员",
        attendance=meetings.expected_attendance(led, D(2026, 2, 10), ["theme_day"]),
    )
    meetings.create_meeting(led, other)
    x = registry.export(led, "meetings", registry.Params(year=2026), "xlsx", tmp_path / "l.xlsx")
    ws = openpyxl.load_workbook(x).active
    text = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)
    for col in (
        "序号",
        "会议类型",
        "日期",
        "起止时间",
        "地点",
        "主持人/授课人",
        "记录人",
        "应到",
        "实到",
        "缺席人员及原因",
        "列席",
        "主题/议题",
        "主要内容",
        "决议及表决结果",
        "附件",
    ):
        assert col in text, col
    assert "支委会" in text and "党课、主题党日" in text and "赞成4、反对0、弃权0，通过" in text
    q4 = registry.export(led, "meetings", registry.Params(year=2026, quarter=4), "xlsx", tmp_path / "q4.xlsx")
    t4 = " ".join(
        str(c.value) for row in openpyxl.load_workbook(q4).active.iter_rows() for c in row if c.value
    )
    assert "支委会" in t4 and "做新时代合格党员" not in t4 and "第4季度" in t4
    led.close()


def test_templates_registered_with_choices(tmp_path: Path) -> None:
    led, mid = _ledger(tmp_path)
    t = registry.get("meeting-record")
    assert t.needs == ("meeting",) and t.choices is not None and t.choices(led)[0][0] == mid
    assert registry.get("sign-in").needs == ("meeting",)
    assert registry.get("meetings").needs == ("year",)
    with pytest.raises(ValueError):
        registry.export(led, "meeting-record", registry.Params(meeting_id=999), "pdf", tmp_path / "x.pdf")
    led.close()


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_record_page_renders(tmp_path: Path) -> None:
    from PIL import Image

    led, mid = _ledger(tmp_path)
    out = registry.export(led, "meeting-record", registry.Params(meeting_id=mid), "pdf", tmp_path / "r.pdf")
    subprocess.run(
        ["pdftoppm", "-r", "70", "-png", "-f", "1", "-l", "1", str(out), str(tmp_path / "page")], check=True
    )
    png = next(tmp_path.glob("page*.png"))
    img = Image.open(png).convert("L")
    w, h = img.size
    assert w < h  # portrait A4
    dark = sum(img.histogram()[:128])
    assert dark > 2000  # text, the header grid and the tables are drawn
    led.close()


def test_meetings_ledger_pdf_keeps_times_on_one_line(tmp_path: Path) -> None:
    """起止时间 "14:30—16:00" fits its column on A4 landscape (it used to break as "14:30—16:0" / "0")."""
    led, _mid = _ledger(tmp_path)
    pdf = registry.export(led, "meetings", registry.Params(year=2026), "pdf", tmp_path / "l.pdf")
    text = "".join(page.extract_text() or "" for page in PdfReader(str(pdf)).pages)
    assert "14:30—16:00" in text
    led.close()
