from __future__ import annotations

import pytest
from django.urls import reverse


@pytest.fixture
def url(world):
    def make(name: str, **kwargs) -> str:
        return reverse(f"method:{name}", kwargs={"slug": world.partnership.slug, **kwargs})

    return make
