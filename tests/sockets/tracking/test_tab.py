"""The tab "Suivi Ogust" over the fakes: one row per response whose state is the ledger's, through
a Sheets outage; a ticked refusal, once fixed, applied exactly once; a ticked applied answer costs
nothing; one notification line per refusal, with the row's link and no personal data."""

from __future__ import annotations

import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest

from shared.exactly_once._apply import apply_once
from shared.tracking import TAB_TITLE
from shared.tracking._tab import tab_gid
from shared.webhook import parse_submission
from tests.support.agency import SPREADSHEET_ID, Agency, notices
from tests.support.forms_fixtures import respondent

ACCEPTED = {"créé", "mis à jour", "inchangé", "ignoré"}


def twenty(agency: Agency) -> dict[str, str]:
    """Twenty answers of every kind, as the office would get them in a week; their ids by kind."""
    agency.ogust.seed_customer({"last_name": "JUMEAU", "first_name": "Paul", "email": "jumeaux@exemple.fr"})
    agency.ogust.seed_customer({"last_name": "JUMEAU", "first_name": "Pierre", "email": "jumeaux@exemple.fr"})
    people = {f"new{n}": respondent(n) for n in range(10)}
    first = respondent(0)["answers"]
    people["unchanged"] = respondent(10, **{a["title"]: a["value"] for a in first})
    people["updated"] = respondent(
        11,
        Nom="Lefèvre-1",
        Prénom="hélène",
        **{"Adresse e-mail": "client.1@exemple.fr", "Téléphone portable": "07 98 76 54 32"},
    )
    people["skipped"] = respondent(12, Commentaires="test interne, ne pas enregistrer")
    people["by_mapping"] = respondent(13, **{"Adresse e-mail": "client.13(at)exemple.fr"})
    people["by_ogust"] = respondent(14)
    people["ambiguous"] = respondent(15, **{"Adresse e-mail": "jumeaux@exemple.fr"})
    for n in (16, 17, 18, 19):
        people[f"late{n}"] = respondent(n)
    return {kind: agency.answer(payload) for kind, payload in people.items()}


