"""A first mapping written from a form's questions (`forms-to-ogust init`).

The usual French questions of a home-care form (civilité, nom, prénom, e-mail, téléphones, adresse in
one box or several, code postal, ville, date de naissance…) are recognised by their titles — accents,
case and punctuation ignored — and mapped onto Ogust fields with the steps that make Ogust's values
canonical. Every other question goes into one readable comment template. What could not be decided
is written as a `TO CHECK` comment in the file, next to the line it concerns.

Pure: a form description in, YAML text out. The command checks the text with `validate`.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from shared.mapping.form import LAYOUT_TYPES, FormDescription, FormItem
from shared.mapping.load import parse_mapping
from shared.mapping.model import MappingFile
from shared.mapping.text import squash
from shared.ogust import Target

_Take = Callable[[str], "FormItem | None"]
"""Takes the first question of a role, once."""

TO_CHECK = "TO CHECK:"

DRIVE_LINK = "https://drive.google.com/open?id="
"""What a file answer's Drive id is written after, so the office opens the file from Ogust."""

_JOB_APPLICATION = re.compile(
    r"candidature|recrutement|postuler|offre d.emploi|job application", re.IGNORECASE
)
"""A form title that says applicants, not customers, answer it."""

"""How the draft marks what it could not decide (the consultant searches the file for it)."""

_TITLE_CODES = {
    "madame": "Mme",
    "mme": "Mme",
    "mrs": "Mme",
    "mademoiselle": "Mme",
    "mlle": "Mme",
    "monsieur": "M.",
    "m": "M.",
    "mr": "M.",
    "madame et monsieur": "Mme et M.",
    "monsieur et madame": "Mme et M.",
    "m et mme": "Mme et M.",
    "mme et m": "Mme et M.",
}
"""Civility answers → Ogust title codes (`M.`, `Mme`, and `Mme et M.` for a couple)."""

_TEXT_DATE_INPUTS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
"""A date typed in a text box: the French ways first, then ISO."""

_NOT_A_PERSON = frozenset(
    [
        "entreprise",
        "societe",
        "structure",
        "association",
        "employeur",
        "enfant",
        "enfants",
        "medecin",
        "contact",
        "referent",
        "prescripteur",
        "conjoint",
        "tuteur",
        "aidant",
        "pere",
        "mere",
        "fils",
        "fille",
    ]
)
"""A 'nom' question about someone or something else than the customer."""

_NO_ANSWER_TYPES = LAYOUT_TYPES


def words_of(title: str) -> list[str]:
    """'Né(e) le' → ['ne', 'e', 'le']: accents, case and punctuation ignored."""
    plain = unicodedata.normalize("NFKD", title)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).casefold()
    return re.sub(r"[^0-9a-z]+", " ", plain).split()


def role_of(item: FormItem) -> str | None:
    """What a question asks, as far as its title tells: a role below, or None (it goes to the comment)."""
    if item.type in _NO_ANSWER_TYPES or item.type in {"GRID", "CHECKBOX_GRID", "CHECKBOX", "FILE_UPLOAD"}:
        return None
    words = words_of(item.title)
    text = " " + " ".join(words) + " "
    has = set(words)
    if has & {"mail", "email", "courriel"} or " e mail " in text:
        return "email"
    if "naissance" in has or text.startswith((" ne le ", " nee le ", " ne e le ")):
        if "lieu" in has or "ville" in has:
            return "place_of_birth"
        if "nom" in has:
            return "maiden_name"
        return "date_of_birth"
    if "civilite" in has or (item.choices and _mostly_civilities(item.choices)):
        return "title"
    if has & _NOT_A_PERSON:
        return None
    if ("nom" in has and "prenom" in has) or " nom complet " in text:
        return "full_name"
    if "prenom" in has:
        return "first_name"
    if "nom" in has:
        return "last_name"
    if has & {"telephone", "tel", "portable", "mobile", "gsm", "cellulaire", "fixe"}:
        if has & {"fixe", "domicile"}:
            return "landline"
        if has & {"portable", "mobile", "gsm", "cellulaire"}:
            return "mobile_phone"
        return "phone"
    if "complement" in has or has & {"batiment", "etage", "appartement"}:
        return "supplement"
    if " code postal " in text or "cp" in has:
        return "zip"
    if has & {"ville", "commune", "localite"}:
        return "city"
    if has & {"adresse", "rue", "domicile"}:
        return "address"
    if "digicode" in has or " code porte " in text or " code d acces " in text:
        return "door_code"
    if "interphone" in has:
        return "intercom_code"
    return None


