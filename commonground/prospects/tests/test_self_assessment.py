import pytest
from django.core.exceptions import ValidationError

from commonground.prospects import selectors, services
from commonground.prospects.models import SelfAssessment


@pytest.mark.django_db
def test_self_assessments_average_per_dimension(world):
    p = world.partnership
    services.self_assessment_record(
        actor=world.user("manager"), partnership=p, kind="person", scores=[4, 3, 2, 5]
    )
    services.self_assessment_record(
        actor=world.user("representative"), partnership=p, kind="person", scores=[2, 3, 4, 5]
    )
    services.self_assessment_record(
        actor=world.user("representative"), partnership=p, kind="organisation", scores=[1, 2, 3, 4]
    )
    profiles = {pr["kind"]: pr for pr in selectors.self_assessment_profiles(p)}
    assert profiles["person"]["count"] == 2
    assert profiles["person"]["chart"]["values"] == [3.0, 3.0, 3.0, 5.0]
    assert profiles["person"]["chart"]["dimensions"][0] == "Mindset"
    assert profiles["organisation"]["rows"][3] == ("Partnering culture", 4)
    org_record = SelfAssessment.objects.get(kind="organisation")
    assert org_record.organisation == world.organisation


@pytest.mark.django_db
def test_self_assessment_refuses_bad_scores_and_missing_organisation(world):
    with pytest.raises(ValidationError):
        services.self_assessment_record(
            actor=world.user("manager"),
            partnership=world.partnership,
            kind="person",
            scores=[0, 3, 3, 3],
        )
    with pytest.raises(ValidationError, match="names no organisation"):
        services.self_assessment_record(
            actor=world.user("observer"),
            partnership=world.partnership,
            kind="organisation",
            scores=[3, 3, 3, 3],
        )


@pytest.mark.django_db
def test_self_assessment_page(world, client_for):
    url = f"/p/{world.partnership.slug}/prospects/self-assessment/"
    client = client_for("observer")
    ok = client.post(
        url, {"kind": "person", "score_1": "3", "score_2": "4", "score_3": "2", "score_4": "5"}
    )
    assert ok.status_code == 302
    page = client.get(url).content.decode()
    assert "self-assessment-data" in page and "Mindset" in page
    bad = client.post(
        url,
        {
            "kind": "person",
            "score_1": "9",
            "score_2": "4",
            "score_3": "2",
            "score_4": "5",
            "note": "kept",
        },
    )
    assert bad.status_code == 400 and "kept" in bad.content.decode()
