"""Analysis test fixtures."""

from __future__ import annotations

import pytest

from analysis.text import Tagger, default_codebook


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    """The default codebook's tagger (built once per module)."""
    return Tagger(default_codebook())
