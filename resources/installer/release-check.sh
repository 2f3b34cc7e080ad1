#!/usr/bin/env bash
# `make release-check`: does this commit rebuild to the same bytes? Builds HEAD twice, one build after the other,
# each in a fresh clone at another path with empty caches (fonts, PyInstaller, Windows downloads, Wine prefix and
# Windows Python), and compares the SHA-256 sums of the Linux bundle (its file list), setup.exe and the portable
# zip. Exit 0 when they are equal. Not part of CI: two full builds (~30-60 min on 2 cores).
#
# Environment: RELEASE_CHECK_DIR (default build/release-check), SMOKE (default 0: builds only; 1 also runs each
# build's smoke test), KEEP=1 keeps both clones and caches (~2.5 GB each; on a mismatch they are always kept).
# The venvs' Linux packages come through the user's pip cache (PIP_CACHE_DIR): not a build output, and pip checks
# what it takes from there; everything that goes into the Windows artefacts is downloaded anew, hash-checked.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
WORK=${RELEASE_CHECK_DIR:-$REPO/build/release-check}
COMMIT=$(git -C "$REPO" rev-parse HEAD)
export PIP_CACHE_DIR=${PIP_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/pip}
if [ -n "$(git -C "$REPO" status --porcelain --untracked-files=no)" ]; then
  echo "note: uncommitted changes are not part of the check: it builds the commit $COMMIT"
fi
rm -rf "$WORK"
mkdir -p "$WORK"
T0=$SECONDS
declare -A TOOK

build() { # n: a clone in $WORK/build<n>/src, its caches beside it
  local n=$1 dir="$WORK/build$1" s=$SECONDS
  mkdir -p "$dir"
  git clone -q --no-checkout "$REPO" "$dir/src"
  git -C "$dir/src" -c advice.detachedHead=false checkout -q "$COMMIT"
  # previous-release.sh needs the last release's tag or commit: a clone of this repository has both
  echo "### [$((SECONDS - T0))s] build $n of $COMMIT in $dir/src (log $dir/build.log)"
  if ! env XDG_CACHE_HOME="$dir/cache" BRANCH_LEDGER_WIN_CACHE="$dir/cache/windows" SMOKE="${SMOKE:-0}" \
    make -C "$dir/src" dist dist-windows >"$dir/build.log" 2>&1; then
    tail -n 40 "$dir/build.log"
    echo "release-check: build $n failed (log $dir/build.log)" >&2
    exit 1
  fi
  WINEPREFIX="$dir/cache/windows/prefix" wineserver -k 2>/dev/null || true
  TOOK[$n]=$((SECONDS - s))
  cp "$dir/src/dist/SHA256SUMS" "$WORK/SHA256SUMS.$n"
  sed "s/^/build $n  /" "$WORK/SHA256SUMS.$n"
}

build 1
build 2

REPORT="$WORK/report.txt"
{
  echo "release-check of $COMMIT (SOURCE_DATE_EPOCH $(git -C "$REPO" log -1 --format=%ct "$COMMIT"))"
  echo "build 1: ${TOOK[1]}s, build 2: ${TOOK[2]}s (fresh clones, empty caches)"
  cat "$WORK/SHA256SUMS.1"
} >"$REPORT"
if cmp -s "$WORK/SHA256SUMS.1" "$WORK/SHA256SUMS.2"; then
  echo "release-check: the same bytes twice" | tee -a "$REPORT"
  cat "$REPORT"
  if [ "${KEEP:-0}" != 1 ]; then
    for n in 1 2; do rm -rf "$WORK/build$n/cache" "$WORK/build$n/src/.venv" "$WORK/build$n/src/build"; done
  fi
  exit 0
fi

# Not equal: say which files differ, inside the bundles too.
{
  echo "release-check: DIFFERENT bytes"
  diff "$WORK/SHA256SUMS.1" "$WORK/SHA256SUMS.2" || true
  diff "$WORK"/build{1,2}/src/dist/BranchLedger-*-linux.sha256 | grep '^[<>]' | head -n 40 || true
  for n in 1 2; do
    "$WORK/build$n/src/.venv/bin/python" "$REPO/resources/installer/checksums.py" tree \
      "$WORK/build$n/src/build/windows/dist/BranchLedger" "$WORK/windows-onedir.$n.sha256" >/dev/null
  done
  echo "Windows onedir (build/windows/dist/BranchLedger):"
  diff "$WORK"/windows-onedir.{1,2}.sha256 | grep '^[<>]' | head -n 40 || true
} | tee -a "$REPORT"
exit 1
