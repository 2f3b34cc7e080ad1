"""The liaison's inbox verified in a thread pool (exports/inbox.py): every package gets exactly the result
verify_package gives it, a bad package among good ones is reported the same, the order never depends on which
thread finished first, and cancelling stops the run."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from exports import aggregate, package
from exports import inbox as pool
from exports.package.verify import _safe_rel
from exports.report import ExportCancelled
from tests.exports.test_aggregate import NAMES  # noqa: F401 - fixtures
from tests.exports.test_aggregate import inbox as inbox
from tests.exports.test_aggregate import packages as packages  # noqa: F401 - fixtures


def _spoil(folder: Path) -> dict[str, Path]:
    """Copies of one package, each spoiled a different way, plus two good ones."""
    src = next(p for p in folder.iterdir() if (p / package.MANIFEST).exists())
    out: dict[str, Path] = {}
    for key in (
        "good",
        "good2",
        "content",
        "size",
        "missing",
        "extra",
        "ignored",
        "manifest",
        "no_manifest",
        "bad_json",
        "dir_in_place",
    ):
        dst = folder.parent / "spoiled" / key
        shutil.copytree(src, dst)
        out[key] = dst
    pdf = next((out["content"] / "报表").glob("*.pdf"))
    data = bytearray(pdf.read_bytes())
    data[-10] ^= 0xFF
    pdf.write_bytes(bytes(data))
    (out["size"] / "index.html").write_bytes((out["size"] / "index.html").read_bytes() + b" ")
    next((out["missing"] / "报表").glob("*.xlsx")).unlink()
    (out["extra"] / "报表" / "说明.txt").write_text("多出来的", encoding="utf-8")
    (out["ignored"] / "Thumbs.db").write_bytes(b"x")
    (out["ignored"] / "报表" / "._a.pdf").write_bytes(b"x")
    m = json.loads((out["manifest"] / package.MANIFEST).read_text(encoding="utf-8"))
    m["summary"]["members"]["total"] = 999
    (out["manifest"] / package.MANIFEST).write_text(json.dumps(m, ensure_ascii=False), encoding="utf-8")
    (out["no_manifest"] / package.MANIFEST).unlink()
    (out["bad_json"] / package.MANIFEST).write_text("{", encoding="utf-8")
    (out["dir_in_place"] / "data.json").unlink()
    (out["dir_in_place"] / "data.json").mkdir()
    out["nowhere"] = folder.parent / "spoiled" / "不存在"
    return out


@pytest.fixture
def spoiled(inbox: dict[str, Path]) -> dict[str, Path]:  # noqa: F811 - the imported fixture
    return _spoil(inbox[NAMES[0]].parent)


def test_each_package_verified_as_verify_package_does(spoiled: dict[str, Path]) -> None:
    for key, path in spoiled.items():
        fast = pool.verify_one(path)
        plain = package.verify_package(path)
        assert fast.to_json() == plain.to_json(), key
        assert fast.status == plain.status, key
    assert pool.verify_one(spoiled["good"]).ok
    assert pool.verify_one(spoiled["content"]).status == "tampered"
    assert pool.verify_one(spoiled["missing"]).status == "incomplete"
    assert pool.verify_one(spoiled["ignored"]).ok


def test_whole_file_reads_give_what_the_buffered_reads_gave(
    spoiled: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files up to WHOLE_MAX are read and hashed in one call each, larger ones through the 64 KiB buffer: on every
    spoiled package both ways give the same result, a file's size off by one byte either way included."""
    from exports.package import verify

    grown, shrunk = spoiled["good2"] / "index.html", spoiled["content"] / "index.html"
    grown.write_bytes(grown.read_bytes() + b"x")
    shrunk.write_bytes(shrunk.read_bytes()[:-1])
    whole = {k: pool.verify_one(p).to_json() for k, p in spoiled.items()}
    monkeypatch.setattr(verify, "WHOLE_MAX", 0)
    buffered = {k: pool.verify_one(p).to_json() for k, p in spoiled.items()}
    assert whole == buffered
    assert "index.html（大小不同）" in whole["good2"]["changed"]
    assert "index.html（大小不同）" in whole["content"]["changed"]
    assert whole["good"]["ok"] and whole["good"]["checked"] == len(
        package.read_manifest(spoiled["good"])["files"]
    )