def _mostly_civilities(choices: Sequence[str]) -> bool:
    known = [c for c in choices if " ".join(words_of(c)) in _TITLE_CODES]
    return len(known) >= 2 and len(known) * 2 > len(choices)


@dataclass
class _Field:
    """One field of the draft: its YAML lines (under the field name) and its comments."""

    name: str
    lines: list[str]
    notes: list[str] = field(default_factory=list)
    question: str = ""
    """The title of the question it comes from ('' for the comment template and meta sources)."""


@dataclass
class Draft:
    """The draft's text and what the consultant has to check."""

    text: str
    recognised: dict[str, str]
    """Ogust field → the question title it comes from."""
    to_check: list[str]
    """Every `TO CHECK` note of the file, in order."""

    MARK: ClassVar[str] = TO_CHECK
    """What starts each point to check in the file, and on the terminal that lists them."""

    def mapping(self) -> MappingFile:
        """The draft read as a mapping (MappingError if it is not a valid one), for the doctor."""
        return parse_mapping(self.text)


def draft_mapping(
    form: FormDescription,
    *,
    source: str,
    on_create: Mapping[str, str] | None = None,
    on_create_origin: str | None = None,
    notes: Sequence[str] = (),
) -> Draft:
    """The YAML of a first mapping for `form`.

    `on_create`: the create-only codes the doctor found for the account (None: a comment says to run
    the doctor); `on_create_origin`: a label of the account's `customer.origin` list to send too;
    `notes`: what the caller could not decide either, for the file's TO CHECK list.
    """
    roles: dict[str, list[FormItem]] = {}
    for item in form.items:
        role = role_of(item) if item.item_id is not None or item.title.strip() else None
        if role is not None:
            roles.setdefault(role, []).append(item)
    fields: list[_Field] = []
    used: set[int] = set()
    to_check: list[str] = []

    def take(role: str) -> FormItem | None:
        items = roles.get(role) or []
        if not items:
            return None
        if len(items) > 1:
            others = ", ".join(f"« {i.title} »" for i in items[1:])
            to_check.append(
                f"{others} also look(s) like {role.replace('_', ' ')}: only « {items[0].title} » is mapped, "
                "the other(s) go in the comment"
            )
        used.add(id(items[0]))
        return items[0]

    job = _JOB_APPLICATION.search(form.title or "") is not None
    if job:
        to_check.append(
            "this looks like a job application: drafted as entity: employee, so each applicant becomes "
            "an Ogust worker (intervenant) of nature Candidat, never a customer; the nature code C is a "
            "guess: `forms-to-ogust doctor --mapping THIS_FILE` reads your account's (its workers check)"
        )
    _names(take, fields, roles, used)
    fields.extend(_contact(take, roles, used, form))
    fields.extend(_address(take, roles))
    for role in ("maiden_name", "date_of_birth", "place_of_birth", "door_code", "intercom_code"):
        found = take(role)
        if found is not None:
            fields.append(_simple(role, found))
    rest = [i for i in form.items if id(i) not in used and i.type not in _NO_ANSWER_TYPES]
    comment = _comment(form, rest, to_check)
    if comment is not None:
        fields.append(comment)
    if job:  # a worker has no door code, customer type or origin
        fields = [f for f in fields if Target.parse(f.name).known_to("employee")]
        on_create, on_create_origin = {}, None
    names = {f.name for f in fields}
    creates = "last_name" in names
    if not creates:
        to_check.append(
            "no question was recognised as the last name (Nom), which Ogust needs to create a customer: "
            "the draft only updates customers already in Ogust (if_not_found: skip)"
        )
    lookup: list[str] = [n for n in ("email", "mobile_phone", "landline") if n in names]
    for f in fields:
        to_check.extend(f.notes)
    to_check.extend(notes)
    if creates and on_create is None:
        to_check.append(
            "on_create: the codes Ogust needs to create a customer are not known yet (see the end)"
        )
    head = _head(form, source, lookup, to_check, creates, rest, job=job)
    body = _body(fields, on_create if creates else {}, on_create_origin)
    if job and creates:
        body += [
            "    on_create:                 # sent only when the applicant is new to Ogust",
            f"      nature: C                # {TO_CHECK} Candidat's code is a guess: the doctor reads yours",
        ]
    text = "\n".join(head + body) + "\n"
    return Draft(text, {f.name: f.question for f in fields if f.question}, to_check)


