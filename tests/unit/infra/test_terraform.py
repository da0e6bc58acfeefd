"""infra/terraform, checked offline against the code it deploys (no provider, no registry, no account).

`terraform init/validate` cannot run without the registry, so these tests read the .tf files with
python-hcl2 and check what must stay consistent with the code and with least privilege. What only
Terraform itself can evaluate is tests/processes/infra/test_terraform_cli.py.
"""

from __future__ import annotations

import ast
import re
from typing import Any

import pytest

from shared.config.settings import ENTRY_POINT_ENV, OPTIONAL_ENV
from shared.exactly_once import lease_problem
from shared.mapping import load_mapping
from tests.support.terraform import ROOT, TERRAFORM, block, load, tf_files

MAIN = ROOT / "functions" / "forms_to_ogust" / "main.py"
FUNCTION = "google_cloudfunctions2_function"


def functions() -> dict[str, dict[str, Any]]:
    return load().of_type(FUNCTION)


def entry_point(fn: dict[str, Any]) -> str:
    value: str = block(fn, "build_config")["entry_point"]
    return value


def function_by_entry_point(name: str) -> dict[str, Any]:
    (fn,) = [fn for fn in functions().values() if entry_point(fn) == name]
    return fn


def iam_members() -> list[tuple[str, str, dict[str, Any]]]:
    """(resource type, resource name, body) of every additive IAM grant."""
    return [(t, n, body) for (t, n), body in load().resources.items() if t.endswith("_iam_member")]


def sa_ref(name: str, attribute: str = "member") -> str:
    return f"${{google_service_account.{name}.{attribute}}}"


# --- layout ---------------------------------------------------------------------------------------


def test_module_is_laid_out_one_file_per_concern() -> None:
    names = {p.name for p in tf_files()}
    expected = {"versions.tf", "variables.tf", "outputs.tf", "apis.tf", "iam.tf", "secrets.tf"}
    expected |= {"functions.tf", "pubsub.tf", "monitoring.tf"}
    assert expected <= names
    assert (TERRAFORM / "terraform.tfvars.example").is_file()


def test_backend_is_a_commented_gcs_example_so_the_module_runs_anywhere() -> None:
    text = (TERRAFORM / "versions.tf").read_text()
    assert re.search(r'^\s*#\s*backend "gcs"', text, re.MULTILINE)
    assert not re.search(r"^\s*backend\s", text, re.MULTILINE)


def test_providers_support_write_only_secret_arguments() -> None:
    text = (TERRAFORM / "versions.tf").read_text()
    assert 'required_version = ">= 1.11"' in text
    assert re.search(r'version\s*=\s*">= 6\.25', text)


def test_google_6_49_0_which_replaces_write_only_secret_versions_is_excluded() -> None:
    text = (TERRAFORM / "versions.tf").read_text()
    (google,) = re.findall(r'source\s*=\s*"hashicorp/google"\s*\n\s*version\s*=\s*"([^"]+)"', text)
    assert "!= 6.49.0" in [part.strip() for part in google.split(",")]


def test_every_variable_is_described_and_typed() -> None:
    for name, variable in load().variables.items():
        assert variable.get("description"), f"variable {name} has no description"
        assert variable.get("type"), f"variable {name} has no type"


@pytest.mark.parametrize(
    "name",
    [
        "project_id",
        "region",
        "name",
        "alert_emails",
        "agency_email",
        "worker_max_instances",
        "receiver_max_instances",
        "worker_timeout_seconds",
        "lease_seconds",
        "max_delivery_attempts",
        "idle_alert_days",
        "artifact_path",
        "ogust_api_url",
        "reconciler_timeout_seconds",
        "reconcile_schedule",
        "reconcile_failure_alert_threshold",
        "receiver_public_access",
    ],
)
def test_constrained_variables_have_a_validation_block(name: str) -> None:
    validation = load().variables[name].get("validation")
    assert validation, f"variable {name} has no validation"
    assert all(v.get("error_message") for v in validation)


def test_worker_max_instances_is_bounded_to_protect_ogust() -> None:
    (validation,) = load().variables["worker_max_instances"]["validation"]
    assert ">= 1" in validation["condition"]
    assert "<= 10" in validation["condition"]


