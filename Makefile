# Kindred: `make run` serves the demo site, `make test` runs every test.
SHELL := /bin/bash
PORT ?= 8000
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test stop db bench lint migrate help

help:
	@echo "make run    serve the demo site on http://127.0.0.1:$(PORT)/"
	@echo "make test   run the whole test suite (unit, view, browser, accessibility)"
	@echo "make bench  print the thread benchmarks (var/bench/*.json)"
	@echo "make stop   stop the project's PostgreSQL cluster"

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet ".[test]"
	@if $(PY) -m config.localdb needs-embedded; then \
		$(PY) -m pip install --quiet ".[embedded-pg]"; fi
	@touch $@

# With DATABASE_URL set, that database is used and no local cluster is started.
db: $(STAMP)
	@if [ -z "$$DATABASE_URL" ]; then $(PY) -m config.localdb start; fi

migrate: db
	@$(PY) manage.py migrate --noinput -v 0

run: migrate
	@$(PY) manage.py seed_demo
	@echo "Kindred is at http://127.0.0.1:$(PORT)/  (Ctrl-C stops it and the task worker; 'make stop' stops the database)"
	@# The worker (notifications, emails) runs beside the web server. Ctrl-C reaches
	@# both (one process group); the trap stops the worker if the server ends first.
	@$(PY) manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: db
	@scripts/ensure-chromium
	$(VENV)/bin/pytest $(PYTEST_ARGS)

bench: migrate
	$(PY) -m bench $(BENCH_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

stop:
	@test -x $(PY) && $(PY) -m config.localdb stop || echo "Nothing to stop."
