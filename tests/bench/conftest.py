"""The bench's tests need PostgreSQL (the generator is PostgreSQL SQL): the same
`services` marker as tests/services, skipping without it unless
WHISTLE_REQUIRE_SERVICES=1."""

from tests.services.conftest import pytest_runtest_setup  # noqa: F401 - the hook, for this directory too
