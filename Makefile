# The two commands of the README: `make demo` and `make test`. Both install what they need:
# uv (from PyPI, into var/tools when it is not on PATH) and the locked dependencies.

PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null || echo var/tools/bin/uv)
# uv uses this Python 3.11 for the project's environment and never downloads one.
export UV_PYTHON := $(shell $(PYTHON) -c "import sys; print(sys.executable)")
export UV_PYTHON_DOWNLOADS := never
SIZE ?= small
PYTEST_ARGS ?=

.PHONY: demo test sync lint format ci screenshots bench

$(UV):
	$(PYTHON) -m venv var/tools
	var/tools/bin/pip install --quiet --disable-pip-version-check uv

sync: $(UV)
	$(UV) sync --frozen --quiet

demo: sync
	$(UV) run kechuang demo --size $(SIZE)

test: sync
	$(UV) run ruff check .
	$(UV) run pytest -n auto $(PYTEST_ARGS)

lint: sync
	$(UV) run ruff check .
	$(UV) run ruff format --check .

format: sync
	$(UV) run ruff format .
	$(UV) run ruff check --fix .

ci:
	bash .ci/run
