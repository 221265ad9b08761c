# Two commands set Candor up on a fresh machine: `make serve` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: serve demo test lint bench clean

$(BIN)/candor: pyproject.toml
	@echo "Installing Candor and its dependencies into $(VENV) (about half a minute, once)..."
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@
	@echo "Installed: the candor command is $(BIN)/candor"

# `make serve PORT=8100` listens on another port (emails then link to it too).
PORT ?= 8000

serve: $(BIN)/candor  ## run Candor on SQLite at http://127.0.0.1:$(PORT) (make serve PORT=8100)
	$(BIN)/candor serve --port $(PORT)

test: $(BIN)/candor  ## lint, type-check and run the suite (PostgreSQL too when CANDOR_TEST_DATABASE_URL is set)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/mypy --explicit-package-bases bench
	$(BIN)/pytest -q -n auto

bench: $(BIN)/candor  ## run the benchmarks in bench/ (a few minutes; wrk is used when installed)
	$(BIN)/python bench/collector.py
	$(BIN)/python bench/request_head.py
	$(BIN)/python bench/timeline.py
	$(BIN)/python bench/instrument.py
	$(BIN)/python bench/lint_quality.py
	$(BIN)/python bench/lint_latency.py
	$(BIN)/python bench/prospects_import.py
	$(BIN)/python bench/last_engagement.py
	$(BIN)/python bench/policy_impact.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

demo: $(BIN)/candor  ## a fresh demo workspace on its own SQLite file, keys printed (make demo PORT=8100)
	$(BIN)/candor demo --port $(PORT)
