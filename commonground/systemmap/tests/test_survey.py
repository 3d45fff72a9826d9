"""The system-mapping survey: one-use links, answers into records and relationships, summary."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from commonground.accounts.models import hash_secret
from commonground.core.testing import assert_queries_do_not_grow
from commonground.organisations.models import Organisation
from commonground.organisations.tests.factories import OrganisationFactory
from commonground.systemmap import selectors, services
from commonground.systemmap.models import Relationship, SurveyInvitation, SurveyResponse

from .factories import SurveyFactory

pytestmark = pytest.mark.django_db


def answer_post(**extra):
    data = {
        "respondent_name": "Eva",
        "place_name": "Tøyen",
        "services": "Furniture bank and work training",
        "target_groups": "People far from work",
        "funded_role": "Work training",
        "actual_role": "Work training and social support",
        "referral_rules": "Walk-in",
        "eligibility_rules": "Everyone",
        "data_collected": "Counts only",
        "coordination": "regular",
        "coordination_notes": "East network",
        "programme-TOTAL_FORMS": "2",
        "programme-INITIAL_FORMS": "0",
        "programme-0-name": "Furniture bank",
        "programme-0-service_type": "reuse",
        "programme-0-capacity": "40",
        "programme-0-participants_per_year": "900",
        "programme-1-name": "",
        "funder-TOTAL_FORMS": "2",
        "funder-INITIAL_FORMS": "0",
        "funder-0-name": "Lottery Fund",
        "funder-0-sector": "funder",
        "funder-0-expectations": "Volunteer hours",
        "funder-1-name": "",
        "funder-1-sector": "funder",
        "referral-TOTAL_FORMS": "1",
        "referral-INITIAL_FORMS": "0",
        "referral-0-name": "Fjordvik Municipality",
        "referral-0-sector": "public",
    }
    data.update(extra)
    return data


def invite(world, **kw):
    survey = kw.pop("survey", None) or SurveyFactory(partnership=world.partnership)
    kw.setdefault("contact_name", "Eva")
    return services.survey_invite(actor=world.user("manager"), survey=survey, **kw)


def test_token_is_stored_hashed_and_link_works_once(world, client):
    org = OrganisationFactory(name="City Mission")
    invitation, raw = invite(world, organisation=org)
    assert invitation.token_hash == hash_secret(raw) and raw not in invitation.token_hash
    url = reverse("systemmap_global:answer", kwargs={"token": raw})
    assert client.get(url).status_code == 200  # no sign-in needed
    response = client.post(url, answer_post())
    assert response.status_code == 200 and "Thank you" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.used_at is not None
    # Used: the link now answers 404, GET and POST alike, and nothing is added.
    assert client.get(url).status_code == 404
    assert client.post(url, answer_post()).status_code == 404
    assert SurveyResponse.objects.count() == 1
    with pytest.raises(ValidationError):
        services.survey_submit(raw_token=raw, answers=services.SurveyAnswers(respondent_name="X"))


def test_answers_become_records_and_relationships(world, client):
    org = OrganisationFactory(name="City Mission", mission="", capacity="")
    _inv, raw = invite(world, organisation=org)
    client.post(reverse("systemmap_global:answer", kwargs={"token": raw}), answer_post())
    org.refresh_from_db()
    assert org.mission == "Furniture bank and work training"
    assert "Furniture bank: 40 places, 900 participants a year" in org.capacity
    funder = Organisation.objects.get(name="Lottery Fund")
    assert funder.sector == "funder" and funder.org_type == "foundation"
    funds = Relationship.objects.get(kind="funds")
    assert (funds.source, funds.target, funds.origin) == (funder, org, "survey")
    assert funds.partnership == world.partnership and funds.survey_response is not None
    refers = Relationship.objects.get(kind="refers")
    # An existing directory entry is reused, matched by name.
    assert (refers.source, refers.target) == (org, world.second_organisation)
    response = SurveyResponse.objects.get()
    assert response.programmes.get().capacity == 40
    assert response.funders.get().expectations == "Volunteer hours"
    # The new organisations now appear on the partnership's map, with the survey edges.
    net = selectors.network(partnerships=[world.partnership])
    assert {"Lottery Fund", "City Mission"} <= {n["name"] for n in net.nodes}
    assert {e["origin"] for e in net.edges if e["kind"] in ("funds", "refers")} == {"survey"}


def test_an_organisation_new_to_the_directory_is_created(world, client):
    _inv, raw = invite(world, organisation_name="Bike Kitchen")
    url = reverse("systemmap_global:answer", kwargs={"token": raw})
    response = client.post(url, answer_post(organisation_name="", sector="civil", org_type="ngo"))
    assert response.status_code == 400  # the name is asked for and kept empty → error
    assert "Eva" in response.content.decode()  # what was typed is kept
    client.post(url, answer_post(organisation_name="Bike Kitchen", sector="civil", org_type="ngo"))
    org = Organisation.objects.get(name="Bike Kitchen")
    assert org.sector == "civil" and org.place_name == "Tøyen"
    assert org.slug


def test_bad_programme_rows_are_refused_and_keep_input(world, client):
    _inv, raw = invite(world, organisation=world.organisation)
    url = reverse("systemmap_global:answer", kwargs={"token": raw})
    response = client.post(
        url, answer_post(**{"programme-0-service_type": "", "programme-0-capacity": "-3"})
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Choose the type of service." in body and "Furniture bank" in body
    assert not SurveyResponse.objects.exists()
    assert SurveyInvitation.objects.get().used_at is None


def test_closed_survey_links_do_not_work(world, client):
    survey = SurveyFactory(partnership=world.partnership)
    _inv, raw = invite(world, survey=survey, organisation=world.organisation)
    services.survey_set_open(actor=world.user("manager"), survey=survey, is_open=False)
    assert client.get(reverse("systemmap_global:answer", kwargs={"token": raw})).status_code == 404
    with pytest.raises(ValidationError):
        invite(world, survey=survey, organisation=world.organisation)


def test_invitation_needs_an_organisation(world):
    with pytest.raises(ValidationError) as exc:
        invite(world)
    assert "organisation" in exc.value.message_dict


def test_invite_view_shows_link_once(world, client_for):
    survey = SurveyFactory(partnership=world.partnership)
    url = reverse("systemmap:survey_invite", kwargs={"slug": "matrix", "pk": survey.pk})
    response = client_for("manager").post(
        url, {"organisation": world.organisation.pk, "contact_name": "Eva"}
    )
    assert response.status_code == 200
    link = response.context["link"]
    assert "/systemmap/answer/" in link
    detail = client_for("manager").get(
        reverse("systemmap:survey_detail", kwargs={"slug": "matrix", "pk": survey.pk})
    )
    assert link not in detail.content.decode()


def test_summary_shows_capacity_and_gaps(world):
    survey = SurveyFactory(partnership=world.partnership)
    for org, cap in ((world.organisation, 10), (world.second_organisation, 5)):
        _inv, raw = invite(world, survey=survey, organisation=org)
        services.survey_submit(
            raw_token=raw,
            answers=services.SurveyAnswers(
                respondent_name="X", programmes=[("Repair", "repair", cap, cap * 10)]
            ),
        )
    summary = selectors.survey_summary([survey.pk])
    repair = next(t for t in summary["by_type"] if t["code"] == "repair")
    assert (
        repair["programmes"],
        repair["organisations"],
        repair["capacity"],
        repair["participants"],
    ) == (2, 2, 15, 150)
    assert "Training and jobs" in [str(g) for g in summary["gaps"]]
    assert summary["answered"] == 2


def test_survey_pages_and_api_queries_do_not_grow(world, client_for):
    survey = SurveyFactory(partnership=world.partnership)
    client = client_for("manager")

    def grow():
        for i in range(4):
            org = OrganisationFactory(name=f"Org {i}")
            _inv, raw = invite(world, survey=survey, organisation=org)
            services.survey_submit(
                raw_token=raw,
                answers=services.SurveyAnswers(
                    respondent_name="X",
                    programmes=[("P", "repair", 1, 2), ("Q", "advice", 1, 2)],
                    funders=[(f"Funder {i}", "funder", "")],
                    referrals=[(world.organisation.name, "civil")],
                ),
            )

    detail = reverse("systemmap:survey_detail", kwargs={"slug": "matrix", "pk": survey.pk})
    grow()  # start from some answers: an empty list skips its prefetches
    assert_queries_do_not_grow(lambda: client.get(detail), grow)
    assert_queries_do_not_grow(
        lambda: client.get(reverse("systemmap:surveys", kwargs={"slug": "matrix"})), grow
    )
    assert_queries_do_not_grow(lambda: client.get("/api/systemmap/matrix/survey-results"), grow)
    data = client.get("/api/systemmap/matrix/survey-results").json()
    assert data["count"] == 16 and data["items"][0]["programmes"]


def test_the_survey_asks_about_capacity_funding_and_links_to_public_services(
    world, client, client_for
):
    inv, raw = invite(world, organisation=OrganisationFactory())
    url = reverse("systemmap_global:answer", kwargs={"token": raw})
    form = client.get(url).content.decode()
    assert "Could you serve more people than you do today?" in form
    assert "How are you linked to public services?" in form
    assert "How secure is your funding, and until when?" in form
    client.post(
        url,
        answer_post(
            spare_capacity="some",
            capacity_limits="Two staff only",
            funding_security="Grant until 2027",
            public_links="The job centre refers people to us",
        ),
    )
    response = SurveyResponse.objects.get()
    assert (response.spare_capacity, response.public_links) == (
        "some",
        "The job centre refers people to us",
    )
    detail = client_for("manager").get(
        reverse("systemmap:survey_detail", kwargs={"slug": "matrix", "pk": inv.survey.pk})
    )
    body = detail.content.decode()
    assert "The job centre refers people to us" in body and "Grant until 2027" in body
    assert "We could take a few more" in body and "Two staff only" in body


def test_an_unknown_capacity_answer_is_refused(world, client):
    _inv, raw = invite(world, organisation=OrganisationFactory())
    url = reverse("systemmap_global:answer", kwargs={"token": raw})
    response = client.post(url, answer_post(spare_capacity="endless"))
    assert response.status_code in (200, 400)
    assert not SurveyResponse.objects.exists()