def test_the_apis_the_deployment_uses_are_enabled() -> None:
    text = (TERRAFORM / "apis.tf").read_text()
    for api in (
        "cloudfunctions",
        "run",
        "cloudbuild",
        "artifactregistry",
        "secretmanager",
        "pubsub",
        "logging",
        "monitoring",
        "firestore",
        "forms",
        "cloudscheduler",
        "sheets",
    ):
        assert f'"{api}.googleapis.com"' in text, f"{api}.googleapis.com is not enabled"


# --- consistency with the code ---------------------------------------------------------------------


def test_every_entry_point_named_in_terraform_exists_in_main_py() -> None:
    tree = ast.parse(MAIN.read_text(encoding="utf-8"))
    defined = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
    named = {entry_point(fn) for fn in functions().values()}
    assert named == {"receive_submission", "process_submission", "reconcile_forms", "probe_ogust"}
    missing = named - defined
    assert not missing, f"main.py does not define {sorted(missing)} (entry points named in functions.tf)"


def test_the_environment_terraform_sets_is_what_each_entry_point_reads() -> None:
    assert set(ENTRY_POINT_ENV) == {entry_point(fn) for fn in functions().values()}
    for name, required in ENTRY_POINT_ENV.items():
        env = load().resolve(block(function_by_entry_point(name), "service_config")["environment_variables"])
        assert isinstance(env, dict), f"{name}: environment_variables is not a literal map ({env!r})"
        assert required <= set(env), f"{name}: Terraform does not set {sorted(required - set(env))}"
        unknown = set(env) - required - OPTIONAL_ENV
        assert not unknown, f"{name}: Terraform sets {sorted(unknown)}, which the code does not read"


def env_of(name: str) -> dict[str, Any]:
    env: dict[str, Any] = load().resolve(
        block(function_by_entry_point(name), "service_config")["environment_variables"]
    )
    return env


def test_fixed_environment_values_match_the_artifact() -> None:
    receiver = env_of("receive_submission")
    worker = env_of("process_submission")
    reconciler = env_of("reconcile_forms")
    assert receiver["DELIVERY_MODE"] == "queue"
    # its name in the artifact
    assert receiver["MAPPING_FILE"] == worker["MAPPING_FILE"] == reconciler["MAPPING_FILE"] == "mapping.yaml"
    assert worker["LEDGER"] == reconciler["LEDGER"] == "firestore"
    assert receiver["WEBHOOK_SECRET_NAME"] == "${google_secret_manager_secret.webhook.secret_id}"
    assert worker["OGUST_KEYS_SECRET"] == "${google_secret_manager_secret.ogust_keys.secret_id}"
    assert receiver["SUBMISSIONS_TOPIC"] == "${google_pubsub_topic.submissions.name}"
    assert worker["DEAD_LETTER_TOPIC"] == "${google_pubsub_topic.dead_letter.name}"
    assert load().resolve(worker["FIRESTORE_DATABASE"]) == "${google_firestore_database.ledger.name}"


def test_the_reconciler_queues_on_the_receivers_topic_and_names_the_full_watch_topic() -> None:
    receiver, reconciler = env_of("receive_submission"), env_of("reconcile_forms")
    assert reconciler["SUBMISSIONS_TOPIC"] == receiver["SUBMISSIONS_TOPIC"]  # never a second path to Ogust
    # `.id` is projects/P/topics/T, the form watches.create takes
    assert reconciler["FORMS_WATCH_TOPIC"] == "${google_pubsub_topic.forms_watch.id}"
    assert load().resolve(reconciler["FIRESTORE_DATABASE"]) == "${google_firestore_database.ledger.name}"
    assert "FORMS_API_ENDPOINT" not in reconciler  # local runs only
    assert not {"OGUST_API_URL", "OGUST_KEYS_SECRET", "WEBHOOK_SECRET_NAME"} & set(reconciler)


def test_a_persons_lease_outlives_the_worker_run_and_so_does_the_ack_deadline() -> None:
    lease = env_of("process_submission")["LEASE_SECONDS"]
    assert lease == "${tostring(max(var.lease_seconds, var.worker_timeout_seconds + 60))}"
    push = load().resource("google_pubsub_subscription", "push")
    assert push["ack_deadline_seconds"] == "${max(var.worker_timeout_seconds, 10)}"
    (validation,) = load().variables["worker_timeout_seconds"]["validation"]
    assert "<= 600" in validation["condition"]  # so the ack deadline never exceeds Pub/Sub's 600 s


