#!/usr/bin/env bash
# Smoke test of dist/BranchLedger-<version>-setup.exe and -portable.zip under Wine, without admin rights:
#   0. the installer's first page on Xvfb (screenshot; it is then stopped before doing anything)
#   U. the real upgrade: the previous release (previous-release.sh, or PREVIOUS_SETUP) installed, a ledger filled
#      with its ledger.exe, this installer over it: migrated (snapshot), current schema, verify, same dump;
#      uninstall keeps it (UPGRADE=0 skips this)
#   1. silent per-user install: files in %LOCALAPPDATA%\Programs\BranchLedger, shortcuts, HKCU only
#  1b. the start-up time of the installed GUI exe on the demo branch (first start after the install, warm, cold
#      after dropping the page cache where allowed), beside Wine's own start, the source run under Wine, the
#      Linux bundle and the source run on Linux: start_bench.py -> build/windows/start.json (START_BENCH=0 skips)
#   2. the installed ledger.exe --self-test, then a real ledger in the default user data folder
#   3. the installed GUI exe --self-test (Qt offscreen through the prefix's registry), then the same exe with
#      Qt's real Windows plugin on Xvfb opening the demo branch, with a screenshot (visual-windows.sh)
#   4. install again over it (the upgrade path, silently with /NODESKTOP): the user's ledger and snapshots
#      unchanged and still valid, no desktop shortcut
#   5. silent uninstall: program, shortcuts and registry gone, the user's data still there
#   6. the portable zip in a folder with Chinese characters and a space: data stays beside the exe
# Called by build-windows.sh; after a build it also runs alone: bash resources/installer/smoke-windows.sh
set -euo pipefail
source "$(dirname "$0")/wine-env.sh"

