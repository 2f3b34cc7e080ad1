"""The PySide6 GUI of 支部台账. All data access goes through db/ and exports/; no SQL here."""
