"""报送: the hand-in package in one action. Year and profile, a target folder (removable drives suggested),
an optional encrypted zip; built in the background, checked, then 打开文件夹. Also 核对报送包 and the
liaison's window (联络员汇总)."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QStorageInfo, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from db import clock
from desktop import tasks
from desktop.dialogs import show_error
from desktop.sections import Section
from desktop.widgets import SectionHeader, primary_button
from exports import package

PROFILE_CHOICES = [
    ("masked", "脱敏版 — 交园区联络员（不含身份证号、手机号、住址和收入）"),
    ("full", "完整版 — 报上级党委（含全部个人信息，请妥善保管）"),
    ("handover", "交接版 — 书记换届交接（完整版 + 台账备份 + 交接清单）"),
]
MIN_PASSWORD = 6


@dataclass
class Drive:
    path: Path
    label: str
    removable: bool
    free: int


def _system_roots() -> set[str]:
    roots = {QStorageInfo.root().rootPath()}
    for p in (Path.home(), Path(sys.executable)):
        roots.add(QStorageInfo(str(p)).rootPath())
    if sys.platform == "win32":
        roots.add((os.environ.get("SYSTEMDRIVE", "C:") + "/").replace("\\", "/"))
    return roots


def suggested_drives() -> list[Drive]:
    """Writable drives other than the system one, removable-looking ones (U盘) first."""
    system = _system_roots()
    out = []
    for v in QStorageInfo.mountedVolumes():
        if not (v.isValid() and v.isReady()) or v.isReadOnly():
            continue
        root = v.rootPath()
        if root in system or root.startswith(("/proc", "/sys", "/dev", "/run/user", "/snap", "/boot")):
            continue
        fs = bytes(v.fileSystemType().data()).decode(errors="replace").lower()
        if fs in {"tmpfs", "devtmpfs", "overlay", "squashfs", "proc", "sysfs"}:
            continue
        removable = fs in {"vfat", "fat32", "fat", "exfat", "msdos"} or root.startswith(
            ("/media", "/run/media", "/Volumes")
        )
        name = v.displayName() or root
        kind = "U盘/移动磁盘" if removable else "其他磁盘"
        out.append(
            Drive(
                Path(root),
                f"{kind}：{name}（{root}，可用 {v.bytesAvailable() / 1024**3:.1f} GB）",
                removable,
                v.bytesAvailable(),
            )
        )
    out.sort(key=lambda d: (not d.removable, d.label))
    return out


class PackageSection(Section):
    key = "package"
    title = "报送"
    watches = frozenset({"branch"})

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.header = SectionHeader(
            "报送",
            "把本年度的全部报表、会议记录、交换文件和一页说明一次写到U盘，交给园区联络员；"
            "写完会逐个文件核对。",
        )
        self.verify_btn = self.header.add_button(QPushButton("核对报送包…"))
        menu = QMenu(self.verify_btn)
        menu.addAction("核对报送包文件夹…", self.verify_folder)
        menu.addAction("核对压缩包（zip）…", self.verify_zip)
        self.verify_btn.setMenu(menu)
        self.liaison_btn = self.header.add_button(QPushButton("联络员汇总…"))
        self.liaison_btn.clicked.connect(self.open_liaison)
        self.layout_.addWidget(self.header)
        body = QWidget()
        body_lay = QVBoxLayout(body)
        body_lay.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        self.layout_.addWidget(scroll, 1)

        form_box = QFrame()
        form_box.setObjectName("Card")
        form = QFormLayout(form_box)
        form.setContentsMargins(16, 12, 16, 12)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.year = QSpinBox()
        self.year.setRange(2000, clock.today().year)
        today = clock.today()
        # in January and February the year to hand in is usually the one just ended
        self.year.setValue(today.year - 1 if today.month <= 2 else today.year)
        self.year.setSuffix(" 年度")
        self.year.setFixedWidth(130)
        form.addRow("年度", self.year)
        self.profile = QComboBox()
        for key, label in PROFILE_CHOICES:
            self.profile.addItem(label, key)
        form.addRow("报送方式", self.profile)
        self.totals_box = QCheckBox(
            "党费只报合计（不列每人的党费金额：按收入比例交纳的金额可以推算出收入档次）"
        )
        self.totals_box.setToolTip(
            "勾选后，报送包不含党费核定表、收缴登记表和收缴公示，交换文件中的党费核定与交纳记录为空，"
            "只有全支部的合计。只用于脱敏版。"
        )
        form.addRow("", self.totals_box)
        self.forms_note = QLabel()
        self.forms_note.setObjectName("SectionHint")
        self.forms_note.setWordWrap(True)
        form.addRow("园区表格", self.forms_note)
        target_row = QHBoxLayout()
        self.target = QComboBox()
        self.target.setEditable(True)
        self.target.setMinimumWidth(420)
        edit = self.target.lineEdit()
        if edit is not None:
            edit.setPlaceholderText("选择U盘或文件夹")
        target_row.addWidget(self.target, 1)
        self.browse_btn = QPushButton("浏览…")
        self.browse_btn.clicked.connect(self.browse)
        target_row.addWidget(self.browse_btn)
        self.rescan_btn = QPushButton("刷新磁盘")
        self.rescan_btn.clicked.connect(self.scan_drives)
        target_row.addWidget(self.rescan_btn)
        form.addRow("保存到", target_row)
        self.target_note = QLabel()
        self.target_note.setObjectName("SectionHint")
        self.target_note.setWordWrap(True)
        form.addRow("", self.target_note)
        self.zip_box = QCheckBox("另存一份加密压缩包（zip，用于网络发送；对方需要密码才能打开）")
        form.addRow("", self.zip_box)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(f"至少 {MIN_PASSWORD} 位，请另行告诉对方")
        self.password2 = QLineEdit()
        self.password2.setEchoMode(QLineEdit.EchoMode.Password)
        self.password2.setPlaceholderText("再输入一次")
        pw_row = QHBoxLayout()
        for field in (self.password, self.password2):
            field.setMaximumWidth(280)
            pw_row.addWidget(field)
        pw_row.addStretch(1)
        self.pw_widget = QWidget()
        self.pw_widget.setLayout(pw_row)
        pw_row.setContentsMargins(0, 0, 0, 0)
        form.addRow("压缩包密码", self.pw_widget)
        self.error = QLabel()
        self.error.setStyleSheet("color: #C62828;")
        self.error.setWordWrap(True)
        form.addRow("", self.error)
        go_row = QHBoxLayout()
        self.build_btn = primary_button("生成报送包（Ctrl+S）")
        self.build_btn.setMinimumHeight(36)
        self.build_btn.clicked.connect(self.build)
        go_row.addWidget(self.build_btn)
        go_row.addStretch(1)
        form.addRow("", go_row)
        body_lay.addWidget(form_box)

        self.result_box = QFrame()
        self.result_box.setObjectName("Card")
        res = QVBoxLayout(self.result_box)
        res.setContentsMargins(16, 12, 16, 12)
        self.result_title = QLabel()
        self.result_title.setObjectName("SectionTitle")
        self.result_title.setStyleSheet("font-size: 12pt;")
        self.result_text = QLabel()
        self.result_text.setWordWrap(True)
        self.result_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        res.addWidget(self.result_title)
        res.addWidget(self.result_text)
        btns = QHBoxLayout()
        self.open_folder_btn = QPushButton("打开文件夹")
        self.open_folder_btn.clicked.connect(lambda: self._open(self.last_folder))
        self.open_index_btn = QPushButton("打开说明页")
        self.open_index_btn.clicked.connect(
            lambda: self._open(self.last_folder / package.INDEX if self.last_folder else None)
        )
        btns.addWidget(self.open_folder_btn)
        btns.addWidget(self.open_index_btn)
        btns.addStretch(1)
        res.addLayout(btns)
        self.result_box.hide()
        body_lay.addWidget(self.result_box)
        body_lay.addStretch(1)

        self.last_folder: Path | None = None
        self.drives: list[Drive] = []
        self.zip_box.toggled.connect(self._zip_toggled)
        self._zip_toggled(False)
        self.target.currentTextChanged.connect(lambda _t: self._describe_target())
        self.year.valueChanged.connect(lambda _v: self._describe_target())
        self.profile.currentIndexChanged.connect(lambda _i: self._describe_target())
        self.profile.currentIndexChanged.connect(lambda _i: self._profile_changed())
        QShortcut(QKeySequence("Ctrl+Return"), self, self.build)
        self.scan_drives()

    # -- target
    def scan_drives(self) -> None:
        current = self.target.currentText()
        self.drives = suggested_drives()
        self.target.blockSignals(True)
        self.target.clear()
        for d in self.drives:
            self.target.addItem(d.label, str(d.path))
        self.target.blockSignals(False)
        if current:
            self.target.setEditText(current)
        elif not self.drives:
            self.target.setEditText("")
        self._describe_target()

    def target_dir(self) -> Path | None:
        text = self.target.currentText().strip()
        if not text:
            return None
        i = self.target.findText(text)
        if i >= 0 and self.target.itemData(i):
            return Path(self.target.itemData(i))
        return Path(text)

    def set_target(self, path: Path) -> None:
        self.target.setEditText(str(path))

    def browse(self) -> None:
        start = str(self.target_dir() or Path.home())
        path = QFileDialog.getExistingDirectory(self, "选择保存报送包的U盘或文件夹", start)
        if path:
            self.set_target(Path(path))

    def _describe_target(self) -> None:
        target = self.target_dir()
        if target is None:
            self.target_note.setText(
                "没有找到U盘。插入U盘后点“刷新磁盘”，或点“浏览…”选一个文件夹。" if not self.drives else ""
            )
            return
        try:
            name = package.package_name(self.branch_name(), self.year.value(), self.profile.currentData())
        except Exception:  # noqa: BLE001 - no branch yet: nothing to describe
            self.target_note.setText("")
            return
        existing = target / name
        note = f"将生成文件夹：{name}"
        if (existing / package.MANIFEST).exists():
            try:
                created = package.read_manifest(existing).get("created_at", "").replace("T", " ")
            except (OSError, ValueError):
                created = "时间不明"
            note += f"\n这里已有同名报送包（生成于 {created}）：新报送包写好并核对无误后才会替换它。"
        self.target_note.setText(note)

    def branch_name(self) -> str:
        from db import branch

        return branch.branch_name(self.ledger)

    def _zip_toggled(self, on: bool) -> None:
        self.pw_widget.setEnabled(on)

    # -- build
    def save(self) -> None:
        self.build()

    def check_inputs(self) -> str | None:
        if self.target_dir() is None:
            return "请选择保存到哪个U盘或文件夹"
        if self.zip_box.isChecked():
            pw = self.password.text()
            if len(pw) < MIN_PASSWORD:
                return f"压缩包密码至少 {MIN_PASSWORD} 位"
            if pw != self.password2.text():
                return "两次输入的密码不一致"
        return None

    def _profile_changed(self) -> None:
        masked = self.profile.currentData() == "masked"
        self.totals_box.setEnabled(masked)
        if not masked:
            self.totals_box.setChecked(False)

    def build(self) -> None:
        problem = self.check_inputs()
        self.error.setText(problem or "")
        if problem:
            return
        target = self.target_dir()
        assert target is not None
        year, profile = self.year.value(), self.profile.currentData()
        password = self.password.text() if self.zip_box.isChecked() else None
        totals_only = self.totals_box.isChecked() and profile == "masked"
        source = self.ledger

        def work(progress: Any, cancelled: Any) -> Path:
            reader = source.reader()
            try:
                return package.build_package(
                    reader,
                    year,
                    target,
                    profile,
                    zip_password=password,
                    totals_only=totals_only,
                    progress=progress,
                    cancelled=cancelled,
                )
            finally:
                reader.close()

        self.build_btn.setEnabled(False)

        def done(folder: Path) -> None:
            self.build_btn.setEnabled(True)
            self.show_built(folder, zipped=password is not None)

        def failed(e: BaseException) -> None:
            self.build_btn.setEnabled(True)
            from exports.report import ExportCancelled

            if isinstance(e, ExportCancelled):
                self.ctx.status("已取消生成报送包，没有留下不完整的文件夹。")
                return
            show_error(self, e, "报送包未生成")

        tasks.run_task(self, "正在生成报送包…", work, done, failed)

    def show_built(self, folder: Path, zipped: bool = False) -> None:
        self.last_folder = folder
        check = package.verify_package(folder)
        manifest = check.manifest or {}
        files = manifest.get("files") or []
        size = sum(int(f.get("size", 0)) for f in files)
        lines = [
            f"位置：{folder}",
            f"共 {len(files) + 1} 个文件，{size / 1024 / 1024:.1f} MB；"
            + ("已逐个核对，与清单一致。" if check.intact else "核对发现问题："),
        ]
        if not check.intact:
            lines.append(check.describe())
        if zipped:
            lines.append(f"加密压缩包：{folder.with_name(folder.name + '.zip')}（密码请另行告诉对方）")
        failed = manifest.get("failed") or []
        if failed:
            lines.append(
                "注意：以下报表生成时出错，不在报送包中，请联系技术支持后重新生成："
                + "、".join(str(f.get("title")) for f in failed)
            )
        lines.append("")
        lines += [f"{k}：{v}" for k, v in package.summary_rows(manifest.get("summary") or {})]
        ok = check.ok and not failed
        self.result_title.setText("报送包已生成并核对无误" if ok else "报送包已生成，但有需要注意的地方")
        self.result_title.setStyleSheet("font-size: 12pt;" + ("" if ok else "color: #C62828;"))
        self.result_text.setText("\n".join(lines))
        self.open_folder_btn.setEnabled(True)
        self.open_index_btn.setEnabled(True)
        self.result_box.show()
        self._describe_target()
        self.ctx.status(f"报送包已生成：{folder}")

    # -- verify
    def verify_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(
            self, "选择要核对的报送包文件夹", str(self.target_dir() or Path.home())
        )
        if path:
            self.show_verified(package.verify_package(Path(path)))

    def verify_zip(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "选择要核对的压缩包", str(self.target_dir() or Path.home()), "压缩包 (*.zip)"
        )
        if not path:
            return
        result = package.verify_package(Path(path))
        if result.error and "密码" in result.error:
            pw, ok = QInputDialog.getText(
                self, "压缩包密码", "这个压缩包已加密，请输入密码：", QLineEdit.EchoMode.Password
            )
            if not ok:
                return
            result = package.verify_package(Path(path), password=pw)
        self.show_verified(result)

    def show_verified(self, result: package.VerifyResult) -> None:
        self.last_folder = result.path if result.path.is_dir() else None
        self.result_title.setText("核对结果：完整，未被改动" if result.ok else "核对结果：不完整或已被改动")
        self.result_title.setStyleSheet("font-size: 12pt;" + ("" if result.ok else "color: #C62828;"))
        self.result_text.setText(result.describe())
        self.open_folder_btn.setEnabled(self.last_folder is not None)
        self.open_index_btn.setEnabled(self.last_folder is not None)
        self.result_box.show()

    def _open(self, path: Path | None) -> None:
        if path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    # -- liaison
    def open_liaison(self) -> None:
        from desktop.liaison import LiaisonWindow

        self._liaison = LiaisonWindow()
        target = self.target_dir()
        if target is not None and target.is_dir():
            self._liaison.start_dir = target
        self._liaison.show()

    def refresh(self) -> None:
        self._describe_target()
        self._describe_forms()

    def _describe_forms(self) -> None:
        """Which installed packs' forms the package will fill (报表 → 园区表格 installs them)."""
        from db import forms as stored

        packs = stored.installed_packs(self.ctx.ledger)
        if not packs:
            self.forms_note.setText(
                "没有安装表格包（联络员发来表格包时，在“报表 → 园区表格”中安装，以后一并报送）。"
            )
            return
        parts = [f"“{p.name}”{len(stored.pack_templates(self.ctx.ledger, p.id))} 张" for p in packs]
        self.forms_note.setText(
            "一并填写已安装表格包中的表格：" + "、".join(parts) + "（放在报送包的“园区表格”文件夹中）。"
        )


SECTION = PackageSection
