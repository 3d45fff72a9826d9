"""The compact's self-assessment averages appear next to the values questions."""

from __future__ import annotations

import pytest

from commonground.agreements.models import Compact, Principle, SelfAssessment
from commonground.healthchecks import services

from .factories import add_responses, open_round


@pytest.mark.django_db
def test_compact_averages_shown_with_round_results(world, client_for):
    compact = Compact.objects.create(partnership=world.partnership, title="Our compact")
    principle = Principle.objects.create(compact=compact, title="Openness first")
    for org, score in ((world.organisation, 4), (world.second_organisation, 3)):
        SelfAssessment.objects.create(principle=principle, organisation=org, year=2026, score=score)
    rnd, _ = open_round(world.partnership, world.users["manager"], notify=False)
    add_responses(rnd, [{"value_transparency": 4}] * 6)
    rnd = services.round_close(actor=world.users["manager"], round=rnd)
    rnd = services.round_publish(actor=world.users["manager"], round=rnd)
    page = client_for("manager").get(rnd.get_absolute_url()).content.decode()
    assert 'id="compact-values"' in page and "Openness first" in page and "3.50" in page
