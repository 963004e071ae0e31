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
ifdef DATABASE_URL  # `make run DATABASE_URL=postgresql://…`: the database the app (and create-admin) use
export TIPKB_DATABASE_URL := $(DATABASE_URL)
endif

.PHONY: help install sysdeps translations messages run dev test test-fast durations lint validate stats bench quality load clean

help:  ## List the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

### Setup
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

sysdeps:  ## Install the Debian packages the checks need (Java for the OWL reasoner, chromium for browser tests, DejaVu fonts for PDF reports and poppler to read them back, PostgreSQL for the database tests)
	@missing=""; \
	command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing="$$missing fonts-dejavu-core"; \
	command -v pdftoppm >/dev/null || missing="$$missing poppler-utils"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -q && apt-get install -y -q $$missing; \
	  else echo "Missing Debian packages:$$missing (install them as root)" >&2; exit 1; fi; fi

### Interface translations: .po files are sources, .mo files are compiled at install time (git-ignored).
# Draft translations (fuzzy entries, not yet reviewed) are compiled too: a draft reads better than English.
PO := $(wildcard webapp/translations/*/LC_MESSAGES/messages.po)
MO := $(PO:.po=.mo)

%.mo: %.po | $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy --statistics -i $< -o $@

translations: $(MO)  ## Compile the interface translations

messages: $(STAMP)  ## Extract interface and package text and merge it into the .po files (new texts untranslated)
	mkdir -p build
	$(BIN)/pybabel extract -F webapp/babel.cfg -k _l -k lazy_gettext --no-location --sort-output -o build/messages.pot .
	$(BIN)/pybabel update --no-fuzzy-matching -i build/messages.pot -d webapp/translations
	$(BIN)/python -m tipkb.cli.texts  # the package's own texts (report words, problems, notes): src/tipkb/locale

install: $(STAMP) sysdeps translations  ## Create .venv and install tipkb with its test dependencies (idempotent)

### Use
run: install  ## Serve the web app with gunicorn on http://$(HOST):$(PORT), one worker per core (creates a first admin: see README)
	$(BIN)/flask --app webapp create-admin
	HOST=$(HOST) PORT=$(PORT) $(BIN)/gunicorn -c webapp/gunicorn_conf.py

dev: install  ## Serve the web app with Flask's debug server (reloads on edits) on http://$(HOST):$(PORT)
	$(BIN)/flask --app webapp create-admin
	$(BIN)/flask --app webapp run --debug --host $(HOST) --port $(PORT)

validate: install  ## Validate the shipped KB (SHACL, QC queries, OWL consistency)
	$(BIN)/tipkb validate

stats: install  ## Print counts and coverage of the shipped KB
	$(BIN)/tipkb stats

### Check
lint: install  ## Lint the code
	$(BIN)/ruff check src webapp tests bench

# The suite runs on every core (pytest-xdist): each worker loads the KB and starts its own PostgreSQL once.
TEST_JOBS ?= auto

test: install lint  ## Run the whole test suite on every core (what CI runs; TEST_JOBS=0 runs it in one process)
	$(BIN)/python -m pytest -n $(TEST_JOBS) --dist worksteal

# The edit loop: slow tests are those measured at 0.3 s or more, listed in tests/durations.json.
FAST := not slow and not browser and not pdf and not java

test-fast: install  ## Run all but the slow, browser, PDF and Java tests (under a minute)
	$(BIN)/python -m pytest -q -n $(TEST_JOBS) --dist worksteal -m "$(FAST)"

# The second run times the edit loop in its own order: a test there may be the first to build a value
# that the KB caches (an earlier, slow test built it in the first run). A failing test is timed all the same.
# Both run on every core, as `make test` does: each worker times its tests and the controller writes the file.
durations: install  ## Time every test and rewrite tests/durations.json, which says which tests are slow
	-$(BIN)/python -m pytest -q -n $(TEST_JOBS) --dist worksteal --record-durations
	$(BIN)/python -m pytest -q -n $(TEST_JOBS) --dist worksteal --record-durations -m "$(FAST)"

bench: install  ## Run the benchmarks (ratios against a baseline in the same process)
	$(BIN)/python bench/store.py
	$(BIN)/python bench/recommend.py
	$(BIN)/python bench/report.py
	$(BIN)/python bench/timings.py
	$(BIN)/python bench/pages.py
	$(BIN)/python bench/search.py

quality: install  ## Share of the experts' themes the top 3/5/10 recommendations cover, next to random practices (bench/quality/)
	$(BIN)/python bench/quality.py

load: install  ## Load gunicorn (2 workers) over HTTP: req/s, p50/p99 and errors per route, then lost writes (LOAD_SECONDS=30)
	@command -v wrk >/dev/null || [ "$$(id -u)" != 0 ] || { apt-get update -q && apt-get install -y -q wrk; } \
	  || echo "could not install wrk: the read run uses Python threads" >&2
	$(BIN)/python bench/load.py

clean:  ## Remove the venv and generated files
	rm -rf $(VENV) instance build artifacts .pytest_cache .ruff_cache
	find webapp/translations -name "*.mo" -delete
