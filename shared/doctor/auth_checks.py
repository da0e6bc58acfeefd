"""The account's authentication: which getToken variant it accepts, and its real KO texts
(docs/ogust-api.md §2, §8, §9)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from shared.doctor.report import Check
from shared.ogust import BodyEncoding, ClientOptions, Reply

if TYPE_CHECKING:
    from shared.doctor.account import AccountProbe

PROBE_TOKEN = "0" * 40
"""What a token looks like (40 characters, docs/ogust-api.md §2), but one Ogust never issued."""
UNKNOWN_METHOD = "getFormsToOgustDoctor"
"""A method Ogust cannot have, for its real "unknown method" KO text."""
UNKNOWN_LIST = "customer.forms_to_ogust_doctor"
"""A list key Ogust cannot have, for a real data KO text."""
ENCODING_NAMES = {"json": "JSON body", "form": "form body"}
NEVER = "(?!)"
"""A regular expression that matches nothing."""


def check_token(probe: AccountProbe) -> bool:
    """getToken as configured; when refused, which variant (clock, body) this account accepts."""
    enc, zone = probe.options.body_encoding, probe.options.token_timezone
    other_enc: BodyEncoding = "form" if enc == "json" else "json"
    other_zone = "UTC" if zone == "Europe/Paris" else "Europe/Paris"
    variants: list[tuple[BodyEncoding, str]] = [
        (enc, zone),
        (enc, other_zone),
        (other_enc, zone),
        (other_enc, other_zone),
    ]
    answers = {variant: probe.raw.get_token(*variant) for variant in variants}
    accepted = [v for v in variants if answers[v].ok and answers[v].envelope.get("token")]  # type: ignore[union-attr]
    details = {
        "accepted": [_variant(v) for v in accepted],
        "refused": {_variant(v): answers[v].message for v in variants if v not in accepted},
    }
    configured = answers[variants[0]]
    if variants[0] in accepted:
        others = [_variant(v) for v in accepted[1:]]
        also = f"; also accepted: {', '.join(others)}" if others else "; no other variant accepted"
        probe.report.add(
            Check("token", "ok", f"getToken accepted ({_variant(variants[0])}){also}", details=details)
        )
        return True
    if accepted:
        best_enc, best_zone = accepted[0]
        probe.raw.use(best_enc, best_zone)
        probe.recommend(body_encoding=best_enc, token_timezone=best_zone)
        fixes = []
        if best_enc != enc:
            fixes.append(f"set OGUST_BODY_ENCODING={best_enc}")
        if best_zone != zone:
            fixes.append(f"set OGUST_TOKEN_TIMEZONE={best_zone}")
        probe.report.add(
            Check(
                "token",
                "failed",
                f"getToken refused as configured ({_variant(variants[0])}: «{configured.message}»), "
                f"accepted with {_variant(accepted[0])}",
                fixes,
                details,
            )
        )
        return True
    fixes = [
        "check OGUST_PUBLIC_KEY and OGUST_PRIVATE_KEY (or the OGUST_KEYS_SECRET secret): the public key "
        "is on the company page (fiche société) of the Ogust account, the private key beside it "
        "(docs/ogust-api.md §2)",
        "check the host clock is on time (NTP): getToken's time is signed",
    ]
    if configured.http_status in (401, 403) and configured.envelope is None:
        fixes.append(
            "HTTP 401/403 without an Ogust answer: the account may allow listed IP addresses only "
            "(docs/ogust-api.md §5 quirk 6); ask Ogust to allow the function's egress address"
        )
    probe.report.add(
        Check(
            "token",
            "failed",
            f"Ogust refused the keys in every variant (clock × body): «{configured.message}»",
            fixes,
            details,
        )
    )
    return False


def check_ko_texts(probe: AccountProbe) -> None:
    """The real KO texts of a bad token, an unknown method and an unknown list, and whether the
    token-refused pattern tells the first from the others (docs/ogust-api.md §8, §9)."""
    bad = probe.raw.call("getList", {"key": "customer.origin"}, token=PROBE_TOKEN)
    unknown = probe.raw.call(UNKNOWN_METHOD)
    data = probe.raw.call("getList", {"key": UNKNOWN_LIST})
    details = {
        "badToken": ko_details(bad),
        "unknownMethod": ko_details(unknown),
        "unknownList": ko_details(data),
        "pattern": probe.options.token_error_pattern,
    }
    if not bad.ko:
        probe.report.add(
            Check(
                "ko-texts",
                "warning",
                f"a call with a token Ogust never issued did not answer KO ({bad.message or 'OK'}): "
                "the token-refused text cannot be read",
                details=details,
            )
        )
        return
    others = [a.message for a in (unknown, data) if a.ko]
    pattern = re.compile(probe.options.token_error_pattern, re.IGNORECASE)
    fixes: list[str] = []
    verdict = "ok"
    summary = f"bad token: «{bad.message}» (HTTP {bad.http_status}); unknown method: «{unknown.message}»"
    if pattern.search(bad.message) is None or any(pattern.search(m) for m in others):
        proposed = token_pattern_for(bad.message)
        clean = re.compile(proposed, re.IGNORECASE)
        if any(clean.search(m) for m in others):
            summary = (
                f"Ogust answers a bad token like other errors («{bad.message}»): "
                "an expired token cannot be told from a data refusal"
            )
            fixes.append(
                "set OGUST_TOKEN_ERROR_PATTERN='(?!)' (never matches): a refused token is then a "
                "refusal, parked with Ogust's message, rather than a data KO repeated"
            )
            probe.recommend(token_error_pattern=NEVER)
        else:
            missed = pattern.search(bad.message) is None
            summary = (
                f"the token-refused pattern {'misses' if missed else 'also matches other KOs than'} "
                f"Ogust's text «{bad.message}»" + ("" if missed else f" ({others[0]})")
            )
            fixes.append(f"set OGUST_TOKEN_ERROR_PATTERN={proposed!r} (recommended below)")
            probe.recommend(token_error_pattern=proposed)
        verdict = "failed"
    server_ko = [
        name
        for name, a in (("bad token", bad), ("unknown method", unknown), ("unknown list", data))
        if a.ko and a.http_status >= 500
    ]
    if server_ko and verdict == "ok":
        verdict = "warning"
        summary += f"; KO came with HTTP 5xx ({', '.join(server_ko)})"
        fixes.append(
            "Ogust sends KO with a server error status: the client takes those for Ogust being down "
            "and retries them (a data refusal is never parked); tell the project, this needs a setting"
        )
    probe.report.add(Check("ko-texts", verdict, summary, fixes, details))  # type: ignore[arg-type]


def token_pattern_for(text: str) -> str:
    """A pattern for exactly this token-refused text (numbers as \\d+), or the default's words."""
    exact = re.sub(r"\d+", r"\\d+", re.escape(text.strip()))
    return f"^{exact}$|{ClientOptions().token_error_pattern}"


def _variant(variant: tuple[str, str]) -> str:
    encoding, zone = variant
    return f"{ENCODING_NAMES[encoding]}, {zone} time"


def ko_details(answer: Reply) -> dict[str, Any]:
    """The HTTP status, envelope status and message of an answer, for the details."""
    return {
        "http": answer.http_status,
        "status": "KO" if answer.ko else "OK" if answer.ok else None,
        "message": answer.message,
    }
