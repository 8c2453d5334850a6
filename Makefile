# Identity registry: `make run` (quick start on SQLite; HOST= and PORT= choose the address) and `make test` (whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# Test workers (pytest-xdist; each gets its own test database on PostgreSQL). 0 runs in one process.
PYTEST_WORKERS ?= auto

.PHONY: run test lint format bench bench-all load fuzz mutation serve migrate demo clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

migrate: $(STAMP)
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py migrate --noinput

demo: migrate
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py load_demo --host $(HOST) --port $(PORT)
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py load_consent_demo

run: demo
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: lint
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# make bench BENCH_N=100000: the registry benchmark (import, DPI workloads over HTTP, duplicate scan) on a
# throw-away PostgreSQL database of BENCH_DATABASE_URL's server (README "Benchmarks"); make bench-all: all.
BENCH_N ?= 10000
bench: $(STAMP)
	BENCH_N=$(BENCH_N) DEBUG=1 $(BIN)/python -m benchmarks.run registry

bench-all: $(STAMP)
	BENCH_N=$(BENCH_N) DEBUG=1 $(BIN)/python -m benchmarks.run

# Issue 10: gunicorn under locust on LOAD_N identities (PostgreSQL), report in benchmarks/reports/load.md.
# Settings in benchmarks/load/run.py (make load LOAD_N=1000000 LOAD_DURATION=2m ...).
load: $(STAMP)
	$(BIN)/python -m benchmarks.load.run

# Issue 11: schemathesis against a fresh seeded PostgreSQL database (FUZZ_DATABASE_URL), once per role.
fuzz: $(STAMP)
	$(BIN)/python -m fuzz.run

# Mutation testing of the pure rule modules ([tool.mutmut] in pyproject.toml); a few minutes, not in .ci/run.
MUTMUT_CHILDREN ?= 2
mutation: $(STAMP)
	rm -rf mutants
	$(BIN)/mutmut run --max-children $(MUTMUT_CHILDREN)
	$(BIN)/python -m benchmarks.mutation_score

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 mutants
