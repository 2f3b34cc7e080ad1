"""Acceptance review of 党费: the 收款人 is remembered, and the 核定 worksheet stays usable on a small screen."""

from __future__ import annotations

from decimal import Decimal as D

from db import dues
from desktop.sections import dues as section_mod


def test_collector_starts_with_the_last_one(qtbot, main_window) -> None:
    ledger = main_window.ledger
    expected = dues.last_collector(ledger)
    assert expected  # the demo names its collector
    sec = main_window.sections["dues"]
    main_window.show_section("dues")
    assert sec.collector.text() == expected
    # what the secretary typed is kept across refreshes
    sec.collector.setText("王组织")
    sec.refresh()
    assert sec.collector.text() == "王组织"


def test_last_collector_is_none_without_payments(ledger) -> None:
    assert dues.last_collector(ledger) is None


def test_base_worksheet_scrolls_and_keeps_its_buttons_in_view(qtbot, main_window) -> None:
    sec = main_window.sections["dues"]
    main_window.show_section("dues")
    row = next(r for r in sec.rows if r.base is not None and r.base.worksheet is not None)
    dlg = section_mod.BaseDialog(
        sec, main_window.ledger, row.member_id, row.name, 2026, row.base, change=True
    )
    qtbot.addWidget(dlg)
    dlg.show()
    free = dlg.screen().availableGeometry()
    assert dlg.height() <= free.height()
    # the fields are in the scroll area, the 保存核定 button is not (always reachable)
    assert dlg.scroll.widget().isAncestorOf(dlg.ws_box)
    assert not dlg.scroll.widget().isAncestorOf(dlg.ok)
    # the worked example by hand: 3000.01 元 is in the 1% bracket (30.00), a retiree's 4500 at 0.5% (22.50)
    dlg.use_ws.setChecked(False)
    dlg.kind.setCurrentIndex(dlg.kind.findData("employed"))
    dlg.base.setText("3000.01")
    assert "1%" in dlg.preview.text() and "30.00" in dlg.preview.text()
    dlg.kind.setCurrentIndex(dlg.kind.findData("retired"))
    dlg.base.setText("4500")
    assert "0.5%" in dlg.preview.text() and "22.50" in dlg.preview.text()
    assert dlg.entry().base == D("4500")


def test_collect_dialog_fits_the_screen(qtbot, main_window) -> None:
    sec = main_window.sections["dues"]
    main_window.show_section("dues")
    dlg = section_mod.CollectDialog(sec, "2026-11", sec.rows)
    qtbot.addWidget(dlg)
    dlg.show()
    free = dlg.screen().availableGeometry()
    assert dlg.minimumHeight() <= 320 and dlg.height() <= free.height()
    assert dlg.ok.isVisible()
