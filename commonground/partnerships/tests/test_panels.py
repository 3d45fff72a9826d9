import pytest
from django.urls import reverse

from commonground.core.nav import _PANELS
from commonground.core.testing import count_queries

pytestmark = pytest.mark.django_db


def test_home_renders_eager_panels_and_placeholders_for_the_rest(world, client_for):
    body = client_for("manager").get(world.partnership.get_absolute_url()).content.decode()
    lazy = [p for p in _PANELS.values() if not p.eager]
    assert lazy, "modules register home panels"
    for panel in lazy:
        url = reverse(
            "partnerships:panel", kwargs={"slug": world.partnership.slug, "key": panel.key}
        )
        assert f'hx-get="{url}"' in body
        assert f'href="{url}"' in body  # the no-JavaScript fallback


@pytest.mark.parametrize("role", ["manager", "observer"])
def test_every_panel_loads_alone_and_as_a_page(world, client_for, role):
    client = client_for(role)
    for panel in _PANELS.values():
        url = reverse(
            "partnerships:panel", kwargs={"slug": world.partnership.slug, "key": panel.key}
        )
        n, _sql, fragment = count_queries(lambda url=url: client.get(url, HTTP_HX_REQUEST="true"))
        assert fragment.status_code == 200, panel.key
        assert b"<html" not in fragment.content
        # The person's own next steps read the inbox (a fixed number of queries per
        # section, see core/tests/test_inbox.py), the others stay small.
        # What next reads the evidence of the current phase's bound steps and the
        # profile/spectrum advice (one query each, fixed).
        limit = {"method-panel_yours": 20, "method-panel_what_next": 25}.get(panel.key, 15)
        assert n <= limit, f"{panel.key}: {n} queries"
        page = client.get(url)
        assert page.status_code == 200 and b"<html" in page.content


def test_unknown_panel_is_404_and_outsiders_see_nothing(world, client_for):
    slug = world.partnership.slug
    assert (
        client_for("manager")
        .get(reverse("partnerships:panel", kwargs={"slug": slug, "key": "nope"}))
        .status_code
        == 404
    )
    url = reverse("partnerships:panel", kwargs={"slug": slug, "key": "results"})
    assert client_for("outsider").get(url).status_code == 404
