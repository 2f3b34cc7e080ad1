"""组织关系转接 on real widgets (offscreen): 转出… on a member fills the letter from the ledger, saves it and writes the
PDF; the 组织关系转接 tab shows the 回执 waiting, 记录回执 records it; 转入… receives a 预备党员 and offers the 六必谈."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from db import dues, members, talks, transfers
from db.connection import Ledger
from tests.orglife_data import add_committee, add_members

D = dt.date


@pytest.fixture
def window(
    qtbot: Any, ledger: Ledger, sync_tasks: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Any:
    from desktop import export_dialog
    from desktop.mainwindow import MainWindow

    ids = add_members(ledger, 4)
    add_committee(ledger, ids[:3])
    dues.save_base(
        ledger,
        dues.BaseEntry(member_id=ids[3], year=2026, kind="employed", base=Decimal("6000")),
        on=D(2026, 1, 15),
    )
    dues.record_payment(ledger, ids[3], [f"2026-{m:02d}" for m in range(1, 7)], D(2026, 6, 5))
    dues.record_payment(ledger, ids[3], [f"2026-{m:02d}" for m in range(7, 12)], D(2026, 11, 5))
    monkeypatch.setattr(export_dialog, "default_folder", lambda: tmp_path)
    w = MainWindow(ledger)
    qtbot.addWidget(w)
    w.show()
    w.resize(1093, 614)
    w.show_section("roster")
    return w


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    from desktop import dialogs

    paths: list[Path] = []
    monkeypatch.setattr(dialogs, "offer_open", lambda parent, path, title="": paths.append(Path(path)))

    def no_error(parent: Any, err: Any, title: str = "") -> None:
        raise AssertionError(f"{title}: {err} {getattr(err, 'problems', '')}")

    monkeypatch.setattr(dialogs, "show_error", no_error)
    return paths


def test_transfer_out_then_receipt(
    window: Any,
    ledger: Ledger,
    qtbot: Any,
    opened: list[Path],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    from desktop.sections.roster import transfers as ui

    sec = window.sections["roster"]
    sec.select_member(members.list_members(ledger)[3].id)
    assert sec.transfer_btn.isEnabled()
    shown: list[Any] = []

    def fill_and_save(dlg: Any) -> int:
        shown.append(dlg)
        assert dlg.number.text().startswith("第2026-001号")
        assert dlg.dues_to.text() == "2026-11"  # from the dues ledger (ZZ08)
        assert dlg.valid.value() == 30  # the setting (ZZ07)
        assert "不再计入在册党员" in dlg.note.text()
        dlg.date.set_value(D(2026, 11, 2))  # the number stays; 党费交到 follows the date (paid on 5 November)
        assert dlg.number.text().startswith("第2026-001号") and dlg.dues_to.text() == "2026-06"
        assert "党费只交到2026-06" in dlg.note.text()
        dlg.to_org.setText("中共某某生物医药有限公司委员会")
        dlg.handled_by.setText("李明")
        dlg.save()
        return dlg.result()

    monkeypatch.setattr(ui.TransferOutDialog, "exec", fill_and_save)
    sec.transfer_out()
    (dlg,) = shown
    (t,) = transfers.list_transfers(ledger)
    assert t.number == "2026-001" and t.to_org == "中共某某生物医药有限公司委员会"
    assert members.get(ledger, t.member_id).status == "transferred_out"
    (pdf,) = opened
    assert pdf.parent == tmp_path and pdf.exists() and pdf.suffix == ".pdf"
    # the tab lists the letter, its 回执 not yet back
    tab = sec.transfers
    sec.tabs.setCurrentWidget(tab)
    assert tab.model.rowCount() == 1
    assert "未收到" in tab.model.index(0, 7).data()
    window.grab().save(str(tmp_path / "transfers-tab.png"))
    assert tab.select(t.id)

    def receipt(dlg: Any) -> int:
        dlg.date.set_value(D(2026, 11, 20))
        dlg.by.setText("王五")
        dlg.save()
        return dlg.result()

    monkeypatch.setattr(ui.ReceiptDialog, "exec", receipt)
    tab.record_receipt()
    assert transfers.get_transfer(ledger, t.id or 0).receipt_on == D(2026, 11, 20)
    sec.ensure_fresh()
    assert "已收到" in tab.model.index(0, 7).data()


def test_transfer_in_probationary_offers_the_talk(
    window: Any, ledger: Ledger, opened: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop import dialogs
    from desktop.sections.orglife import talks as talks_ui
    from desktop.sections.roster import transfers as ui

    sec = window.sections["roster"]
    sec.tabs.setCurrentWidget(sec.transfers)

    def receive(dlg: Any) -> int:
        dlg.name.setText("赵新")
        dlg.gender.setCurrentIndex(dlg.gender.findData("female"))
        dlg.category.setCurrentIndex(dlg.category.findData("probationary"))
        assert dlg.admitted_on.isEnabled() and not dlg.full_on.isEnabled()
        dlg.admitted_on.set_value(D(2026, 1, 10))
        dlg.letter_no.setText("2026-017")
        dlg.from_org.setText("中共某某大学计算机学院委员会")
        dlg.report_on.set_value(D(2026, 11, 10))
        dlg.dues_to.setText("2026-10")
        dlg.save()
        return dlg.result()

    talked: list[Any] = []

    def talk(dlg: Any) -> int:
        talked.append(dlg)
        assert dlg.kind.currentData() == "trigger" and dlg.trigger.currentData() == "transfer_in"
        dlg.topic.setPlainText("欢迎转入，了解工作和思想情况")
        dlg.save()
        return dlg.result()

    monkeypatch.setattr(ui.TransferInDialog, "exec", receive)
    monkeypatch.setattr(dialogs, "confirm", lambda *a, **k: True)
    monkeypatch.setattr(talks_ui.TalkDialog, "exec", talk)
    sec.transfers.receive()
    (t,) = transfers.list_transfers(ledger, direction="in")
    m = members.get(ledger, t.member_id)
    assert (m.name, m.category, m.joined_on, m.in_branch_since) == (
        "赵新",
        "probationary",
        D(2026, 1, 10),
        D(2026, 11, 10),
    )
    assert t.admitted_on == D(2026, 1, 10)
    assert len(opened) == 1  # the 回执 to send back
    assert len(talked) == 1 and talks.list_talks(ledger, member_id=m.id)[0].trigger == "transfer_in"
    assert sec.transfers.model.rowCount() == 1
    assert "待寄回" in sec.transfers.model.index(0, 7).data()


def test_finding_opens_the_letter(window: Any, ledger: Ledger, opened: list[Path]) -> None:
    ids = [m.id for m in members.list_members(ledger)]
    t = transfers.draft_out(ledger, ids[3] or 0, D(2026, 6, 1))
    t.to_org = "中共某某委员会"
    tid = transfers.transfer_out(ledger, t)
    sec = window.sections["roster"]
    sec.show_subject("transfer", tid)
    assert sec.tabs.currentWidget() is sec.transfers
    row = sec.transfers.table.current_row()
    assert row is not None and row.id == tid
    assert "逾期" in sec.transfers.model.index(0, 7).data()
