"""Issue 24: terms of reference and emergency access as components, the "start with
one partner or many" choice, and the default version notes in the reader's language."""

import importlib

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from commonground.agreements import advice, services
from commonground.agreements.models import AgreementVersion, StartDecision
from commonground.core.evidence import evidence_for

from .factories import make_agreement

pytestmark = pytest.mark.django_db


def test_a_memorandum_needs_terms_of_reference_and_emergency_access(world):
    a = make_agreement(world, template="blank")
    missing = advice.completeness(a, services.latest_version(a)).missing_components
    assert "Terms of reference" in missing and "Emergency access and contacts" in missing
    handshake = make_agreement(world, form="handshake", template="blank")
    missing = advice.completeness(handshake, services.latest_version(handshake)).missing_components
    assert "Terms of reference" not in missing


def test_the_memorandum_template_fills_both_from_the_records(world):
    v = services.latest_version(make_agreement(world))
    assert world.partnership.purpose.strip() in v.clauses["terms"]
    assert "every three months" in v.clauses["terms"]
    assert "Rita Rep" in v.clauses["emergency"]
    assert "Emergency access and contacts" in v.text


def _start_url(world):
    return reverse("agreements:start", kwargs={"slug": world.partnership.slug})


def test_the_start_choice_is_recorded_and_ticks_its_step(world, client_for):
    client = client_for("manager")
    response = client.post(_start_url(world), {"scope": "one", "reason": "Trust first."})
    assert response.status_code == 302
    d = StartDecision.objects.get(partnership=world.partnership)
    assert (d.scope, d.reason, d.decided_by) == ("one", "Trust first.", world.user("manager"))
    key = "agree.start.start-decided"
    evidence = evidence_for(world.partnership, [key])[key]
    assert evidence is not None and evidence.met and evidence.url == _start_url(world)
    listing = client.get(reverse("agreements:list", kwargs={"slug": world.partnership.slug}))
    assert "Trust first." in listing.content.decode()
    d.delete()
    assert evidence_for(world.partnership, [key])[key] is None


def test_a_bad_start_choice_keeps_the_reason_typed(world, client_for):
    response = client_for("manager").post(_start_url(world), {"scope": "all", "reason": "Kept"})
    assert response.status_code == 400 and "Kept" in response.content.decode()
    assert not StartDecision.objects.exists()


def test_an_observer_cannot_record_the_start_choice(world, client_for):
    response = client_for("observer").post(_start_url(world), {"scope": "many"})
    assert response.status_code in (403, 404)
    assert not StartDecision.objects.exists()


@pytest.mark.parametrize(("language", "shown"), [("en", "First draft"), ("nb", "Første utkast")])
def test_the_first_draft_note_reads_in_the_readers_language(world, client_for, language, shown):
    with translation.override("en" if language == "nb" else "nb"):
        a = make_agreement(world)
    assert services.latest_version(a).note == ""
    client = client_for("manager")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get(a.get_absolute_url()).content.decode()
    assert shown in html
    assert ("Første utkast" if language == "en" else "First draft") not in html


def test_the_migration_blanks_stored_default_notes_and_keeps_typed_ones(world):
    a = make_agreement(world)
    v1 = services.latest_version(a)
    AgreementVersion.objects.filter(pk=v1.pk).update(note="Første utkast")
    typed = make_agreement(world)
    AgreementVersion.objects.filter(agreement=typed).update(note="Signed at the town hall")
    module = importlib.import_module(
        "commonground.agreements.migrations.0002_start_decision_and_default_notes"
    )
    module.blank_default_notes(apps, None)
    v1.refresh_from_db()
    assert v1.note == "" and v1.shown_note == "First draft"
    assert AgreementVersion.objects.get(agreement=typed).note == "Signed at the town hall"
