"""`forms-to-ogust init`: a first mapping for a form, from its questions, ready to read and correct.

The form is read from an exported description (a JSON file), or through the Forms API with the
consultant's own Google login (`gcloud auth application-default login`, with the Forms scope) from its
edit link or id. With `--ogust`, the doctor reads the agency's Ogust account (read only) first: its
verdicts are shown and the create-only codes go into the draft.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import click

from cli.exits import EXIT_PROBLEMS, fail
from cli.output import echo_findings
from shared.errors import ConfigError, OgustError
from shared.mapping import FormDescription, MappingFile, draft_mapping, validate

_EDIT_LINK = re.compile(r"/forms/(?:u/\d+/)?d/(?!e/)([A-Za-z0-9_-]{20,})")
_PUBLISHED_LINK = re.compile(r"/forms/(?:u/\d+/)?d/e/([A-Za-z0-9_-]+)")
_FORM_ID = re.compile(r"[A-Za-z0-9_-]{20,}")


def form_id_of(text: str) -> str:
    """The form id in an edit link (…/forms/d/<id>/edit) or the id itself; a respondent's link is refused."""
    text = text.strip()
    if _PUBLISHED_LINK.search(text):
        raise ConfigError(
            "this is the link respondents use (…/forms/d/e/…/viewform), not the form's own id: open the "
            "form in Google Forms (the pencil) and copy the address of that page (…/forms/d/<id>/edit)"
        )
    found = _EDIT_LINK.search(text)
    if found:
        return found[1]
    if _FORM_ID.fullmatch(text):
        return text
    raise ConfigError(
        f"{text!r} is neither a form description file, nor a form's edit link (…/forms/d/<id>/edit), "
        "nor a form id"
    )


def read_form(source: str) -> tuple[FormDescription, str]:
    """The form's description, and where it came from (for the draft's first lines)."""
    path = Path(source)
    if path.is_file():
        return FormDescription.read(path), path.name
    if path.suffix == ".json":
        raise ConfigError(f"form description {source} not found")
    form_id = form_id_of(source)
    from shared.forms import FormsClient

    endpoint = os.environ.get("FORMS_API_ENDPOINT", "").strip() or None
    with FormsClient(endpoint) as forms:
        return forms.get_form(form_id), f"the Forms API (form {form_id})"


@click.command("init")
@click.argument("form", metavar="FORM")
@click.option(
    "--out",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("mapping.yaml"),
    show_default=True,
    help="Where to write the draft.",
)
@click.option("--force", is_flag=True, help="Replace the file --out names if it exists.")
@click.option(
    "--ogust",
    is_flag=True,
    help="Ask the doctor first (read only; OGUST_API_URL and the keys, as for `doctor`): its verdicts are "
    "shown and the create-only codes go into the draft's on_create.",
)
def init_command(form: str, out: Path, force: bool, ogust: bool) -> None:
    """Write a draft mapping for FORM: an exported form description (JSON), the form's edit link, or its id.

    Civilité, nom, prénom, e-mail, téléphones, adresse, code postal, ville, date de naissance… are
    recognised and mapped with the steps Ogust needs; the other questions go into the comment. What
    could not be decided is marked TO CHECK in the file. An existing file is never replaced without --force.
    """
    if out.exists() and not force:
        fail(f"{out} exists: choose another --out, or add --force to replace it", EXIT_PROBLEMS)
    description, source = read_form(form)
    if not description.form_id:
        raise ConfigError(f"{form}: the description has no formId; export it again with its id")
    on_create: dict[str, str] | None = None
    origin: str | None = None
    notes: list[str] = []
    if ogust:
        first = draft_mapping(description, source=source)
        on_create, found, notes = _ask_the_doctor(first.mapping(), description.title)
        if isinstance(found, tuple):
            shown = ", ".join(f"« {label} »" for label in found)
            notes.append(
                f"on_create: the account's origins {shown} could all be this form's: add the right one"
            )
        else:
            origin = found
    draft = draft_mapping(
        description, source=source, on_create=on_create, on_create_origin=origin, notes=notes
    )
    report = validate(draft.text, name=str(out), form=description)
    out.write_text(draft.text, encoding="utf-8")
    click.echo(f"wrote {out}: form « {description.title} » ({description.form_id})")
    for field_name, question in draft.recognised.items():
        click.echo(f"  {field_name:<24} ← « {question} »")
    echo_findings(report.errors)
    echo_findings(report.warnings)
    for note in draft.to_check:
        click.echo(click.style(draft.MARK, fg="yellow", bold=True) + f" {note}")
    if not report.ok:
        sys.exit(EXIT_PROBLEMS)
    click.echo(f"next: read {out}, then `forms-to-ogust preview {out} SUBMISSION.json`")


def _ask_the_doctor(
    mapping: MappingFile, title: str
) -> tuple[dict[str, str], str | tuple[str, ...] | None, list[str]]:
    """The doctor's read-only verdicts on the account; the create-only codes and origin it suggests."""
    from cli.doctor_access import create_codes, diagnose
    from shared.config import Secrets, Settings, tool_ogust_client

    env = dict(os.environ)
    settings = Settings.from_env(env, role="tool")
    report = diagnose(settings, Secrets(settings, env), settings.ogust_options, mapping)
    if report.could_not_run:
        fail(f"the doctor could not run: {report.could_not_run}")
    for line in report.lines():
        click.echo(line, err=True)
    if report.verdict("token") == "failed" or report.verdict("search-shape") == "failed":
        fail(
            "the doctor found the account unusable as configured: fix what it says above, then run init again"
        )
    codes, notes = create_codes(report, title)
    try:
        with tool_ogust_client() as client:
            origins = client.get_list("customer.origin")
    except OgustError:
        origins = {}  # an account without this list: no origin in the draft
    return codes, origin_label(origins), notes


ORIGIN_HINTS = (r"formulaire|google", r"internet|site|web")
"""The labels of `customer.origin` that say "came through the form", best first."""


def origin_label(origins: dict[str, str]) -> str | tuple[str, ...] | None:
    """The one label of the account's origin list that names the form (or the web site); several equally
    good labels are returned all, for the consultant to choose."""
    for hint in ORIGIN_HINTS:
        found = tuple(label for label in origins.values() if re.search(hint, label, re.IGNORECASE))
        if len(found) == 1:
            return found[0]
        if found:
            return found
    return None
