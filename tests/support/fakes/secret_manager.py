"""A small Secret Manager over HTTP, for the real client's REST transport (docs/google-cloud.md §11)."""

from __future__ import annotations

import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote, urlsplit

import google_crc32c


class FakeSecretManager:
    """Serves `GET /v1/projects/P/secrets/S/versions/V:access`; secrets, denials and outages are settable."""

    def __init__(self) -> None:
        self.secrets: dict[str, list[str]] = {}
        self.denied: set[str] = set()
        self.unavailable = False
        self.requests: list[str] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def add_version(self, secret: str, value: str) -> None:
        self.secrets.setdefault(secret, []).append(value)

    def start(self) -> FakeSecretManager:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _answer(self, path: str) -> tuple[int, dict[str, Any]]:
        self.requests.append(path)
        if self.unavailable:
            return 503, _error(503, "UNAVAILABLE", "The service is currently unavailable.")
        parts = path.removeprefix("/v1/").removesuffix(":access").split("/")
        if len(parts) != 6 or parts[0] != "projects" or parts[2] != "secrets" or parts[4] != "versions":
            return 404, _error(404, "NOT_FOUND", f"bad resource {path}")
        project, secret, version = parts[1], parts[3], parts[5]
        if secret in self.denied:
            return 403, _error(
                403, "PERMISSION_DENIED", f"Permission 'secretmanager.versions.access' denied for {secret}"
            )
        versions = self.secrets.get(secret, [])
        index = len(versions) if version == "latest" else int(version) if version.isdigit() else 0
        if not versions or not 1 <= index <= len(versions):
            return 404, _error(
                404,
                "NOT_FOUND",
                f"Secret [projects/{project}/secrets/{secret}] not found or has no versions.",
            )
        data = versions[index - 1].encode()
        return 200, {
            "name": f"projects/{project}/secrets/{secret}/versions/{index}",
            "payload": {
                "data": base64.b64encode(data).decode(),
                "dataCrc32c": str(google_crc32c.value(data)),
            },
        }

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                status, body = fake._answer(unquote(urlsplit(self.path).path))
                raw = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler


def _error(code: int, status: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "status": status}}
