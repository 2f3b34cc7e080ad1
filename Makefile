# 支部台账 — everything a fresh machine needs: `make run`, `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
FONT := resources/fonts/NotoSansSC-Regular.ttf
export QT_QPA_FONTDIR ?=

.PHONY: run demo test bench lint fmt fonts dist dist-test dist-windows dist-clean clean

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

## The whole test suite, offscreen (no display needed).
test: $(STAMP) $(FONT)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)

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

## The Linux bundle dist/BranchLedger/ (PyInstaller onedir: BranchLedger + ledger), from build.spec.
dist: $(STAMP) $(FONT)
	rm -rf dist/BranchLedger
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build/pyinstaller build.spec
	@du -sh dist/BranchLedger

## Self-test of the Linux bundle's two executables (CI runs it after `make dist`).
dist-test:
	dist/BranchLedger/ledger --self-test
	QT_QPA_PLATFORM=offscreen dist/BranchLedger/BranchLedger --self-test

## Windows: dist/BranchLedger-<version>-setup.exe and -portable.zip, built with Windows Python and PyInstaller
## under Wine, then installed, self-tested and uninstalled under Wine (several minutes; not part of CI).
## Downloads and the Wine prefix are cached in ~/.cache/branch-ledger/windows. See docs/windows.md.
dist-windows: $(STAMP) $(FONT)
	HOSTPY=$(abspath $(BIN)/python) bash resources/installer/build-windows.sh

## Remove build outputs (not the Windows download cache: rm -rf ~/.cache/branch-ledger/windows for that).
dist-clean:
	rm -rf build/pyinstaller build/windows dist

clean:
	rm -rf build dist bench-results .pytest_cache .mypy_cache .ruff_cache
