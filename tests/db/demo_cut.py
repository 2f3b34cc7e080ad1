"""The demo document cut to the records that show every kind of field: all members, groups, terms, elections
and applicants; a meeting of each shape (attachments, speeches, decisions, 补学, amendments); 核定 with a worksheet
and with month bases; a few payments and remittances; a checklist item with sub-items and one with a photo.
Checking it takes tens of milliseconds instead of the whole demo's half second, so that the robustness and
table tests of `load` can check hundreds of documents."""

from __future__ import annotations

import copy
import functools
import json
from typing import Any

import resources
from db.settings.store import SPECS


@functools.lru_cache(maxsize=1)
def _cut_once() -> str:
    return json.dumps(_cut(json.loads(resources.demo_document().read_text("utf-8"))), ensure_ascii=False)


def demo_cut() -> dict[str, Any]:
    """A fresh copy of the cut demo document."""
    doc: dict[str, Any] = json.loads(_cut_once())
    return doc


def _cut(doc: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(doc)

    def first(items: list[dict[str, Any]], *tests: Any, keep: int = 2) -> list[dict[str, Any]]:
        chosen = list(range(min(keep, len(items))))
        for test in tests:
            chosen += [next(i for i, x in enumerate(items) if test(x))]
        return [items[i] for i in sorted(set(chosen))]

    out["meetings"] = first(
        doc["meetings"],
        lambda m: m["attachments"],
        lambda m: any(it["speeches"] for it in m["agenda"]),
        lambda m: m["decisions"],
        lambda m: m["makeups"],
        lambda m: m["amendments"],
        lambda m: m["start_time"],
    )
    # the meetings the 民主评议 and 整改 records rest on
    wanted = {a.get(k) for a in doc.get("appraisals", []) for k in ("assembly_id", "org_life_id")}
    wanted |= {r.get("decision_id") for a in doc.get("appraisals", []) for r in a["results"]}
    wanted |= {r.get("meeting_id") for r in doc.get("rectifications", [])}
    # and those the 指导清单 items and 书记项目 progress notes link to (issue #19)
    wanted |= {i.get("meeting_id") for g in doc.get("guide_lists", []) for i in g["items"]}
    wanted |= {g.get("meeting_id") for p in doc.get("projects", []) for g in p["progress"]}
    kept = {m["id"] for m in out["meetings"]}
    out["meetings"] += [m for m in doc["meetings"] if m["id"] in wanted and m["id"] not in kept]
    out["meetings"].sort(key=lambda m: m["id"])
    out["dues_bases"] = first(doc["dues_bases"], lambda b: b["worksheet"], lambda b: b["month_bases"])
    out["dues_payments"] = doc["dues_payments"][:4]
    out["remittances"] = doc["remittances"][:2]
    out["settings"] = {
        s.key: s.default for s in SPECS
    }  # the demo keeps the defaults: written out, to be changed
    first_year, second_year = out["checklists"]
    first_year["items"] = first_year["items"][:2]
    first_year["items"][0]["sub_items"] = first_year["items"][0]["sub_items"][:2]
    second_year["items"] = [it for it in second_year["items"] if it["photos"]][:1]
    return out
