"""The branch as a package (being cut up by concern; this shim keeps every `branch.X` working meanwhile)."""

from __future__ import annotations

from db.branch import interchange as interchange  # registers the branch, 党小组 and term sections
from db.branch.profile import *  # noqa: F403
