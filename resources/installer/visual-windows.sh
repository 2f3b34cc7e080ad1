#!/usr/bin/env bash
# Start a Windows program on a virtual X display under Wine, wait for a window whose title starts with TITLE,
# take a screenshot, stop everything. Used by smoke-windows.sh for
#   - the GUI exe with Qt's real Windows platform plugin (qwindows, what users get; the self-tests run Qt
#     offscreen) on the demo branch:  visual-windows.sh 'C:\…\BranchLedger.exe' OUTDIR 支部台账 -platform windows --demo
#   - the installer's first page:      visual-windows.sh 'Z:\…\BranchLedger-0.1.0-setup.exe' OUTDIR '支部台账 0.1.0 安装'
# Needs xvfb-run and xwininfo (apt-get install xvfb xauth x11-utils). Writes OUTDIR/{screen.png,windows.txt,app.log}
# and prints the window it found; exit 1 if none appeared.
set -euo pipefail
source "$(dirname "$0")/wine-env.sh"
EXE=$1
OUTDIR=$(mkdir -p "$2" && cd "$2" && pwd)
TITLE=$3
shift 3
rm -f "$OUTDIR"/{screen.png,windows.txt,app.log}
ensure_locale
# Qt 6's qwindows calls mscms.WcsCreateIccProfile, which Wine 8 does not implement ("unimplemented function
# mscms.dll.WcsCreateIccProfile, aborting"): a native test stub answers "no colour profile" instead.
stub mscms
export WINE_EXTRA_OVERRIDES="mscms=n" WINEDLLOVERRIDES="$WINEDLLOVERRIDES;mscms=n" # (wine-env.sh keeps it)
export VIS_TITLE=$TITLE

timeout 240 xvfb-run -a -s '-screen 0 1280x800x24' bash -c '
  xdisplay=$DISPLAY # set by xvfb-run; wine-env.sh unsets it
  source "$0"
  export DISPLAY=$xdisplay
  exe=$1 out=$2
  shift 2
  ( wrun "$exe" "$@" >"$out/app.log" 2>&1 & )
  for i in $(seq 120); do
    sleep 1
    # a window with that title, at least 100x100 pixels
    if xwininfo -root -tree | grep -aF "\"$VIS_TITLE" | grep -q " [0-9]\{3,\}x[0-9]\{3,\}+"; then
      sleep 3 # let it finish painting
      break
    fi
  done
  xwininfo -root -tree | grep -aF "\"$VIS_TITLE" >"$out/windows.txt" || true
  "$HOSTPY" -c "import sys; from PIL import ImageGrab; ImageGrab.grab().save(sys.argv[1])" "$out/screen.png" || true
  wineserver -k
' "$INSTALLER_DIR/wine-env.sh" "$EXE" "$OUTDIR" "$@" </dev/null
FOUND=$(grep -a " [0-9]\{3,\}x[0-9]\{3,\}+" "$OUTDIR/windows.txt" 2>/dev/null | head -1 | sed 's/^ *//') || true
if [ -n "$FOUND" ]; then
  echo "window shown: $FOUND"
  exit 0
fi
echo "no window titled '$TITLE…' appeared; see $OUTDIR/app.log" >&2
exit 1
