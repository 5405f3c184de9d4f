# One-command set-up: every target creates .venv and installs vwloc (editable,
# with the dev extra) when pyproject.toml is newer than the last install.
# Each phase prints one line; the installer's output goes to $(LOG) and is shown
# only when the installation fails.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.vwloc-installed
LOG := install.log

.PHONY: test test-all lint bench demo clean

$(STAMP): pyproject.toml
	@echo "installing vwloc into $(VENV) (about a minute; log in $(LOG))..."
	@{ { test -x $(BIN)/python || $(PYTHON) -m venv $(VENV); } \
	  && $(BIN)/python -m pip install --upgrade pip \
	  && $(BIN)/python -m pip install -e '.[dev]'; } > $(LOG) 2>&1 \
	  || { cat $(LOG); echo "make: installing vwloc failed (log above, also in $(LOG))" >&2; \
	       exit 1; }
	@touch $(STAMP)

lint: $(STAMP)
	@echo "linting (ruff)..."
	@$(BIN)/ruff check --quiet .
	@$(BIN)/ruff format --quiet --check .

test: lint
	@echo "testing (without the slow physics validations)..."
	@$(BIN)/pytest -q -m "not slow and not full_size"

test-all: lint
	@echo "testing (all, with the slow physics validations)..."
	@$(BIN)/pytest -q -m "not full_size"

bench: $(STAMP)
	@for f in benchmarks/bench_*.py; do echo "benchmark $$f..."; $(BIN)/python $$f || exit 1; done

# The built-in demo sweep -> ./vwloc-demo/ (archives, report.md/html, figures);
# vwloc demo itself prints its phases (simulating..., comparing...).
demo: $(STAMP)
	@$(BIN)/vwloc demo

clean:
	rm -rf $(VENV) $(LOG) .pytest_cache .ruff_cache
