"""The look: Fusion, one restrained party red accent, 10–11 pt text, generous rows, zebra tables."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QFontDatabase, QPalette
from PySide6.QtWidgets import QApplication

ACCENT = "#8B0000"
ACCENT_LIGHT = "#F6E9E9"
TEXT_MUTED = "#666666"
OK_GREEN = "#2E7D32"
WARN_AMBER = "#B26A00"
ERROR_RED = "#C62828"
FONT_FAMILY = "Noto Sans SC"

SEVERITY_COLORS = {"error": ERROR_RED, "warning": WARN_AMBER, "reminder": "#1565C0"}

QSS = f"""
QMainWindow, QDialog {{ background: #FAFAFA; }}
#HeaderBar {{ background: {ACCENT}; }}
#HeaderBar QLabel {{ color: white; }}
#HeaderTitle {{ font-size: 14pt; font-weight: bold; }}
#NavList {{ background: #FFFFFF; border: none; border-right: 1px solid #E0E0E0; font-size: 11pt; outline: 0; }}
#NavList::item {{ padding: 9px 14px; }}
#NavList::item:selected {{ background: {ACCENT_LIGHT}; color: {ACCENT}; border-left: 4px solid {ACCENT}; }}
QPushButton {{ padding: 5px 14px; min-height: 22px; }}
QPushButton[primary="true"] {{ background: {ACCENT}; color: white; border: 1px solid {ACCENT}; border-radius: 3px; }}
QPushButton[primary="true"]:hover {{ background: #A31515; }}
QPushButton[primary="true"]:disabled {{ background: #C9A0A0; border-color: #C9A0A0; }}
QTableView {{ gridline-color: #E6E6E6; alternate-background-color: #F7F7F7; selection-background-color: #E8D0D0;
             selection-color: black; }}
QHeaderView::section {{ background: #F1ECEC; padding: 5px; border: none; border-right: 1px solid #E0E0E0;
                        border-bottom: 1px solid #D8D8D8; font-weight: bold; }}
#SectionTitle {{ font-size: 15pt; font-weight: bold; color: #222222; }}
#SectionHint {{ color: {TEXT_MUTED}; }}
#EmptyState {{ color: {TEXT_MUTED}; font-size: 11pt; }}
#Card {{ background: white; border: 1px solid #E3E3E3; border-radius: 4px; }}
#CardTitle {{ color: {TEXT_MUTED}; }}
#CardValue {{ font-size: 18pt; font-weight: bold; color: #222222; }}
QLineEdit[invalid="true"] {{ border: 1px solid {ERROR_RED}; background: #FFF3F3; }}
"""


def load_fonts() -> str:
    """Register the shipped CJK font with Qt (the same file the PDFs embed); returns the family used."""
    import resources

    family = None
    for path in (resources.font_regular(), resources.font_bold()):
        if path.exists():
            # By path where the path is plain ASCII (Qt then reads the file as it needs it: some 40 ms sooner at
            # start than handing it 10 MB of bytes); otherwise from bytes: Qt on Windows cannot open a font file
            # whose folder name is outside the legacy code page (an install or USB folder with Chinese in it).
            fid = QFontDatabase.addApplicationFont(str(path)) if str(path).isascii() else -1
            if fid < 0:
                fid = QFontDatabase.addApplicationFontFromData(path.read_bytes())
            fams = QFontDatabase.applicationFontFamilies(fid) if fid >= 0 else []
            family = family or (fams[0] if fams else None)
    return family or QApplication.font().family()


def apply(app: QApplication) -> None:
    if app.style().name().lower() != "fusion":  # a new style object replaces (and deletes) the old one
        app.setStyle("Fusion")
    family = load_fonts()
    font = QFont(family, 10)
    font.setStyleStrategy(QFont.StyleStrategy.PreferAntialias)
    app.setFont(font)
    # Windows hands menus, message boxes and item views their own system font; use ours everywhere.
    for cls in (
        "QMenuBar",
        "QMenu",
        "QMessageBox",
        "QAbstractItemView",
        "QHeaderView",
        "QToolTip",
        "QStatusBar",
        "QTabBar",
        "QComboBox",
        "QLineEdit",
        "QPushButton",
    ):
        app.setFont(font, cls)
    pal = app.palette()
    pal.setColor(QPalette.ColorRole.Highlight, QColor("#E8D0D0"))
    pal.setColor(QPalette.ColorRole.HighlightedText, QColor("black"))
    pal.setColor(QPalette.ColorRole.Link, QColor(ACCENT))
    app.setPalette(pal)
    app.setStyleSheet(QSS)
