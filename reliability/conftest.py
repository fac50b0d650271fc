"""Fixtures of the fault tests (SECURITY.md rows 10, 12, 14). See docs/reliability.md.

These tests are outside `testpaths`, so `make test` never collects them; `make reliability` (full sizes)
and `.ci/run` (`RELIABILITY_SCALE=ci`, reduced sizes) run them, on SQLite and, with `DATABASE_URL`
pointing at PostgreSQL, on a temporary PostgreSQL database. Every test here is marked `reliability`.
"""

from __future__ import annotations

import pytest

from reliability import harness


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "/reliability/" in str(item.fspath):
            item.add_marker(pytest.mark.reliability)


@pytest.fixture(scope="session")
def template_site(tmp_path_factory):
    """One migrated empty installation per run; each harness works on a copy of it."""
    with harness.template(tmp_path_factory.mktemp("reliability")) as installation:
        yield installation
