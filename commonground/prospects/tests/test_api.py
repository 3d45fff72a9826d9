import json

import pytest

from commonground.organisations.tests.factories import OrganisationFactory
from commonground.partnerships.models import Membership

from .factories import ProspectFactory


@pytest.mark.django_db
def test_api_pipeline_create_move_and_errors(world, client_for):
    client = client_for("manager")
    base = f"/api/prospects/{world.partnership.slug}/pipeline"
    OrganisationFactory(slug="api-org", name="Api Org")
    created = client.post(
        base, json.dumps({"organisation": "api-org"}), content_type="application/json"
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    dup = client.post(
        base, json.dumps({"organisation": "api-org"}), content_type="application/json"
    )
    assert dup.status_code == 400 and "already" in json.dumps(dup.json())
    bad = client.post(
        f"{base}/{pk}/stage", json.dumps({"stage": "nope"}), content_type="application/json"
    )
    assert bad.status_code == 400
    joined = client.post(
        f"{base}/{pk}/stage", json.dumps({"stage": "joined"}), content_type="application/json"
    )
    assert joined.status_code == 200 and joined.json()["stage"] == "joined"
    assert (
        Membership.objects.filter(
            organisation__slug="api-org", partnership=world.partnership
        ).count()
        == 1
    )
    listing = client.get(base).json()
    assert listing["count"] == 1 and listing["items"][0]["organisation"] == "api-org"


@pytest.mark.django_db
def test_api_scorecard_and_gaps(world, client_for):
    prospect = ProspectFactory(partnership=world.partnership)
    client = client_for("representative")
    listing = client.get(f"/api/prospects/{world.partnership.slug}/scorecards")
    assert listing.status_code == 200 and listing.json()["count"] == 0
    card = client.get(f"/api/prospects/{world.partnership.slug}/scorecards/{prospect.pk}")
    assert card.status_code == 200 and card.json()["weighted_mean"] is None
    gaps = client.get(f"/api/prospects/{world.partnership.slug}/gaps").json()
    assert gaps["needs"] == [] and "public" in gaps["sector_mix"]
    # An outsider learns nothing.
    assert (
        client_for("outsider").get(f"/api/prospects/{world.partnership.slug}/gaps").status_code
        == 404
    )


@pytest.mark.django_db
def test_api_scorecards_list_orders_by_weighted_mean(world, client_for):
    from commonground.prospects import services

    from .factories import CriterionFactory

    c = CriterionFactory(partnership=world.partnership)
    low = ProspectFactory(partnership=world.partnership)
    high = ProspectFactory(partnership=world.partnership)
    services.scores_save(actor=world.user("manager"), prospect=low, scores={c.pk: (2, "")})
    services.scores_save(actor=world.user("manager"), prospect=high, scores={c.pk: (5, "")})
    services.scores_save(actor=world.user("representative"), prospect=high, scores={c.pk: (3, "")})
    items = (
        client_for("manager")
        .get(f"/api/prospects/{world.partnership.slug}/scorecards")
        .json()["items"]
    )
    assert [i["prospect"] for i in items] == [high.pk, low.pk]
    assert items[0]["weighted_mean"] == "4.00" and items[0]["disagreement"] is True
    assert items[0]["assessors"] == sorted(
        [str(world.user("manager")), str(world.user("representative"))]
    )
