"""scripts/deploy.py (`make deploy`) against fake `terraform` and `gcloud` commands on PATH.

The fakes record every command line and what came on standard input: the Ogust keys must reach
gcloud through standard input only, and appear in no command line and no output.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from scripts.deploy import AGENCY_EMAIL_PATTERN, DeployError, deploy, main
from tests.processes.infra.fake_tools import CallLog, install, never_asked
from tests.support.terraform import load

ROOT = Path(__file__).resolve().parents[3]
PUBLIC, PRIVATE = "01234567890123456789", "0123456789ABCDEF"
WEBHOOK = "whsec_c2VjcmV0LWZvci10ZXN0cy1vbmx5LW5vdC1yZWFs"
DEPLOYMENT = {
    "project": "agence-demo",
    "region": "europe-west9",
    "webhook_url": "https://forms-to-ogust-receiver-abc-ew.a.run.app",
    "webhook_secret": "webhook-secret",
    "ogust_keys_secret": "ogust-keys",
    "receiver_service": "forms-to-ogust-receiver",
    "receiver_public_access": "allUsers",
    "reconciler_service_account": "forms-to-ogust-recon@agence-demo.iam.gserviceaccount.com",
    "agency_email": "accueil@agence-sainte-therese.fr",
    "worker_service_account": "forms-to-ogust-worker@agence-demo.iam.gserviceaccount.com",
}

FAKE = """#!{python}
import json, os, sys
state = os.environ["FAKE_STATE"]
stdin = "" if sys.stdin is None or sys.stdin.isatty() else sys.stdin.read()
with open(os.path.join(state, "calls.jsonl"), "a") as log:
    log.write(json.dumps({{"argv": [os.path.basename(sys.argv[0]), *sys.argv[1:]], "stdin": stdin}}) + "\\n")
def answer(name, default=""):
    path = os.path.join(state, name)
    return open(path).read() if os.path.exists(path) else default
args = " ".join(sys.argv[1:])
if os.path.basename(sys.argv[0]) == "terraform":
    if " apply" in args and answer("apply_fails"):
        sys.exit(1)
    if " output -json" in args:
        print(answer("outputs"))
else:
    if "secrets versions list" in args:
        print(answer("versions"))
    elif "secrets versions access" in args:
        secret = answer("webhook")
        if not secret:
            print("NOT_FOUND", file=sys.stderr)
            sys.exit(1)
        print(secret)
