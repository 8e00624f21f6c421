# Whistle: two commands for a newcomer.
#   make run    serve the portal with a Celery worker and beat on http://127.0.0.1:8000/
#   make test   run the whole test suite
# Both build .venv with this machine's python3 on first use, and reinstall when a
# requirements file changes (the stamp files below remember what was installed).

PYTHON ?= python3
VENV   ?= .venv
HOST   ?= 127.0.0.1
PORT   ?= 8000
ARGS   ?=
# The suite runs on this many processes (pytest-xdist); TEST_WORKERS=0 runs it in one.
TEST_WORKERS ?= 2

BIN    := $(VENV)/bin
PY     := $(BIN)/python
MANAGE := $(PY) manage.py

# `make run` serves with debug off (the portal's own error pages, WhiteNoise's static
# files) on plain http with a local key in var/secret_key; `make run DEBUG=1` (or
# DJANGO_DEBUG=1 make run) turns Django's debug pages on.
DEBUG  ?=
ifneq ($(DEBUG),)
export DJANGO_DEBUG := $(DEBUG)
endif

.PHONY: run test lint messages help bench
.DEFAULT_GOAL := help

help:
	@echo "make run    serve the portal with a Celery worker and beat (HOST=$(HOST) PORT=$(PORT); DEBUG=1 for debug pages)"
	@echo "make test   run the test suite on TEST_WORKERS=$(TEST_WORKERS) processes (extra pytest arguments: ARGS=\"-k routing\")"
	@echo "make lint   ruff check and ruff format --check"
	@echo "make bench  generate BENCH_N complaints (default 1,000,000) on PostgreSQL + Redis, measure, write docs/BENCHMARKS.md"

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip setuptools

$(VENV)/.installed-runtime: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed-runtime

# Compile the translation catalogues when there are any and gettext is installed
# (with debug settings: compiling needs no secret key);
# without msgfmt the portal still runs, in its English source strings.
messages:
	@if [ -d locale ] && ls locale/*/LC_MESSAGES/*.po >/dev/null 2>&1; then \
		if command -v msgfmt >/dev/null 2>&1; then \
			DJANGO_DEBUG=1 $(MANAGE) compilemessages --ignore=$(VENV) --ignore=node_modules -v0; \
		else \
			echo "note: gettext is not installed (apt-get install gettext); translations are not compiled."; \
		fi; \
	fi

# Made once, readable by its owner only, never committed (var/ is ignored).
var/secret_key: | $(PY)
	@mkdir -p var
	@umask 077 && $(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > $@.tmp && mv $@.tmp $@

run: export WHISTLE_LOCAL = 1
run: $(VENV)/.installed-runtime var/secret_key
	@mkdir -p var
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo
	@$(MAKE) --no-print-directory messages
	$(MANAGE) collectstatic --noinput -v0
	$(MANAGE) serve --host $(HOST) --port $(PORT)

test: $(VENV)/.installed-dev
	@$(MAKE) --no-print-directory messages
	$(BIN)/pytest -n $(TEST_WORKERS) $(ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# `make bench`: a city of BENCH_N complaints (default 1,000,000) in its own PostgreSQL
# database (BENCH_DB, default whistle_bench; one it did not create is refused), the
# portal's processes under load, docs/BENCHMARKS.md written; the database is dropped
# unless BENCH_KEEP=1. PostgreSQL at BENCH_POSTGRES (postgres://postgres@127.0.0.1:5432),
# Redis at BENCH_REDIS (redis://127.0.0.1:6379) databases BENCH_REDIS_DB (5) and the next.
# Smaller and shorter for CI: BENCH_N=20000 BENCH_SECONDS=5 make bench
bench: $(VENV)/.installed-runtime
	@$(MAKE) --no-print-directory messages
	PYTHONUNBUFFERED=1 $(PY) -m bench
