# todochat: `make run` serves the app, `make test` runs every test. Both set up what they need.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 3000
BUN := tools/node_modules/.bin/bun

# Reflex: bun from the npm registry (never its install script), no telemetry, no version checks.
export PATH := $(CURDIR)/tools/node_modules/.bin:$(CURDIR)/$(VENV)/bin:$(PATH)
export REFLEX_TELEMETRY_ENABLED := false
export REFLEX_CHECK_LATEST_VERSION := 0
export NPM_CONFIG_REGISTRY := https://registry.npmjs.org
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run dev serve test test-fast fuzz bench setup browser nginx migrate clean

setup: $(VENV)/.installed $(BUN)

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(BUN): tools/package.json tools/package-lock.json
	cd tools && npm ci --no-audit --no-fund --loglevel=error
	touch $@

migrate: setup
	$(PY) -m todochat.migrate

# APP_URL follows PORT unless set: it is the token issuer and the allowed browser origin.
run: migrate
	APP_URL=$${APP_URL:-http://localhost:$(PORT)} $(VENV)/bin/reflex run --env prod --single-port --frontend-port $(PORT) --backend-port $(PORT)

# Reflex's dev server, for working on todochat: the UI on PORT (hot reload), the backend
# (websocket, /api, /chatkit) on BACKEND_PORT, restarted only when the source changes
# (todochat/, rxconfig.py, assets/: see rxconfig.py). Same database as `make run`.
# LOGLEVEL=debug shows each restart and the file that caused it.
BACKEND_PORT ?= 8000
dev: migrate
	APP_URL=$${APP_URL:-http://localhost:$(PORT)} $(VENV)/bin/reflex run --env dev --frontend-port $(PORT) --backend-port $(BACKEND_PORT) $(if $(LOGLEVEL),--loglevel $(LOGLEVEL))

# Production (README, "Production"): nginx on PORT in front of WORKERS backend workers on
# 127.0.0.1:BACKEND_PORT, on DATABASE_URL and REDIS_URL. todochat/serve/ checks the settings
# first (several workers: PostgreSQL, Redis, TODOCHAT_SECRET, connections that fit), then
# migrates, builds the UI once and starts both. WORKERS unset: what the machine can take.
# NGINX=external: no nginx of its own; yours serves deploy/nginx.conf (README shows how).
WORKERS ?=
serve: nginx setup
	APP_URL=$${APP_URL:-http://localhost:$(PORT)} $(PY) -m todochat.serve --port $(PORT) --backend-port $(BACKEND_PORT) --workers "$(WORKERS)"$(if $(filter external,$(NGINX)), --external-nginx)

# Debian's nginx for `make serve` (and its tests): installed like Chromium below.
nginx:
	@tools/ensure-nginx.sh

# Debian's Chromium for the browser tests (Playwright never downloads a browser): installed
# when it can be (root, apt-get), else one line says what to install and `make test` stops.
browser:
	@tools/ensure-chromium.sh

# Chromium (and nginx, for tests/e2e/test_production.py) is checked first, so a machine
# without it stops before anything runs.
# Two runs: Playwright's sync API keeps an event loop running for the whole session,
# which the asyncio tests cannot share. Each runs in several processes (pytest-xdist):
# one per core, at most 4, since each holds its own database connections; the browser
# tests in 2, since each process builds and serves its own app, a whole file to a process
# (tests that start an app of another kind share a file, so each kind is built once;
# pytest-xdist's groups have no effect with pytest 9.2).
TESTS_IN_PARALLEL := -n auto --maxprocesses 4
test: browser nginx setup
	$(PY) -m pytest $(TESTS_IN_PARALLEL) --ignore=tests/e2e
	$(PY) -m pytest -n 2 --dist loadfile tests/e2e

# Everything but the browser tests.
test-fast: setup
	$(PY) -m pytest $(TESTS_IN_PARALLEL) --ignore=tests/e2e

# Schemathesis against the API, deeper than the bounded run in `make test` (FUZZ_EXAMPLES per operation).
FUZZ_EXAMPLES ?= 500
fuzz: setup
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(PY) -m pytest tests/test_api_fuzz.py

bench: setup
	@for b in bench/*.py; do [ -e "$$b" ] || continue; echo "== $$b"; $(PY) $$b || exit 1; done

clean:
	rm -rf .web .states instance todochat.db
