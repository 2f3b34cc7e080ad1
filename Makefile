# 支部台账 — everything a fresh machine needs: `make run`, `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
FONT := resources/fonts/NotoSansSC-Regular.ttf
export QT_QPA_FONTDIR ?=
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml | head -n 1)
# Reproducible builds (docs/windows.md, "Same source, same bytes"): time stamps are the last commit's, and
# Python's hash seed is fixed, for the fonts and both bundles.
# Outside a git checkout: 1980-01-01, the earliest time a zip holds (set SOURCE_DATE_EPOCH yourself there).
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 315532800)
fonts dist dist-windows release-check: export SOURCE_DATE_EPOCH := $(SOURCE_DATE_EPOCH)
fonts dist dist-windows release-check: export PYTHONHASHSEED := 0

.PHONY: run demo test bench lint fmt fonts dist dist-test dist-windows release-check dist-clean clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

$(FONT): $(STAMP) resources/build_fonts.py
	$(BIN)/python -m resources.build_fonts

fonts: $(FONT)

## Open the app on the user's ledger (or the welcome screen, which offers the demo branch).
run: $(STAMP) $(FONT)
	$(BIN)/branch-ledger $(ARGS)

## Open a throw-away copy of the demo branch.
demo: $(STAMP) $(FONT)
	$(BIN)/branch-ledger --demo

## The whole test suite, offscreen (no display needed), in one worker process per core, each test file's tests
## in one worker in their order (TEST_WORKERS=0: in this process, one test after another, as a debugger needs).
## A worker that dies (a crash in Qt, or a test stuck past faulthandler_timeout in pyproject.toml) ends the run
## at once with its test named: pytest-xdist's file-by-file scheduling can wait forever for a replaced worker
## (pytest-xdist issues #1323 and #1327, still open in 3.8), which once held CI until its time ran out.
TEST_WORKERS ?= auto
test: $(STAMP) $(FONT)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --max-worker-restart=0 \
		$(PYTEST_ARGS)

## Speed and memory: prints a table and writes bench-results/bench.json.
bench: $(STAMP) $(FONT)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tests.bench.run

lint: $(STAMP)
	$(BIN)/ruff check db exports desktop resources tests
	$(BIN)/ruff format --check db exports desktop resources tests
	$(BIN)/mypy db exports

fmt: $(STAMP)
	$(BIN)/ruff format db exports desktop resources tests
	$(BIN)/ruff check --fix db exports desktop resources tests

## The Linux bundle dist/BranchLedger/ (PyInstaller onedir: BranchLedger + ledger), from build.spec, and the
## list of its files' SHA-256 sums dist/BranchLedger-<version>-linux.sha256 (whose own sum goes to SHA256SUMS).
dist: $(STAMP) $(FONT)
	rm -rf dist/BranchLedger
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build/pyinstaller build.spec
	@du -sh dist/BranchLedger
	@$(BIN)/python resources/installer/checksums.py tree dist/BranchLedger dist/BranchLedger-$(VERSION)-linux.sha256
	@$(BIN)/python resources/installer/checksums.py sums dist/SHA256SUMS dist/BranchLedger-$(VERSION)-linux.sha256

## Self-test of the Linux bundle's two executables (CI runs it after `make dist`).
dist-test:
	dist/BranchLedger/ledger --self-test
	QT_QPA_PLATFORM=offscreen dist/BranchLedger/BranchLedger --self-test

## Windows: dist/BranchLedger-<version>-setup.exe and -portable.zip, built with Windows Python and PyInstaller
## under Wine, then installed, self-tested, upgraded from the previous release and uninstalled under Wine
## (several minutes; not part of CI). Prints their SHA-256 sums and writes them to dist/SHA256SUMS.
## Downloads and the Wine prefix are cached in ~/.cache/branch-ledger/windows. See docs/windows.md.
dist-windows: $(STAMP) $(FONT)
	HOSTPY=$(abspath $(BIN)/python) bash resources/installer/build-windows.sh

## Build this commit twice, each in a fresh clone with empty caches (Linux bundle, setup.exe, portable zip), and
## compare the SHA-256 sums: they must be equal (~30-60 min; not part of CI). See docs/windows.md.
release-check:
	bash resources/installer/release-check.sh

## Remove build outputs (not the Windows download cache: rm -rf ~/.cache/branch-ledger/windows for that).
dist-clean:
	rm -rf build/pyinstaller build/windows dist

clean:
	rm -rf build dist bench-results .pytest_cache .mypy_cache .ruff_cache
