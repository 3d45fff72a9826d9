"""The alliance layer counts what the method counts: tiers decide which activities and
indicators count, labs / regional gatherings / virtual discussions are counted apart
against their own targets, "brokered" means partnerships the alliance helped to form,
and the secretariat's facilitation is counted."""

from __future__ import annotations

import datetime
import importlib
import itertools

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from commonground.atlas import selectors, services
from commonground.atlas.models import Activity, AllianceTarget
from commonground.core.testing import assert_queries_do_not_grow
from commonground.partnerships.models import Partnership
from commonground.partnerships.tests.factories import PartnershipFactory, RoleFactory
from commonground.results.tests.factories import IndicatorFactory

from .factories import make_activity

pytestmark = pytest.mark.django_db


def indicators_of(*partnerships):
    cache.clear()
    pids = Partnership.objects.filter(pk__in=[p.pk for p in partnerships])
    return selectors.alliance_indicators(pids)


def event(world, kind, tier="core", days_ago=1, **kw):
    return make_activity(
        world.partnership,
        [world.organisation],
        title=f"{kind} {tier} {days_ago} {kw}",
        kind=kind,
        tier=tier,
        starts_on=timezone.localdate() - datetime.timedelta(days=days_ago),
        status="completed",
        **kw,
    )


def held(ind):
    return {e["kind"]: (e["held"], e["platform"], e["target"]) for e in ind["events"]}


# --- event kinds counted apart, against their own targets ---------------------------------


def test_labs_gatherings_and_discussions_are_counted_apart_against_their_targets(world):
    AllianceTarget.objects.create(
        year=timezone.localdate().year,
        innovation_labs=3,
        regional_gatherings=1,
        virtual_discussions=2,
    )
    event(world, "innovation_lab")
    event(world, "innovation_lab", days_ago=2)
    event(world, "regional_gathering")
    event(world, "virtual_discussion")
    assert held(indicators_of(world.partnership)) == {
        "innovation_lab": (2, 0, 3),
        "regional_gathering": (1, 0, 1),
        "virtual_discussion": (1, 0, 2),
    }


def test_other_kinds_and_other_years_are_not_counted_as_events(world):
    event(world, "project")
    event(world, "pilot")
    # Last year's lab (and a lab not held yet) do not count for this year.
    event(world, "innovation_lab", days_ago=(timezone.localdate().timetuple().tm_yday + 3))
    event(world, "innovation_lab", days_ago=-5)
    assert held(indicators_of(world.partnership)) == {
        "innovation_lab": (0, 0, None),
        "regional_gathering": (0, 0, None),
        "virtual_discussion": (0, 0, None),
    }


# --- tiers change what counts ------------------------------------------------------------


def test_platform_events_are_counted_apart_from_the_work_programmes_targets(world):
    AllianceTarget.objects.create(year=timezone.localdate().year, innovation_labs=2)
    event(world, "innovation_lab", tier="core")
    event(world, "innovation_lab", tier="strategic")
    event(world, "innovation_lab", tier="platform")
    ind = indicators_of(world.partnership)
    assert held(ind)["innovation_lab"] == (2, 1, 2)


def test_tier_decides_which_indicators_count_for_the_work_programme(world):
    p = world.partnership
    core_only, platform_only, both, unlinked = (
        IndicatorFactory(partnership=p, name=n) for n in ("Core", "Platform", "Both", "None")
    )
    make_activity(p, [world.organisation], title="C", tier="core", indicators=[core_only, both])
    make_activity(
        p, [world.organisation], title="P", tier="platform", indicators=[platform_only, both]
    )
    ind = indicators_of(p)
    assert ind["programme_indicators"] == 2  # core_only and both
    assert ind["platform_indicators"] == 1  # platform_only, counted apart
    assert unlinked.activities.count() == 0


