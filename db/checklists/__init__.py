"""The checklists as a package (being cut up by concern; this shim keeps every `checklists.X` working meanwhile)."""

from __future__ import annotations

from db.checklists.definitions import *  # noqa: F403
