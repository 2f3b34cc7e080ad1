"""Interchange section `settings`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from db.errors import InputRefused, Problem
from db.interchange import section
from db.settings.store import all_settings, set_value

if TYPE_CHECKING:
    from db.connection import Ledger


@section("settings", order=5)
def dump_settings(ledger: Ledger) -> dict[str, Any]:
    return all_settings(ledger)


@dump_settings.loader  # type: ignore[attr-defined,untyped-decorator]
def load_settings(ledger: Ledger, value: dict[str, Any]) -> None:
    for k, v in value.items():
        if v is None:
            continue
        try:
            set_value(ledger, k, v)
        except ValueError as e:
            raise InputRefused([Problem(str(e), column=f"settings.{k}")]) from None
