"""Standard Webhooks v1 verification: one correctly signed request, then one broken thing per test."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest

from shared.errors import ConfigError, SignatureError
from shared.webhook import signed_headers, verify_signature
from shared.webhook.signature import decode_secret, sign

SECRET = "whsec_" + base64.b64encode(b"cle-secrete-de-test-32-octets!!!").decode()
OTHER_SECRET = "whsec_" + base64.b64encode(b"une-autre-cle-secrete-32-octets!").decode()
NOW = 1_795_000_000
BODY = '{"schemaVersion":1,"formId":"f","answers":[{"title":"Prénom","value":"Zoé"}]}'.encode()


def headers(**overrides: str) -> dict[str, str]:
    base = signed_headers(SECRET, "msg_2ABaOnud0001", BODY, timestamp=NOW)
    base.update(overrides)
    return base


def test_valid_signature_passes() -> None:
    verify_signature(headers(), BODY, [SECRET], now=NOW)


def test_signature_matches_an_independent_computation() -> None:
    key = base64.b64decode(SECRET.removeprefix("whsec_"))
    expected = hmac.new(key, b"msg_2ABaOnud0001.%d." % NOW + BODY, hashlib.sha256).digest()
    assert sign(SECRET, "msg_2ABaOnud0001", NOW, BODY) == "v1," + base64.b64encode(expected).decode()


def test_known_vector_from_the_standard_webhooks_spec() -> None:
    # The example of the Standard Webhooks reference libraries' test suites.
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    body = b'{"test": 2432232314}'
    assert sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body) == (
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    )


def test_headers_are_case_insensitive() -> None:
    upper = {k.upper(): v for k, v in headers().items()}
    verify_signature(upper, BODY, [SECRET], now=NOW)


def test_wrong_secret_is_refused() -> None:
    with pytest.raises(SignatureError, match="does not match"):
        verify_signature(headers(), BODY, [OTHER_SECRET], now=NOW)


def test_tampered_body_is_refused() -> None:
    with pytest.raises(SignatureError, match="does not match"):
        verify_signature(headers(), BODY.replace(b"Zo", b"Za"), [SECRET], now=NOW)


def test_stale_timestamp_is_refused() -> None:
    with pytest.raises(SignatureError, match="too old"):
        verify_signature(headers(), BODY, [SECRET], now=NOW + 301)


def test_future_timestamp_is_refused() -> None:
    with pytest.raises(SignatureError, match="future"):
        verify_signature(headers(), BODY, [SECRET], now=NOW - 301)


def test_timestamp_at_the_edge_of_tolerance_passes() -> None:
    verify_signature(headers(), BODY, [SECRET], now=NOW + 300)
    verify_signature(headers(), BODY, [SECRET], now=NOW - 300)


@pytest.mark.parametrize("name", ["webhook-id", "webhook-timestamp", "webhook-signature"])
def test_missing_header_is_refused_and_named(name: str) -> None:
    h = headers()
    del h[name]
    with pytest.raises(SignatureError, match=name):
        verify_signature(h, BODY, [SECRET], now=NOW)


@pytest.mark.parametrize(
    "signature",
    ["garbage", "v1,not-base64!!", "v1,a,b", "v2,abc=", ",", "v1,", "   ", "v1a,Zm9v"],
)
def test_malformed_signature_header_is_a_signature_error(signature: str) -> None:
    with pytest.raises(SignatureError):
        verify_signature(headers(**{"webhook-signature": signature}), BODY, [SECRET], now=NOW)


@pytest.mark.parametrize("timestamp", ["abc", "-5", "1.5e9", "١٢٣", "9" * 40, ""])
def test_malformed_timestamp_is_a_signature_error(timestamp: str) -> None:
    with pytest.raises(SignatureError, match="webhook-timestamp"):
        verify_signature(headers(**{"webhook-timestamp": timestamp}), BODY, [SECRET], now=NOW)


def test_malformed_id_is_a_signature_error() -> None:
    with pytest.raises(SignatureError, match="webhook-id"):
        verify_signature(headers(**{"webhook-id": "a.b"}), BODY, [SECRET], now=NOW)


def test_one_of_several_signatures_may_match_for_rotation() -> None:
    old = sign(OTHER_SECRET, "msg_2ABaOnud0001", NOW, BODY)
    both = f"{old} {headers()['webhook-signature']}"
    verify_signature(headers(**{"webhook-signature": both}), BODY, [SECRET], now=NOW)


def test_either_of_two_configured_secrets_is_accepted_during_rotation() -> None:
    verify_signature(headers(), BODY, [OTHER_SECRET, SECRET], now=NOW)


def test_secret_must_be_whsec_base64() -> None:
    with pytest.raises(ConfigError, match="whsec_"):
        decode_secret("whsec_%%%not-base64")
    with pytest.raises(ConfigError, match="too short"):
        decode_secret("whsec_" + base64.b64encode(b"short").decode())
