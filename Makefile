# Impact: the two commands for a fresh machine are `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: install run test test-fast test-postgres browser test-tools lint security format translations

# The suite runs on every core (pytest-xdist), each worker with a database of its own; PYTEST_WORKERS=0 runs it in
# one process. Work stealing keeps both workers busy to the end when a long browser test comes last.
PYTEST_WORKERS ?= auto
PYTEST_XDIST = -n $(PYTEST_WORKERS) $(if $(filter 0,$(PYTEST_WORKERS)),,--dist worksteal)
# PYTEST_MARK selects by marker, e.g. PYTEST_MARK="not browser" make test-postgres
PYTEST_SELECT = $(if $(PYTEST_MARK),-m "$(PYTEST_MARK)")
# The slowest tests are listed at the end of every full run, so a test that grows slow is seen where it starts.
PYTEST_REPORT = --durations=25

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

## Set up, migrate the embedded SQLite database, load demo data and serve on http://127.0.0.1:5000
run: install
	$(BIN)/flask --app impact db upgrade
	$(BIN)/flask --app impact seed-demo
	$(BIN)/flask --app impact run --host $(HOST) --port $(PORT)

## Set up and run the whole test suite (SQLite unless DATABASE_URL is set), browser tests included
test: install browser test-tools
	$(BIN)/pytest $(PYTEST_XDIST) $(PYTEST_SELECT) $(PYTEST_REPORT)

## While developing: everything but the browser tests and the slow ones (load, benchmarks, migrations, backups)
test-fast: install test-tools
	$(BIN)/pytest $(PYTEST_XDIST) -m "not slow and not browser"

## The same suite against a fresh database on the local PostgreSQL server
test-postgres: install browser test-tools
	bash scripts/with-fresh-postgres $(BIN)/pytest $(PYTEST_XDIST) $(PYTEST_SELECT) $(PYTEST_REPORT)

browser:
	@bash scripts/ensure-chromium

## The Node packages the tests run, at the versions package-lock.json pins, in ~/.cache/impact/test-tools: the W3C Nu
## HTML checker (the HTML validity test) and oidc-provider (the OpenID Connect provider the sign-in tests start)
test-tools:
	@bash scripts/ensure-test-tools

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## Static security checks: bandit over the app code, failing on any medium or high finding (config in pyproject.toml)
security: install
	$(BIN)/bandit -r impact -c pyproject.toml --severity-level medium --quiet

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

translations: install
	$(BIN)/flask --app impact translations update
	$(BIN)/flask --app impact translations compile
	$(BIN)/flask --app impact translations check

.PHONY: bench
BENCH_SIZES ?= 10000 100000
BENCH_DATABASES ?= sqlite postgresql

## Benchmark under gunicorn at each size on each database; prints a table and a JSON line (README "Performance")
bench: install
	$(BIN)/python -m bench.run --sizes $(BENCH_SIZES) --databases $(BENCH_DATABASES)

.PHONY: load
## Concurrency and load test (bench/load.py): two gunicorn instances on a fresh PostgreSQL database with 50 officers
## and 5 reviewers for 60 s, the same with one instance (write throughput side by side), then one instance on
## SQLite. Fails on any 5xx, lost write or unreported conflict.
load: install
	$(BIN)/python -m bench.load --database postgresql --instances 2 --workers 2 --officers 50 --reviewers 5 --seconds 60
	$(BIN)/python -m bench.load --database postgresql --instances 1 --workers 2 --officers 50 --reviewers 5 --seconds 60
	$(BIN)/python -m bench.load --database sqlite --instances 1 --workers 2 --officers 12 --reviewers 2 --seconds 60

.PHONY: scaleout
## Scale-out proof (bench/scaleout.py): two gunicorn instances and two job workers on one fresh PostgreSQL database
## and one Redis (database 8, which must be empty; SCALEOUT_REDIS_URL to change it) for 60 s: auditors and case
## officers export the register through both instances while officers save. Fails on any job not run exactly once,
## a file another user could download, a wrong CSV, a lost save or a 5xx.
scaleout: install
	$(BIN)/python -m bench.scaleout --seconds 60
