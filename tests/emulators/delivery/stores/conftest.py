"""Every test of this folder runs twice: on the store kept in this process, then on the Firestore
one in the emulator (one project per test, so no document of another test is seen)."""

from __future__ import annotations

import pytest

from tests.support.stores import KINDS, Stores


@pytest.fixture(params=KINDS)
def stores(request: pytest.FixtureRequest) -> Stores:
    if request.param == "memory":
        return Stores("memory", None)
    return Stores("firestore", request.getfixturevalue("firestore_project"))
