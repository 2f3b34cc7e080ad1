"""Start-up: `branch-ledger [--db PATH] [--demo] [--data-dir DIR] [--self-test]`.

Opens the user's ledger (or the first-run welcome screen), handles the refusals of the ledger file (locked by
someone else, damaged, newer format) with a dialog that says what to do, and switches ledgers on request.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

# The open-time snapshot of the ledger waits until the 工作台 has filled in (its copy shared the disk and the
# processor with the fill), for at most this long; an operation before then starts it at once.
SNAPSHOT_HOLD_S = 5.0


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="branch-ledger", description="支部台账")
    p.add_argument("--db", help="打开这个台账文件")
    p.add_argument("--demo", action="store_true", help="打开示例支部的临时副本")
    p.add_argument("--data-dir", help="数据文件夹（覆盖默认位置）")
    p.add_argument("--self-test", action="store_true", help="自检后退出")
    # hidden: time the start on --db, write the figures to this JSON file and exit (desktop/benchstart.py)
    p.add_argument("--bench-start", metavar="RESULT", help=argparse.SUPPRESS)
    # hidden: the frozen app started again as the process computing the 工作台's first fill (db/early_fill.py)
    p.add_argument("--early-fill", nargs=2, metavar=("LEDGER", "DATE"), help=argparse.SUPPRESS)
    args, _qt_args = p.parse_known_args(argv)
    return args


class App:
    """Owns the QApplication's windows and the open ledger."""

    def __init__(self, qapp: Any, args: argparse.Namespace, early: Any = None) -> None:
        from db.paths import default_ledger_path
        from desktop import fit

        self.qapp = qapp
        self.args = args
        self.early = early  # db.early_open.EarlyOpen of the file start() opens, or None
        self.default_path = default_ledger_path(args.data_dir)
        # window sizes are remembered beside the default ledger (portable mode and --data-dir included)
        fit.set_state_file(self.default_path.parent / fit.STATE_FILE_NAME)
        self.window: Any = None
        self.welcome: Any = None
        self.ledger: Any = None
        self.demo_dir: Path | None = None

    # -- opening
    def start(self) -> None:
        if self.args.demo:
            self.open_demo()
        elif self.args.db:
            if not self.open_path(Path(self.args.db)):
                self.show_welcome()
        elif self.default_path.exists():
            if not self.open_path(self.default_path):
                self.show_welcome()
        else:
            self.show_welcome()
        self._drop_early()

    def _drop_early(self) -> None:
        early, self.early = self.early, None
        if early is not None:
            early.abandon()

    def show_welcome(self) -> None:
        from desktop.welcome import Welcome

        self._close_window()
        self.welcome = Welcome(self.default_path)
        self.welcome.chosen.connect(self._welcome_choice)
        self.welcome.show()

    def _welcome_choice(self, what: str, details: Any) -> None:
        if what == "demo":
            self.open_demo()
        elif what == "open":
            self.choose_and_open(self.welcome)
        elif what == "new":
            self.create_new(details, self.welcome)

    def choose_and_open(self, parent: Any) -> None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(
            parent, "打开台账", str(self.default_path.parent), "台账文件 (*.sqlite);;所有文件 (*)"
        )
        if path:
            self.open_path(Path(path))

    def create_new(self, details: dict[str, Any], parent: Any) -> bool:
        from PySide6.QtWidgets import QFileDialog

        from db import branch
        from db.connection import open_ledger
        from desktop.dialogs import show_error

        target = self.default_path
        if target.exists():
            path, _ = QFileDialog.getSaveFileName(
                parent, "新台账保存为", str(target.parent / "新支部台账.sqlite"), "台账文件 (*.sqlite)"
            )
            if not path:
                return False
            target = Path(path)
            if target.exists():
                show_error(parent, f"{target} 已存在，不会覆盖它。请换一个文件名。")
                return False
        password = details.get("password")
        try:
            ledger = open_ledger(target, create=True, password=password)
            with ledger.operation("CreateBranch", "新建支部"):
                branch.save_branch(
                    ledger,
                    branch.Branch(
                        name=details["name"],
                        upper_org=details.get("upper_org"),
                        park=details.get("park"),
                        founded_on=details.get("founded_on"),
                    ),
                )
                if details.get("records_start_on") is not None:
                    from db.opening import set_records_start

                    set_records_start(ledger, details["records_start_on"])
        except Exception as e:  # noqa: BLE001
            show_error(parent, e, "未能建立台账")
            return False
        self.show_main(ledger)
        if password:
            from desktop.lock import offer_recovery_note

            offer_recovery_note(self.window, ledger)
        return True

    def open_demo(self) -> bool:
        import resources
        from db import interchange
        from db.connection import open_ledger
        from desktop.dialogs import show_error

        try:
            self.demo_dir = Path(tempfile.mkdtemp(prefix="branch-ledger-demo-"))
            ledger = open_ledger(self.demo_dir / "示例支部.sqlite", create=True)
            interchange.load_file(ledger, resources.demo_document())
        except Exception as e:  # noqa: BLE001
            show_error(None, e, "示例支部打不开")
            return False
        self.show_main(ledger, demo=True)
        return True

    def open_path(self, path: Path) -> bool:
        from db.cipher import PasswordNeeded, WrongPassword
        from db.connection import open_ledger, restore_snapshot_to
        from db.errors import LedgerDamaged, LedgerOpenError
        from desktop.dialogs import confirm, show_error
        from desktop.lock import open_with_password
        from desktop.welcome import SnapshotDialog

        parent = self.window or self.welcome
        password: str | None = None

        def with_password(pw: str) -> Any:
            nonlocal password
            try:
                led = open_ledger(
                    path, password=pw, snapshot_in_background=True, snapshot_hold_s=SNAPSHOT_HOLD_S
                )
            except WrongPassword:
                raise
            except BaseException:
                password = pw  # the right one: e.g. damaged, and its snapshots open with it
                raise
            password = pw
            return led

        early, self.early = self.early, None
        window = None
        try:
            try:
                # a large ledger's quick check may still run (start-up only): the window is built meanwhile
                ledger = open_ledger(
                    path,
                    early=early,
                    snapshot_in_background=True,
                    snapshot_hold_s=SNAPSHOT_HOLD_S,
                    settle_later=True,
                )
            except PasswordNeeded:
                # a wrong password is asked again in the prompt; it never sets the file aside
                ledger = open_with_password(parent, path, with_password)
                if ledger is None:
                    return False
            window = self._build_while_checked(ledger)
        except LedgerDamaged as e:
            if not e.snapshots:
                show_error(parent, e, "台账文件已损坏")
                return False
            dlg = SnapshotDialog(e.snapshots, parent, message=str(e) + "\n\n请选择一个快照来恢复台账：")
            if not dlg.exec() or dlg.chosen is None:
                return False
            try:
                if password is None and e.snapshots and _encrypted(dlg.chosen):
                    password = open_with_password(
                        parent, dlg.chosen, lambda pw: _check_snapshot(dlg.chosen, pw)
                    )
                    if password is None:
                        return False
                restore_snapshot_to(dlg.chosen, path, password)
                ledger = open_ledger(
                    path, password=password, snapshot_in_background=True, snapshot_hold_s=SNAPSHOT_HOLD_S
                )
            except Exception as e2:  # noqa: BLE001
                show_error(parent, e2, "恢复未完成")
                return False
        except LedgerOpenError as e:
            show_error(parent, e, "无法打开台账")
            return False
        except Exception as e:  # noqa: BLE001
            show_error(parent, e, "无法打开台账")
            return False
        if window is not None:
            self._present(ledger, window)
            return True
        from db import branch

        if branch.get_branch(ledger) is None and not confirm(
            parent, "打开台账", f"{path.name} 里还没有支部信息。仍然打开吗？", "打开"
        ):
            ledger.close()
            return False
        self.show_main(ledger)
        return True

    def _build_while_checked(self, ledger: Any) -> Any:
        """For a ledger opened while its quick check still runs (`ledger.pending`, db/ledger_open.py): build the
        window meanwhile and return it once the check has passed, not shown; None for any other ledger, and
        for one without a branch yet (asked about after the check, as before). A failed check raises
        LedgerDamaged, the window gone before it was ever shown."""
        if ledger.pending is None:
            return None
        from db import branch

        window = None
        try:
            if branch.get_branch(ledger) is not None:
                self._close_window()
                window = self._build_main(ledger)
                # the GUI thread would only wait for the check now: what the 工作台's fill imports first
                from db import findings

                findings.load_providers_while(ledger.pending.checking)
            ledger.settle()
        except BaseException:
            if window is not None:
                window.discard()
            ledger.settle()  # a read that failed on a file still being checked: LedgerDamaged if that is why
            ledger.close()
            raise
        return window

    # -- windows
    def show_main(self, ledger: Any, demo: bool = False) -> None:
        self._close_window()
        self._present(ledger, self._build_main(ledger, demo))

    def _build_main(self, ledger: Any, demo: bool = False) -> Any:
        from desktop.mainwindow import MainWindow

        window = MainWindow(ledger, demo=demo, progressive=True)
        window.switch_ledger.connect(self._switch)
        window.closed.connect(self._window_closed)
        return window

    def _present(self, ledger: Any, window: Any) -> None:
        self.ledger = ledger
        self.window = window
        # the held open-time snapshot begins once the 工作台 has filled in
        window.sections["dashboard"].completed.connect(ledger.release_background)
        self.window.show()
        for warning in getattr(ledger, "warnings", []):  # e.g. the open-time snapshot did not fit on the disk
            self.window.statusBar().showMessage(warning)
        background = getattr(ledger, "background_snapshot", None)
        if background is not None:
            self._report_snapshot(self.window, background)
        if self.welcome is not None:
            self.welcome.close()
            self.welcome = None

    def _report_snapshot(self, window: Any, background: Any) -> None:
        """The open-time snapshot is copied in the background while the window is in use: say so in the status
        bar if it could not be saved (a full or read-only disk), as the synchronous one did."""
        from PySide6.QtCore import QTimer

        def look() -> None:
            if background.running:
                return
            timer.stop()
            if background.error is not None and self.window is window:
                window.statusBar().showMessage(f"打开时的自动快照没有保存。{background.error}")

        timer = QTimer(window)
        timer.setInterval(200)
        timer.timeout.connect(look)
        timer.start()

    def _switch(self, target: Any) -> None:
        if target == "demo":
            self.open_demo()
        elif target == "new":
            from desktop.welcome import NewBranchDialog

            dlg = NewBranchDialog(self.window)
            if dlg.exec():
                self.create_new(dlg.details(), self.window)
        elif isinstance(target, Path):
            if self.ledger is not None and target.resolve() == Path(self.ledger.path).resolve():
                return
            old = self.ledger
            old_window = self.window
            self.window = None
            self.ledger = None
            old.close()
            if not self.open_path(target):
                self.window = old_window
                from db.connection import open_ledger

                self.ledger = open_ledger(old.path, password=old.key)
                old_window.ledger = self.ledger
                return
            old_window.close()

    def _close_window(self) -> None:
        if self.window is not None:
            w = self.window
            self.window = None
            w.closed.disconnect()
            w.close()
        if self.ledger is not None:
            self.ledger.close()
            self.ledger = None

    def _window_closed(self) -> None:
        if self.ledger is not None:
            self.ledger.close()
            self.ledger = None
        self.cleanup_demo()

    def cleanup_demo(self) -> None:
        if self.demo_dir is not None:
            shutil.rmtree(self.demo_dir, ignore_errors=True)
            self.demo_dir = None