def test_terraform_s_default_lease_lets_the_worker_start_with_every_example_mapping() -> None:
    default = float(load().variables["lease_seconds"]["default"])
    for mapping in sorted((ROOT / "examples").glob("*.yaml")):
        assert lease_problem(load_mapping(mapping), default, ogust_timeout=10.0) is None, mapping.name


def test_secrets_are_read_at_runtime_not_mounted() -> None:
    for name, fn in functions().items():
        service = block(fn, "service_config")
        assert "secret_environment_variables" not in service, name
        assert "secret_volumes" not in service, name


def test_every_function_deploys_the_same_hashed_artifact_on_python312() -> None:
    objects = set()
    for name, fn in functions().items():
        build = block(fn, "build_config")
        assert build["runtime"] == "python312", name
        source = block(block(build, "source"), "storage_source")
        assert source["bucket"] == "${google_storage_bucket.source.name}"
        objects.add(source["object"])
    assert objects == {"${google_storage_bucket_object.artifact.name}"}
    artifact = load().resource("google_storage_bucket_object", "artifact")
    assert "${local.artifact_sha256}" in artifact["name"], "the object name must carry the artifact's hash"
    assert load().locals["artifact_sha256"] == "${filesha256(var.artifact_path)}"
    assert artifact["source"] == "${var.artifact_path}"


def test_function_scaling_and_ingress() -> None:
    receiver = block(function_by_entry_point("receive_submission"), "service_config")
    worker = block(function_by_entry_point("process_submission"), "service_config")
    reconciler = block(function_by_entry_point("reconcile_forms"), "service_config")
    assert receiver["ingress_settings"] == "ALLOW_ALL"  # public: the HMAC signature authenticates
    assert worker["ingress_settings"] == reconciler["ingress_settings"] == "ALLOW_INTERNAL_ONLY"
    assert worker["max_instance_count"] == "${var.worker_max_instances}"
    assert worker["timeout_seconds"] == "${var.worker_timeout_seconds}"
    assert reconciler["max_instance_count"] == 1  # one run at a time moves a watermark
    assert reconciler["timeout_seconds"] == "${var.reconciler_timeout_seconds}"
    for service in (receiver, worker, reconciler):
        assert service["available_memory"]
        assert service["max_instance_request_concurrency"] == 1
        assert service["max_instance_count"]


# --- secrets ---------------------------------------------------------------------------------------

_SECRET_LOOKING = [
    re.compile(r"whsec_[A-Za-z0-9+/=]{16,}"),  # a webhook secret
    re.compile(r"(?<![\w$])\d{20}(?!\w)"),  # an Ogust public key (20 digits)
    re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    re.compile(r'"private_key"\s*[:=]\s*"[^"%$]'),  # a literal private key
    re.compile(r'private_key_id"\s*:'),  # a service-account key file
]


def test_no_secret_value_in_any_terraform_file() -> None:
    for path in [*tf_files(), TERRAFORM / "terraform.tfvars.example"]:
        text = path.read_text(encoding="utf-8")
        for pattern in _SECRET_LOOKING:
            assert not pattern.search(text), f"{path.name} holds what looks like a secret ({pattern.pattern})"


def test_secret_versions_only_use_write_only_data_from_an_ephemeral_source() -> None:
    for name, version in load().of_type("google_secret_manager_secret_version").items():
        assert "secret_data" not in version, f"{name}: secret_data would be stored in the state"
        value = version["secret_data_wo"]
        assert "ephemeral." in value, f"{name}: the write-only value must come from an ephemeral resource"
        assert "secret_data_wo_version" in version
    for (kind, name), _ in load().ephemeral.items():
        assert kind == "random_password", f"unexpected ephemeral {kind}.{name}"


def test_no_data_source_reads_a_secret_value_into_the_state() -> None:
    assert not [k for k in load().data if k[0].startswith("google_secret_manager_secret_version")]


# --- least privilege ---------------------------------------------------------------------------------

