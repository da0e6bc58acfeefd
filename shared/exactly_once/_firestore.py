"""Firestore for the delivery stores: one lazily created client per store (FIRESTORE_EMULATOR_HOST
is honoured by it), and `Documents`, the reads and transactions the ledger, the watermarks and the
leases make, with every failure turned into DeliveryUnavailableError."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from shared.errors import DeliveryUnavailableError

T = TypeVar("T")

READ_TIMEOUT_SECONDS = 10.0


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


class Documents:
    """One collection of a delivery store; `unavailable` is what its errors say ("the ledger
    (Firestore) is unavailable"), followed by the failure's type only (no data, no credentials)."""

    def __init__(self, project: str | None, database: str, collection: str, *, unavailable: str) -> None:
        self._firestore = FirestoreClient(project, database)
        self._collection = collection
        self._unavailable = unavailable

    def client(self) -> Any:
        return self._firestore.client()

    def collection(self) -> Any:
        return self.client().collection(self._collection)

    def ref(self, key: str) -> Any:
        return self.collection().document(key)

    @contextmanager
    def unavailable_on_failure(self) -> Iterator[None]:
        """Any failure of the block (Firestore's, the network's) as DeliveryUnavailableError."""
        try:
            yield
        except DeliveryUnavailableError:
            raise
        except Exception as exc:
            raise DeliveryUnavailableError(f"{self._unavailable}: {type(exc).__name__}") from None

    def get(self, key: str) -> dict[str, Any] | None:
        """The document's data, or None when there is no such document."""
        with self.unavailable_on_failure():
            snapshot = self.ref(key).get(timeout=READ_TIMEOUT_SECONDS)
        return _data(snapshot)

    def update(
        self, key: str, change: Callable[[dict[str, Any] | None], tuple[T, dict[str, Any] | None]]
    ) -> T:
        """Read the document and write what `change` makes of it, in one transaction (which Firestore
        runs again if another instance wrote meanwhile, so `change` must be pure). `change` gets the
        data (None: no document) and returns its result and the document to store (None: as it is)."""
        from google.cloud import firestore

        @firestore.transactional
        def run(transaction: Any, ref: Any) -> T:
            result, document = change(_data(ref.get(transaction=transaction)))
            if document is not None:
                transaction.set(ref, document)
            return result

        with self.unavailable_on_failure():
            result: T = run(self.client().transaction(), self.ref(key))
        return result


def _data(snapshot: Any) -> dict[str, Any] | None:
    return snapshot.to_dict() if snapshot.exists else None
