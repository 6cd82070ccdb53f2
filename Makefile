# debtdesk developer tasks. Newcomers: use ./bootstrap.sh run | test (it installs the
# Debian packages first, then calls these targets).
#
#   make setup   create .venv and install debtdesk with its dev tools (only when needed)
#   make run     start the app on demo.sqlite (created on first run); needs a desktop
#   make test    the test suite, against SQLite and then against a private PostgreSQL
#   make check   ruff, ruff format --check, mypy, import-linter
#   make bench   benchmarks (python -m bench)
#   make clean   remove caches and build output (make distclean: also .venv, demo.sqlite)

VENV        = .venv
PYTHON     ?= python3
STAMP       = $(VENV)/.debtdesk-installed
DEMO_DB     = demo.sqlite
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.DELETE_ON_ERROR:
.PHONY: help setup run need-display test check bench clean distclean

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

clean:
	rm -rf build dist .pytest_cache .mypy_cache .ruff_cache *.egg-info
	find . -path ./$(VENV) -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
