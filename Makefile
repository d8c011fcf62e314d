# The commands people type. `make run` and `make test` work on a fresh machine with only
# Python, pip and Debian's packages: they create the virtual environment and install the rest.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
LOCALES := vi ar en
# gettext compiles the catalogues; Pango, HarfBuzz's subsetter and the Noto fonts make the PDF
# reports (Vietnamese and Arabic shaped); poppler-utils renders PDF pages in tests.
DEBIAN_PACKAGES := gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-core poppler-utils

.PHONY: run test test-sqlite test-postgres lint messages translations bench fuzz drill clean help extract-eval

help:
	@echo "make run    - set up, migrate, load demo data and serve on http://127.0.0.1:8000"
	@echo "make test   - run the whole test suite (SQLite, and PostgreSQL when reachable)"
	@echo "make lint   - ruff, the layer contract and the types of the seams"
	@echo "make drill  - fault drills on the production setup (own PostgreSQL and Redis)"
	@echo "make messages - refresh the translation catalogues after changing strings"
	@echo "make extract-eval - precision and recall of the text extractor on its labelled corpus"

$(STAMP): pyproject.toml
	@scripts/ensure-debian-packages $(DEBIAN_PACKAGES)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

translations: $(STAMP)
	cd src/sixclear && ../../$(BIN)/django-admin compilemessages -v0

run: $(STAMP) translations
	$(BIN)/sixclear migrate -v0
	$(BIN)/sixclear demo
	$(BIN)/sixclear pki demo
	$(BIN)/sixclear monitor
	$(BIN)/sixclear serve

test: $(STAMP) translations
	@scripts/ensure-debian-packages $(DEBIAN_PACKAGES) chromium
	scripts/run-tests

# ruff, then the layer contract in pyproject.toml ([tool.importlinter]): no module imports a
# module of a higher layer; then mypy on the typed seams ([tool.mypy]).
lint: $(STAMP)
	$(BIN)/ruff check src tests bench drills
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy

# Synthetic national data set on PostgreSQL (built once, kept in its own database; BENCH_FRESH=1
# rebuilds it), then the monitoring scan, the dashboards and progress-report writes timed on it.
# BENCH_DATABASE_URL picks another server.
bench: $(STAMP)
	@echo "== make bench: national data set ($(or $(BENCH_DATABASE_URL),sixclear_bench on 127.0.0.1))"
	$(BIN)/python -m bench.results --start --database "$(or $(BENCH_DATABASE_URL),sixclear_bench)"
	$(BIN)/python -m bench.generate --scale national \
		$(if $(BENCH_DATABASE_URL),--database-url $(BENCH_DATABASE_URL)) \
		$(if $(filter 1 yes true,$(BENCH_FRESH)),--fresh,--if-missing)
	@echo "== make bench: monitoring scan"
	$(BIN)/python -m bench.scan $(if $(BENCH_DATABASE_URL),--database-url $(BENCH_DATABASE_URL))
	@echo "== make bench: dashboards, the floor on base tables, writes per second"
	$(BIN)/python -m bench.dashboards $(if $(BENCH_DATABASE_URL),--database-url $(BENCH_DATABASE_URL))
	@echo "== make bench: the country's evaluation rounds, each opened and rolled back (goal < 60 s)"
	$(BIN)/python -m bench.evaluation $(if $(BENCH_DATABASE_URL),--database-url $(BENCH_DATABASE_URL))
	@echo "== make bench: throughput with 50 connections (gunicorn, wrk), beside a hello-world"
	$(BIN)/python -m bench.throughput $(if $(BENCH_DATABASE_URL),--database-url $(BENCH_DATABASE_URL))
	@echo "== make bench: every goal side by side (BENCH_DOCS=1 writes it into docs/performance.md)"
	$(BIN)/python -m bench.summary $(if $(filter 1 yes true,$(BENCH_DOCS)),--update-docs)

# Schemathesis against the API's OpenAPI schema with many more examples per operation than the
# test suite runs (FUZZ_EXAMPLES, default 200): no server error, every response as documented.
fuzz: $(STAMP)
	SIXCLEAR_FUZZ_EXAMPLES=$(or $(FUZZ_EXAMPLES),200) $(BIN)/python -m pytest -p no:cacheprovider -q \
		tests/api/test_schema.py -k schemathesis

# The extractor (resolution text -> proposed targets) on the labelled corpus under tests/:
# precision and recall per field, per language, for the documents read while writing the
# rules (dev) and those that were not (heldout). -v lists every miss.
extract-eval: $(STAMP)
	$(BIN)/python -m sixclear.extraction.evaluate tests/extraction/corpus

# Fault drills on the production setup, on servers of its own (a PostgreSQL cluster and a Redis
# on free ports in a temporary directory, removed afterwards): a job worker killed mid-report,
# PostgreSQL restarted and Redis stopped under load, backup and restore, point-in-time recovery.
# Prints writes acknowledged / found and jobs requested / run per drill; fails if any is lost.
drill: $(STAMP) translations
	$(BIN)/python -m drills

# Strings in an app with its own locale/ go to that app's catalogue; APP=<app> refreshes only it.
messages: $(STAMP)
	cd src/sixclear/$(APP) && SIXCLEAR_DATA_DIR=$(CURDIR)/var DJANGO_SETTINGS_MODULE=sixclear.settings $(CURDIR)/$(BIN)/django-admin makemessages \
		$(foreach l,$(LOCALES),-l $(l)) --no-obsolete --no-location -v0

clean:
	rm -rf $(VENV) var .pytest_cache
