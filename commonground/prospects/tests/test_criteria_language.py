"""The default scorecard reads in each reader's language, whoever created it."""

import importlib

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from commonground.prospects import services
from commonground.prospects.models import Criterion

pytestmark = pytest.mark.django_db

EN = "Fits our strategy and objectives"
NB = "Passer med vår strategi og våre mål"


def _criteria_page(client_for, slug, language):
    client = client_for("manager")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("prospects:criteria", kwargs={"slug": slug}))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(("language", "shown", "hidden"), [("nb", NB, EN), ("en", EN, NB)])
def test_default_criteria_made_by_an_english_actor_read_in_the_readers_language(
    world, client_for, language, shown, hidden
):
    with translation.override("en"):
        services.criteria_seed(actor=world.users["manager"], partnership=world.partnership)
    html = _criteria_page(client_for, world.partnership.slug, language)
    assert shown in html and hidden not in html


def test_a_typed_criterion_stays_as_typed(world, client_for):
    services.criterion_add(
        actor=world.users["manager"],
        partnership=world.partnership,
        group="selection",
        label="Knows the harbour",
        weight=2,
    )
    assert Criterion.objects.get(label="Knows the harbour").label_key == ""
    assert "Knows the harbour" in _criteria_page(client_for, world.partnership.slug, "nb")


def test_the_migration_gives_existing_defaults_their_key(world):
    for i, label in enumerate((EN, NB, "Knows the harbour")):
        Criterion.objects.create(
            partnership=world.partnership if i != 1 else world.other_partnership,
            group="compatibility",
            label=label,
        )
    module = importlib.import_module("commonground.prospects.migrations.0002_criterion_label_key")
    module.set_keys(apps, None)
    keys = dict(Criterion.objects.values_list("label", "label_key"))
    assert keys == {EN: EN, NB: EN, "Knows the harbour": ""}
    with translation.override("nb"):
        assert {c.text for c in Criterion.objects.all()} == {NB, "Knows the harbour"}
