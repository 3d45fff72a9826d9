"""Hand-entered relationships: validation refusals, forms, permissions, audit."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from commonground.core.models import AuditEvent
from commonground.systemmap import services
from commonground.systemmap.models import Relationship

from .factories import RelationshipFactory

pytestmark = pytest.mark.django_db


def create(world, **kw):
    data = {
        "actor": world.user("manager"),
        "partnership": world.partnership,
        "source": world.organisation,
        "target": world.second_organisation,
        "kind": "funds",
    }
    data.update(kw)
    return services.relationship_create(**data)


def test_create_records_and_audits(world):
    rel = create(
        world, started_on=datetime.date(2025, 1, 1), confidence="high", evidence="Annual report"
    )
    assert rel.origin == "entered" and rel.created_by == world.user("manager")
    assert AuditEvent.objects.filter(
        verb="systemmap.relationship_create", target_id=str(rel.pk)
    ).exists()


@pytest.mark.parametrize(
    ("kw", "field", "message"),
    [
        ({"target": "SELF"}, "target", "cannot have a relationship with itself"),
        ({"kind": "marries"}, "kind", "is not a relationship type we know"),
        (
            {"started_on": datetime.date(2025, 5, 1), "ended_on": datetime.date(2025, 4, 1)},
            "ended_on",
            "on or after the start date",
        ),
        ({"confidence": "certain"}, "confidence", "low, medium or high"),
    ],
)
def test_bad_relationships_are_refused_clearly(world, kw, field, message):
    if kw.get("target") == "SELF":
        kw["target"] = world.organisation
    with pytest.raises(ValidationError) as exc:
        create(world, **kw)
    assert message in " ".join(exc.value.message_dict[field])
    assert not Relationship.objects.exists()


def test_the_database_refuses_self_links_and_reversed_dates_too(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        RelationshipFactory(
            partnership=world.partnership, source=world.organisation, target=world.organisation
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        RelationshipFactory(
            partnership=world.partnership,
            source=world.organisation,
            target=world.second_organisation,
            started_on=datetime.date(2025, 2, 1),
            ended_on=datetime.date(2025, 1, 1),
        )


def test_form_keeps_input_and_shows_errors(world, client_for):
    client = client_for("representative")
    url = reverse("systemmap:relationship_create", kwargs={"slug": "matrix"})
    response = client.post(
        url,
        {
            "source": world.organisation.pk,
            "target": world.organisation.pk,
            "kind": "informal",
            "confidence": "low",
            "evidence": "Met at the fair",
            "started_on": "2025-05-01",
            "ended_on": "2025-04-01",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "cannot have a relationship with itself" in body
    assert "on or after the start date" in body
    assert "Met at the fair" in body
    response = client.post(
        url,
        {
            "source": world.organisation.pk,
            "target": world.second_organisation.pk,
            "kind": "refers",
            "confidence": "high",
        },
    )
    assert response.status_code == 302
    assert Relationship.objects.get().kind == "refers"


def test_observer_may_look_but_not_record(world, client_for):
    observer = client_for("observer")
    assert (
        observer.get(reverse("systemmap:relationships", kwargs={"slug": "matrix"})).status_code
        == 200
    )
    assert (
        observer.get(
            reverse("systemmap:relationship_create", kwargs={"slug": "matrix"})
        ).status_code
        == 403
    )


def test_delete_is_scoped_to_the_partnership(world, client_for):
    rel = RelationshipFactory(partnership=world.other_partnership)
    url = reverse("systemmap:relationship_delete", kwargs={"slug": "matrix", "pk": rel.pk})
    assert client_for("manager").post(url).status_code == 404
    assert Relationship.objects.filter(pk=rel.pk).exists()
    mine = RelationshipFactory(partnership=world.partnership)
    url = reverse("systemmap:relationship_delete", kwargs={"slug": "matrix", "pk": mine.pk})
    assert client_for("manager").post(url).status_code == 302
    assert not Relationship.objects.filter(pk=mine.pk).exists()


def test_relationship_list_queries_do_not_grow(world, client_for):
    from commonground.core.testing import assert_queries_do_not_grow

    client = client_for("manager")
    url = reverse("systemmap:relationships", kwargs={"slug": "matrix"})
    RelationshipFactory(partnership=world.partnership)
    assert_queries_do_not_grow(
        lambda: client.get(url),
        lambda: [RelationshipFactory(partnership=world.partnership) for _ in range(5)],
    )


def test_api_network_lists_entered_relationship_with_confidence_and_source(world, client_for):
    create(world, confidence="high", evidence="Minutes 3 May")
    data = json.loads(client_for("observer").get("/api/systemmap/matrix/network").content)
    funds = [e for e in data["edges"] if e["kind"] == "funds"]
    assert funds[0]["confidence"] == "high" and funds[0]["evidence"] == "Minutes 3 May"


def test_api_creates_and_refuses_clearly(world, client_for):
    client = client_for("representative")
    url = "/api/systemmap/matrix/relationships"

    def post(**kw):
        body = {
            "source": world.organisation.slug,
            "target": world.second_organisation.slug,
            "kind": "funds",
        }
        body.update(kw)
        return client.post(url, json.dumps(body), content_type="application/json")

    response = post(started_on="2025-01-01", confidence="high", evidence="Board minutes")
    assert response.status_code == 201
    assert response.json()["source"] == world.organisation.slug
    bad = post(kind="marries")
    assert bad.status_code == 400 and "kind" in bad.json()["errors"]
    assert "not a relationship type we know" in bad.json()["errors"]["kind"][0]
    assert post(target=world.organisation.slug).status_code == 400
    bad = post(started_on="2025-02-01", ended_on="2025-01-01")
    assert bad.status_code == 400 and "ended_on" in bad.json()["errors"]
    assert post(source="no-such-org").status_code == 404
    assert Relationship.objects.count() == 1
    assert client.get(url).json()["count"] == 1
    # Observers read but may not write; outsiders get 404.
    assert (
        client_for("observer")
        .post(
            url,
            json.dumps({"source": "a", "target": "b", "kind": "funds"}),
            content_type="application/json",
        )
        .status_code
        == 403
    )
    assert client_for("outsider").get(url).status_code == 404


def test_organisations_are_typed_by_name_not_picked_from_a_list_of_all(world, client_for):
    from commonground.organisations.tests.factories import OrganisationFactory
    from commonground.systemmap.models import SurveyInvitation

    from .factories import SurveyFactory

    OrganisationFactory(name="Bike Kitchen North")
    OrganisationFactory(name="Bike Kitchen South")
    twin_a = OrganisationFactory(name="Twin Trust")
    twin_b = OrganisationFactory(name="Twin Trust")
    client = client_for("representative")
    url = reverse("systemmap:relationship_create", kwargs={"slug": "matrix"})
    page = client.get(url).content.decode()
    assert 'type="search" name="source"' in page and 'type="search" name="target"' in page
    assert "Bike Kitchen" not in page  # no list of every organisation

    def post(source, target):
        return client.post(
            url, {"source": source, "target": target, "kind": "funds", "confidence": "low"}
        )

    # Several partial matches: listed, nothing saved, the text kept.
    response = post("harbour", "bike kitchen")
    assert response.status_code == 400
    body = response.content.decode()
    assert "Several organisations match “bike kitchen”" in body
    assert "Bike Kitchen North; Bike Kitchen South" in body
    assert 'value="bike kitchen"' in body
    response = post("harbour", "nowhere at all")
    assert "No organisation in the directory matches “nowhere at all”" in response.content.decode()
    # Two organisations with one name: choose by number.
    response = post("harbour", "Twin Trust")
    assert f"Twin Trust ({twin_a.pk}), Twin Trust ({twin_b.pk})" in response.content.decode()
    assert not Relationship.objects.exists()
    assert post("harbour", str(twin_b.pk)).status_code == 302
    # A single partial match, or the exact name in any case.
    assert post("HARBOUR REPAIR collective", "north").status_code == 302
    found = Relationship.objects.order_by("pk").values_list("source__name", "target__name")
    assert list(found) == [
        ("Harbour Repair Collective", "Twin Trust"),
        ("Harbour Repair Collective", "Bike Kitchen North"),
    ]
    assert Relationship.objects.order_by("pk").first().target_id == twin_b.pk

    # The survey invitation takes the directory organisation by name too.
    survey = SurveyFactory(partnership=world.partnership)
    invite = reverse("systemmap:survey_invite", kwargs={"slug": "matrix", "pk": survey.pk})
    manager = client_for("manager")
    response = manager.post(invite, {"organisation": "south", "contact_name": "Eva"})
    assert response.status_code == 200
    assert SurveyInvitation.objects.get().organisation.name == "Bike Kitchen South"
    response = manager.post(invite, {"organisation": "bike", "contact_name": "Eva"})
    assert response.status_code == 400 and "Several organisations match" in (
        response.content.decode()
    )


def test_relationship_list_shows_the_newest_recorded_first(world, client_for):
    older = create(world, evidence="Recorded first")
    newer = create(world, kind="shares_data", evidence="Recorded second")
    Relationship.objects.filter(pk=older.pk).update(
        created_at=newer.created_at - datetime.timedelta(days=1)
    )
    url = reverse("systemmap:relationships", kwargs={"slug": "matrix"})
    html = client_for("observer").get(url).content.decode()
    assert html.index("Recorded second") < html.index("Recorded first")
