from __future__ import annotations

import datetime
from typing import Any

from commonground.agreements import services
from commonground.agreements.models import Agreement


def make_agreement(world: Any, **overrides: Any) -> Agreement:
    data: dict[str, Any] = {
        "title": "Memorandum on shared workshops",
        "form": "mou",
        "parties": [world.organisation, world.second_organisation],
        "template": "mou",
        "start_on": datetime.date(2026, 1, 1),
        "end_on": datetime.date(2027, 12, 31),
    }
    data.update(overrides)
    return services.agreement_create(
        actor=world.users["manager"], partnership=world.partnership, **data
    )
