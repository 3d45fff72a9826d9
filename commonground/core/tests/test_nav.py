"""The workspace navigation: a few sections, each with its tabs, nothing unreachable."""

import pytest
from django.urls import reverse

from commonground.core import nav

pytestmark = pytest.mark.django_db


def test_every_tab_has_a_section():
    missing = sorted(name for name in nav._NAV if name not in nav.SECTION_OF)
    assert not missing, f"add these tabs to core.nav.SECTION_OF: {missing}"
    assert {nav.SECTION_OF[name] for name in nav._NAV} <= {key for key, _label in nav.SECTIONS}


def test_a_page_shows_six_sections_and_the_tabs_of_its_own(world, client_for):
    url = reverse("meetings:list", kwargs={"slug": world.partnership.slug})
    page = client_for("manager").get(url).content.decode()
    sections = page[
        page.index('<nav class="sections"') : page.index(
            "</nav>", page.index('<nav class="sections"')
        )
    ]
    assert sections.count("<a ") == 6
    assert 'class="is-active" aria-current="true">Decisions and meetings</a>' in sections
    subnav = page[page.index('<nav class="subnav"') :]
    subnav = subnav[: subnav.index("</nav>")]
    assert f'href="{url}" aria-current="page">Meetings</a>' in subnav
    for label in ("Decisions", "Conversations", "Action plan"):
        assert f">{label}</a>" in subnav
    # Another section's tabs are not shown as a second row.
    assert ">Indicators</a>" not in subnav


def test_every_tab_a_person_may_open_is_reachable_from_its_section(world, rf):
    from commonground.partnerships.models import Partnership

    partnership = Partnership.objects.get(pk=world.partnership.pk)
    for role in ("observer", "representative", "manager"):
        request = rf.get(reverse("partnerships:home", kwargs={"slug": partnership.slug}))
        request.user = world.users[role]
        sections = nav.nav_for(request, partnership)
        shown = {item["url"] for s in sections for item in s["items"]}
        expected = set()
        for name, item in nav._NAV.items():
            from commonground.core import policy

            if policy.has_capability(request.user, partnership, item.capability):
                expected.add(reverse(name, kwargs={"slug": partnership.slug}))
        assert shown == expected, role
        # Each section opens on its first tab, and exactly one section is active.
        assert all(s["url"] == s["items"][0]["url"] for s in sections)
        assert [s["key"] for s in sections if s["active"]] == ["overview"]
    audit_only_for_managers = reverse("partnerships:audit", kwargs={"slug": partnership.slug})
    assert audit_only_for_managers in shown


@pytest.mark.parametrize("phase", ["prepare", "agree", "consolidate", "assess"])
def test_the_overview_opens_on_the_phase_s_work(world, client_for, phase):
    world.partnership.phase = phase
    world.partnership.save()
    page = client_for("manager").get(world.partnership.get_absolute_url()).content.decode()
    folded = page.index('id="more-panels"')
    focus = nav.PHASE_FOCUS[phase]
    # The phase's panels come first, in the phase's order; the rest are folded away.
    positions = []
    for app in focus[1:]:
        slot = f"/panels/{app}/"
        if slot in page:
            positions.append(page.index(slot))
    assert positions == sorted(positions) and positions and max(positions) < folded
    others = {p.app_label for p in nav._PANELS.values()} - set(focus)
    for app in others:
        slot = f"/panels/{app}/"
        if slot in page:
            assert page.index(slot) > folded, app
