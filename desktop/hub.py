"""One signal for every change: operations report the tables they touched; open screens refresh what they show."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from db.connection import OpResult


class Hub(QObject):
    changed = Signal(object)  # OpResult
    ledger_replaced = Signal()  # restore / load: everything must reload

    def notify(self, result: OpResult) -> None:
        self.changed.emit(result)