_ALLOWED_PROJECT_ROLES = {
    # (member, role): why it cannot be narrower
    (
        "build",
        "roles/run.builder",
    ): "Cloud Run's build-service-account page grants it on the project; the repository and bucket it "
    "writes and reads are created by Cloud Functions",
    ("worker", "roles/datastore.user"): "Firestore has no database-level IAM; an IAM condition narrows it",
    ("reconciler", "roles/datastore.user"): "the same, for the watermarks in the ledger database",
}


def test_each_function_and_each_trigger_has_its_own_identity() -> None:
    runtime = {
        name: block(function_by_entry_point(name), "service_config")["service_account_email"]
        for name in ENTRY_POINT_ENV
    }
    assert runtime == {
        "receive_submission": sa_ref("receiver", "email"),
        "process_submission": sa_ref("worker", "email"),
        "reconcile_forms": sa_ref("reconciler", "email"),
        "probe_ogust": sa_ref("doctor", "email"),
    }
    builds = {block(fn, "build_config")["service_account"] for fn in functions().values()}
    assert builds == {sa_ref("build", "id")}
    push = block(load().resource("google_pubsub_subscription", "push"), "push_config")
    assert block(push, "oidc_token")["service_account_email"] == sa_ref("push", "email")
    watch = block(load().resource("google_pubsub_subscription", "forms_watch_push"), "push_config")
    scheduler = block(load().resource("google_cloud_scheduler_job", "reconcile"), "http_target")
    assert block(watch, "oidc_token")["service_account_email"] == sa_ref("reconcile_trigger", "email")
    assert block(scheduler, "oidc_token")["service_account_email"] == sa_ref("reconcile_trigger", "email")
    assert set(load().of_type("google_service_account")) == {
        "receiver",
        "worker",
        "push",
        "reconciler",
        "reconcile_trigger",
        "build",
        "doctor",
    }


def test_service_account_ids_fit_in_30_characters_for_the_longest_allowed_name() -> None:
    longest = "a" * 21  # var.name's validation allows 4 to 21 characters
    for name, account in load().of_type("google_service_account").items():
        account_id = account["account_id"].replace("${var.name}", longest)
        assert len(account_id) <= 30, f"google_service_account.{name}: {account_id} is too long"


def test_no_basic_or_admin_role_and_no_authoritative_iam() -> None:
    for kind, name, body in iam_members():
        role = body["role"]
        assert role not in {"roles/owner", "roles/editor", "roles/viewer"}, f"{kind}.{name}: {role}"
        assert not role.endswith((".admin", "Admin")), f"{kind}.{name}: {role}"
    authoritative = [k for k in load().resources if k[0].endswith(("_iam_binding", "_iam_policy"))]
    assert not authoritative, f"authoritative IAM would remove grants made outside Terraform: {authoritative}"


def test_project_wide_roles_are_only_the_few_without_a_narrower_grant() -> None:
    granted = set()
    for name, body in load().of_type("google_project_iam_member").items():
        member = re.fullmatch(r"\$\{google_service_account\.(\w+)\.member\}", body["member"])
        assert member, f"google_project_iam_member.{name} grants to {body['member']}"
        roles = (
            re.findall(r"roles/[\w.]+", body["for_each"])
            if body["role"] == "${each.value}"
            else [body["role"]]
        )
        for role in roles:
            key = (member.group(1), role)
            assert key in _ALLOWED_PROJECT_ROLES, f"project-wide {role} for {key[0]} is broader than needed"
            granted.add(key)
    assert granted == set(_ALLOWED_PROJECT_ROLES)
    assert ("worker", "roles/secretmanager.secretAccessor") not in granted


@pytest.mark.parametrize("grant", ["worker_uses_ledger", "reconciler_uses_ledger"])
def test_ledger_grants_are_conditioned_on_the_ledger_database(grant: str) -> None:
    condition = block(load().resource("google_project_iam_member", grant), "condition")["expression"]
    assert "resource.name ==" in condition
    assert "databases/${google_firestore_database.ledger.name}" in condition
    ledger = load().resource("google_firestore_database", "ledger")
    assert ledger["type"] == "FIRESTORE_NATIVE"


