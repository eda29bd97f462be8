# Two entry points for a fresh machine: `make demo` and `make test`.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export CRIMETRENDS_HOME ?= $(CURDIR)/.crimetrends-home

.PHONY: demo test test-fast lint setup clean browser evaluate impact-study

$(BIN)/python:
	$(PY) -m venv $(VENV)

# The demo installs only what it uses (no PySpark, no test tools); `make test` adds the
# [dev] and [spark] extras to the same venv. Each stamp is renewed when pyproject.toml changes.
$(VENV)/.installed-demo: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,spark]'
	touch $@ $(VENV)/.installed-demo

setup: $(VENV)/.installed

demo: $(VENV)/.installed-demo
	$(BIN)/crimetrends demo

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

# Browser tests drive Debian's chromium through Playwright (no browser download) and inject
# axe-core (npm package, MPL-2.0) fetched once into .cache/axe; the Spark engine tests need a
# Java runtime (Debian's default JRE, 17 on bookworm).
AXE_VERSION := 4.14.1
browser: .cache/axe/package/axe.min.js
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)
	@command -v java >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq default-jre-headless >/dev/null)

.cache/axe/package/axe.min.js:
	@command -v npm >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq npm >/dev/null)
	mkdir -p .cache/axe
	cd .cache/axe && npm pack --silent axe-core@$(AXE_VERSION) >/dev/null && tar -xzf axe-core-$(AXE_VERSION).tgz
	@test -s $@

test: setup lint browser
	CRIMETRENDS_REQUIRE_SPARK=1 $(BIN)/python -m pytest -q

# The quick loop while working: lint, then every test but the Spark, browser and slow ones
# (marked in tests/conftest.py and with @pytest.mark.slow). Installs only when pyproject.toml
# changed since the venv was made.
test-fast: setup lint
	$(BIN)/python -m pytest -q -x -m "not spark and not browser and not slow"

clean:
	rm -rf $(VENV) .crimetrends-home .pytest_cache

# Full-size forecast evaluations (minutes, not part of `make test`); results land in docs/evaluation.
evaluate: setup
	$(BIN)/crimetrends demo >/dev/null
	$(BIN)/crimetrends evaluate monthly --source rtci --offense violent --offense property --origins 12 --out docs/evaluation/monthly-rtci
	$(BIN)/crimetrends evaluate monthly --source chicago --city Chicago --by district --offense violent --offense property --origins 12 --out docs/evaluation/monthly-chicago-districts
	$(BIN)/crimetrends evaluate maps --city Chicago --offense violent --period week --origins 52 --out docs/evaluation/maps-chicago-violent-weekly
	$(BIN)/crimetrends evaluate maps --city Chicago --offense burglary --period week --origins 52 --out docs/evaluation/maps-chicago-burglary-weekly
	$(BIN)/crimetrends evaluate maps --city Chicago --offense violent --period month --origins 12 --out docs/evaluation/maps-chicago-violent-monthly

# The impact simulation study and the example initiatives (minutes); results in docs/impact.
impact-study: setup
	$(BIN)/crimetrends demo >/dev/null
	$(BIN)/crimetrends impact-sim --reps 200 --out docs/impact/simulation
	for i in $$($(BIN)/crimetrends initiatives --format csv | tail -n +2 | cut -d, -f1); do \
	  $(BIN)/crimetrends impact $$i --plot docs/impact/$$i.png > docs/impact/$$i.txt; \
	  $(BIN)/crimetrends impact $$i --format json > docs/impact/$$i.json; done
	$(BIN)/crimetrends impact-table --md > docs/impact/impact-table.md
