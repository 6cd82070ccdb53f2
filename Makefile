# debtdesk developer tasks. Newcomers: use ./bootstrap.sh run | test (it installs the
# Debian packages first, then calls these targets).
#
#   make setup   create .venv and install debtdesk with its dev tools (only when needed)
#   make run     start the app on demo.sqlite (created on first run); needs a desktop
#   make test    the test suite, against SQLite and then against a private PostgreSQL,
#                then the bundle built and proved (make bundle-test)
#   make check   ruff, ruff format --check, mypy, import-linter
#   make bench   benchmarks (python -m bench)
#   make installer   the one-folder bundle dist/debtdesk/ and dist/debtdesk-VERSION-linux.tar.gz
#   make bundle-test the bundle's --self-test, then the NSIS script compiled over it
#   make clean   remove caches and build output (make distclean: also .venv, demo.sqlite)

VENV        = .venv
PYTHON     ?= python3
STAMP       = $(VENV)/.debtdesk-installed
DEMO_DB     = demo.sqlite
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.DELETE_ON_ERROR:
.PHONY: help setup run need-display test check bench installer bundle-test clean distclean

help:
	@sed -n 's/^#   make /  make /p' $(firstword $(MAKEFILE_LIST))

# Create the venv if it is missing or broken (e.g. its Python was removed), then
# `pip install -e '.[dev]'` only when pyproject.toml is newer than the stamp.
setup:
	@if ! $(VENV)/bin/python -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then \
	    echo "==> Creating virtual environment $(VENV) with $(PYTHON) ($$($(PYTHON) -V 2>&1))"; \
	    $(PYTHON) -m venv --clear $(VENV) || exit 1; \
	    rm -f $(STAMP); \
	fi
	@if [ ! -f $(STAMP) ] || [ pyproject.toml -nt $(STAMP) ]; then \
	    echo "==> Installing debtdesk and its dev tools into $(VENV) (pip install -e '.[dev]')"; \
	    $(VENV)/bin/python -m pip install --quiet --disable-pip-version-check -e '.[dev]' || exit 1; \
	    touch $(STAMP); \
	else \
	    echo "==> $(VENV) is up to date"; \
	fi

# Checked before anything is installed or generated: the app is a desktop window.
need-display:
	@if [ -z "$$DISPLAY" ] && [ -z "$$WAYLAND_DISPLAY" ]; then \
	    echo "debtdesk is a desktop application: it needs a graphical session (X11 or Wayland)," >&2; \
	    echo "but neither DISPLAY nor WAYLAND_DISPLAY is set here (SSH session, container, CI?)." >&2; \
	    echo "Run it from a terminal inside your desktop session (or use ssh -X)." >&2; \
	    echo "To run the test suite instead, which needs no display: make test" >&2; \
	    exit 1; \
	fi

run: need-display setup $(DEMO_DB)
	$(VENV)/bin/debtdesk --db $(DEMO_DB)

# Demo data, generated once. A half-written database is removed on failure.
$(DEMO_DB): | setup
	@echo "==> Creating $(DEMO_DB) with demo data (2,000 accounts, seed 7)"
	@$(VENV)/bin/debtdesk --db $@ demo --accounts 2000 --seed 7 \
	    || { rm -f $@ $@-wal $@-shm $@-journal; exit 1; }

# Both back ends run even if the first fails; the target fails if either does.
test: setup
	@status=0; \
	echo "==> pytest, database: SQLite"; \
	DEBTDESK_TEST_DB=sqlite QT_QPA_PLATFORM=offscreen $(VENV)/bin/pytest -q $(PYTEST_ARGS) || status=1; \
	echo "==> pytest, database: PostgreSQL (private throwaway server)"; \
	DEBTDESK_TEST_DB=postgresql QT_QPA_PLATFORM=offscreen $(VENV)/bin/pytest -q $(PYTEST_ARGS) || status=1; \
	$(MAKE) --no-print-directory bundle-test INSTALLER_PYTHON=$(VENV)/bin/python || status=1; \
	if [ $$status -ne 0 ]; then echo "==> TESTS FAILED (see above)" >&2; fi; \
	exit $$status

