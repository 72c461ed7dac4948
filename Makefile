# Two commands from a fresh clone: `make book` and `make test`.
# Everything else (lab, outputs, linkcheck, bench) is for authors and instructors. Learners need
# none of it: they install with one pip command (requirements-learner.txt; workshop/setup).
#
# Works with GNU make on Linux, macOS and WSL. On native Windows (GNU make from cmd or
# PowerShell) the recipes avoid POSIX-only commands and use the venv's Scripts folder, but only
# WSL is tested: Windows authors are best served by WSL.

VENV   := .venv
ifeq ($(OS),Windows_NT)
PYTHON ?= python
PY     := $(VENV)\Scripts\python.exe
JB     := $(VENV)\Scripts\jupyter-book.exe
else
PYTHON ?= python3
PY     := $(VENV)/bin/python
JB     := $(VENV)/bin/jupyter-book
endif
STAMP  := $(VENV)/.installed
# The book builds from the outputs stored in the notebooks (_config.yml: execute_notebooks: off),
# failing on any warning; strict nbval in `make test` executes each notebook once and checks them.
BOOK   := $(JB) build --all -W -n --keep-going .
NBVAL  := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg --nbval-cell-timeout=600
# make test's pytest runs in two worker processes: while one drives Chromium through the
# accessibility audit, the other runs notebooks and unit tests (8.4 min instead of 14.2 on this
# 2-core machine). --dist loadfile keeps a file's tests in one worker: a notebook's cells run in
# order in one kernel (executed once), and a module's fixtures (one audit, one browser) run once.
PARALLEL := -n 2 --dist loadfile
# $(call timed,STAGE,COMMAND): run a stage of `make test`, stop on failure, print its time.
timed = @$(PY) tools/timed.py "$(1)" $(2)

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

$(PY):
	@$(PYTHON) -c "import sys; sys.exit(0 if sys.version_info >= (3, 11) else 'Python 3.11+ is needed; found ' + sys.version.split()[0])"
	$(PYTHON) -m venv $(VENV)

# requirements-nodeps.txt: test-only packages pinned by hash and installed without their own
# dependencies (a requirements file cannot say --no-deps for one line), so they run with the
# versions requirements.txt pins.
$(STAMP): requirements.txt requirements-nodeps.txt pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps --require-hashes -r requirements-nodeps.txt
	@$(PY) -c "import pathlib; pathlib.Path('$(STAMP)').touch()"

# Both editions: English at _build/html/, Korean at _build/html/ko/ (from locale/ko's catalogues).
EDITION = $(PY) tools/translations.py build ko

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
	@$(PY) -c "import pathlib, sys; sys.exit(not pathlib.Path('_build/html/index.html').is_file())" || $(MAKE) book
	$(PY) tools/serve.py --host $(HOST) --port $(PORT) --directory _build/html

# A PDF of each edition from the built site (tools/pdf.py, Chromium): _build/pdf/, and a copy in
# the site's pdf/ folder, where every page's download button points. Not part of `make book`.
pdf: $(STAMP)
	@$(PY) -c "import pathlib, sys; sys.exit(not pathlib.Path('_build/html/index.html').is_file())" || $(MAKE) book
	$(PY) tools/pdf.py

# Each notebook executes once, in nbval. The build comes first so the browser tests find the site.
test: $(STAMP)
	$(call timed,lint (ruff; mypy over the package; Biome over the JavaScript),$(MAKE) --no-print-directory lint)
	$(call timed,book build from stored outputs (-W -n),$(BOOK))
	$(call timed,Korean edition build (-W -n),$(EDITION))
	$(call timed,translation extraction (catalogues checked against it),$(PY) tools/translations.py extract)
	$(call timed,PDF of each edition (make pdf),$(PY) tools/pdf.py)
	$(call timed,pytest: unit + strict nbval + browser,$(PY) -m pytest $(NBVAL) $(PARALLEL) $(PYTEST_ARGS))

unit: $(STAMP)
	$(PY) -m pytest tests -m "not browser" $(PYTEST_ARGS)

notebooks: $(STAMP)
	$(PY) -m pytest $(NBVAL) chapters labs workshop $(PYTEST_ARGS)

browser: $(STAMP)
	$(BOOK)
	$(EDITION)
	$(PY) tools/pdf.py
	$(PY) -m pytest -m browser tests $(PYTEST_ARGS)

# ruff for the Python, mypy over the package (pyproject.toml); Biome (a pinned binary from npm,
# cached like the site's assets: see tools/lint_js.py) for every JavaScript file.
lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m mypy
	$(PY) tools/lint_js.py

lab: $(STAMP)
	$(PY) -m jupyterlab labs

outputs: $(STAMP)
	$(PY) tools/refresh_outputs.py $(NOTEBOOKS)

# Re-extract the English text, update the translation catalogues (locale/), report what is
# untranslated or fuzzy page by page. Translate, then `make book` builds every edition.
translations: $(STAMP)
	$(PY) tools/translations.py update

linkcheck: $(STAMP)
	$(JB) build --builder linkcheck .

bench: $(STAMP)
	$(PY) benchmarks/run_all.py

# Build the wheel, install it with requirements-learner.txt into a fresh venv (from the package
# index), run the learner's smoke test and every notebook from outside the checkout, then check
# that the smoke test fails loudly once a part is removed. .ci/run runs it.
wheel-check: $(STAMP)
	$(PY) tools/check_wheel.py

clean:
	$(PY) -c "import shutil; [shutil.rmtree(d, ignore_errors=True) for d in ('_build', 'test-artifacts')]"