def _encrypted(path: Path) -> bool:
    from db.cipher import looks_encrypted

    return looks_encrypted(path)


def _check_snapshot(path: Path, password: str) -> str:
    """The password when it opens this snapshot (WrongPassword otherwise): restoring needs it."""
    from db.connection import open_ledger_readonly

    open_ledger_readonly(path, password=password, upgrade=False).close()
    return password


def early_open(args: argparse.Namespace) -> Any:
    """Lock the ledger `App.start` is going to open and start its quick check in the background
    (db/early_open.py), before Qt is imported: the check then runs beside the imports and the window instead of
    before them. None when start() opens nothing from a file (the demo, the welcome page) or cannot start early."""
    if args.demo or args.self_test:
        return None
    if args.db:
        target = Path(args.db)
    else:
        from db.paths import default_ledger_path

        target = default_ledger_path(args.data_dir)
    from db import clock
    from db.early_open import begin_open

    # the 工作台 opens as of today: its figures and findings are computed meanwhile in a second process
    return begin_open(target, fill_on=clock.today())


def make_qapp(argv: list[str]) -> Any:
    from desktop import pyside_import

    pyside_import.quick_import()  # PySide's signature support without compiling it again (desktop/pyside_import.py)
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QIcon
    from PySide6.QtWidgets import QApplication

    import resources
    from desktop import fit, pyside_hooks, qtlocale, style

    pyside_hooks.quicken_feature_check()  # every import from here on (the window, the sections, the workers)
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    qapp = QApplication.instance() or QApplication(argv)
    qapp.setApplicationName("支部台账")
    qapp.setOrganizationName("BranchLedger")
    icon = resources.path("icons", "app.png")
    if icon.exists():
        qapp.setWindowIcon(QIcon(str(icon)))
    qtlocale.install(qapp)  # Qt's own buttons, menus and dialogs in Chinese
    style.apply(qapp)
    fit.install()
    return qapp


