from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from commonground.contributions import services
from commonground.contributions.models import Contribution


def make_contribution(world: Any, **overrides: Any) -> Contribution:
    data: dict[str, Any] = {
        "kind": "funding",
        "title": "Seed money",
        "contributor": world.organisation,
        "amount": Decimal("1000.00"),
        "currency": "NOK",
        "pledged_on": datetime.date(2026, 1, 10),
    }
    data.update(overrides)
    return services.contribution_create(
        actor=world.users["manager"], partnership=world.partnership, **data
    )
