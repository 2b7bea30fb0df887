# Two entry points for a fresh machine: `make demo` and `make test`.
# Each creates .venv when missing, installs hypoplan with its test extras, and
# installs the system Graphviz (and, for tests, Chromium) when missing.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
OUT    := out

.PHONY: demo test lint install system-deps bench clean help

help:
	@echo "make demo   install everything and run hypoplan on the shipped hypotheses (writes $(OUT)/)"
	@echo "make test   install everything and run the test suite"
	@echo "make lint   ruff and mypy (pinned in the test extra), as CI runs them"
	@echo "make bench  run the benchmarks in bench/ (whole commands vs the import floor, then the analysis)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

install: $(STAMP) system-deps

system-deps:
	@bash scripts/install-system-deps.sh $(SYSTEM_DEPS)

demo: SYSTEM_DEPS = graphviz
demo: install
	@mkdir -p $(OUT)
	$(BIN)/hypoplan check hypotheses/
	bash scripts/demo.sh $(OUT)

test: SYSTEM_DEPS = graphviz chromium
test: install
	$(BIN)/python -m pytest

# The same checks as .pre-commit-config.yaml and tests/test_habits.py; CI runs this before `make test`.
lint: $(STAMP)
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/mypy

bench: install
	$(BIN)/python bench/bench_commands.py
	$(BIN)/python bench/bench_analysis.py
	$(BIN)/python bench/bench_data.py
	$(BIN)/python bench/bench_registry.py

clean:
	rm -rf $(OUT) .pytest_cache build src/*.egg-info
