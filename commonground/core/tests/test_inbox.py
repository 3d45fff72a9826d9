"""My work is the person's inbox: what waits for them, across partnerships, agreeing
with the data (it goes when it is done), at a fixed number of queries."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from commonground.accounts.tests.factories import UserFactory
from commonground.actionplan.tests.factories import ActionFactory
from commonground.agreements import services as agreement_services
from commonground.agreements.models import Agreement
from commonground.agreements.tests.factories import make_agreement
from commonground.core.inbox import inbox_for, navigation_count, waiting_count
from commonground.core.testing import count_queries
from commonground.decisions import services as decision_services
from commonground.decisions.models import Notification
from commonground.decisions.notifications import send_digests
from commonground.decisions.tests.factories import ProposalFactory
from commonground.healthchecks.models import Invitation as HealthInvitation
from commonground.healthchecks.tests.factories import open_round
from commonground.meetings.tests.factories import MeetingFactory
from commonground.partnerships.tests.factories import PartnershipFactory, RoleFactory

pytestmark = pytest.mark.django_db


def sections(user):
    return {s.key: s for s in inbox_for(user)}


def titles(user, key):
    return [i.title for i in sections(user)[key].items]


def test_what_waits_for_a_partner_is_listed_and_goes_when_done(world):
    rep = world.users["representative"]
    today = timezone.localdate()
    late = ActionFactory(
        partnership=world.partnership, owner=rep, title="Send the budget", due_on=today
    )
    late.due_on = today - datetime.timedelta(days=2)
    late.save()
    ActionFactory(partnership=world.partnership, owner=rep, title="Finished", status="done")
    ActionFactory(partnership=world.partnership, title="Someone else's")
    proposal = ProposalFactory(partnership=world.partnership, title="Adopt the reuse charter")
    round_, _codes = open_round(world.partnership, world.users["manager"])
    make_agreement(world, title="Workshop MoU")
    MeetingFactory(
        partnership=world.partnership,
        title="Steering group",
        starts_at=timezone.now() + datetime.timedelta(days=3),
    )
    MeetingFactory(partnership=world.partnership, title="Last month")

    found = sections(rep)
    assert [i.title for i in found["actions"].items] == ["Send the budget"]
    assert found["actions"].items[0].overdue
    assert titles(rep, "votes") == ["Adopt the reuse charter"]
    assert titles(rep, "surveys") == [round_.title]
    assert titles(rep, "signatures") == ["Workshop MoU, version 1"]
    assert titles(rep, "meetings") == ["Steering group"]
    # Meetings are to know, not to do: they are not counted as waiting.
    assert waiting_count(inbox_for(rep)) == 4

    decision_services.vote_cast(actor=rep, proposal=proposal, position="agree")
    HealthInvitation.objects.filter(user=rep).update(answered=True)
    version = Agreement.objects.get().versions.get()
    agreement_services.ratify(actor=rep, version=version, organisation=world.organisation)
    late.status = "done"
    late.save()
    after = sections(rep)
    assert [after[k].count for k in ("actions", "votes", "surveys", "signatures")] == [0, 0, 0, 0]


def test_the_inbox_shows_only_the_persons_own_partnerships_and_rights(world):
    ProposalFactory(partnership=world.partnership, title="Members only")
    ProposalFactory(partnership=world.other_partnership, title="Elsewhere")
    # The observer holds no voting role; the outsider is not in this partnership.
    assert titles(world.users["observer"], "votes") == []
    assert titles(world.users["outsider"], "votes") == ["Elsewhere"]
    # An ended role takes the partnership's items away.
    role = world.users["representative"].partnership_roles.get()
    role.ended_on = timezone.localdate()
    role.save()
    assert titles(world.users["representative"], "votes") == []


def test_an_organisation_votes_once(world):
    rep = world.users["representative"]
    colleague = UserFactory(organisation=world.organisation)
    RoleFactory(
        partnership=world.partnership,
        user=colleague,
        kind="representative",
        organisation=world.organisation,
        representative_kind="doer",
    )
    proposal = ProposalFactory(partnership=world.partnership, eligibility="organisation")
    assert titles(rep, "votes") == [proposal.title]
    decision_services.vote_cast(actor=colleague, proposal=proposal, position="agree")
    assert titles(rep, "votes") == []


def test_my_work_page_and_navigation_count_agree_with_the_data(world, client_for):
    rep = world.users["representative"]
    proposal = ProposalFactory(partnership=world.partnership, title="Adopt the reuse charter")
    Notification.objects.create(
        user=rep,
        partnership=world.partnership,
        kind="conversations.mention",
        title="Mona mentioned you",
        url="/x/",
    )
    client = client_for("representative")
    page = client.get(reverse("core:dashboard")).content.decode()
    assert "2 things wait for you" in page
    assert "Adopt the reuse charter" in page and "Mona mentioned you" in page
    assert f'href="{proposal.get_absolute_url()}">Vote</a>' in page
    # The page loads its count afterwards (htmx), so no page pays for it.
    assert 'hx-get="/me/waiting/"' in page
    badge = client.get(reverse("core:inbox_count")).content.decode()
    assert '<span id="nav-count" class="nav-count"' in badge and ">2<" in badge
    assert 'id="nav-count-menu" class="nav-count" hx-swap-oob="true">2<' in badge
    assert navigation_count(rep) == 2
    client.post(
        reverse("decisions:vote", kwargs={"slug": world.partnership.slug, "pk": proposal.pk}),
        {"position": "agree"},
    )
    # The vote moved the instance's data version: the count is not served stale.
    assert navigation_count(rep) == 1
    assert "1 thing waits for you" in client.get(reverse("core:dashboard")).content.decode()


def test_an_empty_inbox_says_so(world, client_for):
    page = client_for("observer").get(reverse("core:dashboard")).content.decode()
    assert "Nothing waits for you" in page
    badge = client_for("observer").get(reverse("core:inbox_count")).content.decode()
    assert badge.strip() == '<span id="nav-count"></span>'


def test_inbox_queries_do_not_grow_with_partnerships_or_items(world):
    rep = world.users["representative"]

    def grow(n):
        for _ in range(n):
            p = PartnershipFactory()
            RoleFactory(partnership=p, user=rep, kind="manager")
            ProposalFactory(partnership=p)
            ActionFactory(partnership=p, owner=rep)
            MeetingFactory(partnership=p, starts_at=timezone.now() + datetime.timedelta(days=1))
            Notification.objects.create(
                user=rep, partnership=p, kind="conversations.mention", title="m"
            )

    grow(1)
    small, _sql, result = count_queries(lambda: inbox_for(rep))
    assert sum(s.count for s in result) > 0
    grow(6)
    large, _sql, result = count_queries(lambda: inbox_for(rep))
    assert {s.key: s.count for s in result}["votes"] == 7
    assert small == large


def test_the_digest_carries_the_inbox(world, django_capture_on_commit_callbacks):
    rep = world.users["representative"]
    ProposalFactory(partnership=world.partnership, title="Adopt the reuse charter")
    Notification.objects.create(
        user=rep,
        partnership=world.partnership,
        kind="conversations.mention",
        title="Mona mentioned you",
        url="/x/",
    )
    with django_capture_on_commit_callbacks(execute=True):  # the email is queued at commit
        assert send_digests() == 1
    body = mail.outbox[-1].body
    assert "Mona mentioned you" in body
    assert "Votes to cast" in body and "Adopt the reuse charter" in body


def _page_cache_rows():
    """Everything the shared page cache holds (the database cache in tests)."""
    from django.conf import settings
    from django.db import connection

    table = settings.CACHES["pages"]["LOCATION"]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT cache_key, value FROM {table}")
        return set(cursor.fetchall())


def test_answering_a_survey_leaves_no_per_person_trace_in_the_cache(world, client_for):
    """The count beside My work drops when the person answers a health-check survey (it
    agrees with the data), but it is never stored: a cached per-person figure that moves
    at that moment would date the answer for anyone reading the cache."""
    from django.test import Client

    from commonground.healthchecks.tests.test_attacks import _answer

    rep = world.users["representative"]
    rnd, tokens = open_round(world.partnership, world.users["manager"], notify=False)
    client = client_for("representative")
    assert ">1<" in client.get(reverse("core:inbox_count")).content.decode()
    assert _answer(Client(), tokens[rep.pk], {"trust": "4"}).status_code == 200
    assert HealthInvitation.objects.get(round=rnd, user=rep).answered
    before = _page_cache_rows()
    badge = client.get(reverse("core:inbox_count")).content.decode()
    assert badge.strip() == '<span id="nav-count"></span>'
    assert navigation_count(rep) == 0
    # Fetching the count wrote nothing to the shared cache, before or after answering.
    assert _page_cache_rows() == before
    assert not any(str(rep.pk) in key.split(":") for key, _v in before)


def test_the_next_steps_of_one_partnership_are_not_cut_by_the_others(world):
    """Asked for one partnership, each section holds that partnership's items even when
    the person has more than a page of earlier-due items elsewhere."""
    rep = world.users["representative"]
    elsewhere = PartnershipFactory()
    RoleFactory(partnership=elsewhere, user=rep, kind="manager")
    today = timezone.localdate()
    for n in range(12):
        ActionFactory(partnership=elsewhere, owner=rep, title=f"Other {n}", due_on=today)
    here = ActionFactory(
        partnership=world.partnership,
        owner=rep,
        title="Ours",
        due_on=today + datetime.timedelta(days=30),
    )
    everywhere = {s.key: s for s in inbox_for(rep)}["actions"]
    assert everywhere.count == 13 and here.title not in [i.title for i in everywhere.items]
    ours = {s.key: s for s in inbox_for(rep, partnership=world.partnership)}["actions"]
    assert ours.count == 1 and [i.title for i in ours.items] == ["Ours"]
    assert {s.key: s for s in inbox_for(rep, partnership=elsewhere)}["actions"].count == 12