"""


TFVARS = 'project_id = "agence-demo"\nagency_email = "accueil@agence-sainte-therese.fr"\n'


class Fakes(CallLog):
    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.tf_dir = root / "terraform"
        self.tf_dir.mkdir()
        self.tfvars = self.tf_dir / "terraform.tfvars"
        self.tfvars.write_text(TFVARS, encoding="utf-8")
        self.outputs(DEPLOYMENT)
        self.set("webhook", WEBHOOK)

    def set(self, name: str, value: str) -> None:
        (self.state / name).write_text(value, encoding="utf-8")

    def outputs(self, deployment: dict[str, str]) -> None:
        self.set("outputs", json.dumps({"deployment": {"value": deployment}}))


@pytest.fixture
def fakes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Fakes:
    install(FAKE, tmp_path, monkeypatch)
    return Fakes(tmp_path)


def run(fakes: Fakes, **kwargs: Any) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    options: dict[str, Any] = {"env": {}, "ask": never_asked, "ask_text": never_asked, "show_secret": True}
    apply_args = kwargs.pop("apply_args", ["-auto-approve"])
    deploy(fakes.tf_dir, apply_args, **{**options, **kwargs}, out=out, err=err)
    return out.getvalue(), err.getvalue()


def test_applies_then_stores_the_keys_from_the_environment_through_stdin_only(fakes: Fakes) -> None:
    out, err = run(fakes, env={"OGUST_PUBLIC_KEY": PUBLIC, "OGUST_PRIVATE_KEY": PRIVATE})
    commands = fakes.commands()
    assert commands[:3] == [
        f"terraform -chdir={fakes.tf_dir} init",
        f"terraform -chdir={fakes.tf_dir} apply -auto-approve",
        f"terraform -chdir={fakes.tf_dir} output -json",
    ]
    (added,) = [c for c in fakes.calls() if c["argv"][1:4] == ["secrets", "versions", "add"]]
    assert added["argv"][4:] == ["ogust-keys", "--project=agence-demo", "--data-file=-"]
    assert json.loads(added["stdin"]) == {"public_key": PUBLIC, "private_key": PRIVATE}
    for text in [*commands, out, err]:
        assert PUBLIC not in text
        assert PRIVATE not in text


def test_prints_the_three_script_properties_and_the_reconcilers_address(fakes: Fakes) -> None:
    fakes.set("versions", "projects/1/secrets/ogust-keys/versions/1")
    out, _ = run(fakes)
    assert f"WEBHOOK_URL     {DEPLOYMENT['webhook_url']}" in out
    assert f"WEBHOOK_SECRET  {WEBHOOK}" in out
    assert f"ALERT_EMAIL     {DEPLOYMENT['agency_email']}" in out
    assert DEPLOYMENT["reconciler_service_account"] in out
    assert "response spreadsheet" in out
    assert "share them with the worker too, for a row to change right after each attempt" in out
    assert DEPLOYMENT["worker_service_account"] in out
    assert "forms-to-ogust logs" in out


def test_the_webhook_secret_is_not_printed_outside_a_terminal(fakes: Fakes) -> None:
    fakes.set("versions", "projects/1/secrets/ogust-keys/versions/1")
    out, _ = run(fakes, show_secret=False)
    assert WEBHOOK not in out
    assert "gcloud secrets versions access latest --secret=webhook-secret --project=agence-demo" in out


def test_keys_already_in_secret_manager_are_neither_asked_nor_replaced(fakes: Fakes) -> None:
    fakes.set("versions", "projects/1/secrets/ogust-keys/versions/3")
    run(fakes, env={"OGUST_PUBLIC_KEY": PUBLIC, "OGUST_PRIVATE_KEY": PRIVATE})
    assert not [c for c in fakes.commands() if "versions add" in c]


def test_set_ogust_keys_replaces_a_pair_that_is_there(fakes: Fakes) -> None:
    fakes.set("versions", "projects/1/secrets/ogust-keys/versions/3")
    run(fakes, env={"OGUST_PUBLIC_KEY": PUBLIC, "OGUST_PRIVATE_KEY": PRIVATE}, set_keys=True)
    assert len([c for c in fakes.commands() if "versions add ogust-keys" in c]) == 1


def test_missing_keys_are_asked_without_echo_when_there_is_a_terminal(fakes: Fakes) -> None:
    answers = {"public": PUBLIC, "private": PRIVATE}
    asked: list[str] = []

    def ask(prompt: str) -> str:
        asked.append(prompt)
        return answers["public" if "public" in prompt else "private"]

    out, err = run(fakes, ask=ask)
    assert len(asked) == 2
    (added,) = [c for c in fakes.calls() if "add" in c["argv"]]
    assert json.loads(added["stdin"]) == {"public_key": PUBLIC, "private_key": PRIVATE}
    assert PRIVATE not in out + err


def test_without_keys_and_without_a_terminal_it_stops_and_says_which_variables(fakes: Fakes) -> None:
    with pytest.raises(DeployError, match="OGUST_PUBLIC_KEY and OGUST_PRIVATE_KEY"):
        run(fakes, ask=None)
    assert not [c for c in fakes.commands() if "versions add" in c]


def test_a_key_with_spaces_is_refused_and_nothing_is_stored(fakes: Fakes) -> None:
    with pytest.raises(DeployError, match="private key is empty or contains spaces") as caught:
        run(fakes, env={"OGUST_PUBLIC_KEY": PUBLIC, "OGUST_PRIVATE_KEY": "0123 4567"})
    assert "0123" not in str(caught.value)
    assert not [c for c in fakes.commands() if "versions add" in c]


def test_a_failed_apply_stops_before_any_secret_step(fakes: Fakes) -> None:
    fakes.set("apply_fails", "1")
    with pytest.raises(DeployError, match="apply"):
        run(fakes, env={"OGUST_PUBLIC_KEY": PUBLIC, "OGUST_PRIVATE_KEY": PRIVATE})
    assert not [c for c in fakes.commands() if c.startswith("gcloud")]


def test_main_exits_0_after_a_deploy_and_1_with_the_reason_after_a_failed_apply(
    fakes: Fakes, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("OGUST_PUBLIC_KEY", "OGUST_PRIVATE_KEY", "TF_VAR_agency_email"):
        monkeypatch.delenv(name, raising=False)
    fakes.set("versions", "projects/1/secrets/ogust-keys/versions/1")
    argv = ["--terraform-dir", str(fakes.tf_dir), "--", "-auto-approve"]
    assert main(argv) == 0
    assert f"WEBHOOK_URL     {DEPLOYMENT['webhook_url']}" in capsys.readouterr().out
    fakes.set("apply_fails", "1")
    assert main(argv) == 1
    assert capsys.readouterr().err.startswith("deploy: ")


def test_without_allusers_the_receivers_invoker_check_is_turned_off(fakes: Fakes) -> None:
    fakes.outputs({**DEPLOYMENT, "receiver_public_access": "no-invoker-iam-check"})
    fakes.set("versions", "projects/1/secrets/ogust-keys/versions/1")
    run(fakes)
    assert (
        "gcloud run services update forms-to-ogust-receiver --region=europe-west9 --project=agence-demo"
        " --no-invoker-iam-check --quiet"
    ) in fakes.commands()


def test_with_allusers_cloud_run_is_left_alone(fakes: Fakes) -> None:
    fakes.set("versions", "projects/1/secrets/ogust-keys/versions/1")
    run(fakes)
    assert not [c for c in fakes.commands() if "run services update" in c]


def test_without_a_webhook_secret_version_it_says_how_to_add_one(fakes: Fakes) -> None:
    fakes.set("versions", "projects/1/secrets/ogust-keys/versions/1")
    fakes.set("webhook", "")
    out, _ = run(fakes)
    assert "no version yet" in out
    assert "set_secret_commands" in out


def test_make_deploy_builds_the_artifact_then_runs_this_script() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    rule = makefile.split("\ndeploy: ", 1)[1].split("\n\n", 1)[0]
    assert rule.startswith("artifact\n")
    # scripts/go_live.py runs this script's deploy() after the project, the APIs and the doctor
    assert "-m scripts.go_live --project" in rule
    assert "--terraform-dir $(TF_DIR)" in rule
    assert "$(DEPLOY_ARGS) -- $(TF_ARGS)" in rule


# --- the agency's address ----------------------------------------------------------------------------

AGENCY = "secretariat@aide-a-domicile-l-olivier.fr"


def without_agency_email(fakes: Fakes) -> None:
    fakes.tfvars.write_text('project_id = "agence-demo"', encoding="utf-8")  # no final newline
    fakes.set("versions", "projects/1/secrets/ogust-keys/versions/1")


def answers(*given: str) -> Any:
    queue = list(given)

    def ask(prompt: str) -> str:
        assert "Agency e-mail" in prompt
        return queue.pop(0)

    return ask


def test_a_missing_agency_email_is_asked_for_and_saved_before_the_apply(fakes: Fakes) -> None:
    without_agency_email(fakes)
    _, err = run(fakes, ask_text=answers(f"  {AGENCY} "))
    assert fakes.tfvars.read_text(encoding="utf-8").splitlines()[:2] == [
        'project_id = "agence-demo"',
        f'agency_email = "{AGENCY}" # the agency: one e-mail per answer Ogust refused (make deploy)',
    ]
    assert "Suivi Ogust" in err
    assert any(" apply " in c for c in fakes.commands())


def test_the_saved_address_is_not_asked_again_on_the_next_deploy(fakes: Fakes) -> None:
    without_agency_email(fakes)
    run(fakes, ask_text=answers(AGENCY))
    run(fakes)  # never_asked
    assert fakes.tfvars.read_text(encoding="utf-8").count("agency_email") == 1


def test_a_wrong_address_is_explained_and_asked_again(fakes: Fakes) -> None:
    without_agency_email(fakes)
    _, err = run(fakes, ask_text=answers("accueil@agence.fr, direction@agence.fr", AGENCY))
    assert "one e-mail address is expected" in err
    assert f'agency_email = "{AGENCY}"' in fakes.tfvars.read_text(encoding="utf-8")


def test_three_wrong_addresses_stop_before_terraform_runs(fakes: Fakes) -> None:
    without_agency_email(fakes)
    with pytest.raises(DeployError, match="no valid agency_email"):
        run(fakes, ask_text=answers("accueil", "accueil@agence", 'accueil"@agence.fr'))
    assert fakes.commands() == []
    assert "agency_email" not in fakes.tfvars.read_text(encoding="utf-8")


def test_without_a_terminal_a_missing_agency_email_stops_and_says_where_to_set_it(fakes: Fakes) -> None:
    without_agency_email(fakes)
    with pytest.raises(
        DeployError, match=r"agency_email is not set: add `agency_email = .*terraform\.tfvars"
    ):
        run(fakes, ask_text=None)
    assert fakes.commands() == []


@pytest.mark.parametrize(
    ("where", "env", "apply_args"),
    [
        ("environment", {"TF_VAR_agency_email": AGENCY}, ["-auto-approve"]),
        ("-var", {}, ["-auto-approve", f"-var=agency_email={AGENCY}"]),
        ("-var, two arguments", {}, ["-var", f"agency_email={AGENCY}"]),
        ("auto.tfvars", {}, ["-auto-approve"]),
        ("-var-file", {}, ["-var-file=agence.tfvars"]),
    ],
)
def test_an_agency_email_given_any_way_terraform_reads_it_is_not_asked(
    fakes: Fakes, where: str, env: dict[str, str], apply_args: list[str]
) -> None:
    without_agency_email(fakes)
    if where == "auto.tfvars":
        (fakes.tf_dir / "agence.auto.tfvars").write_text(f'agency_email = "{AGENCY}"\n', encoding="utf-8")
    if where == "-var-file":
        (fakes.tf_dir / "agence.tfvars").write_text(f'agency_email = "{AGENCY}"\n', encoding="utf-8")
    run(fakes, env=env, apply_args=apply_args)  # never_asked
    assert "agency_email" not in fakes.tfvars.read_text(encoding="utf-8")


def test_the_address_is_checked_with_the_pattern_terraform_validates_it_with() -> None:
    (validation,) = load().variables["agency_email"]["validation"]
    # In HCL source each backslash of the pattern is doubled.
    assert f'regex("{AGENCY_EMAIL_PATTERN}"'.replace("\\", "\\\\") in validation["condition"]


def test_the_deployment_output_names_every_field_the_script_reads() -> None:
    assert set(load().outputs["deployment"]["value"]) == set(DEPLOYMENT)
    assert load().outputs["deployment"]["value"]["agency_email"] == "${var.agency_email}"


def test_an_output_without_agency_email_still_deploys_and_a_missing_name_is_named(fakes: Fakes) -> None:
    fakes.set("versions", "projects/1/secrets/ogust-keys/versions/1")
    older = {k: v for k, v in DEPLOYMENT.items() if k not in ("agency_email", "worker_service_account")}
    fakes.outputs(older)
    out, _ = run(fakes)
    assert "ALERT_EMAIL     the agency office address" in out
    assert "worker" not in out
    fakes.outputs({k: v for k, v in older.items() if k != "webhook_url"})
    with pytest.raises(DeployError, match=r"terraform output `deployment` lacks webhook_url$"):
        run(fakes)
