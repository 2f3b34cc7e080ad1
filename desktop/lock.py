"""The password on screen (issue #21): asked at open, set/changed/removed in 设置 → 台账密码, and the lock.

The lock (after `lock_idle_minutes` without keyboard or mouse, default 10, or Ctrl+L) takes the whole window's
content away — sections, navigation, header, status text, our other non-modal windows — and shows only a
password field; the ledger's connection is closed and its key dropped (db.rekey.suspend) until the password is
typed again. Under an open modal dialog (an editor with unsaved input) it does not lock: the dialog would lose
its input or keep the lock page from getting the password; the idle timer tries again one period later.
A ledger without a password has nothing to lock: Ctrl+L says how to set one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db import cipher
from desktop.widgets import WrapLabel, primary_button

LOCK_SHORTCUT = QKeySequence("Ctrl+L")
ERROR_STYLE = "color: #C62828;"


def _password_field() -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMinimumWidth(240)
    return field


class PasswordPrompt(QDialog):
    """Ask the password of one ledger file; `try_open(password)` says whether it opened (else the dialog stays,
    with the message, for another try)."""

    def __init__(self, path: Path, try_open: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("输入台账密码")
        self.try_open = try_open
        self.result_value: Any = None
        self.failure: Exception | None = None
        lay = QVBoxLayout(self)
        head = WrapLabel(f"台账“{path.name}”设有密码。请输入密码打开：")
        lay.addWidget(head)
        self.field = _password_field()
        lay.addWidget(self.field)
        self.error = WrapLabel("")
        self.error.setStyleSheet(ERROR_STYLE)
        lay.addWidget(self.error)
        note = WrapLabel("忘记密码无法找回。请看与纸质记录本一起保管的“恢复提示”。")
        note.setObjectName("SectionHint")
        lay.addWidget(note)
        buttons = QDialogButtonBox()
        buttons.addButton("打开", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.setMinimumWidth(420)

    def _accept(self) -> None:
        pw = self.field.text()
        if not pw:
            self.error.setText("请输入密码。")
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.result_value = self.try_open(pw)
        except cipher.WrongPassword:
            self.error.setText("密码不正确，请再试一次（注意大小写和输入法）。台账没有任何改动。")
            self.field.selectAll()
            self.field.setFocus()
            return
        except Exception as e:  # noqa: BLE001 - damaged, locked…: the caller explains it after the dialog
            self.failure = e
        finally:
            QApplication.restoreOverrideCursor()
        self.accept()


def open_with_password(parent: QWidget | None, path: Path, opener: Any) -> Any:
    """Ask for the password until `opener(password)` opens the ledger (None when the secretary cancels).
    A wrong password never sets the file aside; other refusals (damaged, locked) pass through."""
    dlg = PasswordPrompt(path, opener, parent)
    accepted = dlg.exec()
    if dlg.failure is not None:
        raise dlg.failure
    if accepted and dlg.result_value is not None:
        return dlg.result_value
    return None


class NewPasswordFields(QWidget):
    """New password twice, the plain warning that it cannot be recovered, and the box that says so was read."""

    def __init__(self, optional: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        self.optional = optional
        self.first = _password_field()
        self.second = _password_field()
        if optional:  # inside 新建支部, which must still fit a 1366×768 laptop at 150%: the short form
            self.first.setPlaceholderText("不填 = 不设密码")
            self.second.setPlaceholderText("再输一次")
            self.first.setMinimumWidth(160)
            self.second.setMinimumWidth(160)
            row = QWidget()
            lay = QHBoxLayout(row)
            lay.setContentsMargins(0, 0, 0, 0)
            lay.addWidget(self.first)
            lay.addWidget(self.second)
            form.addRow(row)
            warn = WrapLabel("设置后台账文件、快照和备份都加密；密码不保存在任何地方，忘记了无法找回。")
        else:
            form.addRow("新密码", self.first)
            form.addRow("再输一次", self.second)
            warn = WrapLabel(
                f"设置密码后，台账文件、快照和备份都会加密，丢了U盘也不会泄露党员信息。{cipher.NO_RECOVERY}"
            )
        warn.setObjectName("SectionHint")
        form.addRow(warn)
        self.understood = QCheckBox("我已了解：忘记密码，台账无法恢复")
        form.addRow(self.understood)

    def value(self) -> tuple[str | None, str | None]:
        """(password or None, a Chinese reason why it is refused)."""
        first, second = self.first.text(), self.second.text()
        if not first and not second and self.optional:
            return None, None
        reason = cipher.validate_password(first)
        if reason:
            return None, reason
        if first != second:
            return None, "两次输入的密码不一致。"
        if not self.understood.isChecked():
            return None, "请勾选“我已了解：忘记密码，台账无法恢复”。"
        return first, None


class PasswordDialog(QDialog):
    """设置 → 台账密码: set (no password yet), or change / remove (with the current password)."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window_ = window
        self.ledger = window.ledger
        self.setWindowTitle("台账密码")
        self.setMinimumWidth(520)
        lay = QVBoxLayout(self)
        state = "已设置密码：台账文件已加密。" if self.ledger.encrypted else "未设置密码：台账文件没有加密。"
        self.state = QLabel(state)
        self.state.setObjectName("SectionTitle")
        lay.addWidget(self.state)
        form = QFormLayout()
        self.current = _password_field()
        if self.ledger.encrypted:
            form.addRow("当前密码", self.current)
        lay.addLayout(form)
        self.fields = NewPasswordFields(optional=False)
        lay.addWidget(self.fields)
        self.error = WrapLabel("")
        self.error.setStyleSheet(ERROR_STYLE)
        lay.addWidget(self.error)
        buttons = QDialogButtonBox()
        if self.ledger.encrypted:
            self.change_btn = buttons.addButton("修改密码", QDialogButtonBox.ButtonRole.AcceptRole)
            self.remove_btn = buttons.addButton("取消密码", QDialogButtonBox.ButtonRole.DestructiveRole)
            self.remove_btn.clicked.connect(self._remove)
        else:
            self.change_btn = buttons.addButton("设置密码", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self._set_or_change)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def _run(self, fn: Any, *args: Any) -> bool:
        from db.errors import InputRefused, LedgerError

        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            fn(self.ledger, *args)
        except InputRefused as e:
            self.error.setText("；".join(p.message for p in e.problems) or str(e))
            return False
        except LedgerError as e:
            self.error.setText(str(e))
            return False
        finally:
            QApplication.restoreOverrideCursor()
        return True

    def _set_or_change(self) -> None:
        from db import rekey

        new, reason = self.fields.value()
        if reason or new is None:
            self.error.setText(reason or "请输入新密码。")
            return
        if self.ledger.encrypted:
            ok = self._run(rekey.change_password, self.current.text(), new)
        else:
            ok = self._run(rekey.set_password, new)
        if ok:
            self.accept()
            self.window_.statusBar().showMessage("台账密码已更新：文件已用新密码加密。", 8000)
            self.window_.lock.refresh_timer()
            offer_recovery_note(self.window_, self.ledger)

    def _remove(self) -> None:
        from db import rekey
        from desktop.dialogs import confirm

        if not confirm(
            self,
            "取消密码",
            "取消后台账文件和今后的快照、备份都不再加密，任何人拷走文件都能读到党员信息。确定取消吗？",
            "取消密码",
            danger=True,
        ):
            return
        if self._run(rekey.remove_password, self.current.text()):
            self.accept()
            self.window_.statusBar().showMessage("已取消台账密码：文件不再加密。", 8000)
            self.window_.lock.refresh_timer()


