"""The members' compact offers the method's full set of clauses, each with what it looks
like in practice, as an editable starting point (in English and Norwegian)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from commonground.agreements.compact_defaults import COMPACT_CLAUSES, default_principles_text
from commonground.agreements.models import Compact

pytestmark = pytest.mark.django_db

CLAUSE_KEYS = [
    "transparency",
    "equity",
    "mutual_benefit",
    "good_partner",
    "competition",
    "learning",
    "ambassador",
]


def url(world):
    return reverse("agreements:compact_create", kwargs={"slug": world.partnership.slug})


def test_the_default_set_has_every_clause_with_its_practice():
    assert [key for key, _title, _practice in COMPACT_CLAUSES] == CLAUSE_KEYS
    assert all(len(practice) >= 2 for _key, _title, practice in COMPACT_CLAUSES)
    with translation.override("en"):
        lines = default_principles_text().splitlines()
    assert len(lines) == 7
    assert lines[3].startswith("Being a good partner: ")
    assert lines[4].startswith("Handling competition: ")
    assert lines[5].startswith("Sharing learning: ")
    assert lines[6].startswith("Acting as ambassador: ")


def test_the_default_set_is_in_norwegian_too():
    with translation.override("en"):
        english = default_principles_text()
    with translation.override("nb"):
        norwegian = default_principles_text()
    english_parts = set(english.replace(": ", "\n").replace("; ", "\n").splitlines())
    norwegian_parts = set(norwegian.replace(": ", "\n").replace("; ", "\n").splitlines())
    assert not english_parts & norwegian_parts  # every title and practice translated


def test_the_form_offers_the_clauses_and_the_partners_adopt_what_they_edited(world, client_for):
    client = client_for("manager")
    form = client.get(url(world)).context["form"]
    offered = form.initial["principles"].splitlines()
    assert len(offered) == 7 and offered[4].startswith("Handling competition")
    assert form.initial["introduction"]
    # Edited: competition dropped, one practice rewritten, a clause of their own added.
    kept = [line for line in offered if not line.startswith("Handling competition")]
    kept[0] = "Transparency: we publish our minutes"
    kept.append("Climate first: we pick the option with the lower footprint")
    response = client.post(
        url(world),
        {"title": "Our compact", "introduction": "", "principles": "\n".join(kept)},
    )
    assert response.status_code == 302
    compact = Compact.objects.get(partnership=world.partnership)
    titles = [p.title for p in compact.principles.all()]
    assert "Handling competition" not in titles
    assert titles[0] == "Transparency" and titles[-1] == "Climate first"
    assert compact.principles.get(title="Transparency").behaviours == "we publish our minutes"
    assert len(titles) == 7


def test_the_defaults_are_only_offered_never_adopted_by_themselves(world, client_for):
    client = client_for("manager")
    client.get(url(world))
    assert not Compact.objects.exists()
    # Emptied by the partners: nothing is filled in for them.
    response = client.post(url(world), {"title": "Empty", "introduction": "", "principles": ""})
    assert response.status_code == 400
    assert not Compact.objects.exists()
