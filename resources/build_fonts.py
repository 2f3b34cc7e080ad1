"""Build step: static Regular and Bold instances of Noto Sans SC from the variable font.

The PyPI package `justmytype-intl-cjk` ships `NotoSansSC[wght].ttf` (OFL-1.1, TrueType outlines, which
reportlab can embed). Its default instance is Thin, so we cut static weights with fontTools' instancer.
The result is cached in ~/.cache/branch-ledger/fonts so a clean clone builds it once per machine.
The instances keep the variable font's own `head.modified` date instead of the build time, so every machine, with
or without the cache, makes the same bytes (a reproducible release, docs/windows.md).
Usage: python -m resources.build_fonts
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "fonts"
WEIGHTS = {"Regular": 400, "Bold": 700}
RECIPE = "r2"  # bump when the instances change for the same source (r2: no build-time timestamp)


def _source() -> Path:
    import justmytype_intl_cjk

    base = Path(justmytype_intl_cjk.__file__).resolve().parent
    return base / "fonts" / "ofl" / "notosanssc" / "NotoSansSC[wght].ttf"


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "branch-ledger" / "fonts"


def build(force: bool = False) -> list[Path]:
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer

    src = _source()
    digest = hashlib.sha256(src.read_bytes()).hexdigest()[:12]
    cache = _cache_dir() / f"{digest}-{RECIPE}"
    OUT.mkdir(parents=True, exist_ok=True)
    made = []
    for style, weight in WEIGHTS.items():
        name = f"NotoSansSC-{style}.ttf"
        target = OUT / name
        cached = cache / name
        if not cached.exists() or force:
            # recalcTimestamp=False: keep the source's date; fontTools would write the time of this run
            font = TTFont(src, recalcTimestamp=False)
            static = instancer.instantiateVariableFont(font, {"wght": weight}, updateFontNames=True)
            cache.mkdir(parents=True, exist_ok=True)
            tmp = cached.with_suffix(".part")
            static.save(tmp)
            tmp.replace(cached)
        # also replaces a font an older recipe left in the tree
        if not target.exists() or target.read_bytes() != cached.read_bytes():
            shutil.copyfile(cached, target)
        made.append(target)
    lic = OUT / "OFL.txt"
    if not lic.exists():
        lic.write_text(
            "Noto Sans SC — Copyright 2014-2021 Adobe (http://www.adobe.com/), with Reserved Font Name 'Source'.\n"
            "Licensed under the SIL Open Font License, Version 1.1 (https://openfontlicense.org).\n",
            encoding="utf-8",
        )
    return made


if __name__ == "__main__":
    for p in build(force="--force" in sys.argv):
        print(p, p.stat().st_size)
