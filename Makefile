# tipkb — one command to run it, one to check it.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-builtin-rules

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: help install sysdeps run test lint validate stats bench clean

help:  ## List the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

### Setup
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

sysdeps:  ## Install the Debian packages the checks need (Java for the OWL reasoner)
	@if ! command -v java >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -q && apt-get install -y -q default-jre-headless; \
	  else echo "Java is missing: install default-jre-headless (the OWL check needs it)" >&2; exit 1; fi; fi

install: $(STAMP) sysdeps  ## Create .venv and install tipkb with its test dependencies (idempotent)

### Use
run: install  ## Serve the web app on http://$(HOST):$(PORT) with the embedded store and the shipped KB
	$(BIN)/flask --app webapp run --host $(HOST) --port $(PORT)

validate: install  ## Validate the shipped KB (SHACL, QC queries, OWL consistency)
	$(BIN)/tipkb validate

stats: install  ## Print counts and coverage of the shipped KB
	$(BIN)/tipkb stats

### Check
lint: install  ## Lint the code
	$(BIN)/ruff check src webapp tests bench

test: install lint  ## Run the whole test suite (what CI runs)
	$(BIN)/python -m pytest

bench: install  ## Run the benchmarks (ratios against a baseline in the same process)
	$(BIN)/python bench/store.py
	$(BIN)/python bench/recommend.py

clean:  ## Remove the venv and generated files
	rm -rf $(VENV) instance build artifacts .pytest_cache .ruff_cache
