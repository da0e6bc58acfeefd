"""The fake Forms API fails and pages the way the REST reference says the real one does (raw HTTP,
no client of ours in between)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from forms_sandbox import MAX_PAGE_SIZE, FormsSandbox
from tests.support.forms_fixtures import FORM_ID, QUESTION_IDS

T0 = datetime(2026, 11, 28, 9, 15, tzinfo=UTC)
TOPIC = "projects/demo-agence/topics/forms-watch"


def get(forms_api: FormsSandbox, path: str, **params: str) -> httpx.Response:
    return httpx.get(forms_api.url + path, params=params, timeout=10)


def post(forms_api: FormsSandbox, path: str, body: Any = None) -> httpx.Response:
    return httpx.post(forms_api.url + path, json=body, timeout=10)


def answer(name: str) -> dict[str, str]:
    return {QUESTION_IDS[1002]: name}


def test_greater_excludes_and_greater_or_equal_includes_the_same_timestamp(forms_api: FormsSandbox) -> None:
    for n in range(3):
        forms_api.add_response(FORM_ID, answer(f"Durand-{n}"), submitted_at=T0 + timedelta(seconds=n))
    path = f"/v1/forms/{FORM_ID}/responses"
    after = get(forms_api, path, filter="timestamp > 2026-11-28T09:15:01Z").json()["responses"]
    at_or_after = get(forms_api, path, filter="timestamp >= 2026-11-28T09:15:01.000000000Z").json()[
        "responses"
    ]
    assert len(after) == 1
    assert len(at_or_after) == 2
    assert all("formId" not in r for r in at_or_after), "list responses carry no formId"


@pytest.mark.parametrize(
    "bad", ["createTime > 2026-11-28T09:15:01Z", "timestamp > 28/11/2026", "timestamp < 2026-11-28T09:15:01Z"]
)
def test_an_unsupported_filter_is_invalid_argument_with_googles_body(
    forms_api: FormsSandbox, bad: str
) -> None:
    answer_ = get(forms_api, f"/v1/forms/{FORM_ID}/responses", filter=bad)
    assert answer_.status_code == 400
    error = answer_.json()["error"]
    assert (error["code"], error["status"]) == (400, "INVALID_ARGUMENT")
    assert "timestamp > N" in error["message"]


def test_page_size_zero_means_the_cap_and_a_token_goes_with_its_filter(forms_api: FormsSandbox) -> None:
    for n in range(5):
        forms_api.add_response(FORM_ID, answer(f"Martin-{n}"), submitted_at=T0 + timedelta(seconds=n))
    path = f"/v1/forms/{FORM_ID}/responses"
    assert len(get(forms_api, path, pageSize="0").json()["responses"]) == 5
    assert MAX_PAGE_SIZE == 5000
    first = get(forms_api, path, pageSize="2", filter="timestamp >= 2026-11-28T09:15:00Z").json()
    assert len(first["responses"]) == 2
    assert first["nextPageToken"]
    changed = get(forms_api, path, pageSize="2", pageToken=first["nextPageToken"])
    assert changed.status_code == 400
    assert changed.json()["error"]["status"] == "INVALID_ARGUMENT"


def test_the_service_may_return_fewer_than_asked(forms_api: FormsSandbox) -> None:
    for n in range(5):
        forms_api.add_response(FORM_ID, answer(f"Petit-{n}"), submitted_at=T0 + timedelta(seconds=n))
    forms_api.set_page_cap(2)
    page = get(forms_api, f"/v1/forms/{FORM_ID}/responses", pageSize="100").json()
    assert len(page["responses"]) == 2
    assert page["nextPageToken"]


def test_an_edit_keeps_create_time_and_moves_last_submitted_time(forms_api: FormsSandbox) -> None:
    created = forms_api.add_response(FORM_ID, answer("Leroy"), submitted_at=T0)
    forms_api.advance(3600)
    edited = forms_api.edit_response(FORM_ID, created["responseId"], answer("Leroy-Moreau"))
    assert edited["createTime"] == created["createTime"]
    assert edited["lastSubmittedTime"] > created["lastSubmittedTime"]
    got = get(forms_api, f"/v1/forms/{FORM_ID}/responses/{created['responseId']}").json()
    assert got["formId"] == FORM_ID
    assert got["answers"][QUESTION_IDS[1002]]["textAnswers"]["answers"] == [{"value": "Leroy-Moreau"}]


def test_unknown_form_is_not_found_and_unshared_form_is_permission_denied(forms_api: FormsSandbox) -> None:
    unknown = get(forms_api, "/v1/forms/1FormulaireInconnu")
    assert unknown.status_code == 404
    assert unknown.json() == {
        "error": {"code": 404, "message": "Requested entity was not found.", "status": "NOT_FOUND"}
    }
    forms_api.share(FORM_ID, False)
    denied = get(forms_api, f"/v1/forms/{FORM_ID}/responses")
    assert (denied.status_code, denied.json()["error"]["status"]) == (403, "PERMISSION_DENIED")


def watch_body(event_type: str = "RESPONSES", topic: str = TOPIC) -> dict[str, Any]:
    return {"watch": {"target": {"topic": {"topicName": topic}}, "eventType": event_type}}


def test_one_watch_per_event_type_per_form(forms_api: FormsSandbox) -> None:
    path = f"/v1/forms/{FORM_ID}/watches"
    assert post(forms_api, path, watch_body()).status_code == 200
    second = post(forms_api, path, watch_body())
    assert (second.status_code, second.json()["error"]["status"]) == (400, "FAILED_PRECONDITION")
    assert post(forms_api, path, watch_body("SCHEMA")).status_code == 200
    assert len(get(forms_api, path).json()["watches"]) == 2
    bad = post(forms_api, path, watch_body(topic="forms-watch"))
    assert bad.status_code == 400


def test_a_watch_expires_after_seven_days_unless_renewed(forms_api: FormsSandbox) -> None:
    path = f"/v1/forms/{FORM_ID}/watches"
    watch = post(forms_api, path, watch_body()).json()
    created = datetime.fromisoformat(watch["createTime"].replace("Z", "+00:00"))
    expires = datetime.fromisoformat(watch["expireTime"].replace("Z", "+00:00"))
    assert expires - created == timedelta(days=7)
    forms_api.advance(6 * 86400)
    renewed = post(forms_api, f"{path}/{watch['id']}:renew").json()
    assert datetime.fromisoformat(renewed["expireTime"].replace("Z", "+00:00")) - expires > timedelta(
        days=5.9
    )
    forms_api.advance(6.9 * 86400)
    assert len(get(forms_api, path).json()["watches"]) == 1
    forms_api.advance(0.2 * 86400)
    assert get(forms_api, path).json() == {}, "expired: gone from the list"
    late = post(forms_api, f"{path}/{watch['id']}:renew")
    assert (late.status_code, late.json()["error"]["status"]) == (404, "NOT_FOUND")
    assert httpx.delete(f"{forms_api.url}{path}/{watch['id']}", timeout=10).status_code == 404


def test_a_watch_notifies_new_and_edited_responses_without_their_data(forms_api: FormsSandbox) -> None:
    watch = post(forms_api, f"/v1/forms/{FORM_ID}/watches", watch_body()).json()
    response = forms_api.add_response(FORM_ID, answer("Bernard"))
    forms_api.edit_response(FORM_ID, response["responseId"], answer("Bernard-Petit"))
    expected = (TOPIC, {"eventType": "RESPONSES", "formId": FORM_ID, "watchId": watch["id"]})
    assert forms_api.notifications() == [expected, expected]


def test_faults_wait_their_turn_then_answer_like_google(forms_api: FormsSandbox) -> None:
    path = f"/v1/forms/{FORM_ID}"
    forms_api.inject_status(503, count=1, method="forms.get", skip=1)
    assert get(forms_api, path).status_code == 200
    failed = get(forms_api, path)
    assert failed.status_code == 503
    assert failed.json()["error"] == {
        "code": 503,
        "message": "The service is currently unavailable.",
        "status": "UNAVAILABLE",
    }
    assert get(forms_api, path).status_code == 200
    forms_api.inject_drop(method="forms.get")
    with pytest.raises(httpx.TransportError):
        get(forms_api, path)


def test_the_date_header_is_the_fakes_clock(forms_api: FormsSandbox) -> None:
    forms_api.advance(2 * 86400)
    answered = get(forms_api, f"/v1/forms/{FORM_ID}/watches")
    from email.utils import parsedate_to_datetime

    assert parsedate_to_datetime(answered.headers["Date"]) - datetime.now(UTC) > timedelta(days=1.9)


def test_the_control_api_adds_and_edits_responses(forms_api: FormsSandbox) -> None:
    added = post(
        forms_api,
        "/_sandbox/responses",
        {"formId": FORM_ID, "answers": answer("Roux"), "submittedAt": "2026-11-28T09:15:00.123456Z"},
    )
    assert added.json()["lastSubmittedTime"] == "2026-11-28T09:15:00.123456Z"
    edited = post(
        forms_api,
        "/_sandbox/responses/edit",
        {"formId": FORM_ID, "responseId": added.json()["responseId"], "submittedAt": "2026-11-29T10:00:00Z"},
    )
    assert edited.json()["lastSubmittedTime"] == "2026-11-29T10:00:00Z"
    state = get(forms_api, "/_sandbox/state").json()
    assert state["forms"][FORM_ID]["responses"] == 1
