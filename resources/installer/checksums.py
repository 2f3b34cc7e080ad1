"""SHA-256 sums of the release artefacts, in `sha256sum` format, so anyone can check them with `sha256sum -c`.

    python resources/installer/checksums.py sums dist/SHA256SUMS FILE...
        print each FILE's sum and put it into dist/SHA256SUMS (named relative to that folder; the lines of other
        files stay, so `make dist` and `make dist-windows` each update their own)
    python resources/installer/checksums.py tree dist/BranchLedger dist/BranchLedger-<version>-linux.sha256
        one line per file of a folder such as the Linux bundle (symbolic links as `-> target`), sorted; the
        folder is checked with `cd dist && sha256sum -c BranchLedger-<version>-linux.sha256`, and this list
        itself is one line of SHA256SUMS

Used by the Makefile (dist, dist-windows) and release-check.sh; see docs/windows.md, "Same source, same bytes".
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def tree_lines(folder: Path) -> list[str]:
    """`<sum>  <folder name>/<path>` for each file, sorted by path; a symbolic link is listed by its target (a
    link `sha256sum -c` would follow, but a changed target is a changed bundle too)."""
    entries = []
    for p in folder.rglob("*"):
        rel = f"{folder.name}/{p.relative_to(folder).as_posix()}"
        if p.is_symlink():
            entries.append((rel, f"# {rel} -> {os.readlink(p)}"))
        elif p.is_file():
            entries.append((rel, f"{sha256(p)}  {rel}"))
    return [line for _rel, line in sorted(entries)]


def write_tree(folder: Path, out: Path) -> None:
    lines = tree_lines(folder)
    out.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    files = sum(1 for line in lines if not line.startswith("#"))
    print(f"{out}: {files} files of {folder}/ (check: cd {out.parent} && sha256sum -c {out.name})")


def update_sums(sums: Path, files: list[Path]) -> list[str]:
    """Put the sums of `files` into the file `sums`, replacing older lines of the same names; return the new
    lines."""
    base = sums.parent.resolve()
    kept: dict[str, str] = {}
    if sums.exists():
        for line in sums.read_text(encoding="utf-8").splitlines():
            digest, _, name = line.partition("  ")
            if name:
                kept[name] = digest
    new = []
    for f in files:
        name = os.path.relpath(f.resolve(), base).replace(os.sep, "/")
        kept[name] = sha256(f)
        new.append(f"{kept[name]}  {name}")
    sums.write_text("".join(f"{d}  {n}\n" for n, d in sorted(kept.items())), encoding="utf-8")
    return new


def main(argv: list[str]) -> int:
    if len(argv) >= 3 and argv[0] == "sums":
        for line in update_sums(Path(argv[1]), [Path(a) for a in argv[2:]]):
            print(line)
        return 0
    if len(argv) == 3 and argv[0] == "tree":
        write_tree(Path(argv[1]), Path(argv[2]))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
