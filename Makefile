# The README's two commands are `make run` and `make test`; everything else here serves them.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
# `make run` listens on HOST:PORT with WORKERS gunicorn workers (make variables or environment variables);
# without HOST or PORT it honours SURVEY_BIND, without WORKERS SURVEY_WORKERS (README: Configuration).
ifeq ($(origin HOST)$(origin PORT),undefinedundefined)
BIND := $(or $(SURVEY_BIND),127.0.0.1:8000)
else
BIND := $(or $(HOST),127.0.0.1):$(or $(PORT),8000)
endif
WORKERS ?= $(or $(SURVEY_WORKERS),2)

.PHONY: setup run test lint typecheck bench clean clean-data translations extract-messages

setup: $(STAMP) node_modules/.installed-stamp translations

# The service's words: gettext catalogues (docs/translating.md). `make translations` compiles the .mo files.
translations: $(STAMP)
	$(BIN)/pybabel compile -d survey/translations --statistics

extract-messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k Nn_:1,2 -k lazy_gettext --sort-by-file --project=resident-survey \
	  --copyright-holder="Resident survey contributors" -o survey/translations/messages.pot .
	$(BIN)/pybabel update --no-fuzzy-matching -i survey/translations/messages.pot -d survey/translations --width 110

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

node_modules/.installed-stamp: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

run: setup
	$(BIN)/survey init-db
	$(BIN)/gunicorn --bind $(BIND) --workers $(WORKERS) wsgi:app

test: setup
	bash scripts/system-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/vulture
	$(BIN)/mypy
	@# Byte-compiled once here: the tests start servers and `survey` commands in fresh interpreters, each of
	@# which would otherwise compile the project's ~230 modules from source (0.3 s) where PYTHONDONTWRITEBYTECODE is set.
	$(BIN)/python -m compileall -q survey analysis harness tests wsgi.py > /dev/null
	$(BIN)/pytest -n 2 --dist loadgroup --durations=40

lint:
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/vulture

typecheck:
	$(BIN)/mypy

bench: setup
	$(BIN)/python -m bench

# Build artefacts only: the virtualenv, npm packages and tool caches. The data stays (see clean-data).
clean:
	rm -rf $(VENV) node_modules .pytest_cache .mypy_cache .ruff_cache

# instance/ holds the SQLite database (every response, staff account and audit event) and the secret key
# that signs sessions: deleting it cannot be undone, so it is a target of its own and asks for CONFIRM=yes.
clean-data:
	@echo "make clean-data deletes instance/: the SQLite database (every response, staff account and audit"
	@echo "event) and the secret key (everyone signed in is signed out). It cannot be undone."
	@test "$(CONFIRM)" = "yes" || { echo "To delete it, run: make clean-data CONFIRM=yes"; exit 1; }
	rm -rf instance
