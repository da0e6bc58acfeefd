# forms-to-ogust: the two commands are `make run` (the whole path locally) and `make test` (every check).
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: setup run test lint typecheck pytest node-test apps-script clean

$(STAMP): pyproject.toml
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

.PHONY: artifact deploy tf-fmt checkov infra-check provider-schema

# The deploy artifact (main.py, requirements.txt, shared/, mapping.yaml); refuses a mapping with errors.
artifact: setup
	@test -n "$(MAPPING)" || { echo "usage: make $@ MAPPING=path/to/your-mapping.yaml" >&2; exit 2; }
	$(PY) -m scripts.build_artifact --mapping "$(MAPPING)" --out $(ARTIFACT)

# Build the artifact from MAPPING, then one `terraform apply` (which shows the plan and asks first);
# then store the Ogust keys if the secret has none (asked, or OGUST_PUBLIC_KEY / OGUST_PRIVATE_KEY)
# and print the form's two Script properties (scripts/deploy.py). DEPLOY_ARGS=--set-ogust-keys replaces the keys.
deploy: artifact
	$(PY) -m scripts.deploy --terraform-dir $(TF_DIR) $(DEPLOY_ARGS) -- $(TF_ARGS)

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

# Regenerate tests/infra/fixtures/provider_schema.json (the provider schemas the offline check uses)
# from the prebuilt provider bindings on PyPI: after adding a resource type or changing a version.
provider-schema: setup
	$(PY) -m tests.infra.provider_schema

# --- Performance (bench/; docs/performance.md) -----------------------------------------------------
.PHONY: bench

# Sandbox, our function and a bare functions-framework function as separate processes; prints the table.
bench: setup
	$(PY) -m bench $(ARGS)