def test_short_reads_read_on_to_the_end(spoiled: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """A read that returns less than asked (a network disk may) is followed by more reads, never taken for the
    whole file."""
    import os

    from exports.package import verify

    before = {k: pool.verify_one(p).to_json() for k, p in spoiled.items()}
    real_read = os.read
    monkeypatch.setattr(verify.os, "read", lambda fd, n: real_read(fd, min(n, 1000)))
    assert {k: pool.verify_one(p).to_json() for k, p in spoiled.items()} == before


@pytest.mark.parametrize("workers", [1, 2, 8])
def test_the_pool_gives_every_result_in_the_order_given(spoiled: dict[str, Path], workers: int) -> None:
    paths = list(spoiled.values()) * 3
    results = pool.verify_all(paths, max_workers=workers)
    assert [r.path for r in results] == paths
    assert [r.to_json() for r in results] == [package.verify_package(p).to_json() for p in paths]


def test_a_bad_package_among_good_ones_reported_as_before(
    inbox: dict[str, Path],  # noqa: F811 - the imported fixture
    tmp_path: Path,
) -> None:
    """The same inbox aggregated one package at a time (verify_package, no pool) and through the pool: the same
    rows in the same order, the tampered and incomplete ones named, the duplicate set aside."""
    paths = [inbox[n] for n in NAMES] + [inbox["dup"]]
    pooled = aggregate.collect(paths)
    rows = [aggregate.row_from(package.verify_package(p)) for p in aggregate.expand(paths)]
    aggregate._pick_current(rows)
    rows.sort(key=lambda r: (not r.counted, r.branch, -(r.year or 0)))
    assert [r.to_json() for r in pooled.rows] == [r.to_json() for r in rows]
    for _ in range(3):
        assert aggregate.collect(list(reversed(paths))).to_json()["rows"] == pooled.to_json()["rows"]


def test_progress_counts_every_package_and_cancel_stops(spoiled: dict[str, Path]) -> None:
    """Threads (cancel asked between files); worker processes: test_cancel_stops_the_worker_processes."""
    paths = list(spoiled.values()) * 4
    seen: list[tuple[int, int, str]] = []
    pool.verify_all(paths, progress=lambda d, t, s: seen.append((d, t, s)), max_workers=2, processes=False)
    assert seen[0] == (0, len(paths), f"已检查 0 / 共 {len(paths)} 个报送包")
    assert seen[-1][:2] == (len(paths), len(paths))
    assert [d for d, _, _ in seen] == sorted(d for d, _, _ in seen)
    calls = {"n": 0}

    def cancelled() -> bool:
        calls["n"] += 1
        return calls["n"] > 20

    with pytest.raises(ExportCancelled):
        pool.verify_all(paths, cancelled=cancelled, max_workers=2, processes=False)


def test_an_unreadable_file_names_the_package_instead_of_ending_the_run(
    spoiled: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = pool.verify_folder

    def flaky(path: Path, cancelled: object = None) -> package.VerifyResult:
        if path == spoiled["good2"]:
            raise PermissionError(13, "拒绝访问")
        return real(path)

    monkeypatch.setattr(pool, "verify_folder", flaky)
    results = pool.verify_all([spoiled["good"], spoiled["good2"]])
    assert results[0].ok
    assert results[1].status == "unreadable" and "拒绝访问" in (results[1].error or "")


@pytest.mark.parametrize(
    "rel",
    [
        "a.pdf",
        "报表/a.pdf",
        "/a",
        "//a",
        "a/../b",
        "..",
        "./a",
        "a/./b",
        "a//b",
        "a/..b",
        "..a/b",
        "a/b/..",
        "a\\b",
        "c:a",
        "",
        ".",
        "a/",
        "a/..",
    ],
)
def test_safe_rel_as_purepath_said(rel: str) -> None:
    from pathlib import PurePosixPath

    p = PurePosixPath(rel)
    before = bool(rel) and "\\" not in rel and not p.is_absolute() and ".." not in p.parts and ":" not in rel
    assert _safe_rel(rel) == before


# ------------------------------------------------------------------------------------------ worker processes


def _sheet(path: Path) -> list[tuple[object, ...]]:
    from openpyxl import load_workbook

    return [tuple(r) for r in load_workbook(path).active.iter_rows(values_only=True)]


def test_worker_processes_give_what_one_package_at_a_time_gives(
    spoiled: dict[str, Path], tmp_path: Path
) -> None:
    """From PROCESS_MIN packages on the inbox is checked in spawned worker processes: every result, its order
    and the liaison's table read back from the xlsx are those of verify_package run one package at a time,
    encrypted zips (with the right password, the wrong one, none) among the folders."""
    good = spoiled["good"]
    zips = {
        "right": package.zip_package(good, tmp_path / "right.zip", password="口令123456"),
        "wrong": package.zip_package(good, tmp_path / "wrong.zip", password="另一个口令"),
        "none": package.zip_package(good, tmp_path / "plain.zip"),
    }
    paths = (list(spoiled.values()) + list(zips.values())) * 2
    password = "口令123456"

    def password_for(p: Path) -> str | None:
        return password if p.suffix == ".zip" else None

    seen: list[int] = []
    procs = pool.verify_all(
        paths, password_for, processes=True, max_workers=2, progress=lambda d, t, s: seen.append(d)
    )
    plain = [package.verify_package(p, password=password_for(p)) for p in paths]
    assert [r.path for r in procs] == paths
    assert [r.to_json() for r in procs] == [r.to_json() for r in plain]
    assert seen[0] == 0 and seen[-1] == len(paths) and seen == sorted(seen)
    assert {r.status for r in procs} == {"ok", "tampered", "incomplete", "unreadable"}

    by_procs = aggregate.AggregateResult([aggregate.row_from(r) for r in procs])
    by_plain = aggregate.AggregateResult([aggregate.row_from(r) for r in plain])
    for res in (by_procs, by_plain):
        aggregate._pick_current(res.rows)
        res.rows.sort(key=lambda r: (not r.counted, r.branch, -(r.year or 0)))
    aggregate.write(by_procs, tmp_path / "procs.xlsx")
    aggregate.write(by_plain, tmp_path / "plain.xlsx")
    assert _sheet(tmp_path / "procs.xlsx") == _sheet(tmp_path / "plain.xlsx")


def test_collect_chooses_processes_for_many_packages_and_the_table_is_the_same(
    spoiled: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """aggregate.collect over an inbox at the threshold (worker processes) and below it (threads): the same rows,
    the same xlsx read back."""
    paths = [spoiled["good"], spoiled["good2"], spoiled["content"], spoiled["missing"], spoiled["bad_json"]]
    made = []
    for i, src in enumerate(paths):
        dst = tmp_path / "mine" / f"p{i}"
        shutil.copytree(src, dst)
        made.append(dst)
    used: list[bool] = []
    real = pool._process_pool
    monkeypatch.setattr(pool, "_process_pool", lambda n: used.append(True) or real(n))
    monkeypatch.setattr(pool, "PROCESS_MIN", len(made))
    many = aggregate.aggregate([tmp_path / "mine"], tmp_path / "many.xlsx")
    assert used == [True]
    monkeypatch.setattr(pool, "PROCESS_MIN", len(made) + 1)
    few = aggregate.aggregate([tmp_path / "mine"], tmp_path / "few.xlsx")
    assert used == [True]
    assert many.to_json()["rows"] == few.to_json()["rows"]
    assert _sheet(tmp_path / "many.xlsx") == _sheet(tmp_path / "few.xlsx")


class _Breaks:
    """An executor whose tasks after the first `good` fail as a dead worker process makes them fail."""

    def __init__(self, good: int) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self.inner = ThreadPoolExecutor(1)
        self.good = good

    def submit(self, fn, *args):  # type: ignore[no-untyped-def]
        from concurrent.futures import Future
        from concurrent.futures.process import BrokenProcessPool

        if self.good > 0:
            self.good -= 1
            return self.inner.submit(fn, *args)
        fut: Future[object] = Future()
        fut.set_exception(BrokenProcessPool("a worker died"))
        return fut

    def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
        self.inner.shutdown(wait=wait, cancel_futures=cancel_futures)


@pytest.mark.parametrize("good", [0, 1])
def test_a_dead_worker_process_leaves_its_packages_to_the_threads(
    spoiled: dict[str, Path], monkeypatch: pytest.MonkeyPatch, good: int
) -> None:
    paths = list(spoiled.values()) * 2
    monkeypatch.setattr(pool, "_process_pool", lambda n: _Breaks(good))
    seen: list[int] = []
    results = pool.verify_all(paths, processes=True, progress=lambda d, t, s: seen.append(d))
    assert [r.to_json() for r in results] == [package.verify_package(p).to_json() for p in paths]
    assert seen[-1] == len(paths) and seen == sorted(seen)


def test_no_processes_to_be_had_means_threads(
    spoiled: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = list(spoiled.values())
    monkeypatch.setattr(pool, "_process_pool", lambda n: None)
    results = pool.verify_all(paths, processes=True)
    assert [r.to_json() for r in results] == [package.verify_package(p).to_json() for p in paths]


def test_cancel_stops_the_worker_processes(spoiled: dict[str, Path]) -> None:
    calls = {"n": 0}

    def cancelled() -> bool:
        calls["n"] += 1
        return calls["n"] > 2

    with pytest.raises(ExportCancelled):
        pool.verify_all(list(spoiled.values()) * 4, cancelled=cancelled, processes=True, max_workers=2)
