"""Publishing, questions with stable keys, exports, and query counts."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from commonground.core.testing import assert_queries_do_not_grow, count_queries
from commonground.healthchecks import selectors, services
from commonground.healthchecks.models import SurveyItem
from commonground.healthchecks.tests.factories import add_responses, open_round

pytestmark = pytest.mark.django_db

FIVE = [{"trust": s, "platform": 4} for s in (2, 3, 4, 4, 5)]


def test_members_see_results_only_once_published(world, client_for):
    manager = world.users["manager"]
    rnd, _t = open_round(world.partnership, manager)
    add_responses(rnd, FIVE)
    observer = client_for("observer")
    csv_url = reverse(
        "healthchecks:round_export_csv", kwargs={"slug": world.partnership.slug, "pk": rnd.pk}
    )
    # While open, not even a manager sees anything but the count.
    open_page = client_for("manager").get(rnd.get_absolute_url()).content
    assert b"Question by question" not in open_page and b"nobody (managers included)" in open_page
    assert client_for("manager").get(csv_url).status_code == 404
    services.round_close(actor=manager, round=rnd)
    assert b"Question by question" not in observer.get(rnd.get_absolute_url()).content
    assert b"Question by question" in client_for("manager").get(rnd.get_absolute_url()).content
    assert observer.get(csv_url).status_code == 404
    api_url = reverse(
        "api:healthchecks_results", kwargs={"slug": world.partnership.slug, "pk": rnd.pk}
    )
    assert observer.get(api_url).status_code == 404
    client_for("manager").post(
        reverse("healthchecks:round_publish", kwargs={"slug": world.partnership.slug, "pk": rnd.pk})
    )
    page = observer.get(rnd.get_absolute_url()).content.decode()
    assert "Question by question" in page
    # trust answered 2, 3, 4, 4, 5: one cell per score with its count
    assert (
        '<span class="hc-dist__cell hc-dist__cell--1" title="1: 0">0</span>'
        '<span class="hc-dist__cell hc-dist__cell--2" title="2: 1">1</span>'
        '<span class="hc-dist__cell hc-dist__cell--3" title="3: 1">1</span>'
        '<span class="hc-dist__cell hc-dist__cell--4" title="4: 2">2</span>'
        '<span class="hc-dist__cell hc-dist__cell--5" title="5: 1">1</span>'
    ) in page
    csv = observer.get(csv_url)
    assert csv.status_code == 200
    assert "trust,Partners trust one another.,all,5,3.60,1.02,0,1,1,2,1" in csv.content.decode()
    assert observer.get(api_url).status_code == 200
    pdf = observer.get(
        reverse(
            "healthchecks:round_report_pdf", kwargs={"slug": world.partnership.slug, "pk": rnd.pk}
        )
    )
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_rewording_keeps_the_key_so_the_trend_compares_like_with_like(world):
    manager = world.users["manager"]
    old, _t = open_round(world.partnership, manager, title="2025", period="2025")
    add_responses(old, FIVE)
    services.round_publish(actor=manager, round=old)
    item = SurveyItem.objects.get(partnership=world.partnership, key="trust")
    services.item_reword(actor=manager, item=item, text="Partners trust each other.")
    removed = SurveyItem.objects.get(partnership=world.partnership, key="platform")
    services.item_set_active(actor=manager, item=removed, active=False)
    added = services.item_create(
        actor=manager,
        partnership=world.partnership,
        text="Residents have a real say",
        section="health",
        kind="agreement",
    )
    with time_machine.travel(timezone.now() + datetime.timedelta(days=365)):
        new, _t = open_round(world.partnership, manager, title="2026", period="2026")
        keys = set(new.items.values_list("key", flat=True))
        assert "trust" in keys and "platform" not in keys and added.key in keys
        add_responses(new, [{"trust": 5} for _ in range(5)])
        services.round_publish(actor=manager, round=new)
        trend = selectors.trend(world.partnership)
    assert [r["period"] for r in trend["rounds"]] == ["2025", "2026"]
    trust = next(s for s in trend["series"] if s["key"] == "trust")
    assert trust["values"] == ["3.60", "5.00"] and trust["label"] == "Partners trust each other."
    # The old round keeps the wording it was asked with.
    assert old.items.get(key="trust").text == "Partners trust one another."


def test_failing_round_form_and_no_answers_refused(world, client_for):
    url = reverse("healthchecks:round_create", kwargs={"slug": world.partnership.slug})
    response = client_for("manager").post(
        url, {"title": "Check", "period": "2026", "closes_on": "2000-01-01"}
    )
    assert response.status_code == 400 and 'value="Check"' in response.content.decode()


def test_round_list_and_detail_queries_do_not_grow(world, client_for):
    manager = world.users["manager"]
    client = client_for("observer")
    url = reverse("healthchecks:round_list", kwargs={"slug": world.partnership.slug})

    def grow():
        for _ in range(2):
            rnd, _t = open_round(world.partnership, manager)
            add_responses(rnd, FIVE)
            services.round_publish(actor=manager, round=rnd)

    grow()
    assert_queries_do_not_grow(lambda: client.get(url), grow)
    small, _t = open_round(world.partnership, manager)
    add_responses(small, FIVE, sectors=["public"] * 5)
    services.round_publish(actor=manager, round=small)
    large, _t = open_round(world.partnership, manager)
    add_responses(large, FIVE * 3, sectors=["public"] * 5 + ["civil"] * 5 + ["private"] * 5)
    services.round_publish(actor=manager, round=large)
    cache.clear()
    n_small, _sql, page = count_queries(lambda: client.get(small.get_absolute_url()))
    assert page.status_code == 200
    cache.clear()
    n_large, _sql, page = count_queries(lambda: client.get(large.get_absolute_url()))
    assert page.status_code == 200 and b"(5)" in page.content  # three sectors shown
    assert n_small == n_large


def test_opening_a_round_emails_every_member_a_one_use_link(
    world, client_for, django_capture_on_commit_callbacks
):
    from django.core import mail

    from commonground.healthchecks.models import Invitation

    url = reverse("healthchecks:round_create", kwargs={"slug": world.partnership.slug})
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("manager").post(
            url,
            {
                "title": "Health check 2027",
                "period": "2027",
                "closes_on": (timezone.localdate() + datetime.timedelta(days=14)).isoformat(),
            },
        )
    assert response.status_code == 302
    invitations = Invitation.objects.filter(round__title="Health check 2027")
    assert invitations.count() == 3 == len(mail.outbox)
    for message in mail.outbox:
        assert "/healthchecks/answer/#" in message.body
        token = message.body.split("/healthchecks/answer/#")[1].split()[0]
        assert not invitations.filter(token_hash=token).exists()  # only the hash is stored


def test_api_gives_aggregates_never_raw_answers_or_comments(world, client_for):
    manager = world.users["manager"]
    rnd, _t = open_round(world.partnership, manager)
    add_responses(rnd, [{**a, "comments": "only on the page"} for a in FIVE])
    services.round_publish(actor=manager, round=rnd)
    response = client_for("observer").get(
        reverse("api:healthchecks_results", kwargs={"slug": world.partnership.slug, "pk": rnd.pk})
    )
    data = response.json()
    assert b"only on the page" not in response.content
    trust = next(i for i in data["items"] if i["key"] == "trust")
    assert trust["mean"] in ("3.6", "3.60") and trust["distribution"] == {
        "1": 0,
        "2": 1,
        "3": 1,
        "4": 2,
        "5": 1,
    }
    assert "responses" in data and "answers" not in data