SETUP="$DIST/$APP-$VERSION-setup.exe"
ZIP="$DIST/$APP-$VERSION-portable.zip"
OUT="$BUILD/smoke.txt"
LOG="$BUILD/smoke.log"
: >"$OUT"
: >"$LOG"
ok() { echo "smoke ok   $*" | tee -a "$OUT"; }
fail() {
  echo "smoke FAIL $*" | tee -a "$OUT"
  echo "--- last output (full log: $LOG)"
  tail -n 30 "$LOG"
  exit 1
}
# run a Windows program, keep its output in $LOG and in $RUN_OUT, its exit code in $RUN_RC
run() {
  RUN_RC=0
  RUN_OUT=$(timeout 300 bash -c 'source "$0"; wrun "$@"' "$INSTALLER_DIR/wine-env.sh" "$@") || RUN_RC=$?
  RUN_OUT=${RUN_OUT//$'\r'/}
  printf '$ %s\n%s\n[exit %s]\n' "$*" "$RUN_OUT" "$RUN_RC" >>"$LOG"
}
winenv() { run cmd /c echo "%$1%" && echo "$RUN_OUT" | tail -n 1; }
sha() { sha256sum "$1" | cut -d' ' -f1; }
# the schema version of a ledger file, read without writing anything beside it (immutable: no -wal, no -shm)
sqlite3_version() {
  "$HOSTPY" -c 'import pathlib, sqlite3, sys
uri = pathlib.Path(sys.argv[1]).resolve().as_uri() + "?immutable=1"
print(sqlite3.connect(uri, uri=True).execute("PRAGMA user_version").fetchone()[0])' "$1"
}
regkey() { "${WINE_LOCALE[@]}" wine reg query "$1" </dev/null >/dev/null 2>&1; }

[ -f "$SETUP" ] && [ -f "$ZIP" ] || fail "run build-windows.sh first ($SETUP, $ZIP)"
ensure_locale
"${WINE_LOCALE[@]}" wine wineboot </dev/null >/dev/null 2>&1 # the prefix's services run detached from our pipes
LOCAL_W=$(winenv LOCALAPPDATA)
LOCAL=$(upath "$LOCAL_W")
STARTMENU="$(upath "$(winenv APPDATA)")/Microsoft/Windows/Start Menu/Programs/支部台账.lnk"
DESKTOP="$(upath "$(winenv USERPROFILE)")/Desktop/支部台账.lnk"
INST="$LOCAL/Programs/$APP"
INST_W="$LOCAL_W\\Programs\\$APP"
DATA="$LOCAL/$APP" # db/paths.py: %LOCALAPPDATA%\BranchLedger
UNINSTKEY='HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\BranchLedger'
[ -n "$LOCAL" ] && [ -d "$LOCAL" ] || fail "cannot find %LOCALAPPDATA% in the Wine prefix"

# A clean slate, inside the test prefix only.
if [ -f "$INST/Uninstall.exe" ]; then
  run "$INST_W\\Uninstall.exe" /S
  wineserver -w
fi
rm -rf "$INST" "$DATA" "$STARTMENU" "$DESKTOP"

# 0. the installer's first page, as a user sees it (screenshot only) -----------------------------------------
if [ "${VISUAL:-1}" = 1 ] && command -v xvfb-run >/dev/null && command -v xwininfo >/dev/null; then
  if VIS=$(bash "$INSTALLER_DIR/visual-windows.sh" "$(wpath "$SETUP")" "$BUILD/installer" "支部台账 $VERSION 安装" 2>&1)
  then
    ok "installer: $VIS [screenshot build/windows/installer/screen.png]"
  else
    fail "installer: $VIS"
  fi
fi

# U. a real upgrade: the previous release's installer, a filled ledger made with it, then this installer over it --
# The user's ledger must come through: the new version migrates it on first open (with a before-migrate snapshot
# when the schema changed), it is at the current schema, `verify` passes and `dump` gives the same data.
if [ "${UPGRADE:-1}" = 1 ]; then
  if [ -z "${PREVIOUS_SETUP:-}" ]; then
    PREVIOUS_SETUP=$(bash "$INSTALLER_DIR/previous-release.sh" | tail -n 1) || fail "upgrade: no previous release"
  fi
  [ -f "$PREVIOUS_SETUP" ] || fail "upgrade: $PREVIOUS_SETUP is missing"
  UPG="$DRIVE_C/upgrade-check"
  rm -rf "$UPG"
  mkdir -p "$UPG"
  UPG_W=$(wpath "$UPG")
  s=$SECONDS
  run "$(wpath "$PREVIOUS_SETUP")" /S
  wineserver -w
  [ "$RUN_RC" = 0 ] && [ -f "$INST/ledger.exe" ] || fail "upgrade: the previous installer did not install ($RUN_RC)"
  OLD_EXE_SHA=$(sha "$INST/ledger.exe")
  run "$INST_W\\ledger.exe" load "$INST_W\\_internal\\resources\\demo\\demo_branch.json"
  [ "$RUN_RC" = 0 ] && [ -s "$DATA/ledger.sqlite" ] || fail "upgrade: the previous ledger.exe did not fill a ledger: $RUN_OUT"
  run "$INST_W\\ledger.exe" dump --out "$UPG_W\\before.json"
  [ "$RUN_RC" = 0 ] && [ -s "$UPG/before.json" ] || fail "upgrade: the previous ledger.exe dump: $RUN_OUT"
  OLD_SCHEMA=$(sqlite3_version "$DATA/ledger.sqlite")
  ok "upgrade: previous release $(basename "$PREVIOUS_SETUP") installed; its ledger.exe filled the user's ledger" \
    "with the demo branch (schema $OLD_SCHEMA, $(stat -c %s "$DATA/ledger.sqlite") bytes)"

  run "$(wpath "$SETUP")" /S
  wineserver -w
  [ "$RUN_RC" = 0 ] || fail "upgrade: this installer over the previous release: exit code $RUN_RC"
  [ "$(sha "$INST/ledger.exe")" = "$(sha "$BUILD/dist/$APP/ledger.exe")" ] ||
    fail "upgrade: the installed ledger.exe is not this build's"
  [ "$(sha "$INST/ledger.exe")" != "$OLD_EXE_SHA" ] || echo "note: the previous release's ledger.exe is byte-identical to this one"
  # the app's first start after the update opens the ledger for work; `ledger upgrade` does just that
  run "$INST_W\\ledger.exe" upgrade
  [ "$RUN_RC" = 0 ] || fail "upgrade: ledger.exe upgrade after the installer: $RUN_OUT"
  run "$INST_W\\ledger.exe" verify
  [ "$RUN_RC" = 0 ] || fail "upgrade: ledger.exe verify after the upgrade: $RUN_OUT"
  NEW_SCHEMA=$(sqlite3_version "$DATA/ledger.sqlite")
  LATEST=$(cd "$REPO" && "$HOSTPY" -c 'from db.migrations import LATEST; print(LATEST)')
  [ "$NEW_SCHEMA" = "$LATEST" ] || fail "upgrade: schema $NEW_SCHEMA after the upgrade, this version's is $LATEST"
  SNAP=$(find "$DATA/snapshots/ledger" -name '*-before-migrate.sqlite' 2>/dev/null | head -n 1) || true
  if [ "$OLD_SCHEMA" -lt "$LATEST" ]; then
    [ -n "$SNAP" ] || fail "upgrade: migrated from schema $OLD_SCHEMA to $LATEST without a before-migrate snapshot"
    [ "$(sqlite3_version "$SNAP")" = "$OLD_SCHEMA" ] || fail "upgrade: the snapshot $SNAP is not at schema $OLD_SCHEMA"
    MIGRATED="migrated schema $OLD_SCHEMA -> $LATEST with snapshot $(basename "$SNAP")"
  else
    [ -z "$SNAP" ] || fail "upgrade: a before-migrate snapshot without a migration: $SNAP"
    MIGRATED="schema $OLD_SCHEMA is already current: no migration, no snapshot needed"
  fi
  ok "upgrade: this installer over it in $((SECONDS - s))s; $MIGRATED; ledger.exe verify passes"
  run "$INST_W\\ledger.exe" dump --out "$UPG_W\\after.json"
  [ "$RUN_RC" = 0 ] && [ -s "$UPG/after.json" ] || fail "upgrade: ledger.exe dump after the upgrade: $RUN_OUT"
  CMP=$("$HOSTPY" "$INSTALLER_DIR/dump_compare.py" "$UPG/before.json" "$UPG/after.json") ||
    fail "upgrade: $CMP"
  ok "upgrade: $CMP"

  run "$INST_W\\Uninstall.exe" /S
  wineserver -w
  [ -e "$INST" ] && fail "upgrade: uninstall left $INST"
  [ "$(sqlite3_version "$DATA/ledger.sqlite")" = "$LATEST" ] || fail "upgrade: uninstall lost the user's ledger"
  ok "upgrade: uninstall removed the program and kept the upgraded ledger ($(find "$DATA" -type f | wc -l) user files)"
  rm -rf "$UPG" "$DATA" # the steps below start from a new user
fi

# 1. silent install -------------------------------------------------------------------------------------
s=$SECONDS
run "$(wpath "$SETUP")" /S
wineserver -w
[ "$RUN_RC" = 0 ] || fail "installer exit code $RUN_RC"
for f in "$APP.exe" ledger.exe Uninstall.exe _internal/resources/fonts/NotoSansSC-Regular.ttf \
  _internal/resources/demo/demo_branch.json _internal/resources/icons/app.png; do
  [ -e "$INST/$f" ] || fail "installed file missing: $INST/$f"
done
[ -f "$STARTMENU" ] || fail "no Start-menu shortcut $STARTMENU"
[ -f "$DESKTOP" ] || fail "no desktop shortcut $DESKTOP"
regkey "$UNINSTKEY" || fail "no uninstall entry $UNINSTKEY"
regkey 'HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\BranchLedger' && fail "installer wrote HKLM"
INSTALLED_BYTES=$(du -sb "$INST" | cut -f1)
ok "silent install in $((SECONDS - s))s into $INST_W: $((INSTALLED_BYTES / 1024 / 1024)) MB" \
  "($INSTALLED_BYTES bytes), $(find "$INST" -type f | wc -l) files; Start menu + desktop shortcut, HKCU only"

PYTHONIOENCODING=utf-8 run "$WINPY" "$(wpath "$INSTALLER_DIR/pecheck.py")" "$VERSION" "$INST_W\\$APP.exe" \
  "$INST_W\\ledger.exe"
[ "$RUN_RC" = 0 ] || fail "version resource or icon missing: $RUN_OUT"
while read -r line; do ok "$line"; done <<<"$RUN_OUT"

# 1b. the start-up time, right after the install (the first start reads the files the installer just wrote) ----
if [ "${START_BENCH:-1}" = 1 ]; then
  s=$SECONDS
  # the wineserver and the prefix's services must not hold our pipes: start_bench.py waits for the wineserver to
  # exit before every start, so each Wine start pays for it (as Wine's floor, `wine cmd /c exit`, does)
  wineserver -w
  if START=$("$HOSTPY" "$INSTALLER_DIR/start_bench.py" "$BUILD/start.json" "$INST_W\\$APP.exe" \
    "$INST_W\\ledger.exe" "$BUILD/start" 2>&1); then
    echo "$START" >>"$LOG"
    while read -r line; do ok "$line"; done < <(grep -a '^start ' <<<"$START")
    ok "start: figures in build/windows/start.json [$((SECONDS - s))s]"
  else
    fail "start-up measurement: $START"
  fi
  "${WINE_LOCALE[@]}" wine wineboot </dev/null >/dev/null 2>&1 # the services again, for the steps below
fi

# 2. the headless ledger --------------------------------------------------------------------------------
s=$SECONDS
run "$INST_W\\ledger.exe" --self-test
[ "$RUN_RC" = 0 ] && grep -q "SELF-TEST OK (ledger)" <<<"$RUN_OUT" || fail "ledger.exe --self-test: $RUN_OUT"
ok "$(grep 'SELF-TEST OK' <<<"$RUN_OUT") [wine $((SECONDS - s))s]"

run "$INST_W\\ledger.exe" init --branch 冒烟测试支部
[ "$RUN_RC" = 0 ] && [ -s "$DATA/ledger.sqlite" ] || fail "ledger.exe init did not make $DATA/ledger.sqlite: $RUN_OUT"
grep -q 冒烟测试支部 <<<"$RUN_OUT" || fail "ledger.exe init printed no Chinese branch name: $RUN_OUT"
mkdir -p "$DATA/snapshots/ledger"
echo "a snapshot the uninstaller must keep" >"$DATA/snapshots/ledger/smoke-marker.txt"
DATA_SHA=$(sha "$DATA/ledger.sqlite")
ok "ledger.exe init made the user's ledger in %LOCALAPPDATA%\\$APP ($(stat -c %s "$DATA/ledger.sqlite") bytes)"

# 3. the GUI exe, offscreen -----------------------------------------------------------------------------
s=$SECONDS
run "$INST_W\\$APP.exe" --self-test
[ "$RUN_RC" = 0 ] || fail "$APP.exe --self-test exit code $RUN_RC: $RUN_OUT"
if grep -q "SELF-TEST OK (gui)" <<<"$RUN_OUT"; then
  ok "$(grep 'SELF-TEST OK' <<<"$RUN_OUT") [wine $((SECONDS - s))s]"
else
  fail "$APP.exe --self-test printed no verdict: $RUN_OUT"
fi

# 3b. the real Windows platform plugin, on a virtual display ---------------------------------------------
if [ "${VISUAL:-1}" = 1 ] && command -v xvfb-run >/dev/null && command -v xwininfo >/dev/null; then
  s=$SECONDS
  if VIS=$(bash "$INSTALLER_DIR/visual-windows.sh" "$INST_W\\$APP.exe" "$BUILD/qwindows" 支部台账 \
    -platform windows --demo 2>&1); then
    ok "qwindows: $VIS [wine $((SECONDS - s))s; screenshot build/windows/qwindows/screen.png]"
  else
    fail "qwindows: $VIS"
  fi
else
  echo "smoke skip qwindows check (VISUAL=0, or no xvfb-run/xwininfo: apt-get install xvfb x11-utils)" | tee -a "$OUT"
fi

# 4. install again over the installed version (the upgrade path) ----------------------------------------
rm -f "$DESKTOP" # and without the desktop shortcut this time, as IT staff would ask with /NODESKTOP
run "$(wpath "$SETUP")" /S /NODESKTOP
wineserver -w
[ "$RUN_RC" = 0 ] || fail "second install exit code $RUN_RC"
[ -e "$DESKTOP" ] && fail "/NODESKTOP still made a desktop shortcut"
[ "$(sha "$DATA/ledger.sqlite")" = "$DATA_SHA" ] || fail "reinstall changed the user's ledger"
[ -f "$DATA/snapshots/ledger/smoke-marker.txt" ] || fail "reinstall removed the user's snapshots"
run "$INST_W\\ledger.exe" verify
[ "$RUN_RC" = 0 ] || fail "ledger.exe verify of the user's ledger after reinstall: $RUN_OUT"
ok "install over the installed version (/S /NODESKTOP): program replaced, no desktop shortcut, user's ledger unchanged, verify passes"

# 5. silent uninstall -----------------------------------------------------------------------------------
run "$INST_W\\Uninstall.exe" /S
wineserver -w # the uninstaller copies itself to %TEMP% and returns at once
[ -e "$INST" ] && fail "uninstall left $INST: $(ls -A "$INST")"
[ -e "$STARTMENU" ] && fail "uninstall left the Start-menu shortcut"
[ -e "$DESKTOP" ] && fail "uninstall left a desktop shortcut"
regkey "$UNINSTKEY" && fail "uninstall left $UNINSTKEY"
[ "$(sha "$DATA/ledger.sqlite")" = "$DATA_SHA" ] || fail "uninstall changed or removed the user's ledger"
[ -f "$DATA/snapshots/ledger/smoke-marker.txt" ] || fail "uninstall removed the user's snapshots"
ok "silent uninstall removed program, shortcuts and registry entry; kept $(find "$DATA" -type f | wc -l) user files"

# 6. the portable zip -----------------------------------------------------------------------------------
PORT="$DRIVE_C/U盘 测试"
rm -rf "$PORT"
mkdir -p "$PORT"
"$HOSTPY" -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$ZIP" "$PORT"
PORT_W="$(wpath "$PORT/$APP")"
[ -f "$PORT/$APP/portable.txt" ] || fail "no portable.txt in the zip"
run "$PORT_W\\ledger.exe" init --branch 便携测试支部
[ "$RUN_RC" = 0 ] && [ -s "$PORT/$APP/data/ledger.sqlite" ] || fail "portable ledger.exe init did not write data\\: $RUN_OUT"
run "$PORT_W\\ledger.exe" --self-test
[ "$RUN_RC" = 0 ] || fail "portable ledger.exe --self-test: $RUN_OUT"
run "$PORT_W\\$APP.exe" --self-test
[ "$RUN_RC" = 0 ] && grep -q "SELF-TEST OK (gui)" <<<"$RUN_OUT" || fail "portable $APP.exe --self-test: $RUN_OUT"
[ "$(sha "$DATA/ledger.sqlite")" = "$DATA_SHA" ] || fail "portable mode touched %LOCALAPPDATA%"
ok "portable zip in '$(wpath "$PORT")': ledger in .\\data beside the exe, both self-tests pass"
rm -rf "$PORT" "$DATA" # leave the prefix clean for the next run
echo "smoke: all passed" | tee -a "$OUT"
