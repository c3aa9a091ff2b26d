# Two commands matter (see README.md):  `make run`  and  `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: run test lint schema lock services

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required"'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.run-installed: requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	touch $@

$(VENV)/.dev-installed: requirements-dev.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	touch $@ $(VENV)/.run-installed

## Run the product on embedded defaults: web on http://$HOST:$PORT (127.0.0.1:8000 unless
## set, as config/Procfile reads them), Celery worker and beat. load_demo prints the address
## and whom to sign in as before the server starts.
run: $(VENV)/.run-installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	exec $(BIN)/honcho --no-prefix -f config/Procfile -d . start

## The whole test suite, on PostgreSQL (started here if it is installed but stopped).
test: $(VENV)/.dev-installed
	bash .ci/services.sh
	bash .ci/browser.sh
	bash .ci/office.sh
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/python manage.py check --fail-level WARNING
	$(BIN)/python manage.py makemigrations --check --dry-run
	REQUIRE_SERVICES=1 \
	DATABASE_URL=$${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/dondoc} \
	$(BIN)/pytest -n auto --cov --cov-report=term:skip-covered $(PYTEST_ARGS)

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/lint-imports && $(BIN)/mypy

schema: $(VENV)/.run-installed
	$(BIN)/python manage.py spectacular --validate --fail-on-warn --file schema.yml

## Re-pin the lock files from pyproject.toml (needs `pip install uv`).
lock:
	uv pip compile pyproject.toml --generate-hashes --python-version 3.11 -o requirements.lock
	uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 -o requirements-dev.lock
