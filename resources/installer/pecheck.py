"""Smoke-test helper, run by the Windows Python under Wine: print what Windows shows of each exe (version
resource, icon, GUI or console subsystem), one line each, and exit 1 if something is missing.

Usage: python pecheck.py VERSION EXE [EXE ...]   (pefile comes with PyInstaller)
"""

import sys

import pefile

SUBSYSTEMS = {2: "windowed", 3: "console"}


def main(version: str, paths: list[str]) -> int:
    bad = 0
    for path in paths:
        pe = pefile.PE(path)
        strings: dict[str, str] = {}
        for info in getattr(pe, "FileInfo", []):
            for entry in info:
                for table in getattr(entry, "StringTable", []):
                    strings.update({k.decode(): v.decode() for k, v in table.entries.items()})
        resources = getattr(pe, "DIRECTORY_ENTRY_RESOURCE", None)
        icon = bool(resources) and any(
            e.id == pefile.RESOURCE_TYPE["RT_GROUP_ICON"] for e in resources.entries
        )
        subsystem = SUBSYSTEMS.get(pe.OPTIONAL_HEADER.Subsystem, "?")
        name = path.replace("\\", "/").rsplit("/", 1)[-1]
        ok = strings.get("ProductName") == "支部台账" and strings.get("ProductVersion") == version and icon
        bad += not ok
        print(
            f"{name}: {subsystem}, {'icon' if icon else 'NO ICON'}, ProductName={strings.get('ProductName')} "
            f"ProductVersion={strings.get('ProductVersion')} FileDescription={strings.get('FileDescription')}"
        )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
