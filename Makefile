# Two entry points for a newcomer: `make demo` and `make test`.
# Both create a virtual environment in .venv and install everything into it.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test install browser wheel-check bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# Headless Chromium and its driver, for the browser test of the HTML map.
browser:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium chromium-driver; \
	fi

demo: $(STAMP)
	$(BIN)/kgraph build seeds -o out

# A wheel of this checkout in a fresh venv, used from outside the repository (.ci/wheel-check.sh).
wheel-check: $(STAMP)
	PYTHON=$(BIN)/python bash .ci/wheel-check.sh

test: $(STAMP) browser wheel-check
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/bench_build.py

# Everything a build writes in out/ (out/README.md lists it): the outputs, the findings cache, the
# write lock, the commit journal and what a killed build leaves behind. out/README.md is tracked and stays.
clean:
	rm -rf $(VENV) out/graph.ttl out/graph.trig out/graph.html out/report.md out/report.json out/store out/cache \
	  out/.kgraph.lock out/.kgraph-push out/.kgraph-commit out/.kgraph-commit.tmp-* out/.staging-* out/.retired-*
