"""An action made from a results review names the review in the reader's language (from
its link), not in a sentence stored in the language of whoever made it."""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.apps import apps
from django.utils import formats, translation

from commonground.actionplan.models import Action
from commonground.results import services as results
from commonground.results.tests.factories import ReviewFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "commonground.actionplan.migrations.0007_review_source_from_link"
)


def test_an_action_from_a_review_names_it_in_the_readers_language(world, client_for):
    review = ReviewFactory(
        partnership=world.partnership, title="Spring review", held_on=datetime.date(2026, 4, 2)
    )
    (action,) = results.review_actions_create(
        actor=world.users["manager"], review=review, titles=["Recruit two more drivers"]
    )
    assert action.description == ""
    client = client_for("observer")
    client.cookies["django_language"] = "nb"
    page = client.get(action.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="nb").content.decode()
    assert "Resultatgjennomgang:" in page and "Spring review" in page
    with translation.override("nb"):
        assert formats.date_format(review.held_on, "DATE_FORMAT") in page
    assert "Decided at the results review" not in page


def test_the_stored_sentence_is_removed_from_earlier_actions(world):
    review = ReviewFactory(partnership=world.partnership, title="Autumn")
    texts = {
        "en": "Decided at the results review “Autumn” (2026-11-18).",
        "nb": "Besluttet på resultatgjennomgangen «Autumn» (2026-11-18).",
        "kept": "Decided at the results review “Autumn” (2026-11-18). Ask Nora first.",
    }
    made = {
        key: Action.objects.create(
            partnership=world.partnership, title=key, description=text, review=review
        )
        for key, text in texts.items()
    }
    unlinked = Action.objects.create(
        partnership=world.partnership, title="unlinked", description=texts["en"]
    )
    migration.forwards(apps, None)
    for key in ("en", "nb"):
        made[key].refresh_from_db()
        assert made[key].description == ""
    made["kept"].refresh_from_db()
    unlinked.refresh_from_db()
    assert made["kept"].description == texts["kept"]
    assert unlinked.description == texts["en"]