def test_twenty_answers_through_a_sheets_outage_give_one_row_each_in_the_ledger_s_state(
    agency: Agency, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = twenty(agency)
    first = agency.reconcile()
    assert first["status"] == "reconciled"
    assert first["forms"][0]["tab"] == {"rows": 20, "resent": 0, "announced": 0}
    assert {cells[2] for _, cells in agency.rows().values()} == {"en attente"}

    agency.deliver({ids[f"new{n}"] for n in range(10)})  # rows written as each is applied
    assert {agency.rows()[ids[f"new{n}"]][1][2] for n in range(10)} == {"créé"}

    agency.sheets_api.set_quota(writes=0)  # the Sheets quota spent: 429 on every write
    agency.deliver({ids[k] for k in ("unchanged", "updated", "skipped", "by_mapping", "ambiguous")})
    agency.ogust.inject_ko("Le code postal 94240 est invalide", method="setCustomer")
    agency.deliver({ids["by_ogust"]})
    agency.ogust.inject_status(503, count=200)  # Ogust down
    agency.deliver({ids["late16"], ids["late17"]})
    assert agency.delivered == 13
    assert sorted(agency.parked) == sorted(ids[k] for k in ("by_mapping", "by_ogust", "ambiguous"))
    assert agency.rows()[ids["updated"]][1][2] == "en attente"  # the tab lags, no delivery did
    agency.sheets_api.set_quota()
    agency.sheets_api.next_minute()

    agency.reconcile()  # the tab back in line with the ledger
    tab = agency.rows()
    assert [tab[ids[k]][1][2] for k in ("late16", "late17")] == ["nouvel essai prévu"] * 2
    assert tab[ids["late18"]][1][2] == "en attente"

    agency.ogust.clear_faults()  # Ogust back: the retries and the last answers go through
    agency.deliver()
    agency.reconcile()
    tab = agency.rows()
    assert set(tab) == set(ids.values())  # exactly one row per response (rows() refuses a second)
    for response_id, (_, cells) in tab.items():
        assert cells[2] == agency.state(response_id), response_id
    states = {kind: tab[response_id][1][2] for kind, response_id in ids.items()}
    assert states["unchanged"] == "inchangé"
    assert states["updated"] == "mis à jour"
    assert states["skipped"] == "ignoré"
    assert [states[k] for k in ("by_mapping", "by_ogust", "ambiguous")] == ["refusé"] * 3
    assert {states[k] for k in ids if k.startswith(("new", "late"))} == {"créé"}
    assert len(agency.ogust.customers()) == 2 + 14

    _, by_mapping = tab[ids["by_mapping"]]
    assert by_mapping[1] == "Mme Hélène LEFÈVRE-13"  # the person, from the answers
    assert "« Adresse e-mail » (« client.13(at)exemple.fr »)" in by_mapping[4]
    assert "Le code postal 94240 est invalide" in tab[ids["by_ogust"]][1][4]
    customers = tab[ids["ambiguous"]][1][4]
    assert re.search(r"Fiches Ogust concernées : \d{9}, \d{9}\.", customers)
    assert tab[ids["new3"]][1][3].isdigit()  # the customer id in full
    assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", tab[ids["new3"]][1][0])

    out = capsys.readouterr().out
    sent = notices(out)
    assert sorted(n["responseId"] for n in sent) == sorted(
        ids[k] for k in ("by_mapping", "by_ogust", "ambiguous")
    )
    gid = tab_gid(SPREADSHEET_ID)
    for notice in sent:
        number = tab[notice["responseId"]][0]
        assert notice["link"] == (
            f"https://docs.google.com/spreadsheets/d/{SPREADSHEET_ID}/edit#gid={gid}&range=A{number}"
        )
        assert notice["form"] == "Questionnaire de satisfaction"
        assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", notice["submittedAt"])
        assert notice["reason"].startswith(("Cette réponse", "Ogust a refusé", "Plusieurs fiches"))
    assert "tab-failed" in out  # the outage was logged…
    for secret in (
        "client.1",
        "client.0",
        "exemple.fr",
        "LEFÈVRE",
        "Lefèvre",
        "06 12",
        "0612",
        "Jean-François",
        "Hélène",
    ):
        assert secret not in out, secret  # …and no log line carries personal data


def test_a_ticked_refusal_once_fixed_is_applied_exactly_once_and_its_box_cleared(
    agency: Agency, capsys: pytest.CaptureFixture[str]
) -> None:
    refused = agency.answer(respondent(1))
    agency.reconcile()
    agency.ogust.inject_ko("Le champ mobile_phone est invalide", method="setCustomer")
    agency.deliver()
    agency.reconcile()
    assert agency.rows()[refused][1][2] == "refusé"
    assert agency.rows()[refused][1][6] is False

    agency.forms_api.advance(7 * 24 * 3600 + 60)  # a week later: a dead letter would have expired
    agency.reconcile()
    assert agency.rows()[refused][1][2] == "refusé"  # the ledger, not the dead letter, says so

    agency.tick(refused)  # Ogust fixed meanwhile; she ticks "Renvoyer"
    answer = agency.reconcile()
    assert answer["forms"][0]["tab"]["resent"] == 1
    number, cells = agency.rows()[refused]
    assert (cells[2], cells[6]) == ("renvoyé", False)
    assert [m[1]["origin"] for m in agency.queue.messages] == ["replay"]

    agency.deliver()
    agency.reconcile()
    assert agency.rows()[refused][0] == number
    assert agency.rows()[refused][1][2] == "créé"
    created = [
        w
        for w in agency.ogust.writes()
        if w["method"] == "setCustomer" and not w["params"].get("id_customer")
    ]
    assert len(created) == 1
    assert len(notices(capsys.readouterr().out)) == 1  # refused once: one notification, not one per run


def test_ticking_an_answer_already_in_ogust_writes_nothing_and_says_so(agency: Agency) -> None:
    applied = agency.answer(respondent(2))
    agency.reconcile()
    agency.deliver()
    agency.reconcile()
    writes, published = len(agency.ogust.writes()), len(agency.queue.messages)
    agency.tick(applied)
    agency.reconcile()
    agency.deliver()
    _, cells = agency.rows()[applied]
    assert (cells[2], cells[4], cells[6]) == ("créé", "Déjà dans Ogust : rien à renvoyer.", False)
    assert len(agency.queue.messages) == published == 0
    assert len(agency.ogust.writes()) == writes


def test_a_spreadsheet_not_shared_never_fails_a_delivery_and_is_named_in_the_log(
    agency: Agency, capsys: pytest.CaptureFixture[str]
) -> None:
    agency.sheets_api.share(SPREADSHEET_ID, False)
    done = agency.answer(respondent(3))
    agency.reconcile()
    agency.deliver()
    assert agency.delivered == 1
    assert agency.state(done) == "créé"
    out = capsys.readouterr().out
    assert f"spreadsheet '{SPREADSHEET_ID}'" in out
    assert "share the spreadsheet with" in out
    agency.sheets_api.share(SPREADSHEET_ID, True)
    agency.reconcile()
    assert agency.rows()[done][1][2] == "créé"
    tab = agency.sheets_api.tab(SPREADSHEET_ID, TAB_TITLE)
    assert tab is not None
    assert (tab.checkbox_columns, tab.hidden_columns) == ({6}, {7})


def test_the_tab_costs_two_reads_a_reconciliation_and_a_read_and_a_write_a_delivery(
    agency: Agency,
) -> None:
    def spent(step: Callable[[], object]) -> tuple[int, int]:
        before = agency.sheets_api.calls()
        step()
        calls = agency.sheets_api.calls() - before
        reads = calls["spreadsheets.get"] + calls["spreadsheets.values.get"]
        return reads, sum(calls.values()) - reads

    for n in range(30):
        agency.answer(respondent(n))
    # The tab created (tab, checkboxes, hidden column; header), thirty rows appended with their boxes.
    assert spent(agency.reconcile) == (2, 4)
    assert spent(agency.deliver) == (30, 30)  # each delivery: its row found, its row written
    assert spent(agency.reconcile) == (2, 0)  # nothing changed since: nothing written


def test_a_sheets_outage_during_deliveries_loses_none_and_the_next_run_completes_the_tab(
    agency: Agency,
) -> None:
    ids = [agency.answer(respondent(n)) for n in range(6)]
    agency.sheets_api.inject_status(503, count=1000)  # Sheets down: every call answers 503
    agency.reconcile()
    agency.sheets_api.clear_faults()
    agency.sheets_api.inject_drop(count=1000)  # then worse: connections dropped
    agency.deliver()
    assert agency.delivered == 6
    assert len(agency.ogust.customers()) == 6
    assert agency.sheets_api.tab(SPREADSHEET_ID, TAB_TITLE) is None  # never written
    agency.sheets_api.clear_faults()
    agency.reconcile()
    tab = agency.rows()
    assert sorted(tab) == sorted(ids)
    assert {cells[2] for _, cells in tab.values()} == {"créé"}
    assert all(cells[1] and cells[3] for _, cells in tab.values())  # the person and the customer


def test_many_rows_to_name_are_read_in_pages_not_one_call_each(agency: Agency) -> None:
    for n in range(25):
        agency.answer(respondent(n))
    agency.sheets_api.inject_status(503, count=1000)
    agency.reconcile()
    agency.deliver()  # 25 in the ledger, none on the tab: as after a backfill or a long outage
    agency.sheets_api.clear_faults()
    before = agency.forms_api.calls()
    agency.reconcile()
    spent = agency.forms_api.calls() - before
    assert spent["forms.responses.get"] == 0
    assert spent["forms.responses.list"] == 2  # the reconciliation's own page, and one to name the rows
    tab = agency.rows()
    assert len(tab) == 25
    assert all(cells[1].startswith(("M. ", "Mme ")) for _, cells in tab.values())


def test_deliveries_at_once_never_write_a_response_twice_and_the_next_run_completes_the_tab(
    agency: Agency,
) -> None:
    ids = [agency.answer(respondent(n)) for n in range(16)]
    agency.reconcile()
    waiting, agency.queue.messages = agency.queue.messages, []
    twice = waiting + waiting  # every message delivered twice, all at once (a redelivery storm)

    def deliver(message: tuple[bytes, dict[str, str]]) -> None:
        submission = parse_submission(message[0])
        apply_once(submission, agency.mapping, agency.client, agency.runtime.guard(), source="reconcile")

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(deliver, twice))
    assert len(agency.ogust.customers()) == 16
    assert sorted(agency.rows()) == sorted(ids)  # rows() refuses a response on two rows
    agency.reconcile()
    tab = agency.rows()
    assert {cells[2] for _, cells in tab.values()} == {"créé"}
    assert all(cells[1] for _, cells in tab.values())
