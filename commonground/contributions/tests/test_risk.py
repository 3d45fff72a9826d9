"""Issue 24: each contribution says what happens if it is late or over budget, who
bears that risk, and what it means for intellectual property and contractors; the
agreement's completeness check reads it."""

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from commonground.agreements import advice
from commonground.agreements import services as agreement_services
from commonground.agreements.tests.factories import make_agreement
from commonground.contributions import exports
from commonground.contributions.models import Contribution
from commonground.organisations.tests.factories import OrganisationFactory

from .factories import make_contribution

pytestmark = pytest.mark.django_db

RISK = {
    "contingency": "The city covers a gap of up to a month.",
    "intellectual_property": "Software stays open source.",
    "contractors": "Brobyggerne AS builds the sensors.",
}


def _form(world, **extra):
    data = {
        "kind": "funding",
        "title": "Sensor money",
        "contributor": world.organisation.pk,
        "recipient_kind": "partnership",
        "pledged_on": "2026-01-01",
        "amount": "5000",
        "currency": "NOK",
        **RISK,
        "risk_owner": world.second_organisation.pk,
    }
    data.update(extra)
    return data


def test_the_form_records_risk_and_the_detail_shows_it(world, client_for):
    client = client_for("manager")
    url = reverse("contributions:create", kwargs={"slug": world.partnership.slug})
    response = client.post(url, _form(world))
    assert response.status_code == 302, response.content.decode()[:2000]
    c = Contribution.objects.get()
    assert c.risk_owner == world.second_organisation
    assert (c.contingency, c.intellectual_property, c.contractors) == tuple(RISK.values())
    page = client.get(c.get_absolute_url()).content.decode()
    assert "Brobyggerne AS builds the sensors." in page
    assert world.second_organisation.name in page


def test_a_risk_owner_outside_the_partnership_is_refused_and_the_typing_kept(world, client_for):
    stranger = OrganisationFactory(name="Stranger Ltd")
    with pytest.raises(ValidationError) as exc:
        make_contribution(world, risk_owner=stranger)
    assert "risk_owner" in exc.value.message_dict
    url = reverse("contributions:create", kwargs={"slug": world.partnership.slug})
    response = client_for("manager").post(url, _form(world, risk_owner=stranger.pk))
    assert response.status_code == 400
    assert "Software stays open source." in response.content.decode()
    assert not Contribution.objects.exists()


def test_someone_who_may_not_record_cannot_set_risk(world, client_for):
    c = make_contribution(world)
    url = reverse("contributions:edit", kwargs={"slug": world.partnership.slug, "pk": c.pk})
    response = client_for("observer").post(url, _form(world))
    assert response.status_code in (403, 404)
    c.refresh_from_db()
    assert c.risk_owner is None and c.contingency == ""


def test_the_api_reads_and_writes_risk(world, client_for):
    client = client_for("manager")
    url = reverse("api:contribution_create", kwargs={"slug": world.partnership.slug})
    payload = {
        "kind": "funding",
        "title": "X",
        "contributor": world.organisation.slug,
        "pledged_on": "2026-01-01",
        "currency": "NOK",
        "amount": "1",
        "risk_owner": world.second_organisation.slug,
        **RISK,
    }
    response = client.post(url, payload, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["risk_owner"] == world.second_organisation.slug
    assert body["contractors"] == RISK["contractors"]


def test_the_export_carries_risk_and_imports_back(world):
    make_contribution(world, risk_owner=world.second_organisation, **RISK)
    text = "".join(exports.csv_lines(Contribution.objects.select_related("risk_owner")))
    row = next(csv.DictReader(io.StringIO(text)))
    assert row["risk_owner"] == world.second_organisation.name
    assert row["intellectual_property"] == RISK["intellectual_property"]
    Contribution.objects.all().delete()
    report = exports.import_csv(
        actor=world.users["manager"], partnership=world.partnership, content=text, dry_run=False
    )
    assert report.saved == 1, report.errors
    assert Contribution.objects.get().risk_owner == world.second_organisation


def test_the_import_refuses_a_risk_owner_who_is_not_a_member(world):
    make_contribution(world, risk_owner=world.second_organisation, **RISK)
    text = "".join(exports.csv_lines(Contribution.objects.all()))
    text = text.replace(world.second_organisation.name, "Nobody Inc")
    Contribution.objects.all().delete()
    report = exports.import_csv(
        actor=world.users["manager"], partnership=world.partnership, content=text, dry_run=False
    )
    assert report.saved == 0 and "Nobody Inc" in str(report.errors)


def test_the_agreement_counts_contributions_without_risk(world):
    make_contribution(world, title="One")
    make_contribution(world, title="Two", pledged_on="2026-02-01")
    make_contribution(
        world, title="Three", pledged_on="2026-03-01", risk_owner=world.organisation, **RISK
    )
    a = make_agreement(world)
    gaps = advice.completeness(a, agreement_services.latest_version(a)).missing_risk
    assert gaps == [
        "2 contributions have no one named to bear their risk.",
        "2 contributions do not say what happens if they are late or over budget.",
    ]
    Contribution.objects.update(risk_owner=world.organisation, contingency="Shared.")
    assert advice.completeness(a, agreement_services.latest_version(a)).missing_risk == []


def test_a_handshake_does_not_ask_about_risk(world):
    make_contribution(world)
    a = make_agreement(world, form="handshake", template="blank")
    assert advice.completeness(a, agreement_services.latest_version(a)).missing_risk == []


def test_the_ledger_names_who_bears_each_risk(world, client_for):
    make_contribution(world, title="Borne", risk_owner=world.second_organisation)
    make_contribution(world, title="Open", pledged_on="2026-02-02")
    url = reverse("contributions:ledger", kwargs={"slug": world.partnership.slug})
    page = client_for("observer").get(url).content.decode()
    assert world.second_organisation.name in page and "not named yet" in page