def gui_self_test(workdir: Path) -> dict[str, Any]:
    """Part of `--self-test`: Qt starts, the font loads, the main window builds on a ledger and draws."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QFontDatabase

    import resources
    from db import interchange
    from db.connection import open_ledger
    from desktop import fit, tasks
    from desktop.mainwindow import MainWindow

    qapp = make_qapp([sys.argv[0]])
    fit.set_state_file(workdir / fit.STATE_FILE_NAME)
    families = QFontDatabase.families()
    if not any("Noto Sans SC" in f or "Noto Sans CJK SC" in f for f in families):
        raise RuntimeError("the CJK font did not load into Qt")
    tasks.SYNC = True
    ledger = open_ledger(workdir / "gui-selftest.sqlite", create=True)
    try:
        interchange.load_file(ledger, resources.demo_document())
        early_found = early_fill_check(ledger)
        window = MainWindow(ledger)
        window.show()
        qapp.processEvents()
        for key in list(window.sections):
            window.show_section(key)
            qapp.processEvents()
        pixmap = window.grab()
        shot = workdir / "gui-selftest.png"
        pixmap.save(str(shot))
        sections = len(window.sections)
        window.close()
    finally:
        ledger.close()
        dispose_widgets()
    return {
        "sections": sections,
        "screenshot_bytes": shot.stat().st_size,
        "early_fill_findings": early_found,
        "pyside_code": pyside_code_check(),
    }


def pyside_code_check() -> str:
    """Part of `--self-test`: PySide's signature support was imported the quick way and, in the frozen app, all of
    its code came from the file the build made (desktop/pyside_import.py). Returns "served/modules"."""
    from desktop import pyside_import

    state = pyside_import.last
    if state is None:
        raise RuntimeError("PySide was imported before desktop.pyside_import.quick_import()")
    if not state.used:
        raise RuntimeError("PySide's embedded signature modules were not compiled through the quick import")
    if getattr(sys, "frozen", False) and state.served != len(state.used):
        raise RuntimeError(
            f"the bundle's PySide code file served {state.served} of {len(state.used)} modules: "
            "build.spec did not ship it for this Python"
        )
    return f"{state.served}/{len(state.used)}"


def early_fill_check(ledger: Any) -> int:
    """Part of `--self-test`: this program started again as the process that computes the 工作台's first fill
    (db/early_fill.py; the frozen app through its hidden --early-fill flag, its result through the pipe a windowed
    exe has as its standard output) finds what the app finds. Returns how many findings."""
    from db import clock, early_fill, findings

    on = clock.today()
    fill = early_fill.EarlyFill.start(ledger.path, on, anywhere=True)
    if fill is None:
        raise RuntimeError("the early fill's process did not start")
    got = fill.result(on, int(ledger.scalar("PRAGMA schema_version")), timeout=120)
    if got is None or got["found"] != findings.check(ledger, on):
        raise RuntimeError("the early fill's process did not find what the app finds")
    return len(got["found"])


def dispose_widgets() -> None:
    """Delete every window (and with it every widget and model) now, while the QApplication is still there,
    after the background tasks have ended. Left to the interpreter's exit, thousands of Qt objects were
    destroyed after the QApplication in no set order: the heap abort at exit (issue #11)."""
    import gc

    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    from desktop import tasks

    tasks.shutdown()
    # the 工作台's start-up fill, if one is still reading
    if "desktop.sections.dashboard_fill" in sys.modules:
        sys.modules["desktop.sections.dashboard_fill"].shutdown()
    for _ in range(3):  # deleting a window can release Python objects holding further ones
        for w in QApplication.topLevelWidgets():
            w.close()
            w.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        gc.collect()
        if not QApplication.topLevelWidgets():
            break


def main(argv: list[str] | None = None) -> int:
    from desktop import pyside_enums

    pyside_enums.install()  # PySide's enums made quickly, before anything imports Qt (desktop/pyside_enums.py)
    argv = list(sys.argv if argv is None else argv)
    args = parse_args(argv[1:])
    if args.early_fill:
        from db.early_fill import child_main

        return child_main(args.early_fill)
    if args.self_test:
        from desktop import pyside_import
        from exports.selftest import run_self_test

        pyside_import.quick_import()  # before the self-test imports every module (Qt with them), as a start does

        return run_self_test(gui_self_test)
    if args.bench_start:
        from desktop import benchstart

        return benchstart.run(args)
    early = early_open(args)
    qapp = make_qapp(argv)
    app = App(qapp, args, early)
    app.start()
    code = int(qapp.exec())
    # Tear down in order while the QApplication lives: background tasks, windows, then the ledger file.
    app.window = app.welcome = None
    dispose_widgets()
    if app.ledger is not None:
        app.ledger.close()
        app.ledger = None
    app.cleanup_demo()
    return code


if __name__ == "__main__":
    raise SystemExit(main())