def test_moving_an_activity_to_the_platform_takes_its_indicators_out_of_the_programme(world):
    p = world.partnership
    indicator = IndicatorFactory(partnership=p)
    activity = make_activity(
        p, [world.organisation], title="Moves", tier="strategic", indicators=[indicator]
    )
    assert indicators_of(p)["programme_indicators"] == 1
    activity.tier = "platform"
    activity.save()
    ind = indicators_of(p)
    assert (ind["programme_indicators"], ind["platform_indicators"]) == (0, 1)


def test_an_activity_is_measured_only_by_its_own_partnerships_indicators(world):
    theirs = IndicatorFactory(partnership=world.other_partnership)
    with pytest.raises(ValidationError):
        make_activity(world.partnership, [world.organisation], indicators=[theirs])
    activity = make_activity(world.partnership, [world.organisation])
    with pytest.raises(ValidationError):
        services.activity_update(
            actor=None,
            activity=activity,
            organisations=[world.organisation],
            themes=list(activity.themes.all()),
            indicators=[theirs],
        )
    assert not activity.indicators.exists()


def test_the_activity_form_links_indicators_and_the_facilitation(world, client_for):
    indicator = IndicatorFactory(partnership=world.partnership, name="Tonnes reused")
    activity = make_activity(world.partnership, [world.organisation], title="Hub")
    client = client_for("manager")
    url = reverse("atlas:activity_edit", kwargs={"slug": world.partnership.slug, "pk": activity.pk})
    form = client.get(url)
    assert b"Tonnes reused" in form.content
    data = {
        "title": "Hub",
        "kind": "project",
        "organisations": [world.organisation.pk],
        "themes": [t.pk for t in activity.themes.all()],
        "status": "active",
        "tier": "core",
        "facilitated_by_secretariat": "on",
        "indicators": [indicator.pk],
        "latitude": "59.9231",
        "longitude": "10.7592",
    }
    assert client.post(url, data).status_code == 302
    activity.refresh_from_db()
    assert activity.facilitated_by_secretariat
    assert list(activity.indicators.all()) == [indicator]
    page = client.get(
        reverse("atlas:activity", kwargs={"slug": world.partnership.slug, "pk": activity.pk})
    )
    assert b"Tonnes reused" in page.content and b"facilitated by the secretariat" in page.content


# --- the secretariat's facilitation ------------------------------------------------------


def test_the_secretariats_facilitation_is_counted(world):
    AllianceTarget.objects.create(year=timezone.localdate().year, facilitated=4)
    make_activity(
        world.partnership, [world.organisation], title="A", facilitated_by_secretariat=True
    )
    make_activity(world.partnership, [world.organisation], title="B", tier="platform")
    event(world, "regional_gathering", facilitated_by_secretariat=True)
    ind = indicators_of(world.partnership)
    assert (ind["facilitated"], ind["facilitated_events"], ind["facilitated_target"]) == (3, 1, 4)


def test_unfacilitated_planned_or_past_activities_are_not_counted_as_facilitated(world):
    make_activity(world.partnership, [world.organisation], title="Own work", tier="core")
    make_activity(
        world.partnership,
        [world.organisation],
        title="Not started",
        facilitated_by_secretariat=True,
        status="planned",
    )
    make_activity(
        world.partnership,
        [world.organisation],
        title="Ended last year",
        tier="platform",
        starts_on=datetime.date(2000, 1, 1),
        ends_on=datetime.date(2000, 6, 1),
        status="completed",
    )
    assert indicators_of(world.partnership)["facilitated"] == 0


# --- partnerships brokered ---------------------------------------------------------------


def test_partnerships_brokered_counts_those_the_alliance_helped_to_form(world):
    AllianceTarget.objects.create(year=timezone.localdate().year, partnerships_brokered=3)
    by_alliance = PartnershipFactory(slug="by-alliance", brokered_by="alliance")
    by_secretariat = PartnershipFactory(slug="by-secretariat", brokered_by="secretariat")
    ind = indicators_of(world.partnership, world.other_partnership, by_alliance, by_secretariat)
    assert ind["partnerships_recorded"] == 4
    assert (ind["partnerships_brokered"], ind["brokered_by_secretariat"]) == (2, 1)
    assert ind["partnerships_brokered_target"] == 3