def test_each_runtime_identity_reads_only_its_own_secret() -> None:
    readers = {
        (body["secret_id"], body["member"])
        for body in load().of_type("google_secret_manager_secret_iam_member").values()
        if body["role"] == "roles/secretmanager.secretAccessor"
    }
    assert readers == {
        ("${google_secret_manager_secret.webhook.secret_id}", sa_ref("receiver")),
        ("${google_secret_manager_secret.ogust_keys.secret_id}", sa_ref("worker")),
        ("${google_secret_manager_secret.ogust_keys.secret_id}", sa_ref("doctor")),
    }


def test_the_reconciler_holds_nothing_on_secrets() -> None:
    for kind, name, body in iam_members():
        if body.get("member") == sa_ref("reconciler"):
            assert not kind.startswith("google_secret_manager"), f"{kind}.{name}"
            assert "secretmanager" not in body["role"], f"{kind}.{name}"


def test_each_runtime_identity_publishes_only_to_its_own_topic() -> None:
    publishers = {
        (body["topic"], body["member"])
        for body in load().of_type("google_pubsub_topic_iam_member").values()
        if body["role"] == "roles/pubsub.publisher"
    }
    agent = "${local.pubsub_service_agent}"
    assert publishers == {
        ("${google_pubsub_topic.submissions.name}", sa_ref("receiver")),
        ("${google_pubsub_topic.submissions.name}", sa_ref("reconciler")),
        ("${google_pubsub_topic.dead_letter.name}", sa_ref("worker")),
        ("${google_pubsub_topic.dead_letter.name}", agent),
        ("${google_pubsub_topic.forms_watch.name}", "${local.forms_notifications}"),
    }


def test_google_forms_publishes_watch_notifications_as_its_documented_account() -> None:
    expected = "serviceAccount:forms-notifications@system.gserviceaccount.com"
    assert load().locals["forms_notifications"] == expected


def test_only_the_push_and_trigger_identities_invoke_the_private_functions_and_anyone_the_receiver() -> None:
    invokers = {
        (body["name"], body["member"])
        for body in load().of_type("google_cloud_run_v2_service_iam_member").values()
        if body["role"] == "roles/run.invoker"
    }
    service = "${{google_cloudfunctions2_function.{}.service_config[0].service}}".format
    assert invokers == {
        (service("worker"), sa_ref("push")),
        (service("reconciler"), sa_ref("reconcile_trigger")),
        (service("receiver"), "allUsers"),
        ("${google_cloudfunctions2_function.doctor.service_config[0].service}", "${each.value}"),
    }


def test_the_allusers_grant_can_be_left_out_where_an_organisation_policy_forbids_it() -> None:
    public = load().resource("google_cloud_run_v2_service_iam_member", "receiver_public")
    assert public["count"] == '${var.receiver_public_access == "allUsers" ? 1 : 0}'
    assert load().variables["receiver_public_access"]["default"] == "allUsers"
    deployment = load().outputs["deployment"]["value"]
    assert deployment["receiver_public_access"] == "${var.receiver_public_access}"
    assert "service_config[0].service" in deployment["receiver_service"]


def test_pubsub_service_agent_can_dead_letter() -> None:
    assert (
        "service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com"
        in (load().locals["pubsub_service_agent"])
    )
    acks = [
        body
        for body in load().of_type("google_pubsub_subscription_iam_member").values()
        if body["member"] == "${local.pubsub_service_agent}"
    ]
    assert [(b["subscription"], b["role"]) for b in acks] == [
        ("${google_pubsub_subscription.push.name}", "roles/pubsub.subscriber")
    ]


def test_pubsub_service_agent_mints_only_the_two_push_identities_tokens() -> None:
    minted = {
        body["service_account_id"]
        for body in load().of_type("google_service_account_iam_member").values()
        if body["role"] == "roles/iam.serviceAccountTokenCreator"
        and body["member"] == "${local.pubsub_service_agent}"
    }
    assert minted == {sa_ref("push", "name"), sa_ref("reconcile_trigger", "name")}


# --- Pub/Sub -----------------------------------------------------------------------------------------


