"""`verify_package`: re-hash every file of a package, a folder or a zip (encrypted or not), against its
manifest and say what is missing, changed or extra (`VerifyResult`, with its Chinese description).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from exports.package.manifest import FORMAT, MANIFEST, VERSION, file_sha256, manifest_checksum, stream_sha256

# Files an operating system drops into folders by itself; never counted as "extra".
IGNORED_NAMES = frozenset({"Thumbs.db", ".DS_Store", "desktop.ini"})


@dataclass
class VerifyResult:
    path: Path
    manifest: dict[str, Any] | None = None
    missing: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    error: str | None = None
    checked: int = 0
    failed: list[str] = field(default_factory=list)  # reports the builder could not make (manifest "failed")

    @property
    def intact(self) -> bool:
        """Every listed file is there and unchanged (what was written is what the manifest says)."""
        return self.error is None and not (self.missing or self.changed or self.extra)

    @property
    def ok(self) -> bool:
        """Intact and complete: no report is missing because it failed to build."""
        return self.intact and not self.failed

    @property
    def status(self) -> str:
        """ok | tampered (changed or extra) | incomplete (missing) | unreadable (no usable manifest)."""
        if self.error is not None:
            return "unreadable"
        if self.changed or self.extra:
            return "tampered"
        if self.missing or self.failed:
            return "incomplete"
        return "ok"

    def to_json(self) -> dict[str, Any]:
        m = self.manifest or {}
        return {
            "path": str(self.path),
            "ok": self.ok,
            "status": self.status,
            "branch": (m.get("branch") or {}).get("name"),
            "year": (m.get("period") or {}).get("year"),
            "profile": m.get("profile"),
            "created_at": m.get("created_at"),
            "files": len(m.get("files") or []),
            "checked": self.checked,
            "missing": self.missing,
            "changed": self.changed,
            "extra": self.extra,
            "failed": self.failed,
            "error": self.error,
        }

    def describe(self) -> str:
        if self.error is not None:
            return f"无法核对 {self.path}：{self.error}"
        m = self.manifest or {}
        head = (
            f"{(m.get('branch') or {}).get('name', '')} {(m.get('period') or {}).get('year', '')}年度报送包"
            f"（{m.get('profile_label', m.get('profile', ''))}，生成于 {str(m.get('created_at', '')).replace('T', ' ')}）"
        )
        if self.ok:
            return f"{head}：完整，{self.checked} 个文件与清单一致。"
        if self.intact:
            return "\n".join(
                [
                    f"{head}：不完整，{len(self.failed)} 份报表没有生成（其余 {self.checked} 个文件与清单一致）。"
                ]
                + [f"  未能生成：{p}" for p in self.failed]
            )
        lines = [f"{head}：不完整或已被改动。"]
        lines += [f"  缺少：{p}" for p in self.missing]
        lines += [f"  已改动：{p}" for p in self.changed]
        lines += [f"  多出：{p}" for p in self.extra]
        lines += [f"  未能生成：{p}" for p in self.failed]
        return "\n".join(lines)


def _safe_rel(rel: Any) -> bool:
    """A relative posix path inside the package: what PurePosixPath would call relative with no ".." part,
    in plain string tests (this runs for every file of every package a liaison aggregates)."""
    if not isinstance(rel, str) or not rel or "\\" in rel or ":" in rel:
        return False
    return not rel.startswith("/") and ".." not in rel.split("/")


def _check_manifest(res: VerifyResult, raw: bytes) -> dict[str, Any] | None:
    try:
        manifest = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        res.error = "文件清单 manifest.json 无法读取（不是有效的 JSON）"
        return None
    if (
        not isinstance(manifest, dict)
        or manifest.get("format") != FORMAT
        or not isinstance(manifest.get("files"), list)
    ):
        res.error = "manifest.json 不是支部台账报送包的文件清单"
        return None
    if int(manifest.get("version") or 0) > VERSION:
        res.error = f"这个报送包由更新版本的支部台账生成（格式 {manifest.get('version')}），请先升级"
        return None
    res.manifest = manifest
    for f in manifest.get("failed") or []:
        if isinstance(f, dict):
            fmt = f" {f['format']}" if f.get("format") else ""
            rec = f" 第{f['record_id']}条" if f.get("record_id") is not None else ""
            res.failed.append(
                f"{f.get('title') or f.get('template') or '?'}{rec}{fmt}（{f.get('error') or '生成失败'}）"
            )
        else:
            res.failed.append(str(f))
    if manifest.get("checksum") != manifest_checksum(manifest):
        res.changed.append(f"{MANIFEST}（清单内容被改动）")
    for f in manifest["files"]:
        if not isinstance(f, dict) or not _safe_rel(f.get("path")):
            res.error = "manifest.json 中有不合规的文件路径"
            return None
    return manifest


def _ignored(rel: str) -> bool:
    name = rel.rsplit("/", 1)[-1]
    return name in IGNORED_NAMES or name.startswith("._")


def verify_package(path: Path, password: str | None = None) -> VerifyResult:
    """Re-hash every file of a package (folder or zip) against its manifest: what is missing, changed, extra."""
    path = Path(path)
    if path.is_file() and path.suffix.lower() == ".zip":
        return _verify_zip(path, password)
    res = VerifyResult(path)
    if not path.is_dir():
        res.error = "找不到这个文件夹或压缩包"
        return res
    try:
        raw = (path / MANIFEST).read_bytes()
    except FileNotFoundError:
        res.error = "文件夹中没有 manifest.json，不是报送包（或已被删除）"
        return res
    except OSError as e:
        res.error = f"读取 manifest.json 失败：{e.strerror or e}"
        return res
    manifest = _check_manifest(res, raw)
    if manifest is None:
        return res
    listed = set()
    for f in manifest["files"]:
        rel = f["path"]
        listed.add(rel)
        p = path / rel
        try:
            size = p.stat().st_size
        except FileNotFoundError:
            res.missing.append(rel)
            continue
        except OSError as e:
            res.changed.append(f"{rel}（无法读取：{e.strerror}）")
            continue
        res.checked += 1
        if size != f.get("size"):
            res.changed.append(f"{rel}（大小不同）")
        elif file_sha256(p) != f.get("sha256"):
            res.changed.append(f"{rel}（内容不同）")
    for dirpath, _dirs, names in os.walk(path):
        for n in names:
            rel = (Path(dirpath) / n).relative_to(path).as_posix()
            if rel != MANIFEST and rel not in listed and not _ignored(rel):
                res.extra.append(rel)
    res.extra.sort()
    return res


def _verify_zip(path: Path, password: str | None) -> VerifyResult:
    import zipfile

    import pyzipper

    res = VerifyResult(path)
    try:
        zf = pyzipper.AESZipFile(path)
    except (zipfile.BadZipFile, OSError) as e:
        res.error = f"压缩包无法打开（{e}）"
        return res
    with zf:
        if password:
            zf.setpassword(password.encode("utf-8"))
        names = [i.filename for i in zf.infolist() if not i.is_dir()]
        manifests = sorted(
            (n for n in names if n.rsplit("/", 1)[-1] == MANIFEST and n.count("/") <= 1),
            key=lambda n: n.count("/"),
        )
        if not manifests:
            res.error = "压缩包中没有 manifest.json，不是报送包"
            return res
        prefix = manifests[0][: -len(MANIFEST)]
        try:
            raw = zf.read(manifests[0])
        except RuntimeError as e:
            res.error = (
                ("这个压缩包已加密，请输入密码" if not password else "压缩包密码不正确")
                if "password" in str(e).lower()
                else f"压缩包无法读取（{e}）"
            )
            return res
        except (zipfile.BadZipFile, OSError, ValueError) as e:
            res.error = f"压缩包已损坏（{e}）"
            return res
        manifest = _check_manifest(res, raw)
        if manifest is None:
            return res
        present = {n[len(prefix) :]: n for n in names if n.startswith(prefix)}
        listed = set()
        for f in manifest["files"]:
            rel = f["path"]
            listed.add(rel)
            if rel not in present:
                res.missing.append(rel)
                continue
            res.checked += 1
            try:
                with zf.open(present[rel]) as fh:
                    digest, size = stream_sha256(fh)
            except (zipfile.BadZipFile, RuntimeError, OSError, ValueError):
                res.changed.append(f"{rel}（无法读取）")
                continue
            if size != f.get("size"):
                res.changed.append(f"{rel}（大小不同）")
            elif digest != f.get("sha256"):
                res.changed.append(f"{rel}（内容不同）")
        res.extra = sorted(
            [n for n in names if not n.startswith(prefix)]
            + [r for r in present if r != MANIFEST and r not in listed and not _ignored(r)]
        )
    return res
