# Common Ground: `make run` serves the demo, `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# Emailed links are built from the site URL: `make run PORT=8123` serves and links to
# http://127.0.0.1:8123 (a COMMONGROUND_SITE_URL given in the environment wins).
run: export COMMONGROUND_SITE_URL ?= http://$(HOST):$(PORT)

.PHONY: install messages migrate demo run test lint format typecheck pytest test-pg makemessages clean e2e bench loadtest

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade "pip>=24"
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Compiled catalogues are build output (not committed); msgfmt comes with gettext.
messages: install
	$(PY) manage.py compilemessages --ignore=.venv --ignore=var -v0

migrate: messages
	$(PY) manage.py migrate --noinput -v0

demo: migrate
	$(PY) manage.py load_demo

run: demo
	@echo ""
	@echo "  Common Ground is running at http://$(HOST):$(PORT)/"
	@echo "  Sign in as the convener:  ingrid@fjordvik.example  /  fjordvik-demo-2026"
	@echo "  An outsider account:      outsider@elsewhere.example  /  fjordvik-demo-2026"
	@echo "  One background worker and the scheduler run beside it; Ctrl-C stops all three."
	@echo ""
	$(PY) scripts/serve.py --host $(HOST) --port $(PORT)

# One more background worker (email, periodic jobs), e.g. in a second terminal beside `make run`.
.PHONY: worker
worker: migrate
	$(PY) manage.py db_worker

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

typecheck: install
	$(VENV)/bin/mypy commonground bench/seed

pytest: messages
	$(VENV)/bin/pytest -n 2 $(PYTEST_ARGS)

test: lint typecheck pytest

# The same suite on PostgreSQL; DATABASE_URL must point at a server (see .ci/run).
test-pg: messages
	test -n "$$DATABASE_URL"
	$(VENV)/bin/pytest -n 2 $(PYTEST_ARGS)

makemessages: install
	$(PY) manage.py makemessages -l nb --ignore=.venv --ignore=var --no-obsolete
	$(PY) manage.py makemessages -d djangojs -l nb --ignore=.venv --ignore=var --ignore=static/vendor --no-obsolete

clean:
	rm -rf $(VENV) var

# End-to-end tests in the machine's Chromium (Debian package; Playwright's own browser download is not used).
e2e: messages
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)
	$(VENV)/bin/pytest e2e -p no:xdist -p no:randomly $(PYTEST_ARGS)

# Benchmark (not a test): seeded data at F=1 and F=10 under gunicorn on loopback.
bench: migrate
	$(PY) -m bench --factors 1 10 $(BENCH_ARGS)

# Bounded load test on loopback (2 minutes, 50 clients), then the same with a SIGKILL half-way.
loadtest: migrate
	$(PY) scripts/loadtest.py --clients 50 --seconds $(or $(LOAD_SECONDS),120)
	$(PY) scripts/loadtest.py --clients 50 --seconds $(or $(LOAD_SECONDS),120) --kill
