#!/usr/bin/env bash
# Start the Windows GUI exe with Qt's real Windows platform plugin (qwindows, what users get; the self-tests
# use offscreen) on a virtual X display, on the demo branch; wait for its main window, take a screenshot, stop.
# Called by smoke-windows.sh; also useful alone to look at the Windows build:
#   bash resources/installer/visual-windows.sh 'C:\path\to\BranchLedger.exe' build/windows/qwindows
# Needs xvfb-run and xwininfo (apt-get install xvfb x11-utils). Writes OUTDIR/{screen.png,windows.txt,app.log}.
set -euo pipefail
source "$(dirname "$0")/wine-env.sh"
EXE=$1
OUTDIR=$(mkdir -p "$2" && cd "$2" && pwd)
rm -f "$OUTDIR"/{screen.png,windows.txt,app.log}
ensure_locale
# Qt 6's qwindows calls mscms.WcsCreateIccProfile, which Wine 8 does not implement ("unimplemented function
# mscms.dll.WcsCreateIccProfile, aborting"): a native test stub answers "no colour profile" instead.
stub mscms
export WINE_EXTRA_OVERRIDES="mscms=n" WINEDLLOVERRIDES="$WINEDLLOVERRIDES;mscms=n" # (wine-env.sh keeps it)

# `-platform windows` on the command line beats the prefix's QT_QPA_PLATFORM=offscreen.
timeout 240 xvfb-run -a -s '-screen 0 1280x800x24' bash -c '
  xdisplay=$DISPLAY # set by xvfb-run; wine-env.sh unsets it
  source "$0"
  export DISPLAY=$xdisplay
  ( wrun "$1" -platform windows --demo >"$2/app.log" 2>&1 & )
  for i in $(seq 120); do
    sleep 1
    # the main window: titled 支部台账 (…), at least 100x100 pixels
    if xwininfo -root -tree | grep -a "\"支部台账" | grep -q " [0-9]\{3,\}x[0-9]\{3,\}+"; then
      sleep 3   # let it finish painting
      break
    fi
  done
  xwininfo -root -tree | grep -ai "(\"branchledger.exe\"" >"$2/windows.txt" || true
  "$HOSTPY" -c "import sys; from PIL import ImageGrab; ImageGrab.grab().save(sys.argv[1])" "$2/screen.png" || true
  wineserver -k
' "$INSTALLER_DIR/wine-env.sh" "$EXE" "$OUTDIR" </dev/null
MAIN=$(grep -a "\"支部台账" "$OUTDIR/windows.txt" 2>/dev/null | grep -a " [0-9]\{3,\}x[0-9]\{3,\}+" | head -1 | sed 's/^ *//') || true
if [ -n "$MAIN" ]; then
  echo "qwindows: main window shown: $MAIN"
  exit 0
fi
echo "qwindows: no main window appeared; see $OUTDIR/app.log" >&2
exit 1
