"""Fixtures of the service tests (the worlds themselves are in ``worlds``)."""

from __future__ import annotations

import pytest

from tests.services.worlds import build_tiny


@pytest.fixture
def tiny(repo, tmp_path):
    """国分寺's boundary, one made-up district over four mesh cells, and their people."""
    return build_tiny(repo, tmp_path)
