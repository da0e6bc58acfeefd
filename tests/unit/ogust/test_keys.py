"""Keys, their redaction, and the getToken signature (docs/ogust-api.md §2)."""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import UTC, datetime

from shared.ogust import OgustKeys
from shared.ogust._keys import KeyProvider, StaticKeys, sign_token_request, token_time

KEYS = OgustKeys(public_key="01234567890123456789", private_key="0123456789ABCDEF")
TIME = "20190117141530.482913"
# Computed once, apart from Python, with:
#   printf '%s' '01234567890123456789+GET_TOKEN+20190117141530.482913' \
#     | openssl dgst -sha1 -hmac 0123456789ABCDEF          (then upper-cased)
OPENSSL_SIGNATURE = "95FF4D169AFD70A251EA173451005BCDD95ABE51"


def test_signature_is_uppercase_hmac_sha1_of_key_request_time() -> None:
    expected = hmac.new(b"0123456789ABCDEF", f"{KEYS.public_key}+GET_TOKEN+{TIME}".encode(), hashlib.sha1)
    assert sign_token_request(KEYS, TIME) == expected.hexdigest().upper()


def test_signature_matches_the_openssl_vector() -> None:
    assert sign_token_request(KEYS, TIME) == OPENSSL_SIGNATURE


def test_token_time_is_paris_wall_time_in_winter_and_summer() -> None:
    assert token_time(datetime(2024, 1, 15, 12, 0, 5, tzinfo=UTC)).startswith("20240115130005.")
    assert token_time(datetime(2024, 7, 1, 23, 30, tzinfo=UTC)).startswith("20240702013000.")


def test_token_time_takes_a_naive_datetime_as_paris_time() -> None:
    assert token_time(datetime(2024, 3, 9, 8, 7, 6)).startswith("20240309080706.")


def test_token_time_ends_with_six_random_digits() -> None:
    suffixes = {token_time().split(".")[1] for _ in range(50)}
    assert all(re.fullmatch(r"[1-9]\d{5}", suffix) for suffix in suffixes)
    assert len(suffixes) > 1


def test_keys_repr_and_str_never_show_the_keys() -> None:
    for keys in (KEYS, StaticKeys(KEYS.public_key, KEYS.private_key)):
        for shown in (repr(keys), str(keys), f"{keys}", repr([keys])):
            assert KEYS.private_key not in shown
            assert KEYS.public_key not in shown
            assert "0123…" in shown


def test_static_keys_is_a_key_provider_of_itself() -> None:
    static = StaticKeys("11112222333344445555", "AAAABBBBCCCCDDDD")
    assert isinstance(static, KeyProvider)
    static.invalidate()
    assert static.keys() == static
