"""The Forms API client against the fake Forms API, over a real socket: pages, filters, watches,
and every failure turned into our own error with what a person needs."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from forms_sandbox import FormsSandbox
from shared.errors import ConfigError, DeliveryUnavailableError
from shared.forms import FormsClient
from shared.forms._model import SCOPES, rfc3339
from shared.google._auth import GoogleCredentials
from tests.support.forms_fixtures import FORM_ID, QUESTION_IDS

START = datetime(2026, 11, 28, 9, 15, tzinfo=UTC)
EMAIL = "reconciler@agence-exemple.iam.gserviceaccount.com"


@pytest.fixture
def client(forms_api: FormsSandbox) -> Any:
    with FormsClient(forms_api.url, sleep=lambda _: None) as forms:
        yield forms


def fill(forms_api: FormsSandbox, count: int) -> list[str]:
    ids = []
    for n in range(count):
        response = forms_api.add_response(
            FORM_ID,
            {QUESTION_IDS[1002]: f"Dupont-{n}", QUESTION_IDS[1004]: f"c.dupont{n}@exemple.fr"},
            submitted_at=START + timedelta(seconds=n, microseconds=250),
        )
        ids.append(response["responseId"])
    return ids


def test_every_response_comes_in_pages_the_fake_caps(forms_api: FormsSandbox, client: FormsClient) -> None:
    ids = fill(forms_api, 7)
    forms_api.set_page_cap(3)
    pages = list(client.response_pages(FORM_ID))
    assert [len(p) for p in pages] == [3, 3, 1]
    assert sorted(r["responseId"] for p in pages for r in p) == sorted(ids)
    tokens = [r["query"].get("pageToken") for r in forms_api.requests("forms.responses.list")]
    assert tokens[0] is None
    assert all(tokens[1:])
    assert len(set(tokens[1:])) == 2


def test_since_is_an_inclusive_filter_on_the_submission_time(
    forms_api: FormsSandbox, client: FormsClient
) -> None:
    fill(forms_api, 5)
    since = START + timedelta(seconds=2, microseconds=250)
    listed = [r for p in client.response_pages(FORM_ID, since=since) for r in p]
    assert len(listed) == 3  # the one at exactly `since` included
    (request,) = forms_api.requests("forms.responses.list")
    assert request["query"]["filter"] == "timestamp >= 2026-11-28T09:15:02.000250Z"
    assert rfc3339(START) == "2026-11-28T09:15:00.000Z"


def test_forms_get_gives_the_apps_script_ids_and_titles(client: FormsClient) -> None:
    form = client.get_form(FORM_ID)
    assert (form.form_id, form.title) == (FORM_ID, "Questionnaire de satisfaction")
    assert [(i.item_id, i.title) for i in form.items][:3] == [
        (1001, "Civilité"),
        (1002, "Nom"),
        (1003, "Prénom"),
    ]


def test_a_server_error_is_retried_then_reported_as_retryable(
    forms_api: FormsSandbox, client: FormsClient
) -> None:
    forms_api.inject_status(503, count=1, method="forms.get")
    assert client.get_form(FORM_ID).title  # one 503, then the retry succeeds
    forms_api.inject_status(503, count=3, method="forms.get")
    with pytest.raises(
        DeliveryUnavailableError, match=r"503 UNAVAILABLE: The service is currently unavailable"
    ):
        client.get_form(FORM_ID)
    assert forms_api.calls()["forms.get"] == 5


@pytest.mark.parametrize(("status", "name"), [(429, "RESOURCE_EXHAUSTED"), (500, "INTERNAL")])
def test_quota_and_internal_errors_are_retryable(
    forms_api: FormsSandbox, client: FormsClient, status: int, name: str
) -> None:
    forms_api.inject_status(status, count=3)
    with pytest.raises(DeliveryUnavailableError, match=f"{status} {name}"):
        list(client.response_pages(FORM_ID))


def test_a_dropped_connection_is_retryable(forms_api: FormsSandbox, client: FormsClient) -> None:
    fill(forms_api, 4)
    forms_api.set_page_cap(2)
    forms_api.inject_drop(count=3, method="forms.responses.list", skip=1)
    pages = client.response_pages(FORM_ID)
    assert len(next(pages)) == 2
    with pytest.raises(DeliveryUnavailableError, match=r"did not answer forms\.responses\.list"):
        next(pages)


def test_a_form_not_shared_names_the_form_and_who_to_share_it_with(
    forms_api: FormsSandbox, client: FormsClient
) -> None:
    forms_api.share(FORM_ID, False)
    with pytest.raises(ConfigError) as raised:
        list(client.response_pages(FORM_ID))
    message = str(raised.value)
    assert f"form '{FORM_ID}'" in message
    assert "403 PERMISSION_DENIED" in message
    assert "share the form with" in message
    assert forms_api.calls()["forms.responses.list"] == 1, "a refusal is not retried"


def test_a_wrong_form_id_is_a_configuration_error(client: FormsClient) -> None:
    with pytest.raises(
        ConfigError, match=r"form '1FormulaireInconnu' \(404 NOT_FOUND: Requested entity was not found.\)"
    ):
        client.get_form("1FormulaireInconnu")


def test_one_response_or_none(forms_api: FormsSandbox, client: FormsClient) -> None:
    (response_id,) = fill(forms_api, 1)
    found = client.get_response(FORM_ID, response_id)
    assert found is not None
    assert found["formId"] == FORM_ID
    assert client.get_response(FORM_ID, "2_ABaOnudAbsente") is None


def test_watches_are_created_listed_renewed_and_deleted(forms_api: FormsSandbox, client: FormsClient) -> None:
    topic = "projects/demo-agence/topics/forms-watch"
    created = client.create_watch(FORM_ID, topic)
    assert (created.event_type, created.topic, created.state) == ("RESPONSES", topic, "ACTIVE")
    assert client.server_time is not None
    assert created.expire_time is not None
    assert abs(created.expire_time - client.server_time - timedelta(days=7)) < timedelta(seconds=2)
    with pytest.raises(ConfigError, match="FAILED_PRECONDITION"):
        client.create_watch(FORM_ID, topic)  # one RESPONSES watch per form and project
    forms_api.advance(3 * 86400)
    renewed = client.renew_watch(FORM_ID, created.id)
    assert renewed.expire_time is not None
    assert renewed.expire_time - created.expire_time > timedelta(days=2.9)
    assert [w.id for w in client.watches(FORM_ID)] == [created.id]
    client.delete_watch(FORM_ID, created.id)
    assert client.watches(FORM_ID) == []


def test_the_api_clock_is_read_from_its_date_header(forms_api: FormsSandbox, client: FormsClient) -> None:
    forms_api.advance(10 * 86400)
    client.watches(FORM_ID)
    assert client.server_time is not None
    assert client.server_time - datetime.now(UTC) > timedelta(days=9.9)


def test_no_token_is_sent_to_a_local_fake(forms_api: FormsSandbox, client: FormsClient) -> None:
    client.get_form(FORM_ID)
    assert [r["token"] for r in forms_api.requests()] == [False]


class Credentials:
    """What google.auth.default() returns, as far as the client uses it: a token to refresh."""

    def __init__(self) -> None:
        self.token: str | None = None
        self.refreshed = 0
        self.service_account_email = "reconciler@agence-exemple.iam.gserviceaccount.com"

    @property
    def valid(self) -> bool:
        return self.token is not None

    def refresh(self, request: Any) -> None:
        self.refreshed += 1
        self.token = f"ya29.jeton-{self.refreshed}"


def test_a_service_account_token_is_sent_and_refreshed_once(forms_api: FormsSandbox) -> None:
    credentials = Credentials()
    seen: list[str | None] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("Authorization"))
        return httpx.Response(
            403,
            json={
                "error": {
                    "code": 403,
                    "message": "The caller does not have permission",
                    "status": "PERMISSION_DENIED",
                }
            },
        )

    with FormsClient(forms_api.url, credentials=credentials, transport=httpx.MockTransport(record)) as forms:
        for _ in range(2):
            with pytest.raises(ConfigError, match=re.escape(f"share the form with {EMAIL}")):
                forms.get_form(FORM_ID)
    assert seen == ["Bearer ya29.jeton-1", "Bearer ya29.jeton-1"]
    assert credentials.refreshed == 1


def test_google_credentials_fetch_their_token_through_httpx() -> None:
    """The google-auth transport we give it: a token request goes out through our httpx client."""
    calls: list[str] = []

    def metadata(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        if request.url.path.endswith("/token"):
            return httpx.Response(
                200, json={"access_token": "ya29.jeton", "expires_in": 3600, "token_type": "Bearer"}
            )
        return httpx.Response(200, json={"email": EMAIL, "scopes": list(SCOPES), "aliases": ["default"]})

    from google.auth import compute_engine

    with httpx.Client(transport=httpx.MockTransport(metadata)) as http:
        source = GoogleCredentials(http, compute_engine.Credentials(), scopes=SCOPES, api="Forms")
        assert source.header() == "Bearer ya29.jeton"
        # known once the metadata server said it; readable even in a masked log line
        assert source.principal == f"{EMAIL} (account 'reconciler' at agence-exemple.iam.gserviceaccount.com)"
    assert all(c.startswith("/computeMetadata/v1/instance/service-accounts/") for c in calls)
