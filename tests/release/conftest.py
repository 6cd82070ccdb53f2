"""The release tests run once, in the SQLite pass: no database server is in play (the
self-test makes its own SQLite file), so the PostgreSQL pass would only repeat them."""

from __future__ import annotations

import pytest

from tests.conftest import BACKEND


@pytest.fixture(scope="module", autouse=True)
def once_per_test_run() -> None:
    if BACKEND == "postgresql":
        pytest.skip("runs in the SQLite pass: nothing here depends on the database server")
