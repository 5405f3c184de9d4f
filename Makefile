# One-command set-up: every target creates .venv and installs vwloc (editable,
# with the dev extra) when pyproject.toml is newer than the last install.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.vwloc-installed

.PHONY: test test-all lint bench demo clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	$(BIN)/pytest -m "not slow"

test-all: lint
	$(BIN)/pytest

bench: $(STAMP)
	for f in benchmarks/bench_*.py; do $(BIN)/python $$f || exit 1; done

# The built-in demo sweep -> ./vwloc-demo/ (archives, report.md/html, figures).
demo: $(STAMP)
	$(BIN)/vwloc demo

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
