# Every workflow of the project, for people, hooks and CI alike. `make help` lists them.
PYTHON ?= python3
PIP := $(PYTHON) -m pip
EXAMPLE_DESIRED := examples/gitops-repo
EXAMPLE_LIVE := examples/live/cluster.json

.DEFAULT_GOAL := help
.PHONY: help demo install dev test test-rust test-python lint fmt bench bench-smoke fuzz clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

install: ## build (release) and install the package and the gitops-diff command
	$(PIP) install -q .

demo: install ## install, then diff the bundled example (exits 1: it has drift)
	gitops-diff diff $(EXAMPLE_DESIRED) $(EXAMPLE_LIVE)

dev: ## editable install with test dependencies (rebuilds the extension)
	$(PIP) install -q -e '.[test]'

test: dev test-rust test-python lint ## install test needs, run every test (Rust and Python) and the linters

test-rust: ## Rust unit tests
	cargo test --workspace --quiet

test-python: ## Python API, CLI, property and conformance tests
	$(PYTHON) -m pytest -q

lint: ## rustfmt, clippy (-D warnings), ruff, mypy
	cargo fmt --all --check
	cargo clippy --workspace --all-targets --quiet -- -D warnings
	$(PYTHON) -m ruff check .
	$(PYTHON) -m mypy

fmt: ## format Rust and Python sources
	cargo fmt --all
	$(PYTHON) -m ruff format .
	$(PYTHON) -m ruff check --fix .

clean: ## remove build output
	cargo clean
	rm -rf dist .pytest_cache .hypothesis .ruff_cache .mypy_cache python/gitops_diff/*.so
