# forms-to-ogust: the two commands are `make run` (the whole path locally) and `make test` (every check).
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: setup run test lint typecheck pytest node-test clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,cli]'
	touch $(STAMP)

setup: $(STAMP)

run: setup
	$(PY) -m scripts.run_local $(ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: setup
	$(VENV)/bin/mypy

pytest: setup
	$(VENV)/bin/pytest

node-test:
	cd apps_script && npm ci --no-audit --no-fund --silent && npm test

test: lint typecheck pytest node-test

clean:
	rm -rf $(VENV) apps_script/node_modules .pytest_cache .mypy_cache .ruff_cache
