"""Anonymity by construction: schema, thresholds, suppression, one-use links."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP
from decimal import Decimal as D

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.db import models
from django.urls import reverse
from django.utils import timezone

from commonground.healthchecks import selectors, services
from commonground.healthchecks.models import Answer, Invitation, Response
from commonground.healthchecks.selectors import MIN_RESPONSES, stats, suppress_cells
from commonground.healthchecks.tests.factories import add_responses, open_round

pytestmark = pytest.mark.django_db


def test_schema_has_no_link_from_answers_to_people():
    user_model = settings.AUTH_USER_MODEL.lower()
    for model in (Response, Answer):
        for f in model._meta.get_fields():
            if f.is_relation and f.many_to_one:
                assert f.related_model._meta.label_lower not in (
                    user_model,
                    "healthchecks.invitation",
                )
                assert f.related_model._meta.label_lower in (
                    "healthchecks.round",
                    "healthchecks.rounditem",
                    "healthchecks.response",
                ), f"{model.__name__}.{f.name} points to {f.related_model}"
            # Nothing finer than a day.
            assert not isinstance(f, models.DateTimeField), f"{model.__name__}.{f.name}"
        assert isinstance(model._meta.pk, models.UUIDField)
    assert isinstance(Invitation._meta.get_field("used_at"), models.DateField)
    assert not isinstance(Invitation._meta.get_field("used_at"), models.DateTimeField)
    # And the invitation does not point at a response either.
    assert not any(
        f.is_relation and f.related_model in (Response, Answer)
        for f in Invitation._meta.get_fields()
    )


def test_threshold_constant_is_five():
    assert MIN_RESPONSES == 5


@pytest.mark.parametrize(
    ("counts", "hidden"),
    [
        (
            {"public": 6, "civil": 5, "private": 3},
            {"private", "civil"},
        ),  # complementary: next smallest
        (
            {"public": 6, "civil": 7, "private": 2, "funder": 1},
            {"private", "funder"},
        ),  # already two
        ({"public": 6, "civil": 7}, set()),
        ({"public": 4}, {"public"}),
        ({"public": 9, "civil": 3}, {"public", "civil"}),
    ],
)
def test_suppression(counts, hidden):
    assert suppress_cells(counts) == hidden


def test_pct_rounds_half_up_like_decimal():
    # pct works in integers; it must agree with Decimal rounding half up everywhere
    for whole in range(1, 201):
        for part in range(whole + 1):
            exact = (D(100 * part) / D(whole)).quantize(D(1), rounding=ROUND_HALF_UP)
            assert selectors.pct(part, whole) == int(exact), (part, whole)
    assert selectors.pct(1, 8) == 13  # 12.5 goes up
    assert selectors.pct(3, 0) == 0


def test_stats_against_hand_computed_example():
    # Scores 1, 2, 4, 5, 5: mean 17/5 = 3.4; squared deviations 5.76+1.96+0.36+2.56+2.56 = 13.2;
    # population variance 13.2/5 = 2.64; standard deviation 1.6248… → 1.62.
    n, mean, sd = stats({1: 1, 2: 1, 4: 1, 5: 2})
    assert (n, mean, sd) == (5, D("3.40"), D("1.62"))


def test_round_results_hand_computed_with_previous_and_reference(world):
    manager = world.users["manager"]
    old, _t = open_round(world.partnership, manager, title="2025", period="2025")
    add_responses(old, [{"trust": s} for s in (3, 3, 3, 3, 3)])
    services.round_publish(actor=manager, round=old)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=365)):
        new, _t = open_round(world.partnership, manager, title="2026", period="2026")
        add_responses(
            new,
            [{"trust": s, "comments": f"comment {i}"} for i, s in enumerate((1, 2, 4, 5, 5))],
            sectors=["public", "public", "public", "civil", "civil"],
        )
        res = selectors.round_results(new)
    assert res.responses == 5
    trust = next(i for i in res.items if i.key == "trust")
    assert (trust.n, trust.mean, trust.sd) == (5, D("3.40"), D("1.62"))
    assert [c for _s, c, _p in trust.distribution] == [1, 1, 0, 1, 2]
    assert [p for _s, _c, p in trust.distribution] == [20, 20, 0, 20, 40]
    assert trust.previous == D("3.00") and trust.change == D("0.40")
    assert trust.reference == D("3.5")  # the methodology's baseline figure
    # Both sector cells are under five: both hidden.
    assert all(c.hidden and c.n is None and c.mean is None for c in trust.sectors)
    assert res.sector_breakdown_hidden
    comments = next(i for i in res.items if i.key == "comments")
    assert sorted(comments.comments) == [f"comment {i}" for i in range(5)]
    # Items nobody answered are suppressed, not shown as zero.
    assert next(i for i in res.items if i.key == "platform").suppressed


def test_fewer_than_five_responses_show_nothing(world, client_for):
    manager = world.users["manager"]
    rnd, _t = open_round(world.partnership, manager)
    add_responses(rnd, [{"trust": 5, "comments": "secret words"} for _ in range(4)])
    services.round_publish(actor=manager, round=rnd)
    res = selectors.round_results(rnd)
    assert res.suppressed
    assert all(i.mean is None and not i.comments and not i.distribution for i in res.items)
    page = client_for("observer").get(rnd.get_absolute_url())
    assert b"secret words" not in page.content and b"Results are shown only from 5" in page.content
    api = client_for("observer").get(
        reverse("api:healthchecks_results", kwargs={"slug": world.partnership.slug, "pk": rnd.pk})
    )
    assert api.status_code == 200
    data = api.json()
    assert data["suppressed"] and all(i["mean"] is None and i["n"] is None for i in data["items"])
    assert b"secret words" not in api.content


def test_one_use_link_refuses_second_response_and_keeps_answers_on_error(world, client):
    manager = world.users["manager"]
    rnd, tokens = open_round(world.partnership, manager)
    rep = world.users["representative"]
    url = reverse("healthchecks_global:answer", kwargs={"token": tokens[rep.pk]})
    assert client.get(url).status_code == 200
    # A failing form keeps every answer typed.
    bad = client.post(
        url, {"trust": "4", "comments": "x" * 3001, "swot_strengths": "we share data"}
    )
    assert bad.status_code == 400
    body = bad.content.decode()
    assert 'value="4" ' in body and "checked" in body and "we share data" in body
    assert Response.objects.count() == 0
    ok = client.post(url, {"trust": "4", "swot_strengths": "we share data"})
    assert ok.status_code == 200
    assert Response.objects.count() == 1
    inv = Invitation.objects.get(round=rnd, user=rep)
    assert inv.used_at == timezone.localdate()
    resp = Response.objects.get()
    assert resp.sector == "civil" and resp.submitted_on.weekday() == 0
    # Second use of the same link: refused, nothing stored.
    again = client.post(url, {"trust": "1"})
    assert again.status_code == 410 and b"already been used" in again.content
    assert Response.objects.count() == 1


def test_response_after_close_is_refused(world, client):
    manager = world.users["manager"]
    rnd, tokens = open_round(world.partnership, manager)
    url = reverse(
        "healthchecks_global:answer", kwargs={"token": tokens[world.users["observer"].pk]}
    )
    with time_machine.travel(timezone.now() + datetime.timedelta(days=20)):
        assert client.get(url).status_code == 410
    services.round_close(actor=manager, round=rnd)
    response = client.post(url, {"trust": "3"})
    assert response.status_code == 410 and b"closed" in response.content
    assert Response.objects.count() == 0


def test_reminders_go_only_to_non_responders_with_fresh_links(world, client):
    manager = world.users["manager"]
    rnd, tokens = open_round(world.partnership, manager)
    mail.outbox.clear()
    rep = world.users["representative"]
    client.post(
        reverse("healthchecks_global:answer", kwargs={"token": tokens[rep.pk]}), {"trust": "4"}
    )
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("django.db.transaction.on_commit", lambda f, *a, **k: f())
        sent = services.round_remind(actor=manager, round=rnd)
    invited = Invitation.objects.filter(round=rnd).count()
    assert sent == invited - 1
    recipients = {m.to[0] for m in mail.outbox}
    assert rep.email not in recipients and len(recipients) == sent
    # Nobody's name or answer is in a reminder.
    assert all(rep.display_name not in m.body and "4" not in m.subject for m in mail.outbox)
    # Old links of non-responders no longer work.
    old = tokens[world.users["observer"].pk]
    assert (
        client.get(reverse("healthchecks_global:answer", kwargs={"token": old})).status_code == 404
    )


def test_invitations_cover_every_member_person_and_store_only_hashes(world):
    rnd, tokens = open_round(world.partnership, world.users["manager"])
    people = {world.users[k].pk for k in ("observer", "representative", "manager")}
    assert set(Invitation.objects.filter(round=rnd).values_list("user_id", flat=True)) == people
    stored = set(Invitation.objects.values_list("token_hash", flat=True))
    assert not stored & set(tokens.values())
