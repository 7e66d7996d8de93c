# Two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PLAN   ?= floorplans/slagelse-oestre-skole.json
PORT   ?= 8501

.PHONY: run test fuzz lint bench clean

# Debian's python3 ships venv without ensurepip unless python3-venv is installed;
# then we make the venv without pip and fetch pip from PyPI.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV) 2>/dev/null || { rm -rf $(VENV) && \
	  $(PYTHON) -m venv --without-pip $(VENV) && $(BIN)/python tools/bootstrap_pip.py; }

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'
	@touch $(VENV)/.installed-run $@

# Without sign-in configured (.streamlit/secrets.toml, docs/deploy.md) only this computer
# can reach the app: tools/address.py says 127.0.0.1.
run: $(VENV)/.installed-run
	ROOMPLAN_PLAN=$(PLAN) $(BIN)/python -m streamlit run app.py --server.port $(PORT) \
	  --server.address "$$($(BIN)/python tools/address.py)"

# pytest exits 5 when it collects no tests; make treats that as the failure it is.
# Every core runs tests (pytest-xdist); answers do not depend on load (deterministic budgets).
test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -n auto --dist loadgroup $(PYTEST_ARGS)

# 10,000 mutated plans through reading, privacy and capacity (tests/mutate.py; make test
# runs a 1,000-case sample): only the project's own refusals, each case within its budget.
fuzz: $(VENV)/.installed-test
	PYTHONPATH=. $(BIN)/python -m tests.mutate --cases $${FUZZ_CASES:-10000}

lint: $(VENV)/.installed-test
	$(BIN)/python -m ruff check roomplan tests bench tools app.py app_pages
	$(BIN)/python -m mypy roomplan

bench: $(VENV)/.installed-test
	@for b in bench/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
