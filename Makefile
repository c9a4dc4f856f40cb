# ropa-build — `make help` lists the targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help setup build check test lint format bench schema docs clean

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

# Quiet: a user needs to know it is installing, not pip's every line (its errors still show).
# setuptools' notice that an editable install maps templates/ and schema/ into the package is
# for its own developers, not ours: silenced by its message, every other warning still shows.
$(STAMP): pyproject.toml
	@echo "setting up $(VENV) (ropa-build and its test tools; once, a minute or so)"
	@$(PYTHON) -m venv $(VENV)
	@$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip
	@PYTHONWARNINGS="ignore:Editable installation" \
	  $(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

setup: $(STAMP) ## create .venv and install ropa-build with its test tools

build: $(STAMP) ## build the example register into output/
	$(BIN)/ropa build

check: $(STAMP) ## validate and lint the example register
	$(BIN)/ropa check

test: $(STAMP) ## run the test suite (-rs: says why a test was skipped)
	@echo "tests that open outputs in LibreOffice, Chromium, the Nu checker or actionlint skip"
	@echo "without them; bash .ci/run --install-only (as root) installs them"
	$(BIN)/pytest -q -rs

schema: $(STAMP) ## regenerate schema/*.schema.json (editors; the JSON export's) from the models
	$(BIN)/ropa schema
	$(BIN)/python -m ropa_build.render.json_export

docs: schema ## regenerate the schemas, docs/fields.md and docs/rules.md
	$(BIN)/ropa docs

lint: $(STAMP) ## ruff: lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP) ## ruff: fix formatting
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

BENCH_ARGS ?=  # e.g. make bench BENCH_ARGS="--quick --no-peers" (scripts/bench.py --help)
bench: $(STAMP) ## time 100, 1,000, 10,000 activities and the peers (output/bench.json)
	$(BIN)/python scripts/bench.py $(BENCH_ARGS)

clean: ## remove build products and caches (not .venv)
	rm -rf output .pytest_cache .ropa-cache
