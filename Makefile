# Zhengwu — the two commands: `make demo` (set up and serve the demo) and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: demo test setup serve lint format typecheck bench drill reliability load fuzz audit-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall only when the dependency list changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

setup: $(VENV)/.installed node_modules/.package-lock.json

demo: setup
	$(BIN)/zhengwu migrate --noinput
	$(BIN)/zhengwu demo
	@echo "演示系统：http://$(HOST):$(PORT)/   工作台：http://$(HOST):$(PORT)/workbench/   接口文档：http://$(HOST):$(PORT)/api/docs/"
	$(BIN)/zhengwu runserver $(HOST):$(PORT)

serve: setup
	$(BIN)/zhengwu runserver $(HOST):$(PORT)

test: setup
	$(BIN)/pytest -q -n 2 $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/zhengwu makemigrations --check --dry-run

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

typecheck: setup
	$(BIN)/mypy

bench: setup
	$(BIN)/python -m bench

# Restore drill (SECURITY.md row 13): seed, back up under writes, restore into an empty DB, compare, boot.
DRILL_CASES ?= 1000
drill: setup
	$(BIN)/zhengwu drill --cases $(DRILL_CASES)

# Fault tests (SECURITY.md rows 10, 12, 14, 15; docs/reliability.md) against live gunicorn and the whole API,
# on SQLite and then on PostgreSQL (temporary databases). Full sizes; RELIABILITY_SCALE=ci gives the
# reduced ones CI runs. Exit code 5 (nothing collected, e.g. after a -k filter) is not a failure.
RELIABILITY_PG ?= postgres://postgres@127.0.0.1:5432/zhengwu_reliability
reliability: setup
	$(BIN)/pytest -q -p no:xdist -m reliability reliability $(PYTEST_ARGS) || [ $$? -eq 5 ]
	DATABASE_URL=$(RELIABILITY_PG) $(BIN)/pytest -q -p no:xdist -m reliability reliability $(PYTEST_ARGS) || [ $$? -eq 5 ]

# Load on two cores (SECURITY.md row 23, docs/reliability.md): Locust, 50 users for 10 minutes over 100,000 demo
# cases against gunicorn with 3 workers, on SQLite and then on PostgreSQL; fails on any error, any "database is
# locked" or a p95 over budget. LOAD_ARGS passes options, e.g. LOAD_ARGS="--duration 2m --cases 20000".
LOAD_ARGS ?=
load: setup
	$(BIN)/python -m bench.load $(LOAD_ARGS)
	DATABASE_URL=$(RELIABILITY_PG) $(BIN)/python -m bench.load $(LOAD_ARGS)

# Parser fuzzing (SECURITY.md row 15, docs/reliability.md): atheris on each parser for FUZZ_SECONDS, nightly.
# Crash, slow-input (> 1 s) and out-of-memory reproducers are kept under var/fuzz/<target>/.
FUZZ_SECONDS ?= 600
FUZZ_TARGETS ?=
fuzz: setup
	$(BIN)/python -m fuzz --seconds $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# Dependency hygiene (SECURITY.md row 25): pip-audit over the installed environment; --strict fails when a
# package cannot be checked. It needs PyPI's per-release JSON API or OSV, which this workplace cannot reach, so
# CI does not run it here (docs/reliability.md); run it where those services answer.
audit-deps: setup
	$(BIN)/pip-audit --strict --skip-editable --progress-spinner off

clean:
	rm -rf $(VENV) node_modules var .pytest_cache
