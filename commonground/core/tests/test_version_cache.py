"""Pages cached under a partnership's data version show a change at once, and never
show one partnership's cached parts for another."""

import datetime

import pytest
from django.urls import reverse

from commonground.accounts.tests.factories import UserFactory
from commonground.library import services as library_services
from commonground.partnerships import services as partnership_services


@pytest.mark.django_db
def test_home_shows_a_new_role_on_the_next_view(world, client_for):
    client = client_for("observer")
    url = reverse("partnerships:home", kwargs={"slug": world.partnership.slug})
    assert client.get(url).status_code == 200  # now cached
    newcomer = UserFactory(display_name="Newcomer Nora")
    assert "Newcomer Nora" not in client.get(url).content.decode()
    partnership_services.role_assign(
        actor=world.user("manager"), partnership=world.partnership, user=newcomer, kind="observer"
    )
    assert "Newcomer Nora" in client.get(url).content.decode()


@pytest.mark.django_db
def test_report_shows_a_new_milestone_on_the_next_view(world, client_for):
    client = client_for("manager")
    url = reverse("library:report", kwargs={"slug": world.partnership.slug})
    assert client.get(url).status_code == 200  # now cached
    library_services.milestone_create(
        actor=world.user("manager"),
        partnership=world.partnership,
        date=datetime.date.today(),
        title="Pilot depot opened",
    )
    assert "Pilot depot opened" in client.get(url).content.decode()


@pytest.mark.django_db
def test_cached_parts_are_kept_apart_per_partnership_and_outsiders_still_get_404(world, client_for):
    home = reverse("partnerships:home", kwargs={"slug": world.partnership.slug})
    other = reverse("partnerships:home", kwargs={"slug": world.other_partnership.slug})
    manager = client_for("manager")
    assert manager.get(home).status_code == 200
    own = manager.get(home).content.decode()
    # The outsider's own partnership renders its own people, not the cached ones.
    outsider = client_for("outsider")
    theirs = outsider.get(other).content.decode()
    assert world.user("manager").display_name in own
    assert world.user("manager").display_name not in theirs
    assert outsider.get(home).status_code == 404
