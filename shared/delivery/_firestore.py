"""One lazily created Firestore client per process (FIRESTORE_EMULATOR_HOST is honoured by it)."""

from __future__ import annotations

import threading
from typing import Any


class FirestoreClient:
    """Creates `google.cloud.firestore.Client` on first use: it is slow to import."""

    def __init__(self, project: str | None, database: str = "(default)") -> None:
        self._project = project
        self._database = database
        self._client: Any = None
        self._lock = threading.Lock()

    def client(self) -> Any:
        with self._lock:
            if self._client is None:
                from google.cloud import firestore

                self._client = firestore.Client(project=self._project, database=self._database)
            return self._client
