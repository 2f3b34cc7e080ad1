"""Interchange sections of the committee: `committee_terms` (each term with its seats), `elections` (with their
candidates and votes) and `committee_vacancies`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from db.committee.terms import default_ends_on
from db.dates import from_iso, iso
from db.interchange import insert_row, section

if TYPE_CHECKING:
    from db.connection import Ledger


TERM_KEYS = ["id", "kind", "elected_on", "starts_on", "ends_on", "approval_ref", "notes"]
SEAT_KEYS = ["member_id", "role", "from_on", "to_on", "notes"]


@section("committee_terms", order=40)
def dump_terms(ledger: Ledger) -> list[dict[str, Any]]:
    out = []
    for t in ledger.query(f"SELECT {', '.join(TERM_KEYS)} FROM committee_terms ORDER BY id"):
        d = dict(t)
        d["members"] = [
            dict(s)
            for s in ledger.query(
                f"SELECT {', '.join(SEAT_KEYS)} FROM committee_members WHERE term_id=? ORDER BY id",
                (t["id"],),
            )
        ]
        out.append(d)
    return out


@dump_terms.loader  # type: ignore[attr-defined,untyped-decorator]
def load_terms(ledger: Ledger, value: list[dict[str, Any]]) -> None:
    for t in value:
        data = {k: t.get(k) for k in TERM_KEYS}
        data["kind"] = data["kind"] or "committee"
        if not data["ends_on"]:  # the same default as the GUI and save_term: start + 3 years − 1 day
            start = from_iso(data["starts_on"] or data["elected_on"])
            data["ends_on"] = iso(default_ends_on(start))
        insert_row(ledger, "committee_terms", data)
        for s in t.get("members") or []:
            insert_row(ledger, "committee_members", {"term_id": t["id"], **{k: s.get(k) for k in SEAT_KEYS}})


ELECTION_KEYS = [
    "id",
    "kind",
    "held_on",
    "term_id",
    "expected",
    "present",
    "seats",
    "method",
    "secretary_approved_on",
    "secretary_approval_ref",
    "members_filed_on",
    "members_filing_ref",
    "notes",
]
CANDIDATE_KEYS = ["member_id", "votes_for", "votes_against", "abstain", "elected", "role", "notes"]


@section("elections", order=45)
def dump_elections(ledger: Ledger) -> list[dict[str, Any]]:
    out = []
    for r in ledger.query(f"SELECT {', '.join(ELECTION_KEYS)} FROM elections ORDER BY id"):
        d = dict(r)
        d["candidates"] = []
        for c in ledger.query(
            f"SELECT {', '.join(CANDIDATE_KEYS)} FROM election_candidates WHERE election_id=? "
            "ORDER BY position, id",
            (r["id"],),
        ):
            cd = dict(c)
            cd["elected"] = None if cd["elected"] is None else bool(cd["elected"])
            d["candidates"].append(cd)
        out.append(d)
    return out


@dump_elections.loader  # type: ignore[attr-defined,untyped-decorator]
def load_elections(ledger: Ledger, value: list[dict[str, Any]]) -> None:
    for e in value:
        data = {k: e.get(k) for k in ELECTION_KEYS}
        data["kind"] = data["kind"] or "general"
        data["method"] = data["method"] or "secret"
        insert_row(ledger, "elections", data)
        for pos, c in enumerate(e.get("candidates") or []):
            cd = {k: c.get(k) for k in CANDIDATE_KEYS}
            cd["elected"] = None if cd["elected"] is None else int(bool(cd["elected"]))
            insert_row(ledger, "election_candidates", {"election_id": e["id"], "position": pos, **cd})


VACANCY_KEYS = ["id", "term_id", "role", "member_id", "arose_on", "reason", "filled_by", "filled_on", "notes"]


@section("committee_vacancies", order=46)
def dump_vacancies(ledger: Ledger) -> list[dict[str, Any]]:
    return [
        dict(r)
        for r in ledger.query(f"SELECT {', '.join(VACANCY_KEYS)} FROM committee_vacancies ORDER BY id")
    ]


@dump_vacancies.loader  # type: ignore[attr-defined,untyped-decorator]
def load_vacancies(ledger: Ledger, value: list[dict[str, Any]]) -> None:
    for v in value:
        insert_row(ledger, "committee_vacancies", {k: v.get(k) for k in VACANCY_KEYS})
