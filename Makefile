# The two commands a newcomer needs: `make run` and `make test`.
# Everything installs into .venv from the pinned versions in constraints.txt.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test lint format e2e bench docs screenshots install lock clean help

help:
	@echo "make run    - install, migrate, load demo data, start web + worker + beat on http://127.0.0.1:8000"
	@echo "make test   - install and run the test suite (SQLite; PostgreSQL + Redis when DATABASE_URL/REDIS_URL are set)"
	@echo "make lint   - ruff check and format check"
	@echo "make e2e    - browser journeys in headless Chromium (apt-get install chromium)"
	@echo "make bench  - benchmark suite (needs DATABASE_URL and REDIS_URL)"
	@echo "make docs   - build the documentation site into site/ (MkDocs, strict, offline)"
	@echo "make screenshots - take the pictures the guides show (docs/images/) from the demo data"
	@echo "make lock   - re-pin constraints.txt from pyproject.toml"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $(INSTALLED)

install: $(INSTALLED)

# Development mode is switched on explicitly here (DEBUG=1); production
# defaults apply everywhere else.
run: install
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py seed_demo
	DEBUG=1 $(BIN)/python manage.py run_local

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Browser journeys (Playwright + Debian's Chromium at /usr/bin/chromium).
e2e: install
	$(BIN)/python -m pytest tests/e2e -p no:cacheprovider $(PYTEST_ARGS)

# Benchmarks on PostgreSQL: builds <DATABASE_URL's database>_bench afresh,
# fills it with seed_scale, prints the table and writes bench-results/latest.json.
bench: install
	$(BIN)/python -m tests.bench.run $(BENCH_ARGS)

# The documentation site (docs/ -> site/, ignored by git). Strict: any
# warning (a broken link, a missing picture, a page left out of the nav)
# fails the build. The settings page is generated from .env.example by the
# hook in docs_build/. Not --quiet: MkDocs counts warnings only when it
# logs them, so --quiet would let a strict build pass with broken links.
docs: install
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

# The pictures in docs/images/: Playwright (Chromium at /usr/bin/chromium)
# against a live server on the demo data, desktop 1280x800 and phone 360x740.
screenshots: install
	$(BIN)/python -m pytest tests/e2e/docs_screenshots.py -p no:cacheprovider -q $(PYTEST_ARGS)

# Re-pin every dependency (run after changing pyproject.toml, then commit).
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --upgrade pip
	.lock-venv/bin/python -m pip install --quiet '.[dev]'
	.lock-venv/bin/python -m pip freeze --exclude perinatal-peer-support > constraints.txt
	rm -rf .lock-venv build

clean:
	rm -rf $(VENV) site var/broker var/*.sqlite3* var/celerybeat-schedule*
