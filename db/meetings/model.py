"""What a meeting record is: the dataclasses of a 三会一课 record (议题 and 发言, 决议 and votes, attendance,
people kept out of 应到, amendments, 补学, attachments) and their computed figures (应到, 实到, 有表决权到会, the
vote verdict of RULES.md §1.2), with the fixed vocabularies they use. No SQL here: reads and writes are in
store.py and the files beside it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from db.rules import meetings as rules
from db.rules.meetings import KIND_LABELS, KIND_SHORT, KINDS, METHOD_LABELS, STATUS_LABELS

PAPER_LABEL = "补录（据纸质记录）"
ATTENDANCE_STATUSES = ("present", "leave", "absent", "observer")
ATTACHMENT_KINDS = {"photo": "照片", "sign_in": "签到表扫描件", "other": "其他"}
# Kinds whose 应到 is the whole roster on the date.
WHOLE_BRANCH_KINDS = ("assembly", "theme_day", "lecture", "org_life", "appraisal")
CHILD_TABLES = (
    "meetings",
    "meeting_kinds",
    "meeting_items",
    "meeting_speeches",
    "meeting_decisions",
    "meeting_attendance",
    "meeting_excluded",
    "meeting_amendments",
    "meeting_makeups",
    "meeting_attachments",
    "planned_meetings",
)
FIELD_LABELS = {
    "kinds": "会议类型",
    "date": "日期",
    "start_time": "开始时间",
    "end_time": "结束时间",
    "place": "地点",
    "host_id": "主持人",
    "recorder_id": "记录人",
    "group_id": "党小组",
    "topic": "主题",
    "lecturer": "授课人",
    "lecture_title": "党课题目",
    "minutes": "会议内容",
    "leftover": "遗留问题",
    "observers": "列席（非本支部人员）",
    "notes": "备注",
    "agenda": "议题及讨论",
    "decisions": "决议及表决",
    "attendance": "出席情况",
    "excluded": "不计入应到人数",
}


@dataclass
class Speech:
    gist: str
    speaker_id: int | None = None
    speaker_name: str | None = None  # for a speaker not on the roster


@dataclass
class AgendaItem:
    title: str
    minutes: str | None = None
    speeches: list[Speech] = field(default_factory=list)


@dataclass
class Decision:
    text: str
    method: str | None = "show_of_hands"
    yes: int | None = None
    no: int | None = None
    abstain: int | None = None
    written: int | None = None  # 书面意见（赞成） of absent voters, counted toward 赞成
    passed: bool | None = None  # the outcome recorded; None = recorded as adopted
    item: int | None = None  # 1-based 议题 number

    @property
    def method_label(self) -> str:
        return METHOD_LABELS.get(self.method or "", self.method or "")

    @property
    def has_vote(self) -> bool:
        return self.method != "consensus" and self.yes is not None


@dataclass
class Attendance:
    member_id: int
    status: str = "present"
    reason: str | None = None
    category: str | None = "full"  # as of the meeting date
    name: str = ""
    # why a 正式党员 has no vote on the meeting date (留党察看, JG15; 流动 left out of 应到有表决权, LD03):
    # not stored, read from those records (db/meetings/rights.py)
    no_vote: str | None = None

    @property
    def can_vote(self) -> bool:
        return self.category == "full" and not self.no_vote

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def expected(self) -> bool:
        """Counted in 应到 (列席 are not)."""
        return self.status != "observer"


@dataclass
class Exclusion:
    member_id: int
    reason: str
    name: str = ""


@dataclass
class Amendment:
    amended_on: dt.date
    field: str
    before: str | None
    after: str | None
    reason: str

    @property
    def field_label(self) -> str:
        return FIELD_LABELS.get(self.field, self.field)


@dataclass
class Makeup:
    id: int
    member_id: int
    name: str
    done_on: dt.date | None = None
    note: str | None = None


@dataclass
class AttachmentInfo:
    id: int
    meeting_id: int
    kind: str
    name: str
    mime: str | None
    size: int
    added_on: dt.date
    thumbnail: bytes | None = None
    deleted_at: str | None = None

    @property
    def kind_label(self) -> str:
        return ATTACHMENT_KINDS.get(self.kind, self.kind)


@dataclass
class Meeting:
    id: int | None = None
    kinds: list[str] = field(default_factory=list)
    date: dt.date | None = None
    start_time: str | None = None
    end_time: str | None = None
    place: str | None = None
    host_id: int | None = None
    recorder_id: int | None = None
    group_id: int | None = None
    topic: str | None = None
    lecturer: str | None = None
    lecture_title: str | None = None
    minutes: str | None = None
    leftover: str | None = None
    observers: str | None = None
    notes: str | None = None
    agenda: list[AgendaItem] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    attendance: list[Attendance] = field(default_factory=list)
    excluded: list[Exclusion] = field(default_factory=list)
    entered_on: dt.date | None = None
    finalized_on: dt.date | None = None
    # 补录（据纸质记录）: brought in from the paper 记录本 / an Excel list; attendance as counts, no minutes
    source: str | None = None
    expected_count: int | None = None
    present_count: int | None = None
    # read-only, filled by get_meeting
    amendments: list[Amendment] = field(default_factory=list)
    makeups: list[Makeup] = field(default_factory=list)
    attachments: list[AttachmentInfo] = field(default_factory=list)
    names: dict[int, str] = field(default_factory=dict)

    # -- computed, never typed
    @property
    def is_paper(self) -> bool:
        """补录（据纸质记录）: counts for cadence; not a full record, never presented as minutes."""
        return self.source == "paper"

    @property
    def expected(self) -> list[Attendance]:
        """应到: everyone on the list except 列席 (those excluded per §1.2 are kept apart)."""
        return [a for a in self.attendance if a.expected]

    @property
    def present(self) -> list[Attendance]:
        """实到."""
        return [a for a in self.attendance if a.status == "present"]

    @property
    def absentees(self) -> list[Attendance]:
        return [a for a in self.attendance if a.status in ("leave", "absent")]

    @property
    def observers_list(self) -> list[Attendance]:
        return [a for a in self.attendance if a.status == "observer"]

    @property
    def expected_voters(self) -> int:
        return sum(1 for a in self.expected if a.can_vote)

    @property
    def present_voters(self) -> int:
        return sum(1 for a in self.present if a.can_vote)

    @property
    def is_final(self) -> bool:
        return self.finalized_on is not None

    @property
    def kinds_label(self) -> str:
        return "、".join(KIND_SHORT[k] for k in KINDS if k in self.kinds)

    @property
    def title(self) -> str:
        """会议名称 as on the 记录本 page."""
        full = "、".join(KIND_LABELS[k] for k in KINDS if k in self.kinds)
        return f"{full}：{self.topic}" if self.topic else full

    def name_of(self, member_id: int | None) -> str:
        if member_id is None:
            return ""
        return self.names.get(member_id, f"#{member_id}")

    def verdict(self, d: Decision) -> rules.VoteVerdict:
        absent_voters = sum(1 for a in self.absentees if a.can_vote)
        return rules.judge_vote(
            self.expected_voters, self.present_voters, d.yes, d.no, d.abstain, d.written, absent_voters
        )

    def is_voting(self) -> bool:
        return any(k in rules.VOTING_KINDS for k in self.kinds)

    def late(self, late_entry_days: int) -> bool:
        if self.date is None or self.entered_on is None:
            return False
        return rules.is_late(self.date, self.entered_on, late_entry_days)


def kinds_needing_group(kinds: list[str]) -> bool:
    return "group" in kinds and not any(k in WHOLE_BRANCH_KINDS for k in kinds)


def _blank(s: str | None) -> str | None:
    if s is None:
        return None
    s = s.strip()
    return s or None
