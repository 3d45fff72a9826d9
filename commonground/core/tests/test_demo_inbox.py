"""The demo's representative finds every kind of waiting item in My work (issue 25):
the page promises "what is waiting for you", and the demo must show what that means."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from commonground.accounts.models import User
from commonground.core.inbox import inbox_for

pytestmark = pytest.mark.django_db

KINDS = ["votes", "signatures", "surveys", "actions", "mentions", "meetings"]


def test_the_demo_representative_has_each_kind_of_waiting_item(client):
    call_command("load_demo", verbosity=0)
    nora = User.objects.get(email="nora@fjordvik.example")
    assert nora.partnership_roles.filter(kind="representative", ended_on__isnull=True).exists()
    sections = {s.key: s for s in inbox_for(nora)}
    empty = [key for key in KINDS if not sections[key].count or not sections[key].items]
    assert not empty, f"nothing waits for the demo representative under: {empty}"
    client.force_login(nora)
    page = client.get(reverse("core:dashboard")).content.decode()
    for key in KINDS:
        assert str(sections[key].title) in page, key
        assert sections[key].items[0].url in page, key
