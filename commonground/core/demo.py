"""The demo partnership, built module by module.

Each app may have a ``demo.py`` with ``build(ctx)``; ``manage.py load_demo``
calls them in the order of ``settings.COMMONGROUND_APPS`` inside one
transaction, so a failure leaves nothing half-built. Randomness is seeded, so
the demo is the same on every machine.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from typing import Any

DEMO_SLUG = "fjordvik-circular"
DEMO_PASSWORD = "fjordvik-demo-2026"


@dataclass
class DemoContext:
    today: datetime.date
    rng: random.Random = field(default_factory=lambda: random.Random(2026))
    partnership: Any = None
    other_partnership: Any = None
    orgs: dict[str, Any] = field(default_factory=dict)
    people: dict[str, Any] = field(default_factory=dict)
    tags: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)

    def days_ago(self, n: int) -> datetime.date:
        return self.today - datetime.timedelta(days=n)

    def days_ahead(self, n: int) -> datetime.date:
        return self.today + datetime.timedelta(days=n)
