# The portal's commands. `make run` and `make test` are the two a newcomer needs (see README).
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
LOCK := requirements/dev.txt
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_PASSWORD ?= congdoan2020
# The local PostgreSQL that `make test` tries when DATABASE_URL is not set.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/portal
export TEST_DATABASE_URL
# Two workers: the machine has two cores.
PYTEST_ARGS ?= -n 2

.PHONY: install messages run test lint format lock vendor clean serve

install: $(VENV)/.installed

$(VENV)/.installed: $(LOCK)
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r $(LOCK)
	@touch $@

# Compile locale/*/LC_MESSAGES/django.po with polib, so no GNU gettext is needed to run.
messages: install
	@$(PY) scripts/compile_messages.py

run: messages
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --no-input
	DEBUG=$${DEBUG:-1} $(PY) manage.py load_demo --password "$(DEMO_PASSWORD)"
	@echo "Cổng thông tin: http://$(HOST):$(PORT)/  (Ctrl+C để dừng)"
	DEBUG=$${DEBUG:-1} $(PY) manage.py runserver $(HOST):$(PORT)

test: messages
	@url="$$($(PY) scripts/test_database.py)" && export DATABASE_URL="$$url" && \
	DJANGO_SETTINGS_MODULE=portal.settings_test $(PY) manage.py makemigrations --check --dry-run && \
	$(VENV)/bin/ruff check . && \
	$(VENV)/bin/ruff format --check . && \
	$(PY) scripts/security_checks.py && \
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# Serve as in production (README, "Running in production"): gunicorn with gunicorn.conf.py,
# DEBUG off, on PostgreSQL. The environment (or /etc/congdoan/portal.env sourced first) gives
# DATABASE_URL, SECRET_KEY and ALLOWED_HOSTS; for a local try over plain http also
# SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0. Binds $(HOST):$(PORT)
# unless GUNICORN_BIND is set.
serve: messages
	@case "$$DATABASE_URL" in postgres*) ;; \
	  *) echo "make serve: set DATABASE_URL=postgres://user:password@host:5432/name" >&2; exit 1;; esac
	DEBUG=0 $(PY) manage.py migrate --no-input
	DEBUG=0 $(PY) manage.py collectstatic --no-input -v0
	DEBUG=0 $(PY) manage.py check --deploy
	DEBUG=0 GUNICORN_BIND="$${GUNICORN_BIND:-$(HOST):$(PORT)}" $(VENV)/bin/gunicorn -c gunicorn.conf.py

lint: install
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix . && $(VENV)/bin/ruff format .

# Re-pin the dependencies declared in pyproject.toml (needs the package index).
lock: install
	cd requirements && ../$(VENV)/bin/pip-compile --quiet --strip-extras --generate-hashes --allow-unsafe -o base.txt ../pyproject.toml
	cd requirements && ../$(VENV)/bin/pip-compile --quiet --strip-extras --generate-hashes --allow-unsafe --extra dev -o dev.txt ../pyproject.toml

# Copy the front-end libraries from the npm packages into static/vendor (committed).
vendor:
	npm ci --no-audit --no-fund
	rm -rf static/vendor && mkdir -p static/vendor/bootstrap static/vendor/chartjs static/vendor/be-vietnam-pro/files
	cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/css/bootstrap.min.css.map \
	   node_modules/bootstrap/dist/js/bootstrap.bundle.min.js node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map \
	   node_modules/bootstrap/LICENSE static/vendor/bootstrap/
	cp node_modules/chart.js/dist/chart.umd.min.js node_modules/chart.js/dist/chart.umd.min.js.map node_modules/chart.js/LICENSE.md static/vendor/chartjs/
	cd node_modules/@fontsource/be-vietnam-pro && \
	  cp 400.css 400-italic.css 600.css 700.css LICENSE ../../../static/vendor/be-vietnam-pro/ && \
	  cp files/*-{400,600,700}-normal.woff* files/*-400-italic.woff* ../../../static/vendor/be-vietnam-pro/files/
	mkdir -p tests/browser/vendor && cp node_modules/axe-core/axe.min.js node_modules/axe-core/LICENSE tests/browser/vendor/

clean:
	rm -rf $(VENV) staticfiles .pytest_cache

# The benchmark (README, "Benchmark"; writes docs/benchmarks.md): its own PostgreSQL database
# (BENCH_DATABASE_URL, default portal_bench), data at issue #8's scale, gunicorn, wrk.
# `make bench BENCH_ARGS="--force"` builds the data again; `python -m benchmarks.run --help`.
BENCH_ARGS ?=
.PHONY: bench
bench: messages
	$(PY) -m benchmarks.run $(BENCH_ARGS)

# Screenshots of the main pages at desktop and phone widths into docs/screenshots/ (for the README):
# a throwaway SQLite database with the demo data, served on a free port, captured with Playwright
# and Debian's Chromium (/usr/bin/chromium). `make screenshots SCREENSHOT_ARGS="--only home,post"`
# retakes some; `--port 8105` fixes the port; `python scripts/screenshots.py --help`.
SCREENSHOT_ARGS ?=
.PHONY: screenshots
screenshots: messages
	$(PY) scripts/screenshots.py $(SCREENSHOT_ARGS)
