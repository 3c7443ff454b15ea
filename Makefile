# Petition Desk — the two commands a newcomer needs:
#   make run    create .venv, install the project, open the GUI
#   make test   create .venv, install the project and the test tools, run the tests
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DATA ?=
# pytest-xdist workers for make test: one per core; TEST_WORKERS=0 runs in this one process.
TEST_WORKERS ?= auto

.PHONY: run demo test lint bench catalogs screenshot clean faults

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

catalogs: $(VENV)/.installed
	$(BIN)/python -m storage.i18n compile

run: $(VENV)/.installed catalogs
	@bash scripts/system-deps.sh gui
	$(BIN)/python main.py $(if $(DATA),--data-dir $(DATA))

demo: $(VENV)/.installed catalogs
	@bash scripts/system-deps.sh gui
	$(BIN)/python main.py --demo

test: $(VENV)/.installed catalogs
	@bash scripts/system-deps.sh test
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal

lint: $(VENV)/.installed
	$(BIN)/ruff check storage printing ui cli main.py tests scripts bench
	$(BIN)/mypy

# Fault trials (SIGKILL, full disk, byte flips), printing the figures of the README's
# reliability table. They are also part of make test.
FAULT_TESTS += tests/storage/test_recovery_faults.py
faults: $(VENV)/.installed catalogs
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -n 0 -s $(FAULT_TESTS)

bench: $(VENV)/.installed catalogs
	$(BIN)/python bench/run.py

screenshot: $(VENV)/.installed catalogs
	@bash scripts/system-deps.sh test
	$(BIN)/python scripts/screenshot.py

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .mypy_cache
