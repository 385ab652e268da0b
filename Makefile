# Two commands: `make run` and `make test`. Everything else here serves them.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
RUN_STAMP := $(VENV)/.installed-runtime
DEV_STAMP := $(VENV)/.installed-dev

# The app's port: `make run PORT=8600`; run-county takes the next free one when this default is taken.
PORT ?= 8501

.PHONY: run run-county check-port test check lint bench sample clean

# A PORT that is no port number is refused in Chinese before anything is set up or started
# (Streamlit would start and fail in English).
check-port:
	@case "$(PORT)" in ''|*[!0-9]*|??????*) ok=;; *) ok=$$(test "$(PORT)" -ge 1 -a "$(PORT)" -le 65535 && echo 1);; esac; \
	test -n "$$ok" || { echo "看板的端口“$(PORT)”不是有效的端口号：请写 1 到 65535 之间的整数（如 make run PORT=8600）。" >&2; exit 2; }

$(RUN_STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(DEV_STAMP): requirements-dev.txt $(RUN_STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

## run: set up, load the sample data when the database is empty, start the app on 127.0.0.1:$(PORT)
run: check-port $(RUN_STAMP)
	$(PY) -m lakou_metrics init --sample
	$(PY) -m streamlit run app.py --server.address 127.0.0.1 --server.port $(PORT)

## run-county: the county edition: a throwaway PostgreSQL under data/county-pg, three towns' sample, the app
run-county: check-port $(RUN_STAMP)
	$(if $(filter command line environment,$(origin PORT)),PORT=$(PORT)) scripts/run-county.sh

# Python keeps compiled modules under __pycache__ even where the environment says not to
# (PYTHONDONTWRITEBYTECODE): otherwise every test worker, command-line process and app server
# compiles the project again, and pytest rewrites every test module's asserts on every run.
unexport PYTHONDONTWRITEBYTECODE

# Tests run in one worker process per core (pytest-xdist); `make test WORKERS=0` runs them without workers.
WORKERS ?= auto
# The quick lane (make check): what needs no system tool, no run of the whole app and no process of its own.
QUICK := not browser and not postgres and not libreoffice and not pages and not processes and not images

## test: set up (Chromium included), run the configured checks (ruff), then every test, browser tests too
test: $(DEV_STAMP)
	scripts/ensure-test-tools.sh
	$(PY) -m ruff check .
	$(PY) -m pytest -n $(WORKERS)

## check: ruff and the quick lane: every test but those marked browser, postgres, libreoffice, pages, processes or images (make test is the gate)
check: $(DEV_STAMP)
	$(PY) -m ruff check .
	LAKOU_TEST_LANE=check $(PY) -m pytest -q -n $(WORKERS) -m "$(QUICK)"

## lint: the configured checks alone (ruff, pyproject.toml)
lint: $(DEV_STAMP)
	$(PY) -m ruff check .

## bench: import speed against bare calamine and openpyxl reads, county-scale costs, the evaluation of 20,000 enterprises, PostgreSQL against SQLite (prints ratios)
bench: $(DEV_STAMP)
	$(PY) bench/bench_import.py
	$(PY) bench/bench_county.py
	$(PY) bench/bench_evaluation.py
	$(PY) bench/bench_postgres.py

## sample: regenerate data/sample/ (deterministic)
sample: $(RUN_STAMP)
	$(PY) scripts/make_sample_data.py

clean:
	rm -rf $(VENV) .pytest_cache test-output
