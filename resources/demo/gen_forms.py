"""Demo: the park liaison's form pack (resources/forms/demo_pack.py) installed in the demo branch in March, so
the 园区表格 dialog lists three stored forms and every hand-in package of the demo fills them. The gap a real
branch has: the quarterly report's 会议 table is empty in a quarter without meetings, and the roster form's
身份证号 column comes out masked in the masked package (a warning the secretary sees)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import random
import zipfile
from typing import Any


def extend(doc: dict[str, Any], rng: random.Random, ctx: dict[str, Any]) -> None:
    from resources.forms.demo_pack import MANIFEST, build

    today: dt.date = ctx["today"]
    added = dt.date(today.year, 3, 2).isoformat()
    data = build()
    zf = zipfile.ZipFile(io.BytesIO(data))
    manifest = {
        "name": MANIFEST["name"],
        "issuer": MANIFEST["issuer"],
        "forms": [
            {
                "file": f["file"],
                "title": f["title"],
                "period": f["period"],
                "due_day": f["due_day"],
                "profile": f.get("profile", "masked"),
            }
            for f in MANIFEST["forms"]
        ],
    }
    templates = []
    for i, f in enumerate(manifest["forms"], 1):
        body = zf.read(f["file"])
        templates.append(
            {
                "id": i,
                "name": f["title"],
                "version": 1,
                "file_name": f["file"],
                "kind": f["file"].rsplit(".", 1)[1],
                "sha256": hashlib.sha256(body).hexdigest(),
                "added_on": added,
                "pack_id": 1,
                "period": f["period"],
                "due_day": f["due_day"],
                "profile": f["profile"],
                "data": base64.b64encode(body).decode("ascii"),
            }
        )
    doc["form_templates"] = {
        "packs": [
            {
                "id": 1,
                "name": MANIFEST["name"],
                "issuer": MANIFEST["issuer"],
                "version": 1,
                "file_name": f"{MANIFEST['name']}.zip",
                "sha256": hashlib.sha256(data).hexdigest(),
                "manifest": manifest,
                "added_on": added,
                "removed_on": None,
            }
        ],
        "templates": templates,
    }
