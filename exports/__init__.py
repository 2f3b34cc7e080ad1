"""Standard reporting templates (Excel via openpyxl, PDF via reportlab), the hand-in package and the `ledger`
command line. No Qt here."""
