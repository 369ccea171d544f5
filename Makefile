# tiaowen: `make run` sets up and starts the web UI; `make test` sets up and runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INDEX_DIR ?= $(if $(TIAOWEN_INDEX_DIR),$(TIAOWEN_INDEX_DIR),.index)
export HF_HUB_OFFLINE := 1
export GRADIO_ANALYTICS_ENABLED := False
export ANONYMIZED_TELEMETRY := False

.PHONY: setup setup-test browser index run chat test eval bench clean

# constraints.txt pins every package to the versions the eval gate was measured with
$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c constraints.txt -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install -q -c constraints.txt -e '.[test]'
	touch $@

setup: $(VENV)/.installed

setup-test: $(VENV)/.installed-test browser

# Debian's chromium for the browser tests (playwright cannot download browsers here), and CJK
# fonts so that screenshots show the Chinese text
BROWSER_PACKAGES := chromium fonts-noto-cjk
browser:
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "noto.*cjk"; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(BROWSER_PACKAGES); \
	fi

index: setup
	$(PY) -m app.cli index --index $(INDEX_DIR)

run: index
	$(PY) -m app.cli serve --index $(INDEX_DIR)

chat: index
	$(PY) -m app.cli chat --index $(INDEX_DIR)

test: setup-test
	$(PY) -m pytest -q -p no:cacheprovider

eval: index
	$(PY) -m app.cli eval --index $(INDEX_DIR) --report eval-report

bench: setup-test index
	$(PY) bench/bench_ask.py --index $(INDEX_DIR)
	$(PY) bench/bench_build.py
	$(PY) bench/bench_scale.py
	$(PY) bench/bench_contention.py --index $(INDEX_DIR)
	@for b in bench/bench_web.py bench/bench_quiz.py; do [ ! -f $$b ] || $(PY) $$b --index $(INDEX_DIR); done

clean:
	rm -rf $(VENV) .index eval-report test-output
