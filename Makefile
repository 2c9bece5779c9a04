# `make run` serves the app on the bundled data; `make test` runs every test.
# Both create .venv and install the pinned requirements on first use.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8050
DATA ?= data/seed
CHROMIUM ?= /usr/bin/chromium

.PHONY: setup setup-dev run test lint typecheck chromium npm geo messages clean

$(VENV)/.runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(VENV)/.runtime
setup-dev: $(VENV)/.dev

run: setup
	$(PY) app.py --host $(HOST) --port $(PORT) --data $(DATA)

# Browser tests drive Debian's Chromium; install it when it is missing.
chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
		echo "Installing Chromium for the browser tests (apt-get)"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium; \
	fi

# The accessibility tests inject axe-core (pinned in package.json / package-lock.json) from disk.
npm: node_modules/axe-core/axe.min.js

node_modules/axe-core/axe.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

lint: setup-dev
	$(VENV)/bin/ruff check .

typecheck: setup-dev
	$(VENV)/bin/mypy

# The tests without a browser run on JOBS processes (pytest-xdist, one module or class per process at a
# time, so a module's fixtures are built once); the browser tests then run one at a time, as
# each already keeps a server and a Chromium busy.
JOBS ?= 2
test: setup-dev chromium npm lint typecheck
	$(PY) -m pytest -m "not browser" -n $(JOBS) --dist loadscope --durations=15
	$(PY) -m pytest -m browser --durations=15

$(VENV)/.geo: $(VENV)/.runtime requirements-geo.txt
	$(PY) -m pip install --quiet -r requirements-geo.txt
	touch $@

geo: $(VENV)/.geo
	$(PY) -m tools.build_geo

# The interface's strings (marked _(), _.ngettext(), N_() in the code, babel.cfg says where) go
# to data/locale/messages.pot; new ones are added untranslated to each language's catalog,
# data/locale/<lang>/LC_MESSAGES/messages.po. Translate them there: tests/test_i18n.py fails
# while one is missing. The catalogs are read as they are at start-up (nothing to compile).
messages: setup
	$(VENV)/bin/pybabel extract -F babel.cfg -k N_ --no-location --sort-output --no-wrap \
		--project "KET cluster dashboard" -o data/locale/messages.pot .
	$(VENV)/bin/pybabel update -i data/locale/messages.pot -d data/locale --no-wrap \
		--ignore-obsolete --no-fuzzy-matching

clean:
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache .mypy_cache *.egg-info
