"""What the meeting editor's parts share. MeetingEditor (editor.py) is built from this base and two parts,
AttendancePart (attendance.py) and AfterSavePart (after_save.py); the fields named here are made by the
editor, and the base gives the ledger and the dirty flag every part uses."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QVBoxLayout, QWidget

from db.meetings import Attendance, Exclusion, Meeting
from desktop.widgets import DateField

if TYPE_CHECKING:
    from desktop.sections.meetings.agenda import DecisionBox
    from desktop.sections.meetings.section import MeetingsSection


class EditorBase(QWidget):
    """The editor's state and fields, as the parts see them (made in MeetingEditor.__init__ and load)."""

    section: MeetingsSection
    meeting: Meeting
    dirty: bool
    _loading: bool
    body: QVBoxLayout
    date: DateField
    kind_boxes: dict[str, QCheckBox]
    group: QComboBox
    decisions: list[DecisionBox]
    attendance: list[Attendance]
    excluded: list[Exclusion]

    @property
    def ledger(self) -> Any:
        return self.section.ledger

    def mark_changed(self, *_a: Any) -> None:
        if not self._loading:
            self.dirty = True

    def load(self, m: Meeting) -> None:
        """Show a record (MeetingEditor.load)."""
        raise NotImplementedError
