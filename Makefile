# presslens: `make demo` sets up and analyses an example article; `make test` sets up and
# runs the whole test suite. Both need only python3 (>= 3.11) and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# -qq: pip prints its errors and nothing else (not the warnings a machine's pip config can cause)
PIP_INSTALL := $(BIN)/python -m pip install -qq --disable-pip-version-check
DEMO   := examples/articles/mt_ru_wagner_mutiny.txt
OUT    := build/demo

.PHONY: install demo test test-fast lint system-deps clean

# A stock venv's pip (23.x on Python 3.11) cannot install the lock, so the venv first gets
# the pip pinned, hash-checked, in requirements-bootstrap.lock.
$(STAMP): requirements-bootstrap.lock requirements.lock pyproject.toml
	@echo "setting up $(VENV): pinned pip, then requirements.lock (minutes the first time)"
	$(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) --require-hashes -r requirements-bootstrap.lock
	$(PIP_INSTALL) --require-hashes -r requirements.lock
	$(PIP_INSTALL) --no-deps --no-build-isolation -e .
	@touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/presslens analyze $(DEMO) --out $(OUT) --format html
	$(BIN)/presslens analyze $(DEMO) --out $(OUT) --format json -q
	@echo "report: $(OUT)/$(basename $(notdir $(DEMO))).html"
	@echo "json:   $(OUT)/$(basename $(notdir $(DEMO))).json"

test: install lint
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check src tests scripts
	$(BIN)/mypy src/presslens

test-fast: install
	$(BIN)/python -m pytest -q -m "not model"

# Debian's chromium and postgresql, which the browser and PostgreSQL tests use for real
# (needs root; does nothing when both are there).
system-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium postgresql; \
	fi

clean:
	rm -rf $(VENV) build .pytest_cache
