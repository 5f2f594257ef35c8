# Every workflow of the project, for people, hooks and CI alike. `make help` lists them.
PYTHON ?= python3
PIP := $(PYTHON) -m pip
EXAMPLE_DESIRED := examples/gitops-repo
EXAMPLE_LIVE := examples/live/cluster.json
FUZZ_SECONDS ?= 60
# Benchmarks run from a release wheel in their own virtualenv: the dev install is left alone.
BENCH_VENV := target/bench-venv
BENCH_PY := $(BENCH_VENV)/bin/python
BENCH_WHEELS := target/bench-wheels
BENCH_SIZES ?= 1000,10000
BENCH_CRITERION_OBJECTS ?= 10000

.DEFAULT_GOAL := help
.PHONY: help demo install dev test test-rust test-python lint fmt bench bench-smoke bench-env fuzz clean

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

bench-env: ## release wheel and the bench extra (peers) in target/bench-venv
	test -x $(BENCH_PY) || $(PYTHON) -m venv $(BENCH_VENV)
	rm -rf $(BENCH_WHEELS)
	$(PYTHON) -m maturin --version >/dev/null 2>&1 || $(PIP) install -q 'maturin>=1.5,<2'
	$(PYTHON) -m maturin build --release --quiet --interpreter $(BENCH_PY) --out $(BENCH_WHEELS)
	$(BENCH_PY) -m pip install -q "$$(ls $(BENCH_WHEELS)/gitops_diff-*.whl)[bench]"
	$(BENCH_PY) -m pip install -q --force-reinstall --no-deps $(BENCH_WHEELS)/gitops_diff-*.whl

bench: bench-env ## criterion benches, then the peer benchmark at BENCH_SIZES (1k, 10k); writes BENCHMARKS.md
	$(BENCH_PY) -m benches.run --corpus-only --sizes $(BENCH_SIZES),$(BENCH_CRITERION_OBJECTS)
	GITOPS_DIFF_BENCH_CORPUS=$(CURDIR)/target/bench-corpus/$(BENCH_CRITERION_OBJECTS) \
		cargo bench -p gitops-diff-core --benches
	$(BENCH_PY) -m benches.run --sizes $(BENCH_SIZES) --criterion-objects $(BENCH_CRITERION_OBJECTS)

bench-smoke: bench-env ## peer benchmark at 1k objects, table printed (CI: fails on errors, never on speed)
	$(BENCH_PY) -m benches.run --smoke

fuzz: ## run each fuzz target for FUZZ_SECONDS (default 60) on the stable toolchain (rust/fuzz/README.md)
	rust/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

clean: ## remove build output
	cargo clean
	rm -rf dist .pytest_cache .hypothesis .ruff_cache .mypy_cache python/gitops_diff/*.so
