# Everyday targets. The README's first two commands are `make run` and `make test`.
PY := .venv/bin/python
TOPOLOGY ?= topology.yaml

.PHONY: setup setup-full setup-bench setup-kind setup-pulumi run validate plan test test-fast test-integration test-live typecheck lint docs site bench bench-lab bench-pulumi bench-drill clean

setup:            ## Python environment (cached)
	@scripts/setup.sh

setup-full:       ## everything integration and live tests need (Docker, image, upstream tools, Pulumi engine)
	@scripts/setup.sh --full

setup-kind: setup ## kind's node image and every image it runs, built offline (Docker first: scripts/setup-docker.sh)
	@scripts/setup-kind.sh

setup-pulumi: setup ## the Pulumi engine and Kubernetes provider, built from source (~30 min cold)
	@scripts/setup-pulumi.sh

run: setup        ## the main job on the reference topology: validate it and show the plan
	$(PY) -m govcloud validate $(TOPOLOGY)
	$(PY) -m govcloud plan $(TOPOLOGY)

validate: setup
	$(PY) -m govcloud validate $(TOPOLOGY)

plan: setup
	$(PY) -m govcloud plan $(TOPOLOGY)

test: setup-full typecheck ## the whole suite: type check, unit + integration (what CI runs); the lab-host tier beside the rest (scripts/test-lanes.sh)
	@scripts/test-lanes.sh

test-fast: typecheck ## type check, then the unit tests: no processes; fails if the rules' branch coverage drops under 95 %
	$(PY) -m pytest tests/unit -q --cov=govcloud.rules --cov-branch --cov-report=term:skip-covered --cov-fail-under=95

test-integration: setup-full
	$(PY) -m pytest tests/integration

test-live: setup  ## against a running lab (`govcloud lab up` first)
	$(PY) -m pytest tests/live

typecheck: setup  ## mypy --strict over src/ and infra/ with the pydantic plugin (pyproject.toml [tool.mypy])
	$(PY) -m mypy

lint: setup       ## ruff (lint and format), mypy, shellcheck, ansible-lint (production profile) over playbooks/ and roles/
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy
	.venv/bin/shellcheck -x $(wildcard scripts/*.sh scripts/lib/*.sh images/*/*.sh) .ci/run
	PATH="$(CURDIR)/.venv/bin:$$PATH" .venv/bin/ansible-lint --profile production --offline playbooks/ roles/

docs: setup       ## regenerate docs that come from the code (and the reference province's diagrams: Graphviz)
	$(PY) -m govcloud.docsgen docs
	$(PY) -m govcloud graph $(TOPOLOGY) --out docs/diagrams --format svg

site: setup       ## the documentation site in build/site (warnings and broken links fail)
	.venv/bin/mkdocs build --strict

bench: setup-bench ## speed and memory figures, each beside its peer
	$(PY) bench/startup.py
	$(PY) bench/validate.py
	$(PY) bench/render.py
	$(PY) bench/worst_case.py

setup-bench: setup ## the benchmarks' own timers: hyperfine and GNU time (Debian)
	@scripts/setup-bench.sh

bench-lab: setup-full ## the whole province on kwok beside kwokctl's (its peer, built here): lab up, deploy, memory; then the compact lab on kind beside kwok (~15 min)
	@scripts/setup-bench.sh --kwokctl
	$(PY) bench/lab.py
	$(PY) bench/kind.py

bench-pulumi: setup-full ## the whole province through `pulumi up`, a second up, destroy (~10 min)
	$(PY) bench/pulumi.py

bench-drill: setup-full ## DR drills repeated: same-city, switchover, whole-city (+ its failback) and city RTO/detection/promotion, Patroni defaults as the peer; then the links' latency (~35 min)
	mkdir -p /run/gc-locks && flock /run/gc-locks/hosts.lock $(PY) bench/drill.py $(if $(N),--repeat $(N),)
	flock /run/gc-locks/hosts.lock $(PY) bench/links.py

clean:
	rm -rf .venv .pytest_cache .ruff_cache .mypy_cache .ansible .hypothesis build dist src/*.egg-info
