"""The Sheets client against the fake Sheets API over a real socket: values read, written in one
batch, appended; the tab and its checkboxes created; every failure turned into our own error."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from shared.errors import ConfigError, DeliveryUnavailableError
from shared.sheets import SheetsClient
from sheets_sandbox import SheetsSandbox
from tests.support.sheets import SPREADSHEET_ID

TAB = "Suivi Ogust"


@pytest.fixture
def client(sheets_api: SheetsSandbox) -> Iterator[SheetsClient]:
    with SheetsClient(sheets_api.url) as sheets:
        yield sheets


def new_tab(client: SheetsClient) -> int:
    (reply,) = client.batch_update(SPREADSHEET_ID, [{"addSheet": {"properties": {"title": TAB}}}])
    return int(reply["addSheet"]["properties"]["sheetId"])


def test_a_new_tab_gets_its_own_gid_listed_by_title(client: SheetsClient) -> None:
    gid = new_tab(client)
    assert client.sheet_ids(SPREADSHEET_ID) == {"Réponses au formulaire 1": 0, TAB: gid}


def test_rows_appended_come_back_after_the_last_one_with_their_range(client: SheetsClient) -> None:
    new_tab(client)
    client.update_values(SPREADSHEET_ID, [(f"'{TAB}'!A1:C1", [["Date", "Personne", "État"]])])
    written = client.append_values(
        SPREADSHEET_ID, f"'{TAB}'!A:C", [["03/12/2026 10:15", "Mme Zoé L'Hôte", "créé"]]
    )
    assert written == f"'{TAB}'!A2:C2"
    written = client.append_values(
        SPREADSHEET_ID, f"'{TAB}'!A:C", [["03/12/2026 10:16", "M. Jean-François Ïsnard", "refusé"]]
    )
    assert written == f"'{TAB}'!A3:C3"
    assert client.get_values(SPREADSHEET_ID, f"'{TAB}'!A2:C")[1] == [
        "03/12/2026 10:16",
        "M. Jean-François Ïsnard",
        "refusé",
    ]


def test_a_ticked_checkbox_reads_as_a_boolean_and_an_untouched_one_as_nothing(
    client: SheetsClient, sheets_api: SheetsSandbox
) -> None:
    gid = new_tab(client)
    client.batch_update(
        SPREADSHEET_ID,
        [
            {
                "setDataValidation": {
                    "range": {"sheetId": gid, "startRowIndex": 1, "startColumnIndex": 2, "endColumnIndex": 3},
                    "rule": {"condition": {"type": "BOOLEAN"}},
                }
            }
        ],
    )
    client.update_values(SPREADSHEET_ID, [(f"'{TAB}'!A2:C3", [["a", "b", False], ["c", "d", False]])])
    sheets_api.set_cell(SPREADSHEET_ID, TAB, "C3", True)  # she ticks the second box
    assert client.get_values(SPREADSHEET_ID, f"'{TAB}'!A2:C") == [["a", "b", False], ["c", "d", True]]
    tab = sheets_api.tab(SPREADSHEET_ID, TAB)
    assert tab is not None
    assert tab.checkbox_columns == {2}


def test_a_batch_of_writes_is_one_write_request(client: SheetsClient, sheets_api: SheetsSandbox) -> None:
    new_tab(client)
    client.update_values(SPREADSHEET_ID, [(f"'{TAB}'!A{n}", [[f"ligne {n}"]]) for n in range(1, 40)])
    assert sheets_api.calls()["spreadsheets.values.batchUpdate"] == 1
    assert len(sheets_api.rows(SPREADSHEET_ID, TAB)) == 39


def test_the_quota_spent_is_a_429_reported_as_unavailable_then_the_next_minute_works(
    client: SheetsClient, sheets_api: SheetsSandbox
) -> None:
    new_tab(client)
    sheets_api.set_quota(writes=2)
    client.update_values(SPREADSHEET_ID, [(f"'{TAB}'!A1", [["un"]])])
    with pytest.raises(DeliveryUnavailableError, match="429 RESOURCE_EXHAUSTED"):
        client.update_values(SPREADSHEET_ID, [(f"'{TAB}'!A2", [["deux"]])])
    sheets_api.next_minute()
    client.update_values(SPREADSHEET_ID, [(f"'{TAB}'!A2", [["deux"]])])
    assert sheets_api.rows(SPREADSHEET_ID, TAB) == [["un"], ["deux"]]


def test_a_spreadsheet_not_shared_names_it_and_who_to_share_it_with(
    client: SheetsClient, sheets_api: SheetsSandbox
) -> None:
    sheets_api.share(SPREADSHEET_ID, False)
    with pytest.raises(ConfigError, match=f"spreadsheet '{SPREADSHEET_ID}'.*share the spreadsheet with"):
        client.sheet_ids(SPREADSHEET_ID)


@pytest.mark.parametrize("status", [500, 503])
def test_a_server_error_or_a_dropped_connection_is_unavailable(
    client: SheetsClient, sheets_api: SheetsSandbox, status: int
) -> None:
    sheets_api.inject_status(status, method="spreadsheets.values.get")
    with pytest.raises(DeliveryUnavailableError, match=str(status)):
        client.get_values(SPREADSHEET_ID, "A1:B2")
    sheets_api.inject_drop()
    with pytest.raises(DeliveryUnavailableError, match="did not answer"):
        client.get_values(SPREADSHEET_ID, "A1:B2")


def test_an_unknown_tab_is_a_config_error_with_the_api_message(client: SheetsClient) -> None:
    with pytest.raises(ConfigError, match="Unable to parse range"):
        client.get_values(SPREADSHEET_ID, "'Onglet inconnu'!A1")


class Credentials:
    """Service-account credentials as google-auth gives them: a token, refreshed when invalid."""

    service_account_email = "forms-to-ogust-worker@agence-exemple.iam.gserviceaccount.com"

    def __init__(self) -> None:
        self.token: str | None = None
        self.refreshed = 0

    @property
    def valid(self) -> bool:
        return self.token is not None

    def refresh(self, request: object) -> None:
        self.refreshed += 1
        self.token = f"ya29.jeton-{self.refreshed}"


def test_the_service_account_token_goes_with_each_call_and_403_names_its_email() -> None:
    seen: list[str | None] = []

    def google(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("Authorization"))
        error = {"code": 403, "message": "The caller does not have permission", "status": "PERMISSION_DENIED"}
        return httpx.Response(403, json={"error": error})

    credentials = Credentials()
    with SheetsClient(credentials=credentials, transport=httpx.MockTransport(google)) as sheets:
        for _ in range(2):
            with pytest.raises(ConfigError, match="share the spreadsheet with forms-to-ogust-worker@"):
                sheets.get_values(SPREADSHEET_ID, "A1")
    assert seen == ["Bearer ya29.jeton-1", "Bearer ya29.jeton-1"]
    assert credentials.refreshed == 1


def test_a_spreadsheet_shared_with_one_service_account_refuses_another_naming_it(
    sheets_api: SheetsSandbox,
) -> None:
    from tests.support.sheets import ServiceAccount

    reconciler = "forms-to-ogust-reconciler@agence-exemple.iam.gserviceaccount.com"
    worker = "forms-to-ogust-worker@agence-exemple.iam.gserviceaccount.com"
    sheets_api.share_with(SPREADSHEET_ID, reconciler)
    with SheetsClient(sheets_api.url, credentials=ServiceAccount(reconciler)) as shared:
        assert "Réponses au formulaire 1" in shared.sheet_ids(SPREADSHEET_ID)
    with (
        SheetsClient(sheets_api.url, credentials=ServiceAccount(worker)) as other,
        pytest.raises(ConfigError, match="share the spreadsheet with forms-to-ogust-worker@"),
    ):
        other.sheet_ids(SPREADSHEET_ID)
    with SheetsClient(sheets_api.url) as anonymous, pytest.raises(ConfigError, match="403 PERMISSION_DENIED"):
        anonymous.sheet_ids(SPREADSHEET_ID)
