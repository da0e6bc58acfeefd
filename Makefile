# forms-to-ogust: the two commands are `make run` (the whole path locally) and `make test` (every check).
# Any Python >= 3.11 on PATH, newest first (or PYTHON=/path/to/python3.x).
ifeq ($(origin PYTHON),undefined)
PYTHON := $(shell for p in python3.14 python3.13 python3.12 python3.11 python3 python; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
	&& { echo $$p; break; }; done)
endif
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: setup run test lint typecheck pytest node-test apps-script clean

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "make setup: no Python 3.11 or newer on PATH (check: python3 --version);" \
		"install one, or name it: make setup PYTHON=/path/to/python3.12" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,cli]'
	touch $(STAMP)

setup: $(STAMP)

run: setup
	$(PY) -m scripts.run_local $(ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: setup
	$(VENV)/bin/mypy

pytest: setup
	$(VENV)/bin/pytest

# Builds apps_script/dist/forms-to-ogust.gs (the one file to paste) and tests that very file.
node-test:
	cd apps_script && npm ci --no-audit --no-fund --silent && npm test

# Only the build: apps_script/dist/forms-to-ogust.gs and apps_script/dist/appsscript.json.
apps-script:
	cd apps_script && node build.js

test: lint typecheck infra-check node-test pytest

clean:
	rm -rf $(VENV) apps_script/node_modules .pytest_cache .mypy_cache .ruff_cache

# --- Deployment (infra/terraform; docs/deployment.md) ---------------------------------------------
TF_DIR       := infra/terraform
ARTIFACT     := $(TF_DIR)/build/function.zip
CHECKOV_VENV := .venv-checkov

.PHONY: artifact project deploy tf-fmt checkov infra-check provider-schema

# The deploy artifact (main.py, requirements.txt, shared/, mapping.yaml); refuses a mapping with errors.
artifact: setup
	@test -n "$(MAPPING)" || { echo "usage: make $@ MAPPING=path/to/your-mapping.yaml" >&2; exit 2; }
	$(PY) -m scripts.build_artifact --mapping "$(MAPPING)" --out $(ARTIFACT)

# From an empty Google Cloud project to a live form, re-runnable (scripts/go_live.py, docs/setup.md):
#   make deploy PROJECT=agence-forms MAPPING=mapping.yaml [BILLING_ACCOUNT=XXXXXX-XXXXXX-XXXXXX]
# checks the tools and logins, creates or uses the project, enables the APIs, runs the doctor (stops on
# its fixes), applies Terraform, stores the Ogust keys (asked, or OGUST_PUBLIC_KEY / OGUST_PRIVATE_KEY),
# runs the reconciler once and writes .forms-to-ogust.env. DEPLOY_ARGS=--set-ogust-keys replaces the
# keys; DEPLOY_ARGS=--write-test lets the doctor create one test customer. PROJECT defaults to
# terraform.tfvars' project_id.
PROJECT ?= $(shell sed -n 's/^ *project_id *= *"\([^"]*\)".*/\1/p' $(TF_DIR)/terraform.tfvars 2>/dev/null)
# Before the mapping exists: the project, its billing and APIs, and gcloud's default project (which
# `gcloud auth application-default login` then records for `forms-to-ogust init`).
project: setup
	@test -n "$(PROJECT)" || { echo "usage: make project PROJECT=your-project-id [BILLING_ACCOUNT=…]" >&2; exit 2; }
	$(PY) -m scripts.go_live --prepare-only --project "$(PROJECT)" --terraform-dir $(TF_DIR) \
		$(if $(BILLING_ACCOUNT),--billing-account "$(BILLING_ACCOUNT)")

deploy: artifact
	@test -n "$(PROJECT)" || { echo "usage: make deploy PROJECT=your-project-id MAPPING=mapping.yaml" >&2; exit 2; }
	$(PY) -m scripts.go_live --project "$(PROJECT)" --mapping "$(MAPPING)" --terraform-dir $(TF_DIR) \
		$(if $(BILLING_ACCOUNT),--billing-account "$(BILLING_ACCOUNT)") $(DEPLOY_ARGS) -- $(TF_ARGS)

# `terraform fmt` needs no provider; without Terraform the check is skipped loudly, except in CI.
tf-fmt:
	@if command -v terraform >/dev/null 2>&1; then \
		terraform fmt -check -recursive -diff $(TF_DIR); \
	elif [ "$${CI:-}" = "true" ]; then \
		echo "tf-fmt: terraform is not installed, and CI needs it" >&2; exit 1; \
	else \
		echo "tf-fmt: SKIPPED, terraform is not installed"; \
	fi

# checkov pins old dependencies: it gets its own virtual environment.
$(CHECKOV_VENV)/.installed:
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(CHECKOV_VENV)/bin/python -m pip install --quiet checkov==3.3.30
	touch $@

checkov: $(CHECKOV_VENV)/.installed
	$(CHECKOV_VENV)/bin/checkov -d $(TF_DIR) --framework terraform --compact --quiet --skip-download

infra-check: tf-fmt checkov

# Regenerate tests/unit/infra/fixtures/provider_schema.json (the provider schemas the offline check uses)
# from the prebuilt provider bindings on PyPI: after adding a resource type or changing a version.
provider-schema: setup
	$(PY) -m tests.unit.infra.provider_schema

# --- Performance (bench/; docs/performance.md) -----------------------------------------------------
.PHONY: bench

# Sandbox, our function and a bare functions-framework function as separate processes; prints the table.
bench: setup
	$(PY) -m bench $(ARGS)
