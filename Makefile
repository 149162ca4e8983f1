# weibao-hub: `make demo` serves the product with demo data; `make test` runs every check.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
LINT_TOOL := tools/cypher-lint
AUDIT_TOOL := tools/graphql-audit
GRAPHIQL := tools/graphiql
AXE_TOOL := tools/axe

.PHONY: help setup demo serve test lint typecheck imports pytest bench clean

help:
	@echo "make demo   - set up, load the Tengzhou demo data set, serve at http://127.0.0.1:8000"
	@echo "make test   - set up and run lint, types, import contracts and the test suite"
	@echo "make bench  - print benchmark figures"
	@echo "make lint   - ruff (lint + format check), mypy, import-linter"
	@echo "make setup  - create/update .venv and the npm packages the tests need"

setup: $(VENV)/.installed $(LINT_TOOL)/node_modules/.installed $(AUDIT_TOOL)/node_modules/.installed \
	$(GRAPHIQL)/node_modules/.installed $(AXE_TOOL)/node_modules/.installed

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "weibao-hub needs Python >= 3.11 (found $$($(PYTHON) --version))"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

$(LINT_TOOL)/node_modules/.installed: $(LINT_TOOL)/package.json $(LINT_TOOL)/package-lock.json
	@command -v npm >/dev/null || { echo "npm (Node.js) is needed for the Cypher lint test"; exit 1; }
	cd $(LINT_TOOL) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(AUDIT_TOOL)/node_modules/.installed: $(AUDIT_TOOL)/package.json $(AUDIT_TOOL)/package-lock.json
	@command -v npm >/dev/null || { echo "npm (Node.js) is needed for the GraphQL-over-HTTP audit test"; exit 1; }
	cd $(AUDIT_TOOL) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(GRAPHIQL)/node_modules/.installed: $(GRAPHIQL)/package.json $(GRAPHIQL)/package-lock.json
	@command -v npm >/dev/null || { echo "npm (Node.js) is needed for GraphiQL's local scripts"; exit 1; }
	cd $(GRAPHIQL) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(AXE_TOOL)/node_modules/.installed: $(AXE_TOOL)/package.json $(AXE_TOOL)/package-lock.json
	@command -v npm >/dev/null || { echo "npm (Node.js) is needed for the portal's accessibility tests"; exit 1; }
	cd $(AXE_TOOL) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

demo: setup
	$(BIN)/weibao demo

serve: setup
	$(BIN)/weibao serve

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint
	$(BIN)/pytest

bench: setup
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) $(LINT_TOOL)/node_modules $(GRAPHIQL)/node_modules $(AUDIT_TOOL)/node_modules \
		$(AXE_TOOL)/node_modules .mypy_cache .ruff_cache .pytest_cache