def offer_recovery_note(parent: Any, ledger: Any) -> Path | None:
    """After a password is set: print the 恢复提示 (a PDF to print and keep with the paper 记录本)."""
    from db import branch
    from desktop.dialogs import confirm, offer_open, show_error

    if not confirm(
        parent,
        "打印恢复提示",
        "密码已设置。建议现在保存并打印一页“恢复提示”，和纸质记录本放在一起：它说明密码不能找回、"
        "忘记时怎么办（不含密码本身）。\n\n书记交接时，用“报送包 → 交接版”生成交接包：其中的台账备份同样加密，"
        "交接清单写明台账设有密码，密码请当面告知新书记。",
        "保存恢复提示…",
    ):
        return None
    b = branch.get_branch(ledger)
    default = Path.home() / "支部台账恢复提示.pdf"
    path, _ = QFileDialog.getSaveFileName(parent, "保存恢复提示", str(default), "PDF 文件 (*.pdf)")
    if not path:
        return None
    from exports.recovery_note import write_recovery_note

    try:
        write_recovery_note(Path(path), b.name if b else "", Path(ledger.path))
    except Exception as e:  # noqa: BLE001
        show_error(parent, e, "恢复提示未保存")
        return None
    offer_open(parent, Path(path), "恢复提示已保存")
    return Path(path)