# ── recognised questions ──────────────────────────────────────────────────────────────────────


def _names(take: _Take, fields: list[_Field], roles: dict[str, list[FormItem]], used: set[int]) -> None:
    title = take("title")
    if title is not None:
        fields.append(_civility(title))
    last, first = roles.get("last_name"), roles.get("first_name")
    if last or first or not roles.get("full_name"):
        for role, steps in (("last_name", "[trim, upper]"), ("first_name", "[trim, title_case]")):
            item = take(role)
            if item is not None:
                lines = [f"steps: {steps}", *(["required: true"] if role == "last_name" else [])]
                fields.append(_rule(role, item, lines))
        return
    full = take("full_name")
    assert full is not None
    words = words_of(full.title)
    last_first = "nom" in words and "prenom" in words and words.index("nom") < words.index("prenom")
    order = ", order: last_first" if last_first else ""
    fields.append(_rule("first_name", full, [f"steps: [{{split_name: first{order}}}, title_case]"]))
    fields.append(
        _rule("last_name", full, [f"steps: [{{split_name: last{order}}}, upper]", "required: true"])
    )


def _civility(item: FormItem) -> _Field:
    table: dict[str, str] = {}
    unknown: list[str] = []
    notes: list[str] = []
    for choice in item.choices or ("Madame", "Monsieur"):
        code = _TITLE_CODES.get(" ".join(words_of(choice)))
        if code is None:
            unknown.append(choice)
        elif code == "Mme" and words_of(choice)[0] in {"mademoiselle", "mlle"}:
            notes.append(
                f"title: « {choice} » is sent as Mme (Ogust's titles known here: M., Mme, Mme et M.)"
            )
            table[choice] = code
        else:
            table[choice] = code
    if not table:  # no choice is a civility: the usual answers, in case the question is typed freely
        table = {"Madame": "Mme", "Monsieur": "M."}
    entries = ", ".join(f"{_plain(k, flow=True)}: {_plain(v, flow=True)}" for k, v in table.items())
    lines = ["steps:", f"  - map: {{{entries}}}", '    fallback: ""']
    if unknown:
        shown = ", ".join(f"« {c} »" for c in unknown)
        notes.append(f"title: the answer(s) {shown} have no Ogust title: they give none (fallback)")
    if not item.choices:
        notes.append(
            f"title: « {item.title} » is typed freely: answers other than Madame/Monsieur give no title"
        )
    return _rule("title", item, lines, notes)


def _contact(
    take: _Take, roles: dict[str, list[FormItem]], used: set[int], form: FormDescription
) -> list[_Field]:
    found: list[_Field] = []
    email = take("email")
    collected = "meta: respondent_email    # the address Google collects, when the form collects them"
    if email is None:
        note = (
            "email: no question asks for it; the address Google collects is used (the form must collect it)"
        )
        found.append(_Field("email", [collected, "steps: [email]"], [note]))
    else:
        lines = ["coalesce:", f"  - answer: {_ref(email)}", f"  - {collected}", "steps: [email]"]
        found.append(_Field("email", lines, question=email.title))
    mobile, landline = take("mobile_phone"), take("landline")
    for phone in roles.get("phone", []):  # "Téléphone": the mobile, unless the form asks for it too
        if mobile is None:
            mobile = phone
        elif landline is None:
            landline = phone
        else:
            continue  # a third number: the comment keeps it
        used.add(id(phone))
    for name, number in (("mobile_phone", mobile), ("landline", landline)):
        if number is not None:
            found.append(_rule(name, number, ["steps: [{phone: national, on_invalid: omit}]"]))
    return found


