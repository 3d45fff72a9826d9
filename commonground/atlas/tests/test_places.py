"""Where an activity is: saving one without a place says so (it is not on the map), the map
page lists such activities, and the form offers the member organisations' addresses."""

from __future__ import annotations

import functools
from decimal import Decimal

import pytest
from django.contrib.messages import constants as message_levels
from django.core.exceptions import ValidationError
from django.urls import reverse

from commonground.atlas import rules, services
from commonground.atlas.models import Activity
from commonground.core.testing import assert_queries_do_not_grow
from commonground.organisations.tests.factories import OrganisationFactory
from commonground.partnerships.tests.factories import MembershipFactory

from .factories import make_activity, theme


def _form_data(world, **extra):
    data = {
        "title": "Tool library",
        "description": "Lend tools, not buy them",
        "kind": "project",
        "organisations": [world.organisation.pk],
        "themes": [theme().pk],
        "status": "active",
        "tier": "core",
    }
    data.update(extra)
    return data


def _messages(response):
    return [(m.level, str(m)) for m in response.context["messages"]]


def _located(org, lat="59.912700", lon="10.746100", place="Kaigata 4, Fjordvik"):
    org.latitude, org.longitude, org.place_name = Decimal(lat), Decimal(lon), place
    org.save()
    return org


@pytest.mark.django_db
def test_saving_without_a_place_warns_that_it_is_not_on_the_map(world, client_for):
    client = client_for("representative")
    url = reverse("atlas:activity_create", kwargs={"slug": world.partnership.slug})
    response = client.post(url, _form_data(world), follow=True)
    activity = Activity.objects.get()
    assert not activity.has_location
    shown = _messages(response)
    assert all("is on the map" not in text for _level, text in shown)
    assert [level for level, _text in shown] == [message_levels.WARNING]
    assert "not on the map" in shown[0][1] and "add one" in shown[0][1]
    # The same after an edit that leaves it without a place.
    edit = reverse(
        "atlas:activity_edit", kwargs={"slug": world.partnership.slug, "pk": activity.pk}
    )
    shown = _messages(client.post(edit, _form_data(world, title="Renamed"), follow=True))
    assert [level for level, _text in shown] == [message_levels.WARNING]
    # With a place it is saved without a warning.
    shown = _messages(
        client.post(edit, _form_data(world, latitude="59.91", longitude="10.75"), follow=True)
    )
    assert shown == [(message_levels.SUCCESS, "Saved.")]


@pytest.mark.django_db
def test_map_page_lists_the_activities_not_on_the_map(world, client_for):
    mine = make_activity(
        world.partnership, [world.organisation], title="Seed swap", lat=None, lon=None
    )
    theirs = make_activity(
        world.partnership, [world.second_organisation], title="Bike kitchen", lat=None, lon=None
    )
    make_activity(world.partnership, [world.organisation], title="Repair café")
    slug = world.partnership.slug

    def edit(a):
        return reverse("atlas:activity_edit", kwargs={"slug": slug, "pk": a.pk})

    page = client_for("representative").get(reverse("atlas:map", kwargs={"slug": slug}))
    text = page.content.decode()
    assert "Not on the map yet (2)" in text
    section = text.split("Not on the map yet (2)", 1)[1]
    assert "Seed swap" in section and "Bike kitchen" in section
    assert "Repair café" not in section
    # A link to add a place where the person may edit the activity, none where not.
    assert edit(mine) in section and edit(theirs) not in section
    manager = client_for("manager").get(reverse("atlas:map", kwargs={"slug": slug}))
    assert edit(theirs) in manager.content.decode()
    # The filters apply to it as to the list.
    filtered = client_for("manager").get(reverse("atlas:map", kwargs={"slug": slug}), {"q": "seed"})
    assert "Not on the map yet (1)" in filtered.content.decode()


@pytest.mark.django_db
def test_no_section_when_every_activity_is_on_the_map(world, client_for):
    make_activity(world.partnership, [world.organisation], title="Repair café")
    page = client_for("observer").get(reverse("atlas:map", kwargs={"slug": world.partnership.slug}))
    assert b"Not on the map yet" not in page.content


@pytest.mark.django_db
def test_choosing_a_partners_address_stores_its_coordinates(world, client_for):
    org = _located(world.second_organisation)
    client = client_for("representative")
    url = reverse("atlas:activity_create", kwargs={"slug": world.partnership.slug})
    form = client.get(url).content.decode()
    assert f"At a partner’s address: {org.name} — Kaigata 4, Fjordvik" in form
    response = client.post(url, _form_data(world, at_organisation=str(org.pk)), follow=True)
    activity = Activity.objects.get()
    assert (activity.latitude, activity.longitude) == (Decimal("59.912700"), Decimal("10.746100"))
    assert activity.place_name == "Kaigata 4, Fjordvik" and activity.has_location
    assert _messages(response) == [(message_levels.SUCCESS, "The activity is on the map.")]
    # A place name typed beside it is kept.
    client.post(
        url, _form_data(world, title="Other", at_organisation=str(org.pk), place_name="Yard")
    )
    assert Activity.objects.get(title="Other").place_name == "Yard"


