# Two commands set everything up: `make run` (the portal with demo data) and `make test`.
# Both create .venv with the newest Python >= 3.12 and install what they need (bin/install).

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV ?= .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
ADDRESS ?= 127.0.0.1:8000
# mypy scope (STYLE.md): all of core, and the services, selectors, permissions and tasks modules
# of every app, found by glob so that new apps are included.
MYPY_SCOPE = core $(sort $(wildcard */services.py */selectors.py */permissions.py */tasks.py */review.py */services/*.py */selectors/*.py */*_services.py */*_selectors.py))
# Directories that hold no translatable strings of ours.
I18N_IGNORE := --ignore=.venv --ignore=var --ignore=tests --ignore=node_modules

.PHONY: help run test lint bench messages clean

help:
	@echo "make run       set up, migrate, load the demo, serve http://$(ADDRESS)/ with a worker"
	@echo "make test      lint, type-check, system checks, migrations check and the test suite"
	@echo "make lint      ruff and mypy only"
	@echo "make bench     query counts and timings: workspace list, workspace home, M&E dashboard"
	@echo "make messages  update and compile the French catalogue"
	@echo "make clean     remove .venv, caches and temporary files (keeps var/portal.sqlite3, media)"

run:
	@bin/install
	$(MANAGE) migrate --no-input
	@if command -v msgfmt >/dev/null; then \
		$(MANAGE) compilemessages $(I18N_IGNORE) -v 0; \
	else \
		echo "msgfmt not found (Debian package gettext): using the committed .mo files."; \
	fi
	$(MANAGE) load_demo
	@exec bin/run-dev $(ADDRESS)

test:
	@bin/install test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run
	$(VENV)/bin/mypy $(MYPY_SCOPE)
	$(VENV)/bin/pytest

lint:
	@bin/install test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy $(MYPY_SCOPE)

bench:
	@bin/install
	$(PY) bin/bench
	$(PY) bin/bench-import
	$(PY) bin/bench-report

messages:
	@bin/install
	$(MANAGE) makemessages --locale=fr $(I18N_IGNORE) --add-location=file --no-wrap --no-obsolete
	$(MANAGE) compilemessages --locale=fr $(I18N_IGNORE)

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache test-results
	rm -rf var/test var/broker var/mail var/staticfiles
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
