"""infra/terraform/doctor.tf: the doctor's function holds the least it needs and nobody may call it
unless named (read offline, like the rest of the module)."""

from __future__ import annotations

from shared.doctor import TERRAFORM_VARIABLES
from tests.support.terraform import block, load

DOCTOR = "${google_service_account.doctor.member}"


def test_the_doctor_runs_the_deployed_artifact_as_its_own_identity_with_the_workers_ogust_settings() -> None:
    doctor = load().resource("google_cloudfunctions2_function", "doctor")
    worker = load().resource("google_cloudfunctions2_function", "worker")
    assert block(doctor, "build_config")["entry_point"] == "probe_ogust"
    assert block(block(doctor, "build_config"), "source") == block(block(worker, "build_config"), "source")
    service = block(doctor, "service_config")
    assert service["service_account_email"] == "${google_service_account.doctor.email}"
    assert (service["min_instance_count"], service["max_instance_count"]) == (0, 1)
    env = load().resolve(service["environment_variables"])
    worker_env = load().resolve(block(worker, "service_config")["environment_variables"])
    ogust = {k: v for k, v in worker_env.items() if k.startswith("OGUST_")}
    assert {k: v for k, v in env.items() if k.startswith("OGUST_")} == ogust
    assert env["MAPPING_FILE"] == worker_env["MAPPING_FILE"]


def test_the_doctor_may_only_read_the_ogust_keys() -> None:
    grants = [
        (kind, name, body)
        for (kind, name), body in load().resources.items()
        if kind.endswith("_iam_member") and body.get("member") == DOCTOR
    ]
    assert [(kind, body["role"]) for kind, _, body in grants] == [
        ("google_secret_manager_secret_iam_member", "roles/secretmanager.secretAccessor")
    ]
    assert grants[0][2]["secret_id"] == "${google_secret_manager_secret.ogust_keys.secret_id}"


def test_only_the_named_invokers_may_call_the_doctor_never_everyone() -> None:
    invoker = load().resource("google_cloud_run_v2_service_iam_member", "doctor_invoker")
    assert invoker["for_each"] == "${toset(var.doctor_invokers)}"
    assert invoker["role"] == "roles/run.invoker"
    variable = load().variables["doctor_invokers"]
    assert variable["default"] == []
    (validation,) = variable["validation"]
    assert "user|group|serviceAccount|domain" in validation["condition"]
    assert "doctor_url" in load().outputs


def test_every_setting_the_doctor_recommends_is_a_terraform_variable() -> None:
    """The deployed doctor prints tfvars lines for all of them: each must exist."""
    assert set(TERRAFORM_VARIABLES.values()) <= set(load().variables)
