"""Permission matrix rows for meetings (pages, API and the calendar feed)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from commonground.accounts.models import hash_secret
from commonground.core.testing import Row, World
from commonground.meetings import rules as m
from commonground.meetings.models import CalendarFeedToken
from commonground.meetings.tests.factories import AgendaItemFactory, MeetingFactory


def rows(world: World) -> list[Row]:
    p = world.partnership
    slug = {"slug": p.slug}
    past = MeetingFactory(partnership=p, title="Matrix past meeting")
    upcoming = MeetingFactory(
        partnership=p,
        title="Matrix next meeting",
        starts_at=timezone.now() + datetime.timedelta(days=7),
        ends_at=timezone.now() + datetime.timedelta(days=7, hours=2),
    )
    item = AgendaItemFactory(meeting=past, title="Matrix item", status="accepted")
    proposed = AgendaItemFactory(meeting=upcoming, title="Proposed item", status="proposed")
    CalendarFeedToken.objects.create(user=world.users["manager"], token_hash=hash_secret("feed-ok"))
    from commonground.meetings import series as series_mod

    recurring = series_mod.series_create(
        actor=world.users["manager"],
        partnership=p,
        title="Matrix series",
        frequency="monthly",
        interval=3,
        starts_at=timezone.now() + datetime.timedelta(days=3),
        duration=datetime.timedelta(hours=2),
        mode="in_person",
        place="Town hall",
    )
    occurrence = recurring.meetings.order_by("starts_at").first()
    # Something on it, so cancelling it is refused after the permission check (it stays).
    AgendaItemFactory(meeting=occurrence, title="Matrix proposal", status="proposed")
    on_series = {**slug, "series_pk": recurring.pk}
    one = {**slug, "pk": past.pk}
    on_item = {**one, "item_pk": item.pk}
    up = {**slug, "pk": upcoming.pk}
    item_data = {"title": "A new item", "item_type": "discussion", "description": ""}
    return [
        Row("meetings:list", slug, m.VIEW),
        Row("meetings:create", slug, m.MANAGE),
        Row("meetings:settings", slug, m.SETTINGS),
        Row("meetings:calendar", slug, m.VIEW),
        Row("meetings:series_create", slug, m.MANAGE),
        Row("meetings:series_detail", on_series, m.VIEW),
        Row("meetings:series_ics", on_series, m.VIEW),
        Row(
            "meetings:occurrence_cancel",
            {**slug, "pk": occurrence.pk},
            m.MANAGE,
            method="post",
        ),
        # The first holder ends it; the others are told it has ended (a redirect either way).
        Row("meetings:series_end", on_series, m.MANAGE, method="post"),
        Row("meetings:detail", one, m.VIEW),
        Row("meetings:edit", one, m.MANAGE),
        Row("meetings:item_add", one, m.MANAGE, method="post", data=item_data),
        Row("meetings:item_propose", up, m.PROPOSE_ITEM, method="post", data=item_data),
        Row(
            "meetings:item_decide",
            {**up, "item_pk": proposed.pk},
            m.MANAGE,
            method="post",
            data={"decision": "defer"},
        ),
        Row("meetings:item_move", on_item, m.MANAGE, method="post", data={"direction": "up"}),
        Row("meetings:item_notes", on_item, m.RECORD),
        Row("meetings:motion_add", on_item, m.RECORD, method="post", data={"text": ""}),
        Row("meetings:task_add", on_item, m.RECORD, method="post", data={"title": ""}),
        Row("meetings:attendance", one, m.RECORD),
        Row("meetings:minutes_state", one, m.RECORD, method="post", data={"step": "none"}),
        Row("meetings:assess", one, m.PROPOSE_ITEM, method="post", data={"usefulness": 9}),
        Row("meetings:agenda_pdf", one, m.VIEW),
        Row("meetings:minutes_pdf", one, m.VIEW),
        Row("meetings:ics", one, m.VIEW),
        # Calendar apps cannot sign in: the secret in the URL is the only key.
        Row("meetings_global:feed", {**slug, "token": "feed-ok"}, "public"),
        Row("meetings_global:feed", {**slug, "token": "no-such-token"}, "public_404"),
        Row(
            "meetings_global:feed",
            {"slug": world.other_partnership.slug, "token": "feed-ok"},
            "public_404",
        ),
        Row("api:meeting_list", slug, m.VIEW, api=True),
        Row("api:meeting_detail", one, m.VIEW, api=True),
        Row("api:meeting_minutes", one, m.VIEW, api=True),
        # Self-seconded: refused with 400 after the permission check.
        Row(
            "api:meeting_motion_create",
            on_item,
            m.RECORD,
            api=True,
            method="post",
            data={
                "text": "x",
                "proposed_by": world.users["manager"].pk,
                "seconded_by": world.users["manager"].pk,
                "result": "unanimous",
            },
        ),
        Row(
            "api:meeting_task_create",
            on_item,
            m.RECORD,
            api=True,
            method="post",
            data={"title": ""},
        ),
    ]
