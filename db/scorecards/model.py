"""星级 / 考核 self-assessment (RULES-EXT.md §16.4, YQ13–YQ17): a scheme is data — items with points and how each
is evidenced — issued by an upper 党委 for a year. No national star scale exists (YQ17): every item, weight and
threshold comes from the scheme file, never from the program.

An item is evidenced either by a ledger fact the app computes, from a fixed list of evidence kinds
(`EVIDENCE_KINDS`), or by a manual check with evidence text. The pure rules here turn an item's outcome into its
score and a total into stars."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from db.rules.meetings import KIND_LABELS as MEETING_KIND_LABELS


@dataclass(frozen=True)
class EvidenceKind:
    code: str
    label: str
    params: tuple[str, ...]  # parameter names the kind takes
    screen: str  # where the secretary fixes a gap: a section key of the main window
    describe: str  # what is computed, for the screen and docs


EVIDENCE_KINDS: dict[str, EvidenceKind] = {
    k.code: k
    for k in (
        EvidenceKind(
            "meetings_cadence",
            "会议按期召开",
            ("kind",),
            "meetings",
            "该类会议本年度应召开的每个周期都已召开（按三会一课周期计算）",
        ),
        EvidenceKind(
            "dues_collected", "党费按月足额交纳", (), "dues", "本年度应交党费已全部交纳，无欠交党员"
        ),
        EvidenceKind("dues_remitted", "党费按时上缴", (), "dues", "本年度已收党费已全部上缴上级党委"),
        EvidenceKind(
            "checklist_met", "阵地清单达标", (), "checklist", "本年度清单（如六个一）全部项目自查达标"
        ),
        EvidenceKind(
            "findings_clear",
            "无相关工作提醒",
            ("codes",),
            "findings",
            "年末（或今天）没有所列方面的工作提醒（按提醒代码的首字母：发展党员 D、党费 P……）",
        ),
        EvidenceKind(
            "posts_active", "设岗定责", ("min",), "park", "本年度在岗的党员示范岗/责任区不少于规定数量"
        ),
        EvidenceKind("manual", "人工核对", (), "park", "由书记对照佐证材料逐项核对"),
    )
}


@dataclass
class Item:
    key: str
    title: str
    points: Decimal
    evidence: str = "manual"
    params: dict[str, Any] = field(default_factory=dict)
    standard: str | None = None
    id: int | None = None

    @property
    def evidence_label(self) -> str:
        k = EVIDENCE_KINDS.get(self.evidence)
        if k is None:
            return self.evidence
        if self.evidence == "meetings_cadence":
            return f"{k.label}（{MEETING_KIND_LABELS.get(str(self.params.get('kind')), '?')}）"
        if self.evidence == "findings_clear":
            from db.scorecards.score import areas_of

            return f"{k.label}（{'、'.join(areas_of([str(c) for c in self.params.get('codes') or []]))}）"
        if self.evidence == "posts_active":
            return f"{k.label}（不少于{self.params.get('min', 1)}个）"
        return k.label


@dataclass
class StarLevel:
    stars: int
    min_score: Decimal


@dataclass
class Scheme:
    name: str
    year: int
    items: list[Item] = field(default_factory=list)
    issuer: str | None = None
    source: str | None = None
    example: bool = False
    stars: list[StarLevel] = field(default_factory=list)
    notes: str | None = None
    id: int | None = None

    @property
    def total_points(self) -> Decimal:
        return sum((it.points for it in self.items), Decimal(0))

    def find(self, key: str) -> Item | None:
        return next((it for it in self.items if it.key == key), None)


@dataclass
class Check:
    """The secretary's check of one item for a year (manual items; a note on computed ones)."""

    scheme_id: int
    year: int
    item_key: str
    met: bool | None = None
    score: Decimal | None = None
    evidence: str | None = None
    checked_on: Any = None
    id: int | None = None


# ------------------------------------------------------------------------------------------ pure rules


def item_score(item: Item, met: bool | None, manual_score: Decimal | None = None) -> Decimal:
    """YQ16-style scoring, kept simple: full points when met, nothing when not met or not yet checked; a manual
    item may carry a partial score (capped at the item's points, never below 0)."""
    if manual_score is not None and item.evidence == "manual":
        return max(Decimal(0), min(item.points, manual_score))
    return item.points if met else Decimal(0)


def stars_for(total: Decimal, levels: list[StarLevel]) -> int | None:
    """The highest star level whose threshold the total reaches; None when the scheme sets no levels (the
    thresholds are the issuer's, YQ13–YQ15: no default scale is claimed)."""
    if not levels:
        return None
    reached = [lv.stars for lv in levels if total >= lv.min_score]
    return max(reached) if reached else 0
