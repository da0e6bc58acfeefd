"""scripts/go_live.py (`make deploy`), from an empty project to a live form, offline: fake `gcloud` and
`terraform` on PATH that record their calls and keep a little state (does the project exist, which APIs
are on, does the key secret have a version), and the doctor against the Ogust sandbox."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cli.main import main as cli_main
from cli.settings_file import read_settings
from ogust_sandbox import Sandbox
from scripts.deploy import DeployError
from scripts.go_live import Options, go_live, needed_apis
from tests.processes.infra.fake_tools import CallLog, install, never_asked

ROOT = Path(__file__).resolve().parents[3]
TF_DIR = ROOT / "infra" / "terraform"
EXAMPLES = ROOT / "examples"
PROJECT = "agence-les-tilleuls"
SERVICE_ACCOUNT = f"forms-to-ogust-recon@{PROJECT}.iam.gserviceaccount.com"
OUTPUTS = {
    "deployment": {
        "value": {
            "project": PROJECT,
            "region": "europe-west9",
            "webhook_url": "https://forms-to-ogust-receiver-abc-ew.a.run.app",
            "webhook_secret": "webhook-secret",
            "ogust_keys_secret": "ogust-keys",
            "receiver_service": "forms-to-ogust-receiver",
            "receiver_public_access": "allUsers",
            "reconciler_service_account": SERVICE_ACCOUNT,
        }
    },
    "cli_settings": {
        "value": {
            "GOOGLE_CLOUD_PROJECT": PROJECT,
            "FUNCTIONS_NAME": "forms-to-ogust",
            "LEDGER": "firestore",
            "FIRESTORE_DATABASE": "forms-to-ogust-ledger",
            "SUBMISSIONS_TOPIC": "form-submissions",
            "DEAD_LETTER_SUBSCRIPTION": f"projects/{PROJECT}/subscriptions/form-submissions-dead-letter-pull",
            "OGUST_API_URL": "https://api.ogust.com/api/v2/apiogust.php",
            "OGUST_KEYS_SECRET": "ogust-keys",
            "RECONCILE_JOB": "forms-to-ogust-reconcile",
            "RECONCILE_JOB_REGION": "europe-west9",
        }
    },
}

FAKE = """#!{python}
import json, os, sys
state = os.environ["FAKE_STATE"]
stdin = "" if sys.stdin is None or sys.stdin.isatty() else sys.stdin.read()
tool, args = os.path.basename(sys.argv[0]), sys.argv[1:]
with open(os.path.join(state, "calls.jsonl"), "a") as log:
    log.write(json.dumps({{"argv": [tool, *args], "stdin": stdin}}) + "\\n")
def path(name):
    return os.path.join(state, name)
def read(name, default=""):
    return open(path(name)).read() if os.path.exists(path(name)) else default
def write(name, text):
    open(path(name), "w").write(text)
line = " ".join(args)
if tool == "terraform":
    if line.endswith("output -json"):
        print(read("outputs"))
    sys.exit(0)
if line.startswith("auth list"):
    print("consultant@exemple.fr")
elif line.startswith("auth application-default print-access-token"):
    print("ya29.fake")
elif line.startswith("projects describe"):
    if not read("project"):
        print("ERROR: (gcloud.projects.describe) NOT_FOUND", file=sys.stderr)
        sys.exit(1)
    print(args[2])
elif line.startswith("projects create"):
    write("project", args[2])
elif line.startswith("billing projects describe"):
    print("True" if read("billing") else "False")
elif line.startswith("billing projects link"):
    write("billing", "1")
elif line.startswith("services list"):
    print(read("apis"))
elif line.startswith("services enable"):
    write("apis", read("apis") + "\\n" + "\\n".join(a for a in args[2:] if not a.startswith("--")))
elif line.startswith("secrets versions list"):
    print(read("versions"))
elif line.startswith("secrets versions add"):
    write("versions", "projects/1/secrets/ogust-keys/versions/1")
elif line.startswith("secrets versions access"):
    print("whsec_c2VjcmV0LWZvci10ZXN0cy1vbmx5LW5vdC1yZWFs")
"""

MAPPING_WITHOUT_CREATE_CODES = """\
version: 1
forms:
  - name: Demande de devis
    form_id: 1ContactDevisExemple2026
    reconcile: true
    lookup: email
    fields:
      last_name: {answer: Nom complet, steps: [{split_name: last}, upper]}
      email: {answer: E-mail, steps: [email]}
