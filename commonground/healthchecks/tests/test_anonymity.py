"""Anonymity by construction: schema, thresholds, suppression, one-use links."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP
from decimal import Decimal as D

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from hypothesis import assume, given
from hypothesis import strategies as st

from commonground.healthchecks import selectors, services
from commonground.healthchecks.models import (
    Answer,
    BreakdownCell,
    Invitation,
    Response,
    SealedResponse,
)
from commonground.healthchecks.selectors import MIN_RESPONSES, stats, suppress_cells
from commonground.healthchecks.tests.factories import add_responses, open_round

pytestmark = pytest.mark.django_db


def test_schema_has_no_link_from_answers_to_people():
    user_model = settings.AUTH_USER_MODEL.lower()
    for model in (Response, Answer, SealedResponse):
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
            # No time at all: not even a day (the round's dates are the only ones).
            assert not isinstance(f, models.DateField), f"{model.__name__}.{f.name}"
        assert isinstance(model._meta.pk, models.UUIDField)
    # Not even the sector: in a small sector it would name the respondent.
    assert "sector" not in {f.name for f in Response._meta.get_fields()}
    # A hidden group of a breakdown is stored without figures, never a small count.
    assert {f.name for f in BreakdownCell._meta.get_fields()} == {
        "id",
        "round",
        "item",
        "grouping",
        "group",
        "n",
        "total",
    }
    # The invitation says whether, never when, its link was used.
    assert isinstance(Invitation._meta.get_field("answered"), models.BooleanField)
    per_person_dates = {
        f.name for f in Invitation._meta.get_fields() if isinstance(f, models.DateField)
    }
    assert per_person_dates == {"sent_on", "reminded_on"}  # set for everyone at once
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
        # two small groups together under five: the smallest shown group goes too,
        # else total - public - civil = 3 people (the fault of the earlier rule)
        (
            {"public": 6, "civil": 7, "private": 2, "funder": 1},
            {"private", "funder", "public"},
        ),
        ({"public": 6, "civil": 7, "private": 3, "funder": 2}, {"private", "funder"}),
        # ties are broken by name, so every view hides the same group
        ({"b": 6, "a": 6, "c": 1, "d": 1}, {"a", "c", "d"}),
        ({"a": 5, "b": 1, "c": 1, "d": 1, "e": 1, "f": 1}, {"b", "c", "d", "e", "f"}),
        ({"public": 6, "civil": 7}, set()),
        ({"public": 4}, {"public"}),
        ({"public": 9, "civil": 3}, {"public", "civil"}),
    ],
)
def test_suppression(counts, hidden):
    assert suppress_cells(counts) == hidden


@given(st.dictionaries(st.text("abcdefgh", min_size=1, max_size=2), st.integers(1, 12)))
def test_suppression_never_leaves_a_small_remainder(counts):
    """Whatever the groups, the hidden ones together hold 0 or at least five answers, and
    every shown group at least five: no difference of published figures is under five.
    (An item answered by fewer than five people is not published at all.)"""
    assume(sum(counts.values()) >= MIN_RESPONSES)
    hidden = suppress_cells(counts)
    assert hidden <= counts.keys()
    remainder = sum(counts[k] for k in hidden)
    assert remainder == 0 or remainder >= MIN_RESPONSES
    assert all(n >= MIN_RESPONSES for k, n in counts.items() if k not in hidden)


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
        assert selectors.round_results(new).suppressed  # nothing before the close
        services.round_close(actor=manager, round=new)
        new.refresh_from_db()
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
    rnd.refresh_from_db()
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


def _answer(client, token, data=None):
    """What the answer page's script does with the code from the link's fragment."""
    url = reverse("healthchecks_global:answer")
    body = {"_link": token}
    if data is not None:
        body.update(data, _send="1")
    return client.post(url, body)


def test_one_use_link_refuses_second_response_and_keeps_answers_on_error(world, client):
    manager = world.users["manager"]
    rnd, tokens = open_round(world.partnership, manager)
    rep = world.users["representative"]
    token = tokens[rep.pk]
    assert _answer(client, token).status_code == 200
    # A failing form keeps every answer typed.
    bad = _answer(
        client, token, {"trust": "4", "comments": "x" * 3001, "swot_strengths": "we share data"}
    )
    assert bad.status_code == 400
    body = bad.content.decode()
    assert 'value="4" ' in body and "checked" in body and "we share data" in body
    assert SealedResponse.objects.count() == 0
    ok = _answer(client, token, {"trust": "4", "swot_strengths": "we share data"})
    assert ok.status_code == 200
    # Sealed until the close: no result row exists yet.
    assert SealedResponse.objects.count() == 1 and Response.objects.count() == 0
    inv = Invitation.objects.get(round=rnd, user=rep)
    assert inv.answered
    assert SealedResponse.objects.get().sector == "civil"
    # Second use of the same link: refused, nothing stored.
    again = _answer(client, token, {"trust": "1"})
    assert again.status_code == 410 and b"already been used" in again.content
    assert SealedResponse.objects.count() == 1
    services.round_close(actor=manager, round=rnd)
    assert SealedResponse.objects.count() == 0
    resp = Response.objects.get()
    assert not BreakdownCell.objects.exists()  # one answer: no breakdown to publish
    assert sorted(resp.answers.values_list("item__key", "score", "text")) == [
        ("swot_strengths", None, "we share data"),
        ("trust", 4, ""),
    ]


def test_the_code_never_travels_in_a_url(world, client):
    manager = world.users["manager"]
    mail.outbox.clear()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("django.db.transaction.on_commit", lambda f, *a, **k: f())
        rnd, tokens = open_round(world.partnership, manager)
    rep = world.users["representative"]
    message = next(m for m in mail.outbox if m.to == [rep.email])
    link = next(line for line in message.body.splitlines() if "/answer/" in line)
    path, fragment = link.split("#", 1)
    assert fragment == tokens[rep.pk]  # after "#": never sent to the server
    assert tokens[rep.pk] not in path and "?" not in link
    page = client.get(reverse("healthchecks_global:answer"))
    assert page.status_code == 200 and b"answer_link.js" in page.content
    assert b'name="_link"' in page.content  # and the code can be pasted without a script
    # A GET with the code in the query string opens nothing: a URL may never carry it.
    leaked = client.get(reverse("healthchecks_global:answer"), {"_link": tokens[rep.pk]})
    assert rnd.title.encode() not in leaked.content
    wrong = client.post(reverse("healthchecks_global:answer"), {"_link": "not-a-code"})
    assert wrong.status_code == 404 and b"not valid" in wrong.content


def test_response_after_close_is_refused(world, client):
    manager = world.users["manager"]
    rnd, tokens = open_round(world.partnership, manager)
    token = tokens[world.users["observer"].pk]
    with time_machine.travel(timezone.now() + datetime.timedelta(days=20)):
        assert _answer(client, token).status_code == 410
    services.round_close(actor=manager, round=rnd)
    response = _answer(client, token, {"trust": "3"})
    assert response.status_code == 410 and b"closed" in response.content
    assert Response.objects.count() == 0 and SealedResponse.objects.count() == 0


def test_reminders_go_only_to_non_responders_with_fresh_links(world, client):
    manager = world.users["manager"]
    rnd, tokens = open_round(world.partnership, manager)
    mail.outbox.clear()
    rep = world.users["representative"]
    _answer(client, tokens[rep.pk], {"trust": "4"})
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
    assert _answer(client, old).status_code == 404


def test_invitations_cover_every_member_person_and_store_only_hashes(world):
    rnd, tokens = open_round(world.partnership, world.users["manager"])
    people = {world.users[k].pk for k in ("observer", "representative", "manager")}
    assert set(Invitation.objects.filter(round=rnd).values_list("user_id", flat=True)) == people
    stored = set(Invitation.objects.values_list("token_hash", flat=True))
    assert not stored & set(tokens.values())


def test_the_database_holds_no_figure_of_a_hidden_group(world):
    """Suppression happens at the close, in storage: a hidden group's count and sum are
    never written, so reading the table gives an operator no more than the page."""
    manager = world.users["manager"]
    rnd, _t = open_round(world.partnership, manager)
    sectors = ["public"] * 6 + ["civil"] * 6 + ["private"] * 2 + ["funder"]
    add_responses(rnd, [{"trust": 1 + n % 5} for n in range(len(sectors))], sectors=sectors)
    services.round_close(actor=manager, round=rnd)
    cells = {
        c.group: (c.n, c.total) for c in BreakdownCell.objects.filter(round=rnd, item__key="trust")
    }
    # private (2) and funder (1) make 3 together: civil (the smaller shown one, by name) goes too
    assert cells == {
        "civil": (None, None),
        "funder": (None, None),
        "private": (None, None),
        "public": (6, sum(1 + n % 5 for n in range(6))),
    }


def test_a_round_is_released_once_whether_closed_or_published(world, client_for):
    """Publishing an open round closes it first; a second close (or a close after
    publishing) is refused and writes no answer twice."""
    manager = world.users["manager"]
    rnd, _t = open_round(world.partnership, manager)
    add_responses(rnd, [{"trust": 4} for _ in range(5)])
    services.round_publish(actor=manager, round=rnd)
    rnd.refresh_from_db()
    assert rnd.status == "published"
    assert Response.objects.filter(round=rnd).count() == 5
    assert not SealedResponse.objects.exists()
    with pytest.raises(ValidationError, match="already closed"):
        services.round_close(actor=manager, round=rnd)
    with pytest.raises(ValidationError, match="already published"):
        services.round_publish(actor=manager, round=rnd)
    # Through the page: a flash message, nothing written again.
    url = reverse("healthchecks:round_close", kwargs={"slug": world.partnership.slug, "pk": rnd.pk})
    page = client_for("manager").post(url, follow=True)
    assert b"already closed" in page.content
    assert Response.objects.filter(round=rnd).count() == 5
    # A member who is not a manager cannot close it at all.
    assert client_for("representative").post(url).status_code == 403
