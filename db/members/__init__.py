"""党员花名册 as a package (being cut up by concern; this shim keeps every `members.X` working meanwhile)."""

from __future__ import annotations

from db.members import interchange as interchange  # registers the `members` section
from db.members.store import *  # noqa: F403
from db.members.store import _check_unique_id as _check_unique_id
from db.members.store import _from_row as _from_row
from db.members.store import _history as _history
from db.members.store import _to_params as _to_params
from db.members.store import _value_on as _value_on
