"""Fixtures for the service tests (the per-test database comes from tests/conftest.py)."""

from tests.services.support import demo, demo_source, make_db  # noqa: F401  (fixtures)
