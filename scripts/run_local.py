"""`make run`: the whole path on this machine, with no Google or Ogust account.

Starts the Ogust sandbox and the function (functions-framework, as Cloud Functions runs it) as
separate processes, sends the example submissions signed as the Apps Script sender signs them,
and shows what each one did in Ogust.

Then, when the Google Cloud SDK's Pub/Sub and Firestore emulators are installed, reconciliation:
the same answers are in a fake Forms API form, plus one the script never sent; `reconcile_forms`
(as Cloud Scheduler calls it) finds it and queues it, the worker creates the customer; a watch
notification brings in one more; `forms-to-ogust status` says where every answer is. Last, the
agency's tab "Suivi Ogust" in the form's response spreadsheet (a fake Sheets API): an answer Ogust
refuses, with its reason in French; the fix, the ticked "Renvoyer" box, and the answer arriving on
the next run.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from pathlib import Path
from typing import Any

import httpx

from forms_sandbox import form_from_apps_script_export
from scripts.processes import Child, NotAnswering, free_port, wait_until_answered
from shared.tracking import HEADER, TAB_TITLE
from shared.webhook import signed_headers
from sheets_sandbox import SheetsSandbox

ROOT = Path(__file__).resolve().parents[1]
MAIN = ROOT / "functions" / "forms_to_ogust" / "main.py"
PUBLIC_KEY, PRIVATE_KEY = "01234567890123456789", "0123456789ABCDEF"
SDK_ROOT = Path("/usr/lib/google-cloud-sdk")
PROJECT = "demo-forms-to-ogust"
EMULATORS = {
    "pubsub": ("platform/pubsub-emulator/bin/cloud-pubsub-emulator", []),
    "firestore": ("platform/cloud-firestore-emulator/cloud_firestore_emulator", ["start"]),
}
NEVER_SENT = {
    "Civilité": "Madame",
    "Nom": "Dupont-Moreau",
    "Prénom": "élise",
    "Adresse e-mail": "elise.dupont-moreau@exemple.fr",
    "Téléphone portable": "06 98 76 54 32",
    "Adresse": "3, allée des Tilleuls",
    "Code postal": "94200",
    "Ville": "Ivry-sur-Seine",
    "Note globale (1 à 5)": "5",
    "Commentaires": "Réponse jamais envoyée par le script (son quota du jour était dépassé).",
}
SPREADSHEET_ID = "1RéponsesQuestionnaireSatisfactionAgence"
REFUSED_BY_OGUST = {
    **NEVER_SENT,
    "Nom": "Le Gall",
    "Prénom": "anne-sophie",
    "Adresse e-mail": "as.legall@exemple.fr",
    "Téléphone portable": "06 45 67 89 01",
    "Code postal": "94999",
    "Commentaires": "Ogust refuse d'abord son code postal.",
}
AFTER_WATCH = {
    **NEVER_SENT,
    "Civilité": "Monsieur",
    "Nom": "Benali",
    "Prénom": "karim",
    "Adresse e-mail": "k.benali@exemple.fr",
    "Téléphone portable": "07 61 23 45 67",
    "Commentaires": "Arrivée par la notification du formulaire.",
}


@contextmanager
def running(args: list[str], env: dict[str, str], url: str, name: str, limit: float = 30) -> Iterator[None]:
    """A child that answers HTTP for the duration of the block."""
    with Child.spawn(args, env, url, output=None) as child:
        try:
            wait_until_answered(child, limit=limit, interval=0.1)
        except NotAnswering as exc:
            raise SystemExit(f"{name} did not start: {exc}") from None
        yield


def function(target: str, port: int) -> list[str]:
    """functions-framework serving one entry point of main.py, as Cloud Functions runs it."""
    command = [sys.executable, "-m", "functions_framework", "--source", str(MAIN), "--target", target]
    return [*command, "--host", "127.0.0.1", "--port", str(port)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--mapping",
        default=str(ROOT / "examples" / "satisfaction.yaml"),
        help="the mapping the function runs (default: examples/satisfaction.yaml)",
    )
    parser.add_argument(
        "--submissions",
        default=str(ROOT / "examples" / "submissions"),
        help="a folder of schema v1 submissions (*.json), posted in name order "
        "(default: examples/submissions)",
    )
    parser.add_argument(
        "--form",
        default=str(ROOT / "examples" / "satisfaction-form.json"),
        help="the form's description, for the reconciliation part (default: examples/satisfaction-form.json)",
    )
    parser.add_argument("--no-reconcile", action="store_true", help="skip the reconciliation part")
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the servers running after the examples, to post your own (`forms-to-ogust send`)",
    )
    args = parser.parse_args(argv)
    # A SIGTERM (a terminal closed, `kill`, a CI timeout) stops every child like Ctrl-C does: each one
    # runs in its own session, so nobody else would stop the emulators and servers.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        return _run(args)
    except KeyboardInterrupt:
        print("\nstopped: every server and emulator was stopped", flush=True)
        return 130


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _run(args: argparse.Namespace) -> int:

    sandbox_port, function_port = free_port(), free_port()
    ogust_url = f"http://127.0.0.1:{sandbox_port}/api/v2/apiogust.php"
    function_url = f"http://127.0.0.1:{function_port}/"
    webhook_secret = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()
    env = {
        **os.environ,
        "OGUST_API_URL": ogust_url,
        "OGUST_PUBLIC_KEY": PUBLIC_KEY,
        "OGUST_PRIVATE_KEY": PRIVATE_KEY,
        "WEBHOOK_SECRET": webhook_secret,
        "MAPPING_FILE": args.mapping,
        "PYTHONUNBUFFERED": "1",
    }
    sandbox_cmd = [sys.executable, "-m", "ogust_sandbox", "--port", str(sandbox_port)]
    sandbox_cmd += ["--public-key", PUBLIC_KEY, "--private-key", PRIVATE_KEY]
    export = json.loads(Path(args.form).read_text(encoding="utf-8"))
    missing = "--no-reconcile" if args.no_reconcile else emulators_missing()
    if export["formId"] not in Path(args.mapping).read_text(encoding="utf-8"):
        missing = f"the mapping has no form '{export['formId']}' (--form)"

    with ExitStack() as stack:
        reconciling = None
        if missing is None:
            reconciling = stack.enter_context(Reconciling.started(env, export, args.mapping))
            reconciling.examples = Path(args.submissions)
            env = reconciling.env  # the receiver writes the shared ledger that reconciliation reads
        stack.enter_context(
            running(sandbox_cmd, env, f"http://127.0.0.1:{sandbox_port}/_sandbox/state", "the Ogust sandbox")
        )
        stack.enter_context(
            running(function("receive_submission", function_port), env, function_url, "the function")
        )
        print(f"\nOgust sandbox on {ogust_url}\nFunction on {function_url}\n", flush=True)
        failures = 0
        for path in sorted(Path(args.submissions).glob("*.json")):
            if reconciling is not None:
                reconciling.add_to_form(json.loads(path.read_bytes()))
            failures += send(function_url, webhook_secret, path)
        state_url = f"http://127.0.0.1:{sandbox_port}/_sandbox/state"
        show_customers(state_url)
        if reconciling is None:
            print(f"\nReconciliation: skipped ({missing}); see docs/reconciliation.md", flush=True)
        else:
            failures += reconciling.show(stack, state_url)
        if args.keep:
            # The line is printed inside the block: a Ctrl-C or SIGTERM sent once it is read is a stop.
            with suppress(KeyboardInterrupt):
                print(
                    "\nServers keep running (Ctrl-C stops them). Post your own submission (schema v1 JSON):\n"
                    "  .venv/bin/forms-to-ogust send examples/submissions/01-new-customer.json"
                    f" --url {function_url} --secret {webhook_secret}",
                    flush=True,
                )
                signal.pause()
            print("stopped", flush=True)
    return 1 if failures else 0


def send(function_url: str, secret: str, path: Path) -> int:
    """POST one example signed; return 1 when the function did not accept it."""
    body = path.read_bytes()
    response_id = json.loads(body)["responseId"]
    headers = {**signed_headers(secret, f"msg_{response_id}", body), "Content-Type": "application/json"}
    response = httpx.post(function_url, content=body, headers=headers, timeout=60)
    answer: dict[str, Any] = response.json()
    detail = ", ".join(answer.get("changed") or []) or answer.get("error", "")
    print(f"{path.name:32} → HTTP {response.status_code} {answer.get('status', ''):9} {detail}", flush=True)
    return 0 if response.is_success else 1


def show_customers(state_url: str) -> None:
    state = httpx.get(state_url, timeout=10).json()
    print("\nCustomers now in the (sandbox) Ogust:", flush=True)
    for c in state["customers"]:
        print(describe(c), flush=True)
    if state.get("employees"):  # a form with entity: employee (job applications → candidates)
        print("\nWorkers (intervenants) now in the (sandbox) Ogust:", flush=True)
        for w in state["employees"]:
            print(
                f"  nature {w['nature']}, number {w['number']}:" + describe(w, "id_employee")[1:], flush=True
            )
    writes = state.get("writes", [])
    print(f"\n{len(writes)} write(s) to Ogust: {', '.join(w['method'] for w in writes)}", flush=True)


def describe(c: dict[str, Any], id_field: str = "id_customer") -> str:
    a = c.get("main_address") or {}
    return (
        f"  #{c[id_field]} {c['title']} {c['first_name']} {c['last_name']} <{c['email']}> "
        f"{c['mobile_phone']} | {a.get('line', '')}, {a.get('zip', '')} {a.get('city', '')}"
        f"\n      comment: {c['comment']}"
    )


# ── reconciliation ──────────────────────────────────────────────────────────────────────────────


def respondents(
    questions: dict[int, tuple[str, str]], examples: Path
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """Three people who answer the form without the script (never sent, after the watch, refused by
    Ogust): the satisfaction form's own, else three made from the first example submission of this
    form with another e-mail and phone each (new to Ogust)."""
    titles = {title for title, _ in questions.values()}
    if set(NEVER_SENT) <= titles and set(REFUSED_BY_OGUST) <= titles:
        return NEVER_SENT, AFTER_WATCH, REFUSED_BY_OGUST
    first: dict[str, Any] = {}
    for path in sorted(examples.glob("*.json")):
        payload = json.loads(path.read_bytes())
        first = {a["title"]: a["value"] for a in payload.get("answers", []) if a.get("title") in titles}
        if first:
            break
    # Numbers no example uses: a phone lookup must not find an example customer.
    return (
        _another(first, "jamais.envoye", "06 11 22 33 01"),
        _another(first, "apres.notification", "06 11 22 33 02"),
        _another(first, "refus.ogust", "06 11 22 33 03"),
    )


def _another(answers: dict[str, Any], mailbox: str, phone: str) -> dict[str, Any]:
    """The same answers from someone else: each e-mail and phone number replaced."""
    changed: dict[str, Any] = {}
    for title, value in answers.items():
        if isinstance(value, str) and "@" in value:
            value = f"{mailbox}@exemple.fr"
        elif isinstance(value, str) and re.fullmatch(r"\+?[\d\s.()]{9,}", value.strip()):
            value = phone
        changed[title] = value
    return changed


def emulators_missing() -> str | None:
    """Why the reconciliation part cannot run here, or None."""
    root = Path(os.environ.get("CLOUDSDK_ROOT_DIR") or SDK_ROOT)
    for name, (relative, _) in EMULATORS.items():
        if not (root / relative).exists():
            return f"the {name} emulator of the Google Cloud SDK is not installed"
    if shutil.which("java") is None:
        return "the emulators need Java, and `java` is not on PATH"
    return None


class Reconciling:
    """The emulators, the fake Forms API, the worker and reconcile_forms, for the second part."""

    def __init__(self, env: dict[str, str], export: dict[str, Any], mapping: Path) -> None:
        self.env = env
        self.form = form_from_apps_script_export(export)
        self.form_id = str(export["formId"])
        self.questions = {
            int(i["itemId"], 16): (i["title"], i["questionItem"]["question"]["questionId"])
            for i in self.form["items"]
            if "questionItem" in i
        }
        self.mapping = mapping
        self.examples = ROOT / "examples" / "submissions"
        """The submissions posted: another form's two new respondents are made from the first."""
        self.ports = {name: free_port() for name in ("forms", "worker", "reconciler")}
        self.forms_url = f"http://127.0.0.1:{self.ports['forms']}"
        self.reconciler_url = f"http://127.0.0.1:{self.ports['reconciler']}/"
        self.sheets: SheetsSandbox | None = None

    @classmethod
    @contextmanager
    def started(cls, env: dict[str, str], export: dict[str, Any], mapping: str) -> Iterator[Reconciling]:
        with ExitStack() as stack:
            hosts = {}
            root = Path(os.environ.get("CLOUDSDK_ROOT_DIR") or SDK_ROOT)
            children = []
            for name, (relative, extra) in EMULATORS.items():
                port = free_port()
                hosts[name] = f"127.0.0.1:{port}"
                command = [str(root / relative), *extra, "--host=127.0.0.1", f"--port={port}"]
                children.append(
                    (name, stack.enter_context(Child.spawn(command, env, f"http://{hosts[name]}/")))
                )
            for name, child in children:  # both start at once: each takes a few seconds
                try:
                    wait_until_answered(child, limit=90, interval=0.2)
                except NotAnswering as exc:
                    raise SystemExit(f"the {name} emulator did not start: {exc}") from None
            tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="forms-to-ogust-")))
            reconciled = tmp / "mapping.yaml"
            text = Path(mapping).read_text(encoding="utf-8")
            marker = re.compile(rf"^(\s*)form_id: {re.escape(str(export['formId']))}\s*$", re.MULTILINE)
            reconciled.write_text(
                marker.sub(
                    lambda m: f"{m.group(0)}\n{m.group(1)}reconcile: true\n{m.group(1)}tracking_tab: true",
                    text,
                ),
                "utf-8",
            )
            shared_env = {
                **env,
                "PUBSUB_EMULATOR_HOST": hosts["pubsub"],
                "FIRESTORE_EMULATOR_HOST": hosts["firestore"],
                "GOOGLE_CLOUD_PROJECT": PROJECT,
                "LEDGER": "firestore",
                "MAPPING_FILE": str(reconciled),
            }
            os.environ.update({k: shared_env[k] for k in ("PUBSUB_EMULATOR_HOST", "FIRESTORE_EMULATOR_HOST")})
            reconciling = cls(shared_env, export, reconciled)
            reconciling.sheets = stack.enter_context(SheetsSandbox())
            reconciling.sheets.add_spreadsheet(SPREADSHEET_ID)
            reconciling.form["linkedSheetId"] = SPREADSHEET_ID  # the form's response spreadsheet
            # Every function finds the form's spreadsheet and writes the tab through the fakes.
            shared_env.update(
                FORMS_API_ENDPOINT=reconciling.forms_url, SHEETS_API_ENDPOINT=reconciling.sheets.url
            )
            reconciling.create_topics()
            forms_cmd = [sys.executable, "-m", "forms_sandbox", "--port", str(reconciling.ports["forms"])]
            stack.enter_context(
                running(
                    [*forms_cmd, "--notify-pubsub"],
                    shared_env,
                    f"{reconciling.forms_url}/_sandbox/state",
                    "the fake Forms API",
                )
            )
            httpx.post(
                f"{reconciling.forms_url}/_sandbox/forms", json=reconciling.form, timeout=10
            ).raise_for_status()
            yield reconciling

    def path(self, kind: str, name: str) -> str:
        return f"projects/{PROJECT}/{kind}/{name}"

    def create_topics(self) -> None:
        """Submissions (pushed to the worker), dead letters, and the topic the form's watch uses
        (pushed to reconcile_forms), as Terraform makes them in the cloud."""
        from google.cloud import pubsub_v1  # type: ignore[attr-defined]

        publisher, subscriber = pubsub_v1.PublisherClient(), pubsub_v1.SubscriberClient()
        for topic in ("form-submissions", "form-submissions-dead-letters", "forms-watch"):
            publisher.create_topic(name=self.path("topics", topic))
        subscriber.create_subscription(
            request={
                "name": self.path("subscriptions", "form-submissions-push"),
                "topic": self.path("topics", "form-submissions"),
                "push_config": {"push_endpoint": f"http://127.0.0.1:{self.ports['worker']}/"},
                "ack_deadline_seconds": 30,
                "enable_message_ordering": True,
                "dead_letter_policy": {
                    "dead_letter_topic": self.path("topics", "form-submissions-dead-letters"),
                    "max_delivery_attempts": 5,
                },
            }
        )
        subscriber.create_subscription(
            request={
                "name": self.path("subscriptions", "forms-watch-push"),
                "topic": self.path("topics", "forms-watch"),
                "push_config": {"push_endpoint": self.reconciler_url},
                "ack_deadline_seconds": 60,
            }
        )
        subscriber.create_subscription(
            request={
                "name": self.path("subscriptions", "form-submissions-dead-letters-sub"),
                "topic": self.path("topics", "form-submissions-dead-letters"),
            }
        )

    def add_to_form(self, payload: dict[str, Any]) -> None:
        """The answer the script sends is in the form too (the Forms API keeps every response)."""
        answers = {self.questions[a["itemId"]][1]: a["value"] for a in payload["answers"] if a["value"]}
        body = {
            "formId": self.form_id,
            "responseId": payload["responseId"],
            "submittedAt": payload["submittedAt"],
            "answers": answers,
        }
        httpx.post(f"{self.forms_url}/_sandbox/responses", json=body, timeout=10).raise_for_status()

    def respond(self, answers: dict[str, Any]) -> str:
        """Someone fills in the form (no script involved); returns the response id."""
        by_title = {title: qid for title, qid in self.questions.values()}
        given = {by_title[t]: v for t, v in answers.items() if t in by_title and v not in ("", [], None)}
        body = {"formId": self.form_id, "answers": given}
        answer = httpx.post(f"{self.forms_url}/_sandbox/responses", json=body, timeout=10)
        answer.raise_for_status()
        return str(answer.json()["responseId"])

    def show(self, stack: ExitStack, state_url: str) -> int:
        """Reconcile once as Cloud Scheduler would, then by a watch notification; 1 if either failed."""
        env = {**self.env, "DEAD_LETTER_TOPIC": "form-submissions-dead-letters"}
        worker = function("process_submission", self.ports["worker"])
        stack.enter_context(running(worker, env, f"http://127.0.0.1:{self.ports['worker']}/", "the worker"))
        reconcile_env = {
            **self.env,
            "SUBMISSIONS_TOPIC": "form-submissions",
            "FORMS_WATCH_TOPIC": self.path("topics", "forms-watch"),
            "FORMS_API_ENDPOINT": self.forms_url,
        }
        reconciler = function("reconcile_forms", self.ports["reconciler"])
        stack.enter_context(running(reconciler, reconcile_env, self.reconciler_url, "reconcile_forms"))
        print(
            f"\nReconciliation: fake Forms API on {self.forms_url}, reconcile_forms on {self.reconciler_url}",
            flush=True,
        )
        before = len(httpx.get(state_url, timeout=10).json()["customers"])
        never_sent_answers, after_watch_answers, _ = respondents(self.questions, self.examples)
        never_sent = self.respond(never_sent_answers)
        answer = httpx.post(self.reconciler_url, content=b"", timeout=120)
        summary = answer.json()
        form = (summary.get("forms") or [{}])[0]
        counts = f"{form.get('listed')} responses in the form, {form.get('alreadySettled')} already applied"
        print(
            f"reconcile_forms (Cloud Scheduler) → HTTP {answer.status_code}: {counts}, "
            f"{form.get('queued')} queued; watch {form.get('watch')}",
            flush=True,
        )
        failures = 0 if answer.is_success else 1
        failures += self.wait_for(
            state_url, before + 1, f"{never_sent} (never sent by the script) → created by reconciliation"
        )
        after_watch = self.respond(after_watch_answers)
        failures += self.wait_for(
            state_url, before + 2, f"{after_watch} → created after the form's watch notification"
        )
        self.status()
        self.status(never_sent)  # "did Mme Dupont's answer arrive?"
        return failures + self.tab_story(state_url)

    # ── the agency's tab ────────────────────────────────────────────────────────────────────────

    def tab_story(self, state_url: str) -> int:
        """What the office sees: a refusal in French, the fix, the ticked box, the answer arriving."""
        print(
            "\nThe agency's tab, as she sees it in the response spreadsheet (no terminal needed):", flush=True
        )
        assert self.sheets is not None
        print(
            f"(fake Sheets API on {self.sheets.url}; with --keep, tick a box yourself: POST "
            '/_sandbox/cell {"spreadsheetId", "tab": "Suivi Ogust", "cell": "G2", "value": true})',
            flush=True,
        )
        self.reconcile("the scheduled run writes every row from the ledger")
        self.print_tab()
        ko = {
            "fault": "ko",
            "method": "setCustomer",
            "message": "Le code postal 94999 n'existe pas",
            "count": 1,
        }
        httpx.post(state_url.replace("/state", "/faults"), json=ko, timeout=10).raise_for_status()
        _, _, refused_answers = respondents(self.questions, self.examples)
        refused = self.respond(refused_answers)
        print(
            "\nA new answer arrives (through the form's watch notification), and Ogust refuses it:",
            flush=True,
        )
        failures = self.wait_for_state(refused, "refusé")
        self.print_tab()
        print(
            "\nThe fix: the office corrects the postal code list in Ogust, then ticks « Renvoyer »"
            " on the row.",
            flush=True,
        )
        self.tick(refused)
        self.print_tab()
        self.reconcile("the next run reads the ticked box, reads the answer again and resends it")
        self.print_tab()
        failures += self.wait_for_state(refused, "créé", reconcile=True)
        self.print_tab()
        return failures

    def reconcile(self, why: str) -> None:
        answer = httpx.post(self.reconciler_url, content=b"", timeout=120)
        tab = ((answer.json().get("forms") or [{}])[0]).get("tab") or {}
        resent = f", {tab['resent']} resent" if tab.get("resent") else ""
        print(f"\nreconcile_forms ({why}) → HTTP {answer.status_code}{resent}", flush=True)

    def rows(self) -> list[list[Any]]:
        assert self.sheets is not None
        return self.sheets.rows(SPREADSHEET_ID, TAB_TITLE)

    def tick(self, response_id: str) -> None:
        assert self.sheets is not None
        number = next(
            n for n, row in enumerate(self.rows(), start=1) if len(row) > 7 and row[7] == response_id
        )
        self.sheets.set_cell(SPREADSHEET_ID, TAB_TITLE, f"G{number}", True)

    def wait_for_state(self, response_id: str, state: str, *, reconcile: bool = False) -> int:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if reconcile:  # the worker applied it; the next run brings the row in line
                httpx.post(self.reconciler_url, content=b"", timeout=120)
            if any(len(r) > 7 and r[7] == response_id and r[2] == state for r in self.rows()):
                return 0
            time.sleep(0.5)
        print(f"{response_id}: not « {state} » on the tab within 60 s", flush=True)
        return 1

    def print_tab(self) -> None:
        """The tab's seven columns (the eighth, the response id, is hidden); each reason on its line."""
        rows = self.rows()
        widths = (16, 34, 18, 12, 16, 8)
        header = [h for h in HEADER if h != "Motif"]
        print("  " + "  ".join(f"{h:<{w}}" for h, w in zip(header, widths, strict=True)), flush=True)
        for row in rows[1:]:
            cells = [*row, *[None] * (8 - len(row))]
            box = "☑" if cells[6] is True else "☐"
            shown = [cells[0], cells[1], cells[2], cells[3], cells[5], box]
            print(
                "  " + "  ".join(f"{c or '':<{w}.{w}}" for c, w in zip(shown, widths, strict=True)),
                flush=True,
            )
            if cells[4]:
                print(f"      Motif : {cells[4]}", flush=True)

    def wait_for(self, state_url: str, count: int, what: str) -> int:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            customers = httpx.get(state_url, timeout=10).json()["customers"]
            if len(customers) >= count:
                print(f"{what}:\n{describe(customers[-1])}", flush=True)
                return 0
            time.sleep(0.2)
        print(f"{what}: NOT within 60 s", flush=True)
        return 1

    def status(self, response_id: str | None = None) -> None:
        """`forms-to-ogust status [RESPONSE_ID]`, as an office manager would run it."""
        env = {
            **self.env,
            "DEAD_LETTER_SUBSCRIPTION": "form-submissions-dead-letters-sub",
            "FORMS_API_ENDPOINT": self.forms_url,
        }
        asked = [response_id] if response_id else []
        command = [sys.executable, "-c", "from cli.main import main; main()", "status", *asked, "--wait", "1"]
        print("\n$ forms-to-ogust status " + " ".join(asked), flush=True)
        done = subprocess.run(  # noqa: S603 (our own interpreter and arguments)
            command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
        )
        print(done.stdout + done.stderr, end="", flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
