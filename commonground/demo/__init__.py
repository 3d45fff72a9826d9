"""The demo: scenario files (YAML, one folder per scenario, one file per module) and one loader.

``manage.py load_demo`` reads ``scenarios/fjordvik/*.yaml``, checks every file against its schema
(``loader.SCHEMAS``) and every reference to a person or organisation, then builds the partnership through
the apps' services and models inside one transaction, so a failure leaves nothing half-built.
Randomness is seeded, so the demo is the same on every machine; dates are counted from the day it is loaded.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from typing import Any

DEMO_SLUG = "fjordvik-circular"


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