check: setup
	@status=0; \
	echo "==> ruff check";         $(VENV)/bin/ruff check . || status=1; \
	echo "==> ruff format --check"; $(VENV)/bin/ruff format --check . || status=1; \
	echo "==> mypy";               $(VENV)/bin/mypy || status=1; \
	echo "==> lint-imports";       $(VENV)/bin/lint-imports || status=1; \
	exit $$status

bench: setup
	$(VENV)/bin/python -m bench --json bench/out/results.json

# The bundle, from a clean clone after `pip install -e .` (in .venv or the active venv).
# PyInstaller is installed when missing: a release tool, not a dependency of the app.
INSTALLER_PYTHON ?= $(if $(VIRTUAL_ENV),python,$(if $(wildcard $(VENV)/bin/python),$(VENV)/bin/python,python3))
PYINSTALLER_SPEC ?= pyinstaller>=6.10,<7
VERSION_OF = $$($(INSTALLER_PYTHON) -c 'import debtdesk; print(debtdesk.__version__)')

installer:
	@$(INSTALLER_PYTHON) -c 'import debtdesk' 2>/dev/null \
	    || { echo "debtdesk is not installed for $(INSTALLER_PYTHON): pip install -e . (or make setup)" >&2; exit 1; }
	@$(INSTALLER_PYTHON) -c 'import PyInstaller' 2>/dev/null || { \
	    echo "==> Installing PyInstaller ($(PYINSTALLER_SPEC))"; \
	    $(INSTALLER_PYTHON) -m pip install --quiet --disable-pip-version-check '$(PYINSTALLER_SPEC)'; }
	@version=$(VERSION_OF) && \
	echo "==> Building dist/debtdesk (debtdesk $$version, PyInstaller $$($(INSTALLER_PYTHON) -m PyInstaller --version))" && \
	rm -rf build/debtdesk dist/debtdesk dist/debtdesk-$$version-linux.tar.gz && \
	$(INSTALLER_PYTHON) -m PyInstaller installer/debtdesk.spec --noconfirm --log-level WARN && \
	tar -C dist -czf dist/debtdesk-$$version-linux.tar.gz debtdesk && \
	echo "==> dist/debtdesk/debtdesk ($$(du -sh dist/debtdesk | cut -f1)), dist/debtdesk-$$version-linux.tar.gz ($$(du -h dist/debtdesk-$$version-linux.tar.gz | cut -f1))"

# makensis compiles the Windows script over the Linux bundle (no compression, into build/):
# it proves the script; the real installer is built over the Windows bundle (installer/README.md).
bundle-test: installer
	@version=$(VERSION_OF); shown=$$(dist/debtdesk/debtdesk --version); \
	echo "==> dist/debtdesk/debtdesk --version: $$shown"; \
	[ "$$shown" = "debtdesk $$version" ] || { echo "the bundle is not debtdesk $$version" >&2; exit 1; }
	@echo "==> dist/debtdesk/debtdesk --self-test"
	@env -u DEBTDESK_DB dist/debtdesk/debtdesk --self-test
	@echo "==> the bundle on PostgreSQL (a private throwaway server)"
	@$(INSTALLER_PYTHON) -m tests.release.bundle_postgres dist/debtdesk/debtdesk
	@echo "==> launch to a visible caseload, the bundle on a 2,000-account demo (python -m bench.gui_start)"
	@rm -f build/bundle-demo.sqlite* && mkdir -p build \
	    && dist/debtdesk/debtdesk --db build/bundle-demo.sqlite demo --accounts 2000 --seed 7 --as-of 2026-11-10 >/dev/null \
	    && $(INSTALLER_PYTHON) -m bench.gui_start build/bundle-demo.sqlite --binary dist/debtdesk/debtdesk --repeat 3 \
	    | grep -v '^{'
	@command -v makensis >/dev/null || { echo "makensis is missing: apt-get install nsis" >&2; exit 1; }
	@echo "==> makensis installer/debtdesk.nsi over dist/debtdesk"
	@mkdir -p build && makensis -WX -V2 -DNOCOMPRESS -DEXE=debtdesk -DCLIEXE=debtdesk \
	    -DVERSION=$(VERSION_OF) -DOUTDIR=../build installer/debtdesk.nsi \
	    && echo "==> makensis: build/debtdesk-$(VERSION_OF)-setup.exe compiled"

clean:
	rm -rf build dist .pytest_cache .mypy_cache .ruff_cache *.egg-info
	find . -path ./$(VENV) -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
