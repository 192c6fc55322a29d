# Thin wrapper: set up the environment, then call briefgen. Logic lives in Python.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
JOBS   ?= 2
SHARD  ?=
CONTENT ?= content
OUT    ?= build

.DEFAULT_GOAL := help
.PHONY: help briefs test check watch bench clean distclean

help: ## List the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install -q -e '.[test]'
	@touch $@

$(VENV)/.installed-bench: pyproject.toml $(VENV)/.installed-test
	$(BIN)/pip install -q -e '.[test,bench]'
	@touch $@

$(VENV)/.system: src/briefgen/system.py | $(BIN)/python
	$(PYTHON) src/briefgen/system.py
	@touch $@

$(VENV)/.system-test: src/briefgen/system.py | $(BIN)/python
	$(PYTHON) src/briefgen/system.py --with-test
	@touch $@

briefs: $(VENV)/.installed $(VENV)/.system ## Build every brief in content/ into build/ (only what changed)
	@$(BIN)/briefgen build $(CONTENT) --out $(OUT) --jobs $(JOBS) $(if $(SHARD),--shard $(SHARD))

check: $(VENV)/.installed ## Validate and lint every brief; render nothing
	@$(BIN)/briefgen check $(CONTENT)

watch: $(VENV)/.installed $(VENV)/.system ## Rebuild on save and serve the HTML at http://127.0.0.1:8000/
	@$(BIN)/briefgen watch $(CONTENT) --out $(OUT)

test: $(VENV)/.installed-test $(VENV)/.system $(VENV)/.system-test ## Run the whole test suite
	$(BIN)/python -m pytest

bench: $(VENV)/.installed-bench $(VENV)/.system ## Measure speed against WeasyPrint, pandoc and Typst (not part of test)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean: ## Remove the outputs in build/
	rm -rf $(OUT)

distclean: clean ## Remove the outputs and the virtual environment
	rm -rf $(VENV)
