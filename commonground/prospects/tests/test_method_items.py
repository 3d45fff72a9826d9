"""Issue 24: the four scorecard criteria the method names, and what each
competency area means, shown beside the 1–5 scale."""

import importlib

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from commonground.prospects import services
from commonground.prospects.models import Criterion, Score

pytestmark = pytest.mark.django_db

NEW_KEYS = {
    "Their way of working fits with ours",
    "We understand how they are governed",
    "Shares our picture of success",
    "Has delivered before and can grow in step with our timeline",
}
MIGRATION = "commonground.prospects.migrations.0003_scorecard_missing_criteria"


def test_the_default_scorecard_has_the_four_criteria_the_method_names(world):
    with translation.override("nb"):
        services.criteria_seed(actor=world.user("manager"), partnership=world.partnership)
    keys = set(Criterion.objects.values_list("label_key", flat=True))
    assert keys >= NEW_KEYS and len(keys) == 18
    # Each group keeps its criteria together.
    groups = list(Criterion.objects.order_by("position").values_list("group", flat=True))
    assert groups == sorted(groups, key=["compatibility", "assessment", "selection"].index)


def test_the_new_criteria_read_in_the_readers_language(world, client_for):
    with translation.override("en"):
        services.criteria_seed(actor=world.user("manager"), partnership=world.partnership)
    client = client_for("manager")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
    html = client.get(
        reverse("prospects:criteria", kwargs={"slug": world.partnership.slug})
    ).content.decode()
    assert "Vi forstår hvordan de styres" in html
    assert "We understand how they are governed" not in html


def _old_default_scorecard(partnership):
    return [
        Criterion.objects.create(
            partnership=partnership, group=group, label=key, label_key=key, position=i
        )
        for i, (group, key) in enumerate(
            [
                ("compatibility", "Fits our strategy and objectives"),
                ("assessment", "Track record and references we can check"),
                ("selection", "Understands why public processes exist"),
            ],
            start=1,
        )
    ]


def test_the_migration_adds_the_criteria_only_where_nobody_has_scored(world):
    from commonground.prospects.tests.factories import ProspectFactory

    _old_default_scorecard(world.partnership)
    scored = _old_default_scorecard(world.other_partnership)
    prospect = ProspectFactory(partnership=world.other_partnership)
    Score.objects.create(
        prospect=prospect, criterion=scored[0], assessor=world.user("manager"), value=4
    )
    # A partnership whose scorecard is all typed by its people is left alone too.
    typed = ProspectFactory().partnership
    Criterion.objects.create(partnership=typed, group="selection", label="Knows the harbour")

    importlib.import_module(MIGRATION).add_criteria(apps, None)

    mine = Criterion.objects.filter(partnership=world.partnership).order_by("position")
    assert set(mine.values_list("label_key", flat=True)) >= NEW_KEYS
    assert [c.group for c in mine] == [
        "compatibility",
        "compatibility",
        "assessment",
        "assessment",
        "selection",
        "selection",
        "selection",
    ]
    assert Criterion.objects.filter(partnership=world.other_partnership).count() == 3
    assert Criterion.objects.filter(partnership=typed).count() == 1
    # Running it again adds nothing twice.
    importlib.import_module(MIGRATION).add_criteria(apps, None)
    assert Criterion.objects.filter(partnership=world.partnership).count() == 7


@pytest.mark.parametrize(
    ("language", "shown"),
    [
        ("en", "The people who partner have the training, time and backing to do it well."),
        (
            "nb",
            "De som samarbeider har opplæringen, tiden og støtten som trengs for å gjøre det godt.",
        ),
    ],
)
def test_each_competency_area_shows_what_it_means(world, client_for, language, shown):
    client = client_for("observer")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    url = reverse("prospects:self_assessment", kwargs={"slug": world.partnership.slug})
    html = client.get(url).content.decode()
    # Beside the scale in the form and in each profile's table.
    assert html.count(shown) == 2


def test_a_bad_score_keeps_the_descriptors_and_what_was_typed(world, client_for):
    url = reverse("prospects:self_assessment", kwargs={"slug": world.partnership.slug})
    bad = client_for("observer").post(
        url, {"kind": "person", "score_1": "0", "score_2": "4", "score_3": "2", "note": "half"}
    )
    html = bad.content.decode()
    assert bad.status_code == 400 and "half" in html
    assert "Knows how your own sector and the others work" in html


def test_someone_outside_the_partnership_cannot_assess(world, client_for):
    url = reverse("prospects:self_assessment", kwargs={"slug": world.partnership.slug})
    response = client_for("outsider").post(
        url, {"kind": "person", "score_1": "3", "score_2": "3", "score_3": "3", "score_4": "3"}
    )
    assert response.status_code in (403, 404)
    assert not world.partnership.self_assessments.exists()
