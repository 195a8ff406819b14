# Ringback — the two commands a newcomer needs are `make run` and `make test`.
# Both set everything up first (venv, Python packages, Debian packages), idempotently.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.setup-stamp
# Re-install when the project's metadata or its C sources change.
SETUP_INPUTS := pyproject.toml setup.py tools/apt-packages.txt $(wildcard ext/*.c ext/*.h ext/*.py)

.PHONY: setup run test bench fuzz soak lint clean help

help:
	@echo "make run     start the box on the simulated line (daemon, web admin, console)"
	@echo "make test    run the test suite (what CI runs)"
	@echo "make bench   speed benchmarks, as ratios against reference implementations"
	@echo "make fuzz    the long fuzz run of the ISDN stack (a million inputs)"
	@echo "make soak    the daemon takes calls for SOAK_MINUTES (10): nothing left, no growth"
	@echo "make lint    ruff"
	@echo "make setup   create .venv and install everything (run by the others)"
	@echo "make clean   remove the venv, build output and the simulated box's data"

setup: $(STAMP)

$(STAMP): $(SETUP_INPUTS)
	@$(PYTHON) tools/check-python.py
	@tools/install-apt.sh
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@

run: setup
	$(PY) -m firmware.devbox

# One pytest worker per core (TEST_JOBS=1 for one process); a module's tests stay together.
TEST_JOBS ?= auto
test: setup
	$(PY) -m pytest -n $(TEST_JOBS) --dist loadfile

bench: setup
	$(PY) -m tests.bench $(BENCH_ARGS)
	$(PY) -m tests.bench.callbacks $(BENCH_ARGS)

fuzz: setup
	$(PY) -m tests.fuzz --count $(or $(FUZZ_COUNT),1000000)

soak: setup
	$(PY) -m tests.soak --minutes $(or $(SOAK_MINUTES),10)

lint: setup
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) build *.egg-info firmware/media/_dsp.* var
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