@pytest.mark.django_db
def test_only_member_organisations_with_coordinates_are_offered(world, client_for):
    _located(world.organisation, place="")
    _located(OrganisationFactory(name="Far Away Ltd"))
    left = _located(OrganisationFactory(name="Gone Before AS"))
    MembershipFactory(partnership=world.partnership, organisation=left, status="left")
    url = reverse("atlas:activity_create", kwargs={"slug": world.partnership.slug})
    form = client_for("representative").get(url).content.decode()
    choices = form.split('name="at_organisation"', 1)[1].split("</select>", 1)[0]
    places = form.split('id="atlas-partner-places"', 1)[1].split("</script>", 1)[0]
    # Without a place name the organisation's name alone says where.
    assert f"At a partner’s address: {world.organisation.name}<" in choices
    assert str(world.organisation.pk) in places
    for name in (world.second_organisation.name, "Far Away Ltd", "Gone Before AS"):
        assert name not in choices and name not in places


@pytest.mark.django_db
def test_a_non_member_organisation_is_refused_and_what_was_typed_is_kept(world, client_for):
    outsider = _located(OrganisationFactory(name="Far Away Ltd"))
    url = reverse("atlas:activity_create", kwargs={"slug": world.partnership.slug})
    response = client_for("representative").post(
        url, _form_data(world, at_organisation=str(outsider.pk), place_name="Typed place")
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Choose the address of one of this partnership’s member organisations." in text
    assert "Tool library" in text and "Lend tools, not buy them" in text
    assert "Typed place" in text
    assert not Activity.objects.exists()
    # The service refuses it too (for callers other than the form).
    with pytest.raises(ValidationError) as refused:
        services.activity_create(
            actor=world.users["representative"],
            partnership=world.partnership,
            title="Direct",
            organisations=[world.organisation],
            themes=[theme()],
            at_organisation=outsider.pk,
        )
    assert "at_organisation" in refused.value.message_dict
    assert not Activity.objects.exists()


@pytest.mark.django_db
def test_a_partners_address_and_other_typed_coordinates_are_refused(world, client_for):
    org = _located(world.organisation)
    url = reverse("atlas:activity_create", kwargs={"slug": world.partnership.slug})
    response = client_for("representative").post(
        url,
        _form_data(world, at_organisation=str(org.pk), latitude="60.1", longitude="11.2"),
    )
    assert response.status_code == 400
    assert "keep one of them" in response.content.decode()
    assert not Activity.objects.exists()
    # The same coordinates as the address (as the map picker fills them in) are fine.
    response = client_for("representative").post(
        url,
        _form_data(world, at_organisation=str(org.pk), latitude="59.9127", longitude="10.7461"),
    )
    assert response.status_code == 302 and Activity.objects.get().has_location


@pytest.mark.django_db
def test_api_and_map_page_do_not_count_an_unmapped_activity_as_mapped(world, client_for):
    make_activity(world.partnership, [world.organisation], title="Repair café")
    unmapped = make_activity(
        world.partnership, [world.organisation], title="Seed swap", lat=None, lon=None
    )
    slug = world.partnership.slug
    client = client_for("observer")
    api = reverse("api:atlas_geojson", kwargs={"slug": slug})
    for params in ({}, {"bbox": "-90,-180,90,180"}):
        data = client.get(api, params).json()
        assert [f["properties"]["title"] for f in data["features"]] == ["Repair café"]
        assert unmapped.pk not in [f["properties"]["id"] for f in data["features"]]
        assert data["count"] == 1 and data["not_on_map"] == 1
    page = client.get(reverse("atlas:map", kwargs={"slug": slug}))
    assert page.context["not_on_map"] == 1
    assert b"Not on the map yet (1)" in page.content


@pytest.mark.django_db
def test_editable_activities_agrees_with_can_edit_activity(world):
    from commonground.core.testing import add_every_role_kind

    add_every_role_kind(world)
    acts = [
        make_activity(world.partnership, [world.organisation], title="Ours", lat=None, lon=None),
        make_activity(
            world.partnership, [world.second_organisation], title="Theirs", lat=None, lon=None
        ),
        make_activity(
            world.partnership,
            [world.second_organisation],
            title="Added by the representative",
            lat=None,
            lon=None,
            actor=world.users["representative"],
        ),
    ]
    qs = Activity.objects.filter(partnership=world.partnership)
    for user in [u for u in world.users.values() if u is not None]:
        by_rule = {a.pk for a in acts if rules.can_edit_activity(user, a)}
        assert (
            set(rules.editable_activities(user, world.partnership, qs).values_list("pk", flat=True))
            == by_rule
        ), user


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["representative", "manager"])
def test_map_page_queries_do_not_grow_with_unmapped_activities(world, client_for, role):
    client = client_for(role)
    url = reverse("atlas:map", kwargs={"slug": world.partnership.slug})
    counter = iter(range(100))

    def grow():
        for _ in range(3):
            n = next(counter)
            make_activity(
                world.partnership,
                [world.organisation] if n % 2 else [world.second_organisation],
                title=f"Unmapped {n}",
                lat=None,
                lon=None,
                actor=world.users["representative"] if n % 3 == 0 else None,
            )
            make_activity(world.partnership, [world.organisation], title=f"Mapped {n}")

    grow()
    assert_queries_do_not_grow(functools.partial(client.get, url), grow)


@pytest.mark.django_db
def test_home_panel_counts_only_activities_with_a_place_as_on_the_map(world, client_for):
    from commonground.core.testing import home_with_panels

    make_activity(world.partnership, [world.organisation], title="Repair café")
    make_activity(world.partnership, [world.organisation], title="Seed swap", lat=None, lon=None)
    page = home_with_panels(client_for("observer"), world.partnership)
    panel = page.split("Activities on the map", 1)[1].split("</section>", 1)[0]
    assert '<span class="stat">1</span>' in panel
    assert "1 more is not on the map yet: it has no place." in panel
