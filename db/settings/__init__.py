"""Branch settings: local practice the party's rules leave open (RULES.md marks them PRACTICE/UNCONFIRMED).

store.py holds the settings, their specs and defaults, reading and writing; interchange.py the `settings`
section of the interchange document. Callers keep using `from db import settings; settings.get(...)`.
"""

from __future__ import annotations

from db.settings import interchange
from db.settings.store import (
    BY_KEY,
    DEFAULTS,
    SPECS,
    SettingSpec,
    all_settings,
    get,
    set_value,
    update,
    validate,
)

__all__ = [
    "BY_KEY",
    "DEFAULTS",
    "SPECS",
    "SettingSpec",
    "all_settings",
    "get",
    "interchange",
    "set_value",
    "update",
    "validate",
]