def test_partnerships_formed_by_their_partners_are_not_brokered(world):
    ind = indicators_of(world.partnership, world.other_partnership)
    assert ind["partnerships_recorded"] == 2 and ind["partnerships_brokered"] == 0
    old = PartnershipFactory(slug="old", brokered_by="alliance")
    Partnership.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=400)
    )
    assert indicators_of(world.partnership, old)["partnerships_brokered"] == 0


def test_the_convener_records_who_brokered_the_partnership(world, client_for):
    p = world.partnership
    client = client_for("manager")
    url = reverse("partnerships:edit", kwargs={"slug": p.slug})
    assert b"who helped it form" in client.get(url).content.lower()
    data = {
        "name": p.name,
        "purpose": p.purpose or "Purpose",
        "model": p.model,
        "visibility": p.visibility,
        "brokered_by": "secretariat",
    }
    assert client.post(url, data).status_code == 302
    p.refresh_from_db()
    assert p.brokered_by == "secretariat"
    assert indicators_of(p)["brokered_by_secretariat"] == 1


# --- the alliance page -------------------------------------------------------------------


def test_alliance_page_shows_each_count_and_the_rule(world, client_for):
    AllianceTarget.objects.create(year=timezone.localdate().year, virtual_discussions=5)
    event(world, "virtual_discussion")
    cache.clear()
    page = client_for("manager").get(reverse("atlas_global:alliance")).content.decode()
    for words in (
        "Innovation lab",
        "Regional gathering",
        "Virtual discussion",
        "partnerships brokered",
        "facilitated by the secretariat",
        "indicators that measure the work programme",
        "Platform activities are run by members outside the work plan",
    ):
        assert words in page, words


def test_alliance_page_queries_do_not_grow_with_the_alliance(world, client_for):
    client = client_for("manager")
    counter = itertools.count()
    kinds = itertools.cycle(["innovation_lab", "regional_gathering", "virtual_discussion"])
    tiers = itertools.cycle(["core", "strategic", "platform"])
    manager = world.users["manager"]

    def grow():
        for _ in range(3):
            n = next(counter)
            other = PartnershipFactory(slug=f"grown-{n}", brokered_by="alliance")
            RoleFactory(partnership=other, user=manager, kind="observer")
            indicator = IndicatorFactory(partnership=world.partnership)
            event(
                world,
                next(kinds),
                tier=next(tiers),
                days_ago=1 + n % 3,
                facilitated_by_secretariat=bool(n % 2),
                indicators=[indicator],
            )

    def cold():
        cache.clear()
        return client.get(reverse("atlas_global:alliance"))

    grow()
    assert_queries_do_not_grow(cold, grow)


# --- the migration -----------------------------------------------------------------------


def test_migration_makes_old_gatherings_regional_gatherings(world):
    activity = make_activity(world.partnership, [world.organisation], kind="project")
    Activity.objects.filter(pk=activity.pk).update(kind="gathering")
    migration = importlib.import_module("commonground.atlas.migrations.0005_alliance_layer")
    migration.split_gatherings(apps, None)
    activity.refresh_from_db()
    assert activity.kind == "regional_gathering"
    migration.join_gatherings(apps, None)
    activity.refresh_from_db()
    assert activity.kind == "gathering"


# --- the indicator's page ----------------------------------------------------------------


def test_the_indicator_page_names_the_activities_it_measures_with_their_tier(world, client_for):
    indicator = IndicatorFactory(partnership=world.partnership, name="Tonnes")
    make_activity(
        world.partnership,
        [world.organisation],
        title="Reuse hub",
        tier="platform",
        indicators=[indicator],
    )
    make_activity(world.partnership, [world.organisation], title="Unrelated hub")
    page = client_for("observer").get(indicator.get_absolute_url()).content.decode()
    measures = page.split("Measures activities")[1].split("</dd>")[0]
    assert "Reuse hub" in measures and "Platform" in measures
    assert "Unrelated hub" not in measures
