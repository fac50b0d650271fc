# Zhengwu — the two commands: `make demo` (set up and serve the demo) and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: demo test setup serve lint format typecheck bench clean

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

clean:
	rm -rf $(VENV) node_modules var .pytest_cache
