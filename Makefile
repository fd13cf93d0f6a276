# Two entry points: `make serve` (install, build the demo database, serve) and `make test`.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
OPEN_DATA_DIR ?= $(abspath ../shared/data)
HOST ?= 127.0.0.1
PORT ?= 5000
export OPEN_DATA_DIR

.PHONY: serve test install install-test demo lint bench clean-venv

$(VENV)/.installed: pyproject.toml
	scripts/system_deps.sh serve
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	# --no-compile: byte-compiling every file of every wheel takes ~30 s of a fresh install; Python
	# compiles (and keeps) only the modules it imports, on first import.
	$(PY) -m pip install --quiet --no-compile -e '.[test]'
	touch $@

# Leaflet.VectorGrid draws the vector tiles on the residents' map: from the npm registry, checked
# against the sha512 it publishes, served by the app itself like Leaflet (no CDN, no Node needed).
VECTORGRID := .cache/npm/leaflet.vectorgrid-1.3.0/dist/Leaflet.VectorGrid.bundled.min.js

$(VECTORGRID):
	scripts/system_deps.sh serve
	scripts/fetch_npm.sh leaflet.vectorgrid 1.3.0 \
	  kWmj1pKM+MVdo/7Mg5zsB3YrGZvo/uIuiANV9MvWUFOG+Y2xAJzrteDhoIcCgTjHSSRJ36xdeGdIQVhuWjnCZw== \
	  .cache/npm/leaflet.vectorgrid-1.3.0

install: $(VENV)/.installed $(VECTORGRID)

# axe-core and maplibre-gl come from the npm registry into .cache/npm: the accessibility tests inject
# axe, and a tile test draws our vector tiles with MapLibre GL JS, a reader of its own.
AXE := .cache/npm/node_modules/axe-core/axe.min.js
MAPLIBRE := .cache/npm/node_modules/maplibre-gl/dist/maplibre-gl.js

install-test: install $(AXE) $(MAPLIBRE)
	scripts/system_deps.sh test

$(AXE) $(MAPLIBRE):
	scripts/system_deps.sh test
	npm install --silent --no-save --no-audit --no-fund --prefix .cache/npm axe-core@4.10 maplibre-gl@4.7.1

# The schema first (a new database is created, an older one upgraded in place), then the demo.
demo: install
	$(VENV)/bin/fureai db upgrade
	$(VENV)/bin/fureai demo --if-missing

serve: demo
	$(VENV)/bin/fureai serve --host $(HOST) --port $(PORT)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

test: install-test lint
	export FUREAI_TEST_POSTGRES_URL=$$(scripts/start_postgis.sh | tail -n 1) FUREAI_REQUIRE_POSTGIS=1 \
	  FUREAI_CHROMIUM=/usr/bin/chromium && $(VENV)/bin/pytest -q -n auto --dist worksteal

bench: install-test
	export FUREAI_TEST_POSTGRES_URL=$$(scripts/start_postgis.sh | tail -n 1) && $(PY) scripts/bench_api.py
