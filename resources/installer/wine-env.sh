# Sourced by build-windows.sh and smoke-windows.sh: one isolated, headless Wine prefix for building and testing
# the Windows bundle, kept outside the repo. Nothing here touches the real $HOME. See docs/windows.md.
# shellcheck shell=bash

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
INSTALLER_DIR="$REPO/resources/installer"
# The cache (downloads, wheels, Wine prefix) lives outside the repo and survives `make clean`.
# Exported, so that sourcing this file again from a child (with HOME already redirected) finds the same.
export REAL_HOME=${REAL_HOME:-$HOME}
export REAL_XDG_CONFIG_HOME=${REAL_XDG_CONFIG_HOME:-${XDG_CONFIG_HOME:-$REAL_HOME/.config}}
export BRANCH_LEDGER_WIN_CACHE=${BRANCH_LEDGER_WIN_CACHE:-${XDG_CACHE_HOME:-$REAL_HOME/.cache}/branch-ledger/windows}
CACHE=$BRANCH_LEDGER_WIN_CACHE
export HOSTPY=${HOSTPY:-$REPO/.venv/bin/python}
BUILD="$REPO/build/windows"
DIST="$REPO/dist"
APP=BranchLedger
VERSION=$("$HOSTPY" -c 'import sys, tomllib; print(tomllib.load(open(sys.argv[1], "rb"))["project"]["version"])' \
  "$REPO/pyproject.toml")
mkdir -p "$CACHE"/{dl,wheels,home} "$BUILD" "$DIST"

# Reproducible builds (docs/windows.md, "Same source, same bytes"): every time stamp that ends up in an artefact
# is the last commit's time, and Python's hash seed is fixed (it orders sets, and so PyInstaller's tables).
# PyInstaller writes SOURCE_DATE_EPOCH into the exes' PE headers; make_portable.py into the zip. Wine passes
# both variables on to the Windows programs.
if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
  SOURCE_DATE_EPOCH=$(git -C "$REPO" log -1 --format=%ct 2>/dev/null) || SOURCE_DATE_EPOCH=""
  if [ -z "$SOURCE_DATE_EPOCH" ]; then
    echo "note: $REPO is not a git checkout; set SOURCE_DATE_EPOCH for a reproducible build" >&2
    SOURCE_DATE_EPOCH=315532800 # 1980-01-01, the earliest time a zip can hold
  fi
fi
export SOURCE_DATE_EPOCH PYTHONHASHSEED=0

export WINEPREFIX="$CACHE/prefix" WINEARCH=win64 WINEDEBUG=${WINEDEBUG:--all}
# no menu entries or icons in $HOME, no Mono/Gecko download prompts
export WINEDLLOVERRIDES="winemenubuilder.exe=d;mscoree=d;mshtml=d${WINE_EXTRA_OVERRIDES:+;$WINE_EXTRA_OVERRIDES}"
export HOME="$CACHE/home" XDG_DATA_HOME="$CACHE/home/.local/share" XDG_CONFIG_HOME="$CACHE/home/.config"
export XDG_CACHE_HOME="$CACHE/home/.cache" PYTHONDONTWRITEBYTECODE=1
unset DISPLAY WAYLAND_DISPLAY
DRIVE_C="$WINEPREFIX/drive_c"
# Wine takes the Windows locale from the Unix one. Run it as Simplified Chinese Windows (zh-CN, ANSI code
# page 936), like the secretaries' office PCs: arguments such as branch names and paths with Chinese
# characters then behave as they do there. The locale is compiled into the cache (LOCPATH), not the system.
ensure_locale() {
  [ -f "$CACHE/locale/zh_CN.UTF-8/LC_CTYPE" ] && return 0
  mkdir -p "$CACHE/locale"
  localedef -i zh_CN -f UTF-8 "$CACHE/locale/zh_CN.UTF-8" 2>/dev/null ||
    { echo "cannot compile the zh_CN.UTF-8 locale: apt-get install locales" >&2; exit 1; }
}
WINE_LOCALE=(env LOCPATH="$CACHE/locale" LANG=zh_CN.UTF-8 LC_ALL=zh_CN.UTF-8)
WINPY='C:\python\python.exe'

# Windows python.exe under Wine 8 dies ("init_sys_streams ... [WinError 6] Invalid handle") when stdout is a
# regular file, so Wine programs always write into a pipe. `wine` itself says "wine32 is missing" on stderr of
# every start on a wine64-only system; drop that noise.
wrun() {
  local st
  { "${WINE_LOCALE[@]}" wine "$@" 2>&1 </dev/null | grep -av -e 'wine32 is missing' -e 'multiarch needs to be enabled' \
      -e 'dpkg --add-architecture' -e 'apt-get install wine32' -e '^execute "dpkg'
    st=("${PIPESTATUS[@]}"); } || true
  return "${st[0]}"
}
wreg() { "${WINE_LOCALE[@]}" wine reg add "$@" /f </dev/null >>"$CACHE/wineboot.log" 2>&1; } # the log: build-windows.sh
wpath() { "${WINE_LOCALE[@]}" winepath -w "$1" 2>/dev/null; }
upath() { "${WINE_LOCALE[@]}" winepath -u "$1" 2>/dev/null; }

# Test-only stubs of DLLs that Windows 10/11 has and Wine 8 lacks (each *-stub.c says who needs it). They go
# into the prefix's system32, so PyInstaller takes them for system DLLs and never bundles them.
stub() { # name [libs...]: compile resources/installer/<name>-stub.c and put it into the prefix's system32
  local name=$1 built="$CACHE/stubs/$1.dll" dll="$DRIVE_C/windows/system32/$1.dll"
  shift
  mkdir -p "$CACHE/stubs"
  if [ ! -f "$built" ] || [ "$INSTALLER_DIR/$name-stub.c" -nt "$built" ]; then
    x86_64-w64-mingw32-gcc -O2 -shared -s -o "$built" "$INSTALLER_DIR/$name-stub.c" "$@"
  fi
  cmp -s "$built" "$dll" || cp -f "$built" "$dll" # Wine puts its own placeholder files there
}

# The host's pip (downloads) with the user's real pip configuration (index, proxy, certificates); its cache
# stays in ours.
hostpip() {
  HOME=$REAL_HOME XDG_CONFIG_HOME=$REAL_XDG_CONFIG_HOME PIP_CACHE_DIR="$CACHE/pip" "$HOSTPY" -m pip "$@"
}

T0=${T0:-$SECONDS}
step() { echo "### [$((SECONDS - T0))s] $*"; }
