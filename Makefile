# Two commands from a fresh clone: `make book` and `make test`.
# Everything else (lab, outputs, linkcheck, bench) is for authors and instructors.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# The book builds from the outputs stored in the notebooks (_config.yml: execute_notebooks: off),
# failing on any warning; strict nbval in `make test` executes each notebook once and checks them.
BOOK   := $(BIN)/jupyter-book build --all -W -n --keep-going .
NBVAL  := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg --nbval-cell-timeout=600
# $(call timed,STAGE,COMMAND): run a stage of `make test`, stop on failure, print its time.
timed = @start=$$(date +%s.%N); echo "== $(1)"; $(2) || exit $$?; \
	echo "== $(1): $$(awk "BEGIN {printf \"%.1f\", $$(date +%s.%N) - $$start}") s"

.PHONY: help book serve pdf test unit notebooks browser lint lab outputs translations linkcheck bench wheel-check clean

help:
	@echo "make book       build the site into _build/html"
	@echo "make serve      serve the built site, compressed, on http://127.0.0.1:$(PORT)/ (HOST=... for a room)"
	@echo "make pdf        print each edition to _build/pdf/ (after make book)"
	@echo "make test       every test: lint, -W build, unit, property, notebooks (strict nbval), browser"
	@echo "make lab        open JupyterLab on the labs"
	@echo "make outputs    re-execute every notebook in place (refresh committed outputs)"
	@echo "make translations  update the Korean catalogues from the English text, list what is left"
	@echo "make linkcheck  check external links (needs the internet; not part of make test)"
	@echo "make bench      print the benchmark figures"
	@echo "make wheel-check  build the wheel and use it from a fresh venv outside the checkout"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is needed; found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $(STAMP)

# Both editions: English at _build/html/, Korean at _build/html/ko/ (from locale/ko's catalogues).
EDITION = $(BIN)/python tools/translations.py build ko

book: $(STAMP)
	$(BOOK)
	$(EDITION)
	@echo "Built: $(CURDIR)/_build/html/index.html and ko/index.html (run 'make serve' to read them with live calculators)"

# The live calculators and the site's assets load as modules and workers, which browsers refuse
# from file:// pages: serve the site. Builds it first if it has never been built.
# Compressed (brotli or gzip), as a static host would (tools/serve.py). It answers only this
# machine unless HOST names another address: `make serve HOST=0.0.0.0` serves a classroom.
PORT ?= 8000
HOST ?= 127.0.0.1
serve: $(STAMP)
	@test -f _build/html/index.html || $(MAKE) book
	$(BIN)/python tools/serve.py --host $(HOST) --port $(PORT) --directory _build/html

# A PDF of each edition from the built site (tools/pdf.py, Chromium): _build/pdf/, and a copy in
# the site's pdf/ folder, where every page's download button points. Not part of `make book`.
pdf: $(STAMP)
	@test -f _build/html/index.html || $(MAKE) book
	$(BIN)/python tools/pdf.py

# Each notebook executes once, in nbval. The build comes first so the browser tests find the site.
test: $(STAMP)
	$(call timed,lint,$(BIN)/ruff check .)
	$(call timed,book build from stored outputs (-W -n),$(BOOK))
	$(call timed,Korean edition build (-W -n),$(EDITION))
	$(call timed,translation extraction (catalogues checked against it),$(BIN)/python tools/translations.py extract)
	$(call timed,PDF of each edition (make pdf),$(BIN)/python tools/pdf.py)
	$(call timed,pytest: unit + strict nbval + browser,$(BIN)/python -m pytest $(NBVAL) $(PYTEST_ARGS))

unit: $(STAMP)
	$(BIN)/python -m pytest tests -m "not browser" $(PYTEST_ARGS)

notebooks: $(STAMP)
	$(BIN)/python -m pytest $(NBVAL) chapters labs workshop $(PYTEST_ARGS)

browser: $(STAMP)
	$(BOOK)
	$(EDITION)
	$(BIN)/python tools/pdf.py
	$(BIN)/python -m pytest -m browser tests $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .

lab: $(STAMP)
	$(BIN)/jupyter lab labs

outputs: $(STAMP)
	$(BIN)/python tools/refresh_outputs.py $(NOTEBOOKS)

# Re-extract the English text, update the translation catalogues (locale/), report what is
# untranslated or fuzzy page by page. Translate, then `make book` builds every edition.
translations: $(STAMP)
	$(BIN)/python tools/translations.py update

linkcheck: $(STAMP)
	$(BIN)/jupyter-book build --builder linkcheck .

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

# Build the wheel, install it with its extras into a fresh venv (from the package index) and use
# it from outside the checkout. .ci/run runs it.
wheel-check: $(STAMP)
	$(BIN)/python tools/check_wheel.py

clean:
	rm -rf _build test-artifacts