def test_push_subscription_retries_orders_and_dead_letters() -> None:
    push = load().resource("google_pubsub_subscription", "push")
    assert push["topic"] == "${google_pubsub_topic.submissions.id}"
    assert push["enable_message_ordering"] is True
    retry = block(push, "retry_policy")
    assert (retry["minimum_backoff"], retry["maximum_backoff"]) == ("10s", "600s")
    dead_letter = block(push, "dead_letter_policy")
    assert dead_letter["dead_letter_topic"] == "${google_pubsub_topic.dead_letter.id}"
    assert dead_letter["max_delivery_attempts"] == "${var.max_delivery_attempts}"
    assert "var.worker_timeout_seconds" in push["ack_deadline_seconds"]  # ≥ the worker's timeout
    config = block(push, "push_config")
    assert config["push_endpoint"] == "${google_cloudfunctions2_function.worker.service_config[0].uri}"


def test_the_worker_knows_the_push_subscription_s_last_delivery_attempt() -> None:
    # The same variable as the dead-letter policy's: on that attempt the worker parks what still
    # fails, with its reason, instead of leaving Pub/Sub to dead-letter it unannounced.
    push = load().resource("google_pubsub_subscription", "push")
    assert block(push, "dead_letter_policy")["max_delivery_attempts"] == "${var.max_delivery_attempts}"
    assert env_of("process_submission")["MAX_DELIVERY_ATTEMPTS"] == "${tostring(var.max_delivery_attempts)}"


def test_dead_letter_topic_has_a_long_lived_pull_subscription() -> None:
    subscribed = {body["topic"]: name for name, body in load().of_type("google_pubsub_subscription").items()}
    assert "${google_pubsub_topic.dead_letter.id}" in subscribed, "dead letters without subscription are lost"
    dlq = load().resource("google_pubsub_subscription", subscribed["${google_pubsub_topic.dead_letter.id}"])
    assert "push_config" not in dlq, "the CLI pulls dead letters"
    assert dlq["message_retention_duration"] == "604800s"
    assert block(dlq, "expiration_policy")["ttl"] == ""


def test_topic_names_match_the_contract() -> None:
    assert load().variables["topic_prefix"]["default"] == "form-submissions"
    assert load().locals["dead_letter_topic"] == "${var.topic_prefix}-dead-letter"
    assert load().locals["forms_watch_topic"] == "${var.topic_prefix}-forms-watch"


def test_forms_watch_notifications_are_pushed_to_the_reconciler_with_retries() -> None:
    watch = load().resource("google_pubsub_subscription", "forms_watch_push")
    assert watch["topic"] == "${google_pubsub_topic.forms_watch.id}"
    config = block(watch, "push_config")
    assert config["push_endpoint"] == "${google_cloudfunctions2_function.reconciler.service_config[0].uri}"
    retry = block(watch, "retry_policy")
    assert (retry["minimum_backoff"], retry["maximum_backoff"]) == ("10s", "300s")
    assert watch["ack_deadline_seconds"] == "${var.reconciler_timeout_seconds}"
    # A notification is only a hint (the scheduled run reads the form anyway): no dead letters,
    # and a short retention so a failing one is not retried for days.
    assert "dead_letter_policy" not in watch
    assert watch["message_retention_duration"] == "3600s"
    assert block(watch, "expiration_policy")["ttl"] == ""


# --- the reconciler's schedule -------------------------------------------------------------------


def test_cloud_scheduler_posts_to_the_reconciler_with_an_oidc_token_every_5_minutes_paris_time() -> None:
    job = load().resource("google_cloud_scheduler_job", "reconcile")
    assert job["schedule"] == "${var.reconcile_schedule}"
    assert load().variables["reconcile_schedule"]["default"] == "*/5 * * * *"
    assert job["time_zone"] == "Europe/Paris"
    target = block(job, "http_target")
    uri = "${google_cloudfunctions2_function.reconciler.service_config[0].uri}"
    assert (target["http_method"], target["uri"]) == ("POST", uri)
    oidc = block(target, "oidc_token")
    assert oidc["audience"] == uri
    assert job["attempt_deadline"] == "${var.reconciler_timeout_seconds}s"
    assert "google_cloud_run_v2_service_iam_member.trigger_invokes_reconciler" in str(job["depends_on"])


def test_terraform_needs_no_form_list_the_mapping_says_which_forms_to_reconcile() -> None:
    names = {name for name in load().variables if "form" in name and name != "firestore_database"}
    names -= {"firestore_location"}
    assert not names, f"forms to reconcile come from the mapping (reconcile: true), not {sorted(names)}"