def _address(take: _Take, roles: dict[str, list[FormItem]]) -> list[_Field]:
    line, supplement, zip_code, city = take("address"), take("supplement"), take("zip"), take("city")
    found: list[_Field] = []
    if line is not None and zip_code is None and city is None:
        note = "main_address: one box for the whole address, split at its postal code (split_address)"
        found.append(_rule("main_address.line", line, ["steps: [{split_address: line, on_invalid: keep}]"]))
        found.append(_rule("main_address.zip", line, ["steps: [{split_address: zip, on_invalid: omit}]"]))
        found.append(
            _rule(
                "main_address.city", line, ["steps: [{split_address: city, on_invalid: omit}, upper]"], [note]
            )
        )
    elif line is not None:
        found.append(_rule("main_address.line", line, ["steps: [trim]"]))
    if supplement is not None:
        found.append(_rule("main_address.supplement", supplement, ["steps: [trim]"]))
    if zip_code is not None:
        found.append(_rule("main_address.zip", zip_code, ["steps: [{postal_code: null, on_invalid: keep}]"]))
    if city is not None:
        found.append(_rule("main_address.city", city, ["steps: [trim, upper]"]))
    return found


def _simple(name: str, item: FormItem) -> _Field:
    if name == "maiden_name":
        return _rule(name, item, ["steps: [trim, upper]"])
    if name != "date_of_birth":
        return _rule(name, item, ["steps: [trim]"])
    inputs = ["%Y-%m-%d"] if item.type == "DATE" else _TEXT_DATE_INPUTS
    shown = ", ".join(json.dumps(i) for i in inputs)
    lines = ["steps:", "  - date: ogust        # YYYYMMDD, how Ogust writes dates", f"    input: [{shown}]"]
    return _rule(name, item, [*lines, "    on_invalid: omit"])


def _comment(form: FormDescription, rest: list[FormItem], to_check: list[str]) -> _Field | None:
    """Every other answered question, one `[[ – Question : {{Question}}]]` part each."""
    parts: list[str] = []
    titles = Counter(squash(item.title).casefold() for item in form.items)
    for item in rest:
        label = squash(re.sub(r"[\[\]{}|\"\\]", " ", item.title)) or "Question"
        if _nameable(item.title) and titles[squash(item.title).casefold()] == 1:
            slot = item.title.strip()
        elif item.item_id is not None:
            slot = f"#{item.item_id}"
        else:
            to_check.append(f"« {item.title} » cannot be named in a template: it is left out of the comment")
            continue
        shaped = " | date" if item.type == "DATE" else ""
        # A file stays in the form owner's Drive (Ogust has no public API for documents): its link.
        drive = DRIVE_LINK if item.type == "FILE_UPLOAD" else ""
        parts.append(f"[[ – {label} : {drive}{{{{{slot}{shaped}}}}}]]")
    if not parts:
        return None
    heading = re.sub(r"[\[\]{}|\"\\]", "", form.title).strip() or "Formulaire"
    template = "{{@date}} – " + heading + "".join(parts)
    return _Field(
        "comment",
        [f"template: {json.dumps(template, ensure_ascii=False)}", "steps: [trim]", "on_update: append"],
    )


# ── the text ──────────────────────────────────────────────────────────────────────────────────


def _head(
    form: FormDescription,
    source: str,
    lookup: list[str],
    to_check: list[str],
    creates: bool,
    rest: list[FormItem],
    *,
    job: bool = False,
) -> list[str]:
    out = [
        f"# Draft mapping for the form « {form.title or form.form_id} », written by `forms-to-ogust init`",
        f"# from {source}.",
        "# Read it, then check it: `forms-to-ogust validate` and `forms-to-ogust preview`.",
        "# Reference: docs/mapping.md",
    ]
    if to_check:
        out.append(f"# {len(to_check)} point(s) to check (search for {TO_CHECK}):")
        out += [f"#   {TO_CHECK} {note}" for note in to_check]
    out += [
        "version: 1",
        "forms:",
        f"  - name: {_plain(form.title or form.form_id)}",
        f"    form_id: {_plain(form.form_id)}",
    ]
    if job:
        out.append(
            "    entity: employee         # applicants become Ogust workers (candidates), not customers"
        )
    out.append("    reconcile: true          # the form's responses are read too: no answer is lost")
    out.append("    tracking_tab: true       # each answer's fate, in French, in a tab of its response sheet")
    keys = ", ".join(lookup)
    said = {"email": "e-mail", "mobile_phone": "mobile phone", "landline": "landline"}
    who = "candidate" if job else "customer"
    out.append(f"    lookup: [{keys}]   # the {who} is found by {', else '.join(said[k] for k in lookup)}")
    if not creates:
        out.append("    if_not_found: skip       # no name to create anyone with: known customers only")
    return out + _skip_hint(rest)


