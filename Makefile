# Two commands on a fresh machine: `make demo` (set up + run the main job on embedded SQLite)
# and `make test` (set up + run the whole suite). Both create .venv on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO_HOME := $(CURDIR)/var/demo

.PHONY: demo test lint install clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	rm -rf $(DEMO_HOME)
	IPAWARD_HOME=$(DEMO_HOME) $(BIN)/ipaward init
	IPAWARD_HOME=$(DEMO_HOME) COLUMNS=160 $(BIN)/ipaward measures
	IPAWARD_HOME=$(DEMO_HOME) COLUMNS=160 $(BIN)/ipaward assess --as-of 2025-06-30 ipaward/examples/*.json
	IPAWARD_HOME=$(DEMO_HOME) COLUMNS=160 $(BIN)/ipaward submit --as-of 2025-06-30 ipaward/examples/*.json

test: $(STAMP)
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