# --- bucket ------------------------------------------------------------------------------------------


def test_source_bucket_is_private_uniform_and_versioned() -> None:
    bucket = load().resource("google_storage_bucket", "source")
    assert bucket["uniform_bucket_level_access"] is True
    assert bucket["public_access_prevention"] == "enforced"
    assert block(bucket, "versioning")["enabled"] is True


# --- monitoring --------------------------------------------------------------------------------------


def test_log_based_metrics_match_the_functions_log_lines() -> None:
    metrics = load().of_type("google_logging_metric")
    failed = metrics["failed_submissions"]["filter"]
    assert "severity>=ERROR" in failed
    assert 'jsonPayload.status="dead-lettered"' in failed
    processed = load().resolve(metrics["processed_submissions"]["filter"])
    for status in ("created", "updated", "unchanged", "skipped"):
        assert status in processed
    assert "google_cloudfunctions2_function.worker.name" in processed
    reconcile = metrics["failed_reconciliations"]["filter"]
    assert "google_cloudfunctions2_function.reconciler.name" in reconcile
    assert 'jsonPayload.status=\\"failed\\"' in reconcile
    assert 'jsonPayload.message=~\\"^reconciliation failed\\"' in reconcile


_ALERT_METRIC = {
    "failures": "failed_submissions",
    "idle": "processed_submissions",
    "reconciliation": "failed_reconciliations",
}


@pytest.mark.parametrize(("alert", "metric"), _ALERT_METRIC.items())
def test_each_alert_on_a_log_metric_waits_until_monitoring_knows_the_metric(alert: str, metric: str) -> None:
    policy = load().resource("google_monitoring_alert_policy", alert)
    assert f"google_logging_metric.{metric}.name" in str(policy["conditions"])
    assert policy["depends_on"] == ["${time_sleep.log_metrics_known_to_monitoring}"]
    pause = load().resource("time_sleep", "log_metrics_known_to_monitoring")
    assert f"${{google_logging_metric.{metric}.id}}" in pause["triggers"].values()
    assert pause["create_duration"].endswith("s")


def test_the_silence_alert_stays_quiet_for_its_first_n_days() -> None:
    idle = load().resource("google_monitoring_alert_policy", "idle")
    query = block(block(idle, "conditions"), "condition_prometheus_query_language")["query"]
    quiet_until = "${time_static.first_deploy.unix + var.idle_alert_days * 86400}"
    assert f"and on() (vector(time()) > {quiet_until})" in query
    assert load().resource("time_static", "first_deploy") == {}  # no trigger: the first apply's time


def test_alerts_cover_dead_letters_repeated_failures_reconciliation_and_silence() -> None:
    policies = load().of_type("google_monitoring_alert_policy")
    assert set(policies) == {"dead_letters", "failures", "idle", "reconciliation", "refused_answer"}
    operator = {name: policy for name, policy in policies.items() if name != "refused_answer"}
    text = str(operator)  # as load() reads them: a metric's for_each key names it
    assert "google_pubsub_subscription.dead_letter.name" in text
    assert "logging.googleapis.com/user/${google_logging_metric.failed_submissions.name}" in text
    assert "logging.googleapis.com/user/${google_logging_metric.failed_reconciliations.name}" in text
    idle = policies["idle"]
    query = block(block(idle, "conditions"), "condition_prometheus_query_language")["query"]
    assert "absent_over_time" in query
    assert "${var.idle_alert_days}d" in query
    assert "google_logging_metric.processed_submissions.name" in query
    for name, policy in operator.items():
        channels = policy["notification_channels"]
        assert "google_monitoring_notification_channel.email" in channels, name
        assert "agency" not in channels, f"{name}: the operator's alerts are not the agency's"
        assert block(policy, "documentation")["content"].strip(), name
    channel = load().resource("google_monitoring_notification_channel", "email")
    assert channel["type"] == "email"
    assert channel["for_each"] == "${toset(var.alert_emails)}"


# --- the agency's notice: one French e-mail per refused answer ---------------------------------------

# The "agency.refused" log line's fields, as the functions write them, and the label each becomes.
_AGENCY_LABELS = {
    "formulaire": "jsonPayload.form",
    "envoyee_le": "jsonPayload.submittedAt",
    "motif": "jsonPayload.reason",
    "lien": "jsonPayload.link",
}