class LockPage(QWidget):
    """What the window shows while locked: no personal value, only the password field."""

    def __init__(self, controller: LockController) -> None:
        super().__init__()
        self.setObjectName("LockPage")
        self.controller = controller
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        box = QWidget()
        box.setMaximumWidth(460)
        lay = QVBoxLayout(box)
        title = QLabel("台账已锁定")
        title.setObjectName("SectionTitle")
        title.setStyleSheet("font-size: 16pt;")
        lay.addWidget(title)
        self.hint = WrapLabel("为保护党员信息，台账已锁定，文件已关闭。输入台账密码继续工作。")
        lay.addWidget(self.hint)
        self.field = _password_field()
        self.field.returnPressed.connect(self.controller.try_unlock)
        lay.addWidget(self.field)
        self.error = WrapLabel("")
        self.error.setStyleSheet(ERROR_STYLE)
        lay.addWidget(self.error)
        self.unlock_btn: QPushButton = primary_button("解锁")
        self.unlock_btn.clicked.connect(self.controller.try_unlock)
        lay.addWidget(self.unlock_btn)
        row = QVBoxLayout()
        row.addWidget(box, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addLayout(row)
        outer.addStretch(2)


def _modal_open() -> bool:
    if QApplication.activeModalWidget() is not None:
        return True
    return any(
        t.isVisible() and (t.isModal() or t.windowModality() != Qt.WindowModality.NonModal)
        for t in QApplication.topLevelWidgets()
        if isinstance(t, QDialog)
    )


class _ActivityFilter(QObject):
    EVENTS = {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
    }

    def __init__(self, controller: LockController) -> None:
        super().__init__()
        self.controller = controller

    def eventFilter(self, obj: Any, event: Any) -> bool:  # noqa: N802 - Qt override
        if event.type() in self.EVENTS:
            self.controller.activity()
        return False


class LockController(QObject):
    """Locks `window` after the idle minutes of the ledger's setting, or on Ctrl+L; unlocks with the password."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.locked = False
        self.page: LockPage | None = None
        self._central: QWidget | None = None
        self._hidden: list[QWidget] = []
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.lock)
        # every event of the application passes through the filter while it is installed (21,000 in six section
        # switches, each a call into Python): only while the idle timer runs, that is for an encrypted ledger
        self._filter = _ActivityFilter(self)
        self.watching = False
        self.refresh_timer()

    def idle_minutes(self) -> int:
        try:
            return int(self.window.ledger.setting("lock_idle_minutes", 10) or 10)
        except Exception:  # noqa: BLE001 - a setting that cannot be read keeps the default
            return 10

    def refresh_timer(self) -> None:
        """(Re)start the idle timer for an encrypted ledger; none for a plain one."""
        self.timer.stop()
        armed = not self.locked and bool(getattr(self.window.ledger, "encrypted", False))
        if armed:
            self.timer.start(self.idle_minutes() * 60_000)
        self._watch(armed)

    def _watch(self, on: bool) -> None:
        """Install or remove the keyboard-and-mouse filter that restarts the idle timer."""
        app = QApplication.instance()
        if app is None or on == self.watching:
            return
        if on:
            app.installEventFilter(self._filter)
        else:
            app.removeEventFilter(self._filter)
        self.watching = on

    def activity(self) -> None:
        if not self.locked and self.timer.isActive():
            self.timer.start()  # same interval, from now

    def shutdown(self) -> None:
        self.timer.stop()
        self._watch(False)

    def lock(self) -> bool:
        from db import rekey
        from desktop.dialogs import info

        w = self.window
        if self.locked:
            return True
        if not getattr(w.ledger, "encrypted", False):
            info(w, "锁定台账", "这份台账没有设置密码，无法锁定。请先在“设置 → 台账密码”中设置密码。")
            return False
        if w.ledger._op is not None or _modal_open():
            # never in the middle of a change, nor under an open dialog (its exec() would end, or it would keep
            # the lock page from getting the password): the idle timer tries again after another period
            self.refresh_timer()
            return False
        self.timer.stop()
        self.locked = True
        # every other (non-modal) window of ours hides with its values
        self._hidden = [
            t
            for t in QApplication.topLevelWidgets()
            if t is not w and t.isVisible() and t.parent() is not None
        ]
        for t in self._hidden:
            t.hide()
        self._central = w.takeCentralWidget()
        self.page = LockPage(self)
        w.setCentralWidget(self.page)
        w.menuBar().setEnabled(False)
        w.statusBar().clearMessage()
        rekey.suspend(w.ledger)
        self.page.field.setFocus()
        return True

    def try_unlock(self) -> bool:
        from db import rekey

        page = self.page
        if page is None:
            return True
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            rekey.resume(self.window.ledger, page.field.text())
        except cipher.WrongPassword:
            page.error.setText("密码不正确，请再试一次。")
            page.field.selectAll()
            return False
        finally:
            QApplication.restoreOverrideCursor()
        w = self.window
        self.page = None
        w.takeCentralWidget().deleteLater()
        if self._central is not None:
            w.setCentralWidget(self._central)
            self._central = None
        w.menuBar().setEnabled(True)
        for t in self._hidden:
            t.show()
        self._hidden = []
        self.locked = False
        self.refresh_timer()
        return True


def install(window: Any) -> LockController:
    """The lock controller and the File-menu actions (锁定台账 Ctrl+L, 台账密码…) of a main window."""
    from PySide6.QtGui import QAction

    controller = LockController(window)
    lock_action = QAction("锁定台账", window)
    lock_action.setShortcut(LOCK_SHORTCUT)
    lock_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
    lock_action.triggered.connect(controller.lock)
    window.addAction(
        lock_action
    )  # stays active while the menu bar is disabled (locked): a second Ctrl+L is a no-op
    pw_action = QAction("台账密码…", window)
    pw_action.triggered.connect(lambda: PasswordDialog(window).exec())
    window.lock_action, window.password_action = lock_action, pw_action
    return controller
