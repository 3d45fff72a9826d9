"""Texts the application writes (audit summaries shown on the audit log, the story and
the report) are stored as message keys with values and read in the reader's language."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_noop as key  # not a msgid to extract here

from commonground.accounts.tests.factories import UserFactory
from commonground.core.audit import audit_record
from commonground.core.i18n import Msg, lower
from commonground.core.models import AuditEvent
from commonground.partnerships import services
from commonground.partnerships.models import RoleKind

pytestmark = pytest.mark.django_db

EN = "Created the partnership “Harbour Repair”"
NB = "Opprettet partnerskapet «Harbour Repair»"


def _page(client_for, name, slug, language, **params):
    client = client_for("manager")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse(name, kwargs={"slug": slug}), params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def created(world):
    """A partnership created by an English-speaking person, with an English page open."""
    actor = UserFactory(language="en")
    with translation.override("en"):
        partnership = services.partnership_create(actor=actor, name="Harbour Repair", purpose="x")
    services.role_assign(
        actor=actor, partnership=partnership, user=world.users["manager"], kind="manager"
    )
    return partnership


def test_the_event_keeps_its_key_values_and_the_text_in_the_default_language(created):
    with translation.override("nb"):
        event = AuditEvent.objects.get(partnership=created, verb="partnership.create")
        assert event.text == NB
    assert event.summary_key == "Created the partnership “%(name)s”"
    assert event.summary_params == {"name": "Harbour Repair"}
    assert event.summary == EN  # settings.LANGUAGE_CODE, whoever wrote it
    with translation.override("en"):
        assert event.text == EN


def test_choice_labels_are_stored_as_keys(created, world):
    event = AuditEvent.objects.get(partnership=created, verb="role.assign")
    assert event.summary_params["role"] == {"$t": "Manager / backbone"}
    with translation.override("nb"):
        assert "Manager / backbone" not in event.text


@pytest.mark.parametrize(("language", "shown", "hidden"), [("nb", NB, EN), ("en", EN, NB)])
@pytest.mark.parametrize(
    ("page", "params"),
    [
        ("partnerships:audit", {}),
        ("library:timeline", {}),
        ("library:report", {"audience": "partners"}),
    ],
)
def test_an_event_reads_in_the_readers_language(
    created, client_for, page, params, language, shown, hidden
):
    if page == "library:report":
        today = datetime.date.today()
        params = {**params, "start": (today - datetime.timedelta(days=1)).isoformat()}
        params["end"] = today.isoformat()
    html = _page(client_for, page, created.slug, language, **params)
    assert shown in html.replace("&ldquo;", "“").replace("&rdquo;", "”")
    assert hidden not in html


def test_an_old_row_without_a_key_shows_its_stored_text(world, client_for):
    AuditEvent.objects.create(
        partnership=world.partnership,
        verb="partnership.create",
        summary="Created the partnership “Matrix Partnership” (old row)",
    )
    for page in ("partnerships:audit", "library:timeline"):
        html = _page(client_for, page, world.partnership.slug, "nb")
        assert "Created the partnership “Matrix Partnership” (old row)" in html


def test_plain_text_summaries_are_kept_as_they_are(world):
    event = audit_record(
        actor=None, verb="x", summary="Typed by hand", partnership=world.partnership
    )
    assert (event.summary_key, event.summary_params) == ("", {})
    with translation.override("nb"):
        assert event.text == "Typed by hand"


def test_values_dates_lists_nested_messages_and_a_bad_translation():
    msg = Msg(
        key("%(org)s gave notice to end %(title)s from %(date)s"),
        org="Harbour",
        title=Msg(key("Invited %(email)s as %(role)s"), email="a@b", role=RoleKind.SPONSOR.label),
        date=datetime.date(2026, 12, 7),
    )
    stored = msg.stored_params()
    assert stored["date"] == {"$d": "2026-12-07"}
    assert stored["title"]["p"]["role"] == {"$t": "Sponsor"}
    with translation.override("nb"):
        text = str(msg)
        assert "7. des. 2026" in text and "Harbour" in text
    with translation.override("en"):
        assert "7 Dec 2026" in str(msg)
    assert str(Msg("%(a)s", a=[RoleKind.SPONSOR.label, "x"])) == "Sponsor, x"
    assert str(Msg("%(a)s", a=lower(RoleKind.SPONSOR.label))) == "sponsor"
    # A key whose values do not fit falls back rather than failing the page.
    event = AuditEvent(summary="stored", summary_key="%(missing)s", summary_params={})
    assert event.text == "stored"