"""


class Fakes(CallLog):
    def __init__(self, root: Path) -> None:
        super().__init__(root)
        (self.state / "outputs").write_text(json.dumps(OUTPUTS), encoding="utf-8")

    def forget_calls(self) -> None:
        (self.state / "calls.jsonl").unlink(missing_ok=True)


@pytest.fixture
def fakes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Fakes:
    install(FAKE, tmp_path, monkeypatch)
    return Fakes(tmp_path)


def live(tmp_path: Path, sandbox: Sandbox, mapping: Path, **changes: Any) -> tuple[str, str]:
    given: dict[str, Any] = {
        "billing_account": "01ABCD-23EFGH-45IJKL",
        "tf_dir": TF_DIR,
        "settings": tmp_path / ".forms-to-ogust.env",
        "apply_args": ("-auto-approve",),
        **changes,
    }
    options = Options(project=PROJECT, mapping=mapping, **given)
    env = {
        **sandbox.settings,
        "TF_VAR_agency_email": "accueil@agence-les-tilleuls.fr",
    }
    out, err = io.StringIO(), io.StringIO()
    go_live(options, env=env, ask=never_asked, ask_text=never_asked, out=out, err=err)
    return out.getvalue(), err.getvalue()


def test_an_empty_project_becomes_a_live_form_in_one_command(
    tmp_path: Path, fakes: Fakes, sandbox: Sandbox
) -> None:
    out, err = live(tmp_path, sandbox, EXAMPLES / "quote-request.yaml")
    commands = fakes.commands()
    created = commands.index(f"gcloud projects create {PROJECT} --name=forms-to-ogust")
    linked = commands.index(f"gcloud billing projects link {PROJECT} --billing-account=01ABCD-23EFGH-45IJKL")
    (enabled,) = [c for c in commands if c.startswith("gcloud services enable")]
    applied = next(i for i, c in enumerate(commands) if c.startswith(f"terraform -chdir={TF_DIR} apply"))
    (stored,) = [c for c in fakes.calls() if c["argv"][1:4] == ["secrets", "versions", "add"]]
    ran = commands.index(
        f"gcloud scheduler jobs run forms-to-ogust-reconcile --location=europe-west9 --project={PROJECT}"
    )
    assert created < linked < commands.index(enabled) < applied < ran
    assert all(api in enabled for api in needed_apis(TF_DIR))
    assert f"-var=project_id={PROJECT}" in commands[applied]
    assert json.loads(stored["stdin"]) == {"public_key": sandbox.keys[0], "private_key": sandbox.keys[1]}
    for text in [*commands, out, err, (tmp_path / ".forms-to-ogust.env").read_text()]:
        assert sandbox.keys[1] not in text
    settings = read_settings(tmp_path / ".forms-to-ogust.env")
    assert settings["GOOGLE_CLOUD_PROJECT"] == PROJECT
    assert settings["LEDGER"] == "firestore"
    assert settings["DEAD_LETTER_SUBSCRIPTION"].endswith("dead-letter-pull")
    assert settings["MAPPING_FILE"] == str(EXAMPLES / "quote-request.yaml")
    assert settings["OGUST_KEYS_SECRET"] == "ogust-keys"
    assert f"share the form, and its response spreadsheet, with\n  {SERVICE_ACCOUNT} as an editor" in out
    assert "forms-to-ogust status" in out
    assert "Optional" in out
    assert "WEBHOOK_URL" in out
    assert sandbox.writes() == []


def test_a_create_the_account_refuses_stops_before_anything_is_deployed(
    tmp_path: Path, fakes: Fakes, sandbox: Sandbox
) -> None:
    sandbox.set_modes(required_on_create=("last_name", "type", "exoneration"))
    mapping = tmp_path / "devis.yaml"
    mapping.write_text(MAPPING_WITHOUT_CREATE_CODES, encoding="utf-8")
    with pytest.raises(DeployError, match="the doctor stops the deployment") as stopped:
        live(tmp_path, sandbox, mapping, write_test=True)
    assert "Nothing was deployed" in str(stopped.value)
    commands = fakes.commands()
    assert not [c for c in commands if c.startswith("terraform")]
    assert not [c for c in commands if "secrets versions add" in c]
    assert not (tmp_path / ".forms-to-ogust.env").exists()


def test_the_doctors_fixes_are_printed_when_it_stops(
    tmp_path: Path, fakes: Fakes, sandbox: Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    mapping = tmp_path / "devis.yaml"
    mapping.write_text(MAPPING_WITHOUT_CREATE_CODES, encoding="utf-8")
    options = Options(
        project=PROJECT, mapping=mapping, billing_account="x", tf_dir=TF_DIR, settings=tmp_path / "s"
    )
    env = {
        **sandbox.settings,
    }
    err = io.StringIO()
    with pytest.raises(DeployError, match="creates customers without type, exoneration"):
        go_live(options, env=env, ask=never_asked, ask_text=never_asked, out=io.StringIO(), err=err)
    assert "on_create: {type: C, exoneration: D}" in err.getvalue()


def test_a_rerun_changes_nothing(tmp_path: Path, fakes: Fakes, sandbox: Sandbox) -> None:
    live(tmp_path, sandbox, EXAMPLES / "quote-request.yaml")
    settings = (tmp_path / ".forms-to-ogust.env").read_bytes()
    fakes.forget_calls()
    _, err = live(tmp_path, sandbox, EXAMPLES / "quote-request.yaml")
    commands = fakes.commands()
    for creating in ("projects create", "billing projects link", "services enable", "secrets versions add"):
        assert not [c for c in commands if creating in c], creating
    assert (tmp_path / ".forms-to-ogust.env").read_bytes() == settings
    assert "settings: " in err
    assert "unchanged" in err
    assert sandbox.writes() == []


def test_an_unknown_project_without_billing_account_says_how_to_create_it(
    tmp_path: Path, fakes: Fakes, sandbox: Sandbox
) -> None:
    with pytest.raises(DeployError, match="--billing-account"):
        live(tmp_path, sandbox, EXAMPLES / "quote-request.yaml", billing_account=None)
    assert not [c for c in fakes.commands() if "projects create" in c]


def test_the_cli_reads_the_settings_file_deploy_wrote(tmp_path: Path, fakes: Fakes, sandbox: Sandbox) -> None:
    live(tmp_path, sandbox, EXAMPLES / "quote-request.yaml")
    fakes.forget_calls()
    env: dict[str, str | None] = {
        "FORMS_TO_OGUST_SETTINGS": str(tmp_path / ".forms-to-ogust.env"),
        **{name: None for name in read_settings(tmp_path / ".forms-to-ogust.env")},
    }
    result = CliRunner().invoke(cli_main, ["logs", "--since", "1h"], env=env)
    assert result.exit_code == 0, result.output
    (read,) = [c for c in fakes.calls() if c["argv"][1:3] == ["logging", "read"]]
    assert read["argv"][-2:] == ["--project", PROJECT]


def test_the_project_alone_can_be_prepared_before_the_mapping_exists(tmp_path: Path, fakes: Fakes) -> None:
    options = Options(
        project=PROJECT,
        mapping=Path(),
        billing_account="01ABCD-23EFGH-45IJKL",
        tf_dir=TF_DIR,
        prepare_only=True,
    )
    out = io.StringIO()
    go_live(options, env={}, ask=never_asked, ask_text=never_asked, out=out, err=io.StringIO())
    commands = fakes.commands()
    assert f"gcloud projects create {PROJECT} --name=forms-to-ogust" in commands
    assert any(c.startswith("gcloud services enable") and "forms.googleapis.com" in c for c in commands)
    assert commands[-1] == f"gcloud config set project {PROJECT}"
    assert not [c for c in commands if c.startswith("terraform") or "application-default" in c]


def test_once_shared_the_reconciler_runs_again_and_the_first_answers_state_is_shown(
    tmp_path: Path, fakes: Fakes, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(tmp_path / "no-credentials.json"))
    asked: list[str] = []

    def enter(prompt: str) -> str:
        asked.append(prompt)
        return ""

    options = Options(
        project=PROJECT,
        mapping=EXAMPLES / "quote-request.yaml",
        billing_account="01ABCD-23EFGH-45IJKL",
        tf_dir=TF_DIR,
        settings=tmp_path / ".forms-to-ogust.env",
        apply_args=("-auto-approve",),
        wait_for_share=True,
        settle_seconds=0,
    )
    env = {
        **sandbox.settings,
        "TF_VAR_agency_email": "accueil@agence-les-tilleuls.fr",
    }
    out = io.StringIO()
    go_live(options, env=env, ask=never_asked, ask_text=enter, out=out, err=io.StringIO())
    assert len(asked) == 1
    assert "shared" in asked[0]
    runs = [c for c in fakes.commands() if c.startswith("gcloud scheduler jobs run")]
    assert len(runs) == 2
    text = out.getvalue()
    state = text.split("The first answers' state:\n", 1)[1]
    # status's own words: the forms' counts, or (offline here: no Google credentials) why it cannot read them
    assert "credentials" in state or "Demande de devis" in state, state