def _body(fields: list[_Field], on_create: Mapping[str, str] | None, origin: str | None) -> list[str]:
    out = ["    fields:"]
    for f in fields:
        out.append(f"      {f.name}:")
        out += [f"        {line}" for line in f.lines]
    return out + _on_create(on_create, origin)


def _on_create(on_create: Mapping[str, str] | None, origin: str | None) -> list[str]:
    if on_create is None:
        return [
            f"    # {TO_CHECK} what Ogust needs to create a customer and the form does not ask (the customer",
            "    # type, the exoneration…) is not known yet: run `forms-to-ogust doctor --mapping THIS_FILE`",
            "    # with the agency's Ogust keys, or `forms-to-ogust init --ogust`, then add e.g.:",
            "    # on_create:",
            "    #   type: C",
            "    #   exoneration: D",
        ]
    lines = [f"      {name}: {_plain(value)}" for name, value in on_create.items()]
    if origin is not None:
        lines += ["      origin:", f"        value: {_plain(origin)}", "        ogust_list: customer.origin"]
    if not lines:
        return []
    return [
        "    on_create:                 # sent only when the person is new to Ogust (from the doctor)",
        *lines,
    ]


def _skip_hint(rest: list[FormItem]) -> list[str]:
    """A question whose choices include a mere request for information: how to skip those answers."""
    for item in rest:
        for choice in item.choices:
            if {"information", "informations", "renseignement", "renseignements"} & set(words_of(choice)):
                return [
                    f"    # {TO_CHECK} « {item.title} » offers « {choice} »: to create no",
                    "    # customer for those answers, uncomment:",
                    "    # skip_when:",
                    f"    #   answer: {_plain(item.title)}",
                    f"    #   equals: {_plain(choice)}",
                ]
    return []


def _rule(name: str, item: FormItem, lines: list[str], notes: Sequence[str] = ()) -> _Field:
    """A field taking `item`'s answer, then `lines` (its steps and options)."""
    return _Field(name, [f"answer: {_ref(item)}", *lines], list(notes), item.title)


def _ref(item: FormItem) -> str:
    title = _plain(item.title, flow=True)
    if item.item_id is not None:
        return f"{{id: {item.item_id}, title: {title}}}"
    return title if _nameable(item.title) else f"{{title: {title}}}"


def _nameable(title: str) -> bool:
    """Whether a bare title names this question: not an id (`123`, `#123`), a value (`@date`), empty,
    nor holding what a template reads as syntax (brackets, braces, `|`, quotes, backslashes)."""
    text = title.strip()
    return bool(text) and not re.fullmatch(r"#?\d+|@.*", text) and not re.search(r"[\[\]{}|\"\\]", text)


_PLAIN = re.compile(r"[A-Za-zÀ-ÿ0-9][\wÀ-ÿ '’().\-/]*")
_YAML_WORDS = frozenset({"true", "false", "yes", "no", "on", "off", "null", "y", "n"})


def _plain(text: str, *, flow: bool = False) -> str:
    """`text` as a YAML scalar: bare when it reads back as itself, else double-quoted."""
    bare = (
        _PLAIN.fullmatch(text) is not None
        and text.strip() == text
        and text.casefold() not in _YAML_WORDS
        and not re.fullmatch(r"[0-9.\-]+", text)
        and not (flow and "," in text)
    )
    return text if bare else json.dumps(text, ensure_ascii=False)