def refused_answer_policy() -> dict[str, Any]:
    return load().resource("google_monitoring_alert_policy", "refused_answer")


def test_the_agency_is_emailed_at_its_own_address_only() -> None:
    channel = load().resource("google_monitoring_notification_channel", "agency")
    assert channel["type"] == "email"
    assert channel["labels"] == {"email_address": "${var.agency_email}"}
    assert "for_each" not in channel  # one address: the agency's mailbox
    assert refused_answer_policy()["notification_channels"] == [
        "${google_monitoring_notification_channel.agency.id}"
    ]


def test_each_agency_refused_log_line_of_any_function_triggers_the_notice() -> None:
    condition = block(block(refused_answer_policy(), "conditions"), "condition_matched_log")
    assert condition["filter"] == "${local.refused_answer_logs}"
    logs = load().resolve(condition["filter"])
    assert 'jsonPayload.event=\\"agency.refused\\"' in logs
    assert 'resource.type=\\"cloud_run_revision\\"' in logs
    for fn in ("receiver", "worker", "reconciler"):
        assert f"google_cloudfunctions2_function.{fn}.name" in logs


def test_the_notice_carries_the_form_the_paris_time_the_reason_and_the_link_and_nothing_personal() -> None:
    condition = block(block(refused_answer_policy(), "conditions"), "condition_matched_log")
    extractors = condition["label_extractors"]
    assert extractors == {label: f"EXTRACT({field})" for label, field in _AGENCY_LABELS.items()}
    for label in extractors:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", label), label


def test_the_email_is_in_french_and_shows_every_extracted_label() -> None:
    documentation = block(refused_answer_policy(), "documentation")
    assert documentation["mime_type"] == "text/markdown"
    content = documentation["content"]
    # `$${…}` in HCL is the literal `${…}` Cloud Monitoring substitutes.
    for label in _AGENCY_LABELS:
        assert f"$${{log.extracted_label.{label}}}" in content, label
    assert "$${log.extracted_label.formulaire}" in documentation["subject"]
    for french in ("Suivi Ogust", "Renvoyer", "Motif", "5 minutes", "20 par jour"):
        assert french in content, french
    for jargon in ("dead", "letter", "ledger", "HTTP", "replay", "resendDead"):
        assert jargon.lower() not in content.lower(), jargon


def test_the_notice_is_rate_limited_as_log_based_alerts_must_be_and_closes_itself() -> None:
    strategy = block(refused_answer_policy(), "alert_strategy")
    assert block(strategy, "notification_rate_limit")["period"] == "300s"
    assert strategy["auto_close"] == "1800s"


# --- outputs and checks ------------------------------------------------------------------------------


def test_outputs_give_the_webhook_url_and_the_secret_commands() -> None:
    outputs = load().outputs
    assert (
        outputs["webhook_url"]["value"] == "${google_cloudfunctions2_function.receiver.service_config[0].uri}"
    )
    commands = outputs["set_secret_commands"]["value"]
    assert "gcloud secrets versions add ${google_secret_manager_secret.ogust_keys.secret_id}" in commands
    assert "google_secret_manager_secret.webhook.secret_id" in commands


def test_outputs_give_the_reconciler_address_and_the_logs_command() -> None:
    outputs = load().outputs
    assert outputs["reconciler_service_account"]["value"] == sa_ref("reconciler", "email")
    share = outputs["reconciler_service_account"]["description"]
    assert "share" in share.lower()
    assert "spreadsheet" in share
    assert "Suivi Ogust" in share
    assert "editor" in share
    logs = outputs["logs_command"]["value"]
    assert logs.startswith("${join(")
    assert "gcloud logging read" in logs
    for fn in ("receiver", "worker", "reconciler"):
        assert f"google_cloudfunctions2_function.{fn}.name" in logs


def test_every_checkov_skip_gives_a_reason() -> None:
    for path in tf_files():
        for line in path.read_text(encoding="utf-8").splitlines():
            if "checkov:skip=" in line:
                assert re.search(r"checkov:skip=CKV2?_[A-Z]+_\d+:\s*\S.{20,}", line), (
                    f"{path.name}: {line.strip()}"
                )
