#!/usr/bin/env bash
# The previous release's setup.exe, for the upgrade check of smoke-windows.sh: prints its path (last line of
# stdout), building it first if the cache does not hold it yet.
#
# Which release: resources/installer/previous-release names a tag and its commit. The tag wins when this
# repository has it (a release is tagged), the commit otherwise (clones and submissions may come without tags).
# How: a clone of that commit, built by its own build-windows.sh (SMOKE=0), with the commit's time as
# SOURCE_DATE_EPOCH, in a Wine prefix of its own (so it neither waits for nor disturbs the lock and prefix of
# the build running now) that shares our downloads; only the setup.exe is kept, in
# $BRANCH_LEDGER_WIN_CACHE/previous/<commit>/. About as long as a build without smoke test, once per release.
set -euo pipefail
source "$(dirname "$0")/wine-env.sh"

read -r TAG COMMIT < <(grep -v '^#' "$INSTALLER_DIR/previous-release" | head -n 1)
if want=$(git -C "$REPO" rev-parse -q --verify "refs/tags/$TAG^{commit}" 2>/dev/null); then
  [ "$want" = "$COMMIT" ] || echo "note: tag $TAG is $want, previous-release says $COMMIT; using the tag" >&2
  COMMIT=$want
  WHAT="tag $TAG"
elif git -C "$REPO" cat-file -e "$COMMIT^{commit}" 2>/dev/null; then
  WHAT="commit $COMMIT (no tag $TAG here)"
else
  echo "previous release: neither tag $TAG nor commit $COMMIT is in $REPO (a shallow clone?)" >&2
  exit 1
fi

HERE="$CACHE/previous/$COMMIT"
OLD_VERSION=$(git -C "$REPO" show "$COMMIT:pyproject.toml" | sed -n 's/^version = "\(.*\)"/\1/p' | head -n 1)
OUT="$HERE/$APP-$OLD_VERSION-setup.exe"
if [ -f "$OUT" ]; then
  echo "previous release $OLD_VERSION ($WHAT): cached" >&2
  echo "$OUT"
  exit 0
fi

echo "previous release $OLD_VERSION ($WHAT): building its setup.exe once (SMOKE=0, log $HERE/build.log)" >&2
rm -rf "$HERE"
mkdir -p "$HERE/cache"
git clone -q --shared --no-checkout "$REPO" "$HERE/src"
git -C "$HERE/src" -c advice.detachedHead=false checkout -q "$COMMIT"
# The generated fonts are not in git; ours come from the same source font by the same instancing (the older
# recipe differs only in the fonts' head.modified date).
cp "$REPO"/resources/fonts/NotoSansSC-{Regular,Bold}.ttf "$HERE/src/resources/fonts/"
# Our downloads (hash-checked by both builds) instead of a second copy; the prefix is its own.
for d in dl wheels pip; do
  mkdir -p "$CACHE/$d"
  ln -s "$CACHE/$d" "$HERE/cache/$d"
done
s=$SECONDS
if ! env -i PATH="$PATH" HOME="$REAL_HOME" REAL_HOME="$REAL_HOME" REAL_XDG_CONFIG_HOME="$REAL_XDG_CONFIG_HOME" \
  BRANCH_LEDGER_WIN_CACHE="$HERE/cache" HOSTPY="$HOSTPY" SMOKE=0 PYTHONHASHSEED=0 \
  SOURCE_DATE_EPOCH="$(git -C "$REPO" log -1 --format=%ct "$COMMIT")" \
  bash "$HERE/src/resources/installer/build-windows.sh" >"$HERE/build.log" 2>&1; then
  tail -n 30 "$HERE/build.log" >&2
  echo "previous release: the build of $COMMIT failed (log $HERE/build.log)" >&2
  exit 1
fi
WINEPREFIX="$HERE/cache/prefix" wineserver -k 2>/dev/null || true
mv "$HERE/src/dist/$APP-$OLD_VERSION-setup.exe" "$OUT"
mv "$HERE/src/build/windows/summary.txt" "$HERE/summary.txt" 2>/dev/null || true
rm -rf "$HERE/src" "$HERE/cache" # 1.3 GB: prefix, Python, bundle
echo "previous release $OLD_VERSION built in $((SECONDS - s))s: $OUT" >&2
echo "$OUT"
