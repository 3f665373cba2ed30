# Two set-up commands for a fresh machine: `make demo` and `make test`.
# Everything lives in .venv/ at the repository root; nothing is installed elsewhere.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
UV     := $(BIN)/uv
STAMP  := $(VENV)/.installed
WORK   ?= .stames-sf
PYTEST_WORKERS ?= 2

export RUNTIME__DLTHUB_TELEMETRY := false
export DO_NOT_TRACK := 1

.PHONY: demo test test-spark lint bench clean env

env: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==0.13.9
	$(UV) pip install --quiet --python $(BIN)/python -r requirements.lock
	$(UV) pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/stames-sf demo --work $(WORK)

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile

# The Spark path alone: the dbt project built on Spark and on DuckDB, compared row for row.
# (`make test` runs it too when `java` is on the PATH, and skips it, saying so, when not.)
test-spark: $(STAMP)
	$(BIN)/python -m pytest -m spark

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(STAMP)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(WORK) .pytest_cache
