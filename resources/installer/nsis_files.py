"""Write the NSIS lines that put every file of the onedir into $INSTDIR, in a fixed order (extension, path).

installer.nsi includes them instead of `File /r`, which adds files in the order the build machine's file system
lists them: two builds of one bundle could then give two different setup.exe (docs/windows.md, "Same source,
same bytes").

Usage: python resources/installer/nsis_files.py build/windows/dist/BranchLedger build/windows/files.nsh
"""

from __future__ import annotations

import sys
from pathlib import Path


def nsis_quote(text: str, runtime: bool = True) -> str:
    """A double-quoted NSIS string. In a run-time string (SetOutPath) `$` starts a variable, so it is doubled; the
    source path of `File` is read when makensis compiles, where only `${define}` would be replaced."""
    if '"' in text or "\n" in text or "${" in text:
        raise ValueError(f"cannot name {text!r} in an NSIS script")
    return '"' + (text.replace("$", "$$") if runtime else text) + '"'


def order(parts: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """By extension, then path: like files sit side by side in the solid LZMA stream, which compresses the 101 MB
    folder to 35.1 MB; in plain path order it takes 41.5 MB (the 64 MB dictionary no longer reaches back to the
    previous DLL)."""
    return (Path(parts[-1]).suffix.lower(), parts)


def lines(root: Path) -> list[str]:
    out: list[str] = []
    current: tuple[str, ...] | None = None
    files = sorted((p.relative_to(root).parts for p in root.rglob("*") if p.is_file()), key=order)
    for parts in files:
        folder = parts[:-1]
        if folder != current:
            sub = "\\".join(folder)
            out.append(
                "  SetOutPath " + ('"$INSTDIR"' if not folder else '"$INSTDIR\\' + nsis_quote(sub)[1:])
            )
            current = folder
        out.append("  File " + nsis_quote(str(root.joinpath(*parts)), runtime=False))
    return out


def main(src: str, out: str) -> int:
    root = Path(src).resolve()
    if not root.is_dir():
        print(f"{root} is not a folder", file=sys.stderr)
        return 1
    text = "\n".join(lines(root)) + "\n"
    Path(out).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
